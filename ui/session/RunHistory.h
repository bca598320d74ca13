#pragma once
/// Everything a run produced, in our own arrays: run info, every batch point, every epoch point,
/// every checkpoint event (with the wall time it arrived) and the console messages. The charts,
/// the event log and the exports all read from here. GUI thread only; filled by
/// TrainingController (or by hand in tests / replays).
#include <QDateTime>
#include <QObject>
#include <QStringList>
#include <string>
#include <vector>

#include "ui/session/BatchTable.h"
#include "ui/session/RunTypes.h"

namespace cklab::ui {

struct EventRecord {
    CheckpointEvent event;
    QDateTime time;           ///< when the event reached the UI
};

class RunHistory : public QObject {
    Q_OBJECT
public:
    explicit RunHistory(QObject* parent = nullptr);

    void clear();
    void setInfo(const RunInfo& info);
    void appendBatches(const std::vector<BatchPoint>& points);
    void appendEpoch(const EpochPoint& point);
    void appendEvent(const CheckpointEvent& event, const QDateTime& time = QDateTime::currentDateTime());
    void appendMessage(const QString& line);

    const RunInfo& info() const { return m_info; }
    /// Every batch point, by column (compact: see BatchTable.h).
    const BatchTable& batchTable() const { return m_batches; }
    std::size_t batchCount() const { return m_batches.size(); }
    /// Batch point `i` (< batchCount()), rebuilt from the columns.
    BatchPoint batch(std::size_t i) const { return m_batches.row(i); }
    const std::vector<EpochPoint>& epochs() const { return m_epochs; }
    const std::vector<EventRecord>& events() const { return m_events; }
    const QStringList& messages() const { return m_messages; }
    /// Sorted union of the epoch log keys ("accuracy", "loss", "val_loss", ...).
    std::vector<std::string> epochKeys() const;
    /// An event path as absolute file path: relative paths are relative to info().outputDir.
    QString absolutePath(const std::string& path) const;
    /// Policy names in order of their first event.
    const QStringList& policies() const { return m_policies; }
    /// The project's policy names in list order, set by whoever starts a run; kept by clear().
    void setPolicyOrder(const QStringList& names);
    const QStringList& policyOrder() const { return m_policyOrder; }
    /// Colour index of a policy (ui/plots/Palette.h): its position in policyOrder(), else after
    /// those in order of first event (histories filled without an order).
    int policyIndex(const QString& policy) const;

    /// One row per epoch: "epoch" (0-based) then the keys of epochKeys(), as CSVLogger writes them.
    bool exportMetricsCsv(const QString& path, QString* error = nullptr) const;
    /// One row per batch: epoch, batch (0-based), step, then the batch log keys.
    bool exportBatchMetricsCsv(const QString& path, QString* error = nullptr) const;
    /// One line per checkpoint event: the "checkpoint" lines of `checkpointlab-cli run --events`
    /// (core/project/EventJson.h), so both front ends write the same JSON.
    bool exportEventsJsonl(const QString& path, QString* error = nullptr) const;

signals:
    void cleared();
    void infoChanged();
    void batchesAppended(int first, int count);
    void epochAppended(int index);
    void eventAppended(int index);
    void messageAppended(const QString& line);

private:
    RunInfo m_info;
    BatchTable m_batches;
    std::vector<EpochPoint> m_epochs;
    std::vector<EventRecord> m_events;
    QStringList m_messages;
    QStringList m_policies;      // in order of first event
    QStringList m_policyOrder;
};

} // namespace cklab::ui
