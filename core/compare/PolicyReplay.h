#pragma once
/// What-if replay: drives real ModelCheckpoint objects over recorded hook calls with a
/// SimulatedCheckpointStore, so the decisions (retention included) are exactly the live ones —
/// only bytes and durations are 0 because nothing is written. Used by `checkpointlab-cli replay`
/// and the comparison view.
#include <string>
#include <vector>

#include "core/checkpoint/CheckpointConfig.h"
#include "core/checkpoint/CheckpointEvent.h"
#include "core/project/HistoryFile.h"

namespace cklab {

struct ReplayOptions {
    /// Warnings and verbose lines of the policies; null = discarded.
    MessageSink messages;
    /// Called for every decision as it happens (before it is stored in the result).
    CheckpointEventSink onEvent;
};

struct ReplayedPolicy {
    CheckpointConfig config;
    int saves = 0;
    std::vector<std::string> filesAtEnd;   ///< sorted: what would exist after the run
    bool stoppedByError = false;           ///< a raised error (path format) ended this policy's run
};

struct ReplayResult {
    std::vector<CheckpointEvent> events;   ///< every decision of every policy, in order of occurrence
    std::vector<ReplayedPolicy> policies;  ///< in the order of the configs
};

/// Replays `history` through one ModelCheckpoint per config (in the given order at each hook
/// call, like a callback list). A path formatting error is an "error" event and ends that policy's
/// run as it ends training live: its train-end hook then runs once with the last epoch logs.
/// Throws ConfigError if a config is invalid (ModelCheckpoint's constructor).
ReplayResult replayPolicies(const std::vector<HookCall>& history, const std::vector<CheckpointConfig>& configs,
                            const ReplayOptions& options = {});

} // namespace cklab
