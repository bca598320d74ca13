#include "core/checkpoint/CheckpointEvent.h"

#include <array>

namespace cklab {

namespace {

struct ActionInfo {
    CheckpointAction action;
    std::string_view name;
};

constexpr std::array<ActionInfo, 4> kActions{{
    {CheckpointAction::Save, "save"},
    {CheckpointAction::Skip, "skip"},
    {CheckpointAction::Delete, "delete"},
    {CheckpointAction::Error, "error"},
}};

struct ReasonInfo {
    CheckpointReason reason;
    std::string_view name;
    CheckpointAction action;
};

constexpr std::array<ReasonInfo, 9> kReasons{{
    {CheckpointReason::Periodic, "periodic", CheckpointAction::Save},
    {CheckpointReason::Improved, "improved", CheckpointAction::Save},
    {CheckpointReason::SaveLast, "save_last", CheckpointAction::Save},
    {CheckpointReason::NotImproved, "not_improved", CheckpointAction::Skip},
    {CheckpointReason::MonitorMissing, "monitor_missing", CheckpointAction::Skip},
    {CheckpointReason::MaxToKeep, "max_to_keep", CheckpointAction::Delete},
    {CheckpointReason::FormatFailed, "format_failed", CheckpointAction::Error},
    {CheckpointReason::WriteFailed, "write_failed", CheckpointAction::Error},
    {CheckpointReason::DeleteFailed, "delete_failed", CheckpointAction::Error},
}};

const ReasonInfo& info(CheckpointReason reason)
{
    for (const auto& r : kReasons)
        if (r.reason == reason)
            return r;
    return kReasons[0]; // unreachable for a valid enum value
}

} // namespace

std::string_view actionName(CheckpointAction a)
{
    for (const auto& info : kActions)
        if (info.action == a)
            return info.name;
    return "unknown";
}

std::optional<CheckpointAction> actionFromName(std::string_view name)
{
    for (const auto& info : kActions)
        if (info.name == name)
            return info.action;
    return std::nullopt;
}

std::string_view reasonName(CheckpointReason reason)
{
    return info(reason).name;
}

std::optional<CheckpointReason> reasonFromName(std::string_view name)
{
    for (const auto& r : kReasons)
        if (r.name == name)
            return r.reason;
    return std::nullopt;
}

std::string reasonNames()
{
    std::string out;
    for (const auto& r : kReasons)
        out += (out.empty() ? "" : ", ") + std::string(r.name);
    return out;
}

CheckpointAction actionOf(CheckpointReason reason)
{
    return info(reason).action;
}

} // namespace cklab
