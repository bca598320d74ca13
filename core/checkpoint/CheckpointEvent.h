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
/// Exact match of an action's name; nullopt for anything else.
std::optional<CheckpointAction> actionFromName(std::string_view name);

/// Why a policy decided what it did. Logic switches on the value; the names are what events,
/// run records and the CLI's JSON lines carry (docs/project-format.md).
enum class CheckpointReason {
    Periodic,       ///< save: not save_best_only, every save_freq
    Improved,       ///< save: the monitored value improved
    SaveLast,       ///< save: the extra last.* file at train end
    NotImproved,    ///< skip
    MonitorMissing, ///< skip: the monitored key is not in the logs
    MaxToKeep,      ///< delete: retention removed an older file
    FormatFailed,   ///< error: the path template could not be formatted
    WriteFailed,    ///< error: the file could not be written (the previous one is kept)
    DeleteFailed,   ///< error: retention could not remove a file
};
/// "periodic", "improved", "save_last", "not_improved", "monitor_missing", "max_to_keep",
/// "format_failed", "write_failed", "delete_failed".
std::string_view reasonName(CheckpointReason reason);
/// Exact match of a reason's name; nullopt for anything else.
std::optional<CheckpointReason> reasonFromName(std::string_view name);
/// Every name in declaration order, joined with ", " (for error messages).
std::string reasonNames();
/// The action a reason belongs to (Improved -> Save, MaxToKeep -> Delete, ...).
CheckpointAction actionOf(CheckpointReason reason);

struct CheckpointEvent {
    std::string policy;                 ///< the policy's name
    int epoch = 0;                      ///< 0-based
    std::optional<int> batch;           ///< 0-based batch within the epoch; none at epoch level
    std::string monitor;
    std::optional<double> value;        ///< monitored value in the logs (none if absent)
    std::optional<double> bestBefore;   ///< best before this decision (save_best_only)
    CheckpointAction action = CheckpointAction::Save;
    CheckpointReason reason = CheckpointReason::Periodic;
    std::string path;                   ///< file written / deleted / attempted
    std::int64_t bytes = 0;             ///< bytes written (save) or freed (delete)
    double durationMs = 0.0;            ///< write duration
    std::string message;                ///< exact verbose text (spec §6), empty if none
};

using CheckpointEventSink = std::function<void(const CheckpointEvent&)>;

} // namespace cklab
