#pragma once
/// Settings of BackupAndRestore, as stored in a project's "training.backup".
#include <string>

namespace cklab {

struct BackupConfig {
    bool enabled = false;
    std::string backupDir = "backup";
    std::string saveFreq = "epoch";      ///< "epoch" or a positive integer
    bool deleteCheckpoint = true;
};

} // namespace cklab
