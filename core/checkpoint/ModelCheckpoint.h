#pragma once
/// Keras' ModelCheckpoint (spec checkpointing.md), usable from the Trainer or a hand-written loop:
///
///     ModelCheckpoint ckpt(config);            // throws ConfigError with validate()'s texts
///     ckpt.setModel(&model);
///     for (...) ckpt.onEpochEnd(epoch, {{"loss", loss}});   // or onBatchEnd(batch, logs)
///     ckpt.onTrainEnd();
///
/// Every decision is one CheckpointEvent to the event sink. Verbose lines (spec §6) and warnings
/// go to the message sink (default: stdout). A failed write is an error event; unless
/// continueOnError it sets model()->stopTraining and lastError(). A path formatting error is an
/// error event and then thrown as ConfigError (as Keras raises). Hooks run on the training thread.
///
/// Event reasons: CheckpointReason (CheckpointEvent.h), one action each.
#include <memory>
#include <optional>
#include <string>

#include "core/checkpoint/CheckpointConfig.h"
#include "core/checkpoint/CheckpointEvent.h"
#include "core/checkpoint/CheckpointStore.h"
#include "core/train/MonitorMode.h"
#include "core/checkpoint/Retention.h"
#include "core/train/Callback.h"

namespace cklab {

class ModelCheckpoint : public Callback {
public:
    /// `store` null = real files (FileCheckpointStore). `messages` null = print to stdout.
    /// The unknown-mode warning goes to `messages` during construction.
    explicit ModelCheckpoint(CheckpointConfig config, std::shared_ptr<CheckpointStore> store = {}, MessageSink messages = {});

    void setEventSink(CheckpointEventSink sink) { m_events = std::move(sink); }
    void setMessageSink(MessageSink sink);

    const CheckpointConfig& config() const { return m_config; }
    const std::string& name() const { return m_config.name; }
    MonitorMode monitorMode() const { return m_mode; }
    /// 0 for save_freq "epoch", else N.
    int saveFreqBatches() const { return m_saveFreq; }
    double best() const { return m_best; }
    /// Files written in this run and still kept (oldest first), with their monitored values.
    const std::vector<KeptFile>& keptFiles() const { return m_retention.files(); }
    /// Path of the file holding the current best (save_best_only), empty if none yet.
    const std::string& bestPath() const { return m_bestPath; }
    /// Text of the last write error (empty if none).
    const std::string& lastError() const { return m_lastError; }
    CheckpointStore& store() { return *m_store; }

    std::string stateKey() const override { return "checkpoint:" + m_config.name; }
    nlohmann::json state() const override;
    void restoreState(const nlohmann::json& state) override;

protected:
    void trainBegin(Logs& logs) override;
    void epochBegin(int epoch, Logs& logs) override;
    void trainBatchEnd(int batch, Logs& logs) override;
    void epochEnd(int epoch, Logs& logs) override;
    void trainEnd(Logs& logs) override;

private:
    void attemptSave(int epoch, std::optional<int> batch, const Logs& logs);
    void writeAndRetain(CheckpointEvent event, const std::string& path, bool improved);
    void applyRetention(const CheckpointEvent& saved, const std::optional<FileStamp>& stamp);
    void saveLast(const Logs& logs);
    std::string lastPath(const Logs& logs) const;
    CheckpointEvent makeEvent(int epoch, std::optional<int> batch, const Logs& logs) const;
    void report(const CheckpointEvent& event, bool print);

    CheckpointConfig m_config;
    std::shared_ptr<CheckpointStore> m_store;
    MessageSink m_messages;
    CheckpointEventSink m_events;
    MonitorMode m_mode = MonitorMode::Min;
    int m_saveFreq = 0;

    // Everything below is resume state (state()/restoreState()).
    double m_best = 0.0;
    std::string m_bestPath;
    long long m_seen = 0;                 // batches since the last attempt (spec §4.3)
    std::optional<int> m_lastBatchSeen;
    int m_epoch = 0;                      // epoch that batch-level saves belong to
    int m_lastEpoch = 0;                  // last epoch any hook named (for save_last)
    std::string m_lastError;
    Retention m_retention;
};

} // namespace cklab
