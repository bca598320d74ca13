#include "ui/forms/DataFormPreview.h"

#include <QObject>
#include <algorithm>
#include <exception>

#include "core/data/DataLoader.h"

namespace cklab::ui {

DataFormPreview DataFormPreview::compute(const cklab::DataConfig& config, const QString& baseDir, std::uint64_t seed, int maxRows,
                                 int maxImages)
{
    DataFormPreview p;
    if (!config.validate().empty()) {
        p.error = QObject::tr("No preview: the data settings are invalid.");
        return p;
    }
    try {
        // The rows as the run reads them (before split and standardisation), generators seeded as the run seeds them.
        const cklab::DataSplit raw = cklab::loadRawData(config, cklab::dataSeed(seed), baseDir.toStdString());
        const cklab::Dataset& train = raw.train;
        const bool images = !train.sampleShape.empty();
        const cklab::DataPreview core = cklab::preview(train, images ? 0 : maxRows);
        const auto className = [&core](std::size_t k) {
            return k < core.classNames.size() && !core.classNames[k].empty() ? QString::fromStdString(core.classNames[k])
                                                                              : QString::number(k);
        };
        if (images) {
            const Eigen::Index n = std::min<Eigen::Index>(train.x.rows(), maxImages);
            p.images = train.x.topRows(n);
            p.sampleShape = train.sampleShape;
            for (Eigen::Index i = 0; i < n; ++i)
                p.captions << (train.y.rows() > i ? className(static_cast<std::size_t>(cklab::classOfRow(train.y, i)))
                                                  : QString());
        } else {
            for (const auto& c : core.columns)
                p.header << QString::fromStdString(c);
            for (const auto& row : core.rows) {
                QStringList cells;
                for (const auto& cell : row)
                    cells << QString::fromStdString(cell);
                p.rows.push_back(cells);
            }
        }
        p.features = core.features;
        p.samples = core.totalRows;
        if (images) {
            const auto& s = train.sampleShape;
            p.summary = QObject::tr("%1 images of %2 × %3 × %4 (%5 features)")
                            .arg(p.samples).arg(s[0]).arg(s[1]).arg(s.size() > 2 ? s[2] : 1).arg(p.features);
        } else {
            p.summary = QObject::tr("%1 samples, %2 features").arg(p.samples).arg(p.features);
        }
        if (!raw.validation.empty())
            p.summary += QObject::tr(" (+ %1 validation samples)").arg(raw.validation.size());
        if (!core.classCounts.empty()) {
            QStringList parts;
            for (size_t k = 0; k < core.classCounts.size(); ++k)
                parts << QStringLiteral("%1: %2").arg(className(k)).arg(core.classCounts[k]);
            p.summary += QStringLiteral(" · ") + QObject::tr("classes ") + parts.join(QStringLiteral(", "));
        }
    } catch (const std::exception& e) {
        p = DataFormPreview{};
        p.cause = QString::fromStdString(e.what());
        p.error = QObject::tr("No preview: %1").arg(p.cause);
    }
    return p;
}

} // namespace cklab::ui
