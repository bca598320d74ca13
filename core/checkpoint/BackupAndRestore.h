#pragma once
/// Keras' BackupAndRestore (spec §8) with exact resume (deviation: at the exact batch, not the
/// start of the epoch). Writes `backupDir/backup.weights.h5` atomically: weights, optimizer
/// state and a training-state JSON {trainer state, every callback's state by stateKey()}.
/// At trainBegin, if that file exists, it is loaded into the model and the trainer and all
/// callbacks continue from it. At the end of a run that finished (all epochs, or stopped by a
/// callback) the backup is deleted if `deleteCheckpoint`; after a requested stop or an error it stays.
///
/// Must be the LAST callback of the trainer's list, so that the state it saves at a hook already
/// includes what every other callback did in that hook (trainBegin throws ConfigError otherwise).
#include <filesystem>
#include <string>
#include <vector>

#include "core/checkpoint/CheckpointEvent.h"
#include "core/io/SaveScratch.h"
#include "core/train/Callback.h"

namespace cklab {

class Trainer;

class BackupAndRestore : public Callback {
public:
    /// `saveFreq`: "epoch" or a positive integer number of batches. Throws ConfigError.
    BackupAndRestore(std::filesystem::path backupDir, std::string saveFreq, bool deleteCheckpoint, Trainer* trainer,
                     MessageSink messages = {});

    static std::vector<std::string> validate(const std::string& backupDir, const std::string& saveFreq);

    std::filesystem::path backupPath() const { return m_dir / "backup.weights.h5"; }
    /// True if the last trainBegin resumed from a backup.
    bool resumed() const { return m_resumed; }
    int backupsWritten() const { return m_written; }

    /// The training-state part of a resume: `state` is the /checkpointlab/training_state of a
    /// backup (version, trainer, callbacks). Throws ConfigError naming `origin` for anything
    /// else — never a JSON library exception. Public for the fuzzer (tests/fuzz/fuzz_backup_state).
    void restoreTrainingState(const nlohmann::json& state, const std::string& origin);

    std::string stateKey() const override { return "backup_and_restore"; }
    nlohmann::json state() const override;
    void restoreState(const nlohmann::json& state) override;

protected:
    void trainBegin(Logs& logs) override;
    void trainBatchEnd(int batch, Logs& logs) override;
    void epochEnd(int epoch, Logs& logs) override;
    void trainEnd(Logs& logs) override;

private:
    void backup();
    void restore();

    std::filesystem::path m_dir;
    int m_saveFreq = 0;  // 0 = every epoch
    bool m_deleteCheckpoint;
    Trainer* m_trainer;
    MessageSink m_messages;
    long long m_seen = 0;
    bool m_resumed = false;
    int m_written = 0;
    SaveScratch m_scratch; // reused by every backup, like a checkpoint store's
};

} // namespace cklab
