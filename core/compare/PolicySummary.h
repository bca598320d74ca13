#pragma once
/// The numbers of the comparison table: what one policy did to one run (from its events, live or
/// replayed) and how close its kept checkpoints came to the best the run reached.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/checkpoint/CheckpointConfig.h"
#include "core/checkpoint/CheckpointEvent.h"
#include "core/train/MonitorMode.h"
#include "core/project/HistoryFile.h"

namespace cklab {

/// The run's true best for one monitored metric, over the epoch-end logs (NaN never counts;
/// the first epoch reaching the best value wins, like a strict-improvement save_best_only).
struct RunBest {
    std::string monitor;
    MonitorMode mode = MonitorMode::Min;
    std::optional<double> value;     ///< none: the metric never appears in the epoch logs
    std::optional<int> epoch;        ///< 0-based
};

RunBest runBest(const std::vector<HookCall>& history, const std::string& monitor, MonitorMode mode);
/// One entry per distinct monitor of `policies` (first policy's direction), in policy order.
std::vector<RunBest> runBests(const std::vector<HookCall>& history, const std::vector<CheckpointConfig>& policies);
/// The policy's direction (spec §3); Min when it cannot be resolved.
MonitorMode policyMode(const CheckpointConfig& policy);

/// A file a policy still has at the end of the run: its last write.
struct KeptCheckpoint {
    std::string path;
    int epoch = 0;
    std::optional<int> batch;
    std::optional<double> value;     ///< monitored value of the state it holds (see summarize)
    std::int64_t bytes = 0;
};

struct PolicySummary {
    std::string policy;
    std::string monitor;
    MonitorMode mode = MonitorMode::Min;
    int saves = 0;
    int skips = 0;
    int deletes = 0;
    int errors = 0;
    int filesKept = 0;
    std::int64_t bytesWritten = 0;   ///< sum over saves (estimated for replays, see bytesEstimated)
    std::int64_t bytesOnDisk = 0;    ///< sum over the files kept at the end
    bool bytesEstimated = false;     ///< some byte counts came from SummaryOptions::fileSizes
    double saveMs = 0.0;             ///< time spent writing (0 for replays: nothing is written)
    std::vector<KeptCheckpoint> kept;          ///< in order of their last write
    std::optional<KeptCheckpoint> bestKept;    ///< the kept file with the best monitored value
    std::optional<double> runBestValue;        ///< the run's best for this monitor
    std::optional<int> runBestEpoch;
    /// The best kept checkpoint is at least as good as the run's best (by value).
    bool keptBest = false;
    /// |run best - best captured|; 0 when keptBest; none when nothing kept has a value.
    std::optional<double> missedBy;
};

struct SummaryOptions {
    /// Bytes of one file by kind (".weights.h5", ".keras", ".h5"), used for events with 0 bytes
    /// (replays). See fileSizesFrom().
    std::map<std::string, std::int64_t> fileSizes;
};

/// The file kind of a path: ".weights.h5", ".keras", ".h5" or "" (spec §2 suffix rule).
std::string fileKind(const std::string& path);
/// The largest size per file kind among the save events of a live run (0-byte events ignored).
std::map<std::string, std::int64_t> fileSizesFrom(const std::vector<CheckpointEvent>& events);

/// Summary of `policy` from the events named after it in `events` (other policies' events are
/// ignored) over `history`. A kept file's value is the monitored value logged at its save; a
/// batch-level save without that key at the last batch of an epoch takes the epoch-end value
/// (the weights are the same there).
PolicySummary summarize(const std::vector<CheckpointEvent>& events, const std::vector<HookCall>& history,
                        const CheckpointConfig& policy, const SummaryOptions& options = {});

} // namespace cklab
