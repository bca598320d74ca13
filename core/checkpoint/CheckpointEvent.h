#pragma once
/// One decision of a checkpoint policy (spec §5). Live runs and replays produce the same data.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/train/MessageSink.h"

namespace cklab {

enum class CheckpointAction { Save, Skip, Delete, Error };
std::string_view actionName(CheckpointAction a); ///< "save", "skip", "delete", "error"

struct CheckpointEvent {
    std::string policy;                 ///< the policy's name
    int epoch = 0;                      ///< 0-based
    std::optional<int> batch;           ///< 0-based batch within the epoch; none at epoch level
    std::string monitor;
    std::optional<double> value;        ///< monitored value in the logs (none if absent)
    std::optional<double> bestBefore;   ///< best before this decision (save_best_only)
    CheckpointAction action = CheckpointAction::Save;
    std::string reason;                 ///< e.g. "improved", "not_improved", "monitor_missing", ...
    std::string path;                   ///< file written / deleted / attempted
    std::int64_t bytes = 0;             ///< bytes written (save) or freed (delete)
    double durationMs = 0.0;            ///< write duration
    std::string message;                ///< exact verbose text (spec §6), empty if none
};

using CheckpointEventSink = std::function<void(const CheckpointEvent&)>;

} // namespace cklab
