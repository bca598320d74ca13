#include "ui/forms/DataPreview.h"

#include <QObject>
#include <exception>

#include "core/data/DataLoader.h"

DataPreview DataPreview::compute(const cklab::DataConfig& config, const QString& baseDir, std::uint64_t seed, int maxRows)
{
    DataPreview p;
    if (!config.validate().empty()) {
        p.error = QObject::tr("No preview: the data settings are invalid.");
        return p;
    }
    try {
        // The rows as the run reads them (before split and standardisation), generators seeded as the run seeds them.
        const cklab::DataSplit raw = cklab::loadRawData(config, cklab::dataSeed(seed), baseDir.toStdString());
        const cklab::DataPreview core = cklab::preview(raw.train, maxRows);
        for (const auto& c : core.columns)
            p.header << QString::fromStdString(c);
        for (const auto& row : core.rows) {
            QStringList cells;
            for (const auto& cell : row)
                cells << QString::fromStdString(cell);
            p.rows.push_back(cells);
        }
        p.features = core.features;
        p.samples = core.totalRows;
        p.summary = QObject::tr("%1 samples, %2 features").arg(p.samples).arg(p.features);
        if (!raw.validation.empty())
            p.summary += QObject::tr(" (+ %1 in the validation file)").arg(raw.validation.size());
        if (!core.classCounts.empty()) {
            QStringList parts;
            for (size_t k = 0; k < core.classCounts.size(); ++k) {
                const QString name = k < core.classNames.size() && !core.classNames[k].empty()
                                         ? QString::fromStdString(core.classNames[k])
                                         : QString::number(k);
                parts << QStringLiteral("%1: %2").arg(name).arg(core.classCounts[k]);
            }
            p.summary += QStringLiteral(" · ") + QObject::tr("classes ") + parts.join(QStringLiteral(", "));
        }
    } catch (const std::exception& e) {
        p = DataPreview{};
        p.cause = QString::fromStdString(e.what());
        p.error = QObject::tr("No preview: %1").arg(p.cause);
    }
    return p;
}
