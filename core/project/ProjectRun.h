#pragma once
/// One training run of a Project: builds data, model, trainer and callbacks (checkpoint
/// policies, early stopping, CSV logger, backup/restore, terminate-on-NaN) exactly the same way
/// for the CLI and the GUI worker, and reports everything through a RunObserver.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/checkpoint/CheckpointEvent.h"
#include "core/data/DataConfig.h"
#include "core/project/Project.h"
#include "core/train/Trainer.h"

namespace cklab {

struct RunInfo {
    int epochs = 0;
    int stepsPerEpoch = 0;
    long long trainSamples = 0;
    long long validationSamples = 0;
    long long parameterCount = 0;
    std::vector<std::string> logKeys;        ///< keys epoch-end logs will hold ("loss", "val_loss", ...)
    std::filesystem::path outputDir;         ///< absolute
};

/// Receives a run's progress. Every call comes from the thread that calls ProjectRun::run().
class RunObserver {
public:
    virtual ~RunObserver() = default;
    virtual void trainBegin(const RunInfo&) {}
    virtual void batchEnd(int /*epoch*/, int /*batch*/, const Logs&) {}
    virtual void epochEnd(int /*epoch*/, const Logs&) {}
    virtual void checkpointEvent(const CheckpointEvent&) {}
    /// Keras-style console lines: checkpoint/early-stopping messages of verbose callbacks, warnings.
    virtual void message(const std::string&) {}
    virtual void trainEnd(const TrainResult&) {}
};

struct RunOptions {
    std::filesystem::path outputDir;         ///< empty: project.outputDir relative to baseDir
    std::filesystem::path baseDir;           ///< folder of the project file (relative data paths)
    std::optional<std::uint64_t> seed;       ///< overrides training.seed
    std::optional<int> epochs;               ///< overrides training.epochs
};

/// The seeds of a run, all derived from the project's one seed: weight initialisation, data
/// generation (DataLoader's dataSeed) and the trainer's shuffling/dropout engine.
struct RunSeeds {
    std::uint64_t init = 0;
    std::uint64_t data = 0;
    std::uint64_t trainer = 0;
};
RunSeeds deriveSeeds(std::uint64_t projectSeed);

class ProjectRun {
public:
    /// Validates the project (ConfigError listing every problem), loads the data, builds the model.
    ProjectRun(const Project& project, RunOptions options = {});
    ~ProjectRun();

    void setObserver(RunObserver* observer);
    const RunInfo& info() const;
    Trainer& trainer();
    Model& model();
    /// The data as the model takes it: raw features. With data.standardize the statistics are in
    /// featureMean/featureStd and the model's leading Normalization layer applies them.
    const DataSplit& data() const;

    /// Runs to the end (or stop); call once. Thread: any single thread.
    TrainResult run();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace cklab
