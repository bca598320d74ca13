#pragma once
/// A synthetic run for benchmarks and load tests: a RunSource (see RunTypes.h) that makes the
/// observer calls of a training run — batch ends at a paced rate, epoch ends, checkpoint events
/// with their console lines — without training anything, so the GUI path (TrainingWorker buffer,
/// TrainingController drain, RunHistory, charts, event log) can be driven far beyond what a real
/// model trains per second. Deterministic values; no file is written.
#include <atomic>
#include <filesystem>
#include <memory>

#include "ui/session/RunTypes.h"

namespace cklab::test {

struct SyntheticRunPlan {
    long long batches = 200000;        ///< batch events to produce in total
    double batchesPerSecond = 20000;   ///< pacing target (catches up after a delay); <= 0: unpaced
    int stepsPerEpoch = 5000;          ///< an epoch end after every stepsPerEpoch batches
    int checkpointEvery = 2000;        ///< one checkpoint event + message every N batches (0: none);
                                       ///< alternately a save of policy "periodic" and a skip of "best"
    std::filesystem::path outputDir;   ///< RunInfo::outputDir (absolute)
};

/// What the producer actually emitted; written on the worker thread, read anywhere.
struct SyntheticRunCounts {
    std::atomic<long long> batches{0};
    std::atomic<long long> epochs{0};
    std::atomic<long long> checkpointEvents{0};
    std::atomic<long long> messages{0};
    std::atomic<double> seconds{0.0};  ///< wall time from the first to the last batch
};

/// Checkpoint events (and messages) a plan produces when it runs to the end.
long long expectedCheckpointEvents(const SyntheticRunPlan& plan);

ui::RunSource syntheticRunSource(SyntheticRunPlan plan, std::shared_ptr<SyntheticRunCounts> counts);

} // namespace cklab::test
