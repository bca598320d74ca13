#pragma once
/// One run compared under a set of policies: for each policy its events (the recorded live
/// events when the run had exactly this policy, else a replay of the run's hook history) and its
/// summary, plus the run's true best per monitored metric. What the comparison view shows.
#include <string>
#include <vector>

#include "core/compare/PolicySummary.h"
#include "core/compare/RunRecord.h"

namespace cklab {

struct PolicyComparison {
    CheckpointConfig config;
    std::vector<CheckpointEvent> events;  ///< this policy's decisions in order
    PolicySummary summary;
    bool replayed = false;                ///< false: the live run's recorded events
    std::string error;                    ///< invalid policy (nothing replayed), empty if fine
};

struct Comparison {
    std::vector<PolicyComparison> policies;  ///< in the order given
    std::vector<RunBest> bests;              ///< per distinct monitor
    int epochs = 0;                          ///< epoch-end calls in the history
    int stepsPerEpoch = 0;                   ///< 0 = epoch resolution only
};

/// Policies equal (same JSON form) to one of the run's own policies use its recorded events;
/// every other policy is replayed. Replayed byte counts are estimated from the run's live saves.
/// Never throws for an invalid policy: its `error` says why.
Comparison compareRun(const RunRecord& run, const std::vector<CheckpointConfig>& policies);

} // namespace cklab
