#include "ui/compare/ComparisonTableModel.h"

#include <QBrush>
#include <QLocale>

#include "ui/plots/Palette.h"

namespace cklab::ui {

namespace {

QString number(const std::optional<double>& v)
{
    return v ? QString::number(*v, 'g', 6) : QString();
}

QString bytesText(std::int64_t bytes, bool estimated)
{
    const QString text = QLocale::system().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
    return estimated ? QStringLiteral("≈ ") + text : text;
}

QString csvField(QString s)
{
    if (s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')) || s.contains(QLatin1Char('\n')))
        s = QLatin1Char('"') + s.replace(QLatin1String("\""), QLatin1String("\"\"")) + QLatin1Char('"');
    return s;
}

} // namespace

ComparisonTableModel::ComparisonTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ComparisonTableModel::setComparison(const Comparison& comparison)
{
    beginResetModel();
    m_comparison = comparison;
    endResetModel();
}

int ComparisonTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_comparison.policies.size());
}

int ComparisonTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ComparisonTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    static const char* const names[] = {"Policy",        "Source",   "Monitor",  "Saves",      "Skips",
                                        "Deletes",       "Files kept", "Bytes written", "Bytes on disk",
                                        "Save time (ms)", "Best captured", "Run best", "Best kept epoch",
                                        "Kept the best", "Missed by"};
    if (role == Qt::DisplayRole && section >= 0 && section < ColumnCount)
        return tr(names[section]);
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Source: return tr("recorded: the live run's own events; replay: decisions replayed over the run's logs");
        case BytesWritten: return tr("Sum over saves (≈: estimated from the live run's file sizes)");
        case BytesOnDisk: return tr("Files this policy still has at the end of the run (retention applied)");
        case BestCaptured: return tr("Best monitored value held by a file kept at the end");
        case RunBest: return tr("Best value of the monitor over the run's epochs (epoch in brackets)");
        case BestKeptEpoch: return tr("Epoch (1-based, as in the file names) of the best kept checkpoint");
        case KeptBest: return tr("Is the best kept checkpoint at least as good as the run's best?");
        case MissedBy: return tr("|run best - best captured|");
        default: break;
        }
    }
    return {};
}

QVariant ComparisonTableModel::display(const PolicyComparison& pc, int column) const
{
    const PolicySummary& s = pc.summary;
    switch (column) {
    case Policy: return QString::fromStdString(pc.config.name);
    case Source: return pc.error.empty() ? (pc.replayed ? tr("replay") : tr("recorded")) : tr("invalid");
    case Monitor: return QString::fromStdString(s.monitor);
    case Saves: return s.saves;
    case Skips: return s.skips;
    case Deletes: return s.deletes;
    case FilesKept: return s.filesKept;
    case BytesWritten: return bytesText(s.bytesWritten, s.bytesEstimated);
    case BytesOnDisk: return bytesText(s.bytesOnDisk, s.bytesEstimated);
    case SaveMs: return QString::number(s.saveMs, 'f', 1);
    case BestCaptured: return s.bestKept ? number(s.bestKept->value) : QString();
    case RunBest:
        return s.runBestValue ? QStringLiteral("%1 (epoch %2)").arg(number(s.runBestValue)).arg(*s.runBestEpoch + 1)
                              : QString();
    case BestKeptEpoch: return s.bestKept ? QVariant(s.bestKept->epoch + 1) : QVariant();
    case KeptBest: return s.bestKept && s.runBestValue ? (s.keptBest ? tr("yes") : tr("no")) : QString();
    case MissedBy: return number(s.missedBy);
    default: return {};
    }
}

QVariant ComparisonTableModel::sortValue(const PolicyComparison& pc, int column) const
{
    const PolicySummary& s = pc.summary;
    switch (column) {
    case BytesWritten: return qlonglong(s.bytesWritten);
    case BytesOnDisk: return qlonglong(s.bytesOnDisk);
    case SaveMs: return s.saveMs;
    case BestCaptured: return s.bestKept && s.bestKept->value ? QVariant(*s.bestKept->value) : QVariant();
    case RunBest: return s.runBestValue ? QVariant(*s.runBestValue) : QVariant();
    case KeptBest: return s.keptBest ? 1 : 0;
    case MissedBy: return s.missedBy ? QVariant(*s.missedBy) : QVariant();
    default: return display(pc, column);
    }
}

QVariant ComparisonTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const PolicyComparison& pc = m_comparison.policies[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole: return display(pc, index.column());
    case kSortRole: return sortValue(pc, index.column());
    case Qt::DecorationRole: return index.column() == Policy ? QVariant(palette::policyColor(index.row())) : QVariant();
    case Qt::ToolTipRole: return pc.error.empty() ? QVariant() : QString::fromStdString(pc.error);
    case Qt::TextAlignmentRole:
        return index.column() >= Saves ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::ForegroundRole:
        if (index.column() == KeptBest && pc.summary.bestKept && pc.summary.runBestValue)
            return QBrush(pc.summary.keptBest ? QColor(30, 130, 30) : QColor(200, 40, 40));
        return {};
    default: return {};
    }
}

QString ComparisonTableModel::toCsv() const
{
    static const char* const keys[] = {"policy",        "source",      "monitor",         "saves",     "skips",
                                       "deletes",       "files_kept",  "bytes_written",   "bytes_on_disk",
                                       "save_ms",       "best_captured", "run_best",      "best_kept_epoch",
                                       "kept_best",     "missed_by"};
    QStringList lines;
    QStringList header;
    for (const char* k : keys)
        header << QString::fromLatin1(k);
    header << QStringLiteral("run_best_epoch") << QStringLiteral("bytes_estimated");
    lines << header.join(QLatin1Char(','));
    const auto full = [](const std::optional<double>& v) { return v ? QString::number(*v, 'g', 17) : QString(); };
    for (const auto& pc : m_comparison.policies) {
        const PolicySummary& s = pc.summary;
        QStringList f;
        f << csvField(QString::fromStdString(pc.config.name))
          << (pc.error.empty() ? (pc.replayed ? QStringLiteral("replay") : QStringLiteral("recorded")) : QStringLiteral("invalid"))
          << csvField(QString::fromStdString(s.monitor)) << QString::number(s.saves) << QString::number(s.skips)
          << QString::number(s.deletes) << QString::number(s.filesKept) << QString::number(s.bytesWritten)
          << QString::number(s.bytesOnDisk) << QString::number(s.saveMs, 'f', 3)
          << (s.bestKept ? full(s.bestKept->value) : QString()) << full(s.runBestValue)
          << (s.bestKept ? QString::number(s.bestKept->epoch + 1) : QString())
          << (s.bestKept && s.runBestValue ? (s.keptBest ? QStringLiteral("yes") : QStringLiteral("no")) : QString())
          << full(s.missedBy) << (s.runBestEpoch ? QString::number(*s.runBestEpoch + 1) : QString())
          << (s.bytesEstimated ? QStringLiteral("yes") : QStringLiteral("no"));
        lines << f.join(QLatin1Char(','));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace cklab::ui
