#pragma once
/// Table of the checkpoint events of a RunHistory: one row per event, in arrival order.
/// Columns: time, policy, epoch, batch, monitor, value, best before, action, path, size, duration.
/// Epoch and batch are shown 1-based (as the Keras messages count); raw values via the roles below.
#include <QAbstractTableModel>
#include <QPointer>

#include "core/checkpoint/CheckpointEvent.h"

namespace cklab::ui {

class RunHistory;

class EventLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Policy, Epoch, Batch, Monitor, Value, BestBefore, Action, Path, Size, Duration, ColumnCount };
    enum Role {
        PolicyRole = Qt::UserRole + 1, ///< QString policy name
        ActionRole,                    ///< QString "save" / "skip" / "delete" / "error"
        PathRole,                      ///< QString absolute file path of the event (empty if none)
        BytesRole,                     ///< qint64
        EventIndexRole,                ///< int index into RunHistory::events()
    };

    explicit EventLogModel(QObject* parent = nullptr);

    /// Shows the events of `history` and follows it (nullptr: empty model).
    void setHistory(RunHistory* history);
    RunHistory* history() const { return m_history; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Path column: absolute paths, or (default) as the run wrote them, relative to its output folder.
    void setAbsolutePaths(bool on);
    bool absolutePaths() const { return m_absolutePaths; }

    /// What the Action column shows: "saved", "skipped: not improved", "write failed", ...
    static QString actionText(CheckpointAction action, CheckpointReason reason);

private:
    void onEventAppended(int index);
    void onCleared();

    QPointer<RunHistory> m_history;
    int m_rows = 0;
    bool m_absolutePaths = false;
};

} // namespace cklab::ui
