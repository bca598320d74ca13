#include "ui/main/EventLogModel.h"

#include <QColor>
#include <QLocale>

#include "ui/plots/Palette.h"
#include "ui/session/RunHistory.h"

namespace cklab::ui {

namespace {
QString formatValue(const std::optional<double>& v)
{
    return v ? QString::number(*v, 'g', 6) : QString();
}
} // namespace

EventLogModel::EventLogModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void EventLogModel::setHistory(RunHistory* history)
{
    beginResetModel();
    if (m_history)
        disconnect(m_history, nullptr, this, nullptr);
    m_history = history;
    m_rows = history ? int(history->events().size()) : 0;
    if (history) {
        connect(history, &RunHistory::eventAppended, this, &EventLogModel::onEventAppended);
        connect(history, &RunHistory::cleared, this, &EventLogModel::onCleared);
        connect(history, &QObject::destroyed, this, &EventLogModel::onCleared);
    }
    endResetModel();
}

void EventLogModel::onEventAppended(int index)
{
    // The history already holds the row; our own count makes the insertion visible properly.
    if (index < m_rows)
        return;
    beginInsertRows({}, m_rows, index);
    m_rows = index + 1;
    endInsertRows();
}

void EventLogModel::onCleared()
{
    beginResetModel();
    m_rows = 0;
    endResetModel();
}

int EventLogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int EventLogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString EventLogModel::actionText(CheckpointAction action, CheckpointReason reason)
{
    switch (action) {
    case CheckpointAction::Save: return tr("saved");
    case CheckpointAction::Delete: return tr("deleted");
    case CheckpointAction::Skip:
        return reason == CheckpointReason::MonitorMissing ? tr("skipped: monitor missing") : tr("skipped: not improved");
    case CheckpointAction::Error:
        switch (reason) {
        case CheckpointReason::FormatFailed: return tr("path template failed");
        case CheckpointReason::DeleteFailed: return tr("delete failed");
        default: return tr("write failed");
        }
    }
    return {};
}

QVariant EventLogModel::data(const QModelIndex& index, int role) const
{
    if (!m_history || !index.isValid() || index.row() >= m_rows
        || index.row() >= int(m_history->events().size()))
        return {};
    const EventRecord& rec = m_history->events()[std::size_t(index.row())];
    const CheckpointEvent& e = rec.event;
    switch (role) {
    case PolicyRole: return QString::fromStdString(e.policy);
    case ActionRole: return QString::fromUtf8(actionName(e.action).data(), qsizetype(actionName(e.action).size()));
    case PathRole: return m_history->absolutePath(e.path);
    case BytesRole: return qint64(e.bytes);
    case EventIndexRole: return index.row();
    case Qt::ToolTipRole:
        if (!e.message.empty())
            return QString::fromStdString(e.message);
        return index.column() == Path ? m_history->absolutePath(e.path) : QVariant();
    case Qt::DecorationRole: // the policy's colour, as on the charts and the comparison timeline
        return index.column() == Policy ? QVariant(palette::policyColor(m_history->policyIndex(QString::fromStdString(e.policy))))
                                        : QVariant();
    case Qt::ForegroundRole:
        if (index.column() == Action && e.action == CheckpointAction::Error)
            return QColor(Qt::red);
        return {};
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case Epoch: case Batch: case Value: case BestBefore: case Size: case Duration:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        default: return {};
        }
    case Qt::DisplayRole: break;
    default: return {};
    }
    switch (index.column()) {
    case Time: return rec.time.toString(QStringLiteral("HH:mm:ss.zzz"));
    case Policy: return QString::fromStdString(e.policy);
    case Epoch: return e.epoch + 1;
    case Batch: return e.batch ? QVariant(*e.batch + 1) : QVariant(QString());
    case Monitor: return QString::fromStdString(e.monitor);
    case Value: return formatValue(e.value);
    case BestBefore: return formatValue(e.bestBefore);
    case Action: return actionText(e.action, e.reason);
    case Path: return m_absolutePaths ? m_history->absolutePath(e.path) : QString::fromStdString(e.path);
    case Size:
        if (e.action == CheckpointAction::Save || e.action == CheckpointAction::Delete)
            return QLocale().formattedDataSize(e.bytes, 1, QLocale::DataSizeTraditionalFormat);
        return QString();
    case Duration:
        return e.action == CheckpointAction::Save ? QStringLiteral("%1 ms").arg(e.durationMs, 0, 'f', 1) : QString();
    default: return {};
    }
}

void EventLogModel::setAbsolutePaths(bool on)
{
    if (on == m_absolutePaths)
        return;
    m_absolutePaths = on;
    if (m_rows > 0)
        emit dataChanged(index(0, Path), index(m_rows - 1, Path), {Qt::DisplayRole});
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time: return tr("Time");
    case Policy: return tr("Policy");
    case Epoch: return tr("Epoch");
    case Batch: return tr("Batch");
    case Monitor: return tr("Monitor");
    case Value: return tr("Value");
    case BestBefore: return tr("Best before");
    case Action: return tr("Action");
    case Path: return tr("Path");
    case Size: return tr("Size");
    case Duration: return tr("Duration");
    default: return {};
    }
}

} // namespace cklab::ui

#include "moc_EventLogModel.cpp"
