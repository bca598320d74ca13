#pragma once
/// A CheckpointLab project: everything that defines a run. The GUI and the CLI both load,
/// edit and save this (JSON, see core/project/ProjectJson.h and docs/project-format.md).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/checkpoint/BackupConfig.h"
#include "core/checkpoint/CheckpointConfig.h"
#include "core/data/DataConfig.h"
#include "core/model/Model.h"
#include "core/nn/ModelSpec.h"
#include "core/train/CsvLoggerConfig.h"
#include "core/train/EarlyStoppingConfig.h"

namespace cklab {

struct TrainingConfig {
    int epochs = 10;
    std::uint64_t seed = 42;
    CompileConfig compile;               ///< loss, metrics, optimizer
    bool terminateOnNaN = true;
    EarlyStoppingConfig earlyStopping;
    CsvLoggerConfig csvLogger;
    BackupConfig backup;
};

struct Project {
    static constexpr int kFormatVersion = 1;
    std::string name = "untitled";
    ModelSpec model;                     ///< inputDim 0 = taken from the data
    DataConfig data;
    TrainingConfig training;
    std::vector<CheckpointConfig> checkpoints;
    std::string outputDir = "runs";      ///< relative paths of the run resolve against it
};

} // namespace cklab
