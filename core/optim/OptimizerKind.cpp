#include "core/optim/OptimizerKind.h"

#include <array>

namespace cklab {

namespace {

constexpr std::array<OptimizerKindInfo, 4> kKinds{{
    {OptimizerKind::Sgd, "sgd", "SGD", "sgd"},
    {OptimizerKind::Adam, "adam", "Adam", "adam"},
    {OptimizerKind::AdamW, "adamw", "AdamW", "adamw"},
    {OptimizerKind::RmsProp, "rmsprop", "RMSprop", "rm_sprop"},
}};

} // namespace

std::span<const OptimizerKindInfo> optimizerKinds()
{
    return kKinds;
}

const OptimizerKindInfo& optimizerKindInfo(OptimizerKind kind)
{
    for (const auto& info : kKinds)
        if (info.kind == kind)
            return info;
    return kKinds[1]; // unreachable for a valid enum value
}

std::string_view optimizerKindName(OptimizerKind kind)
{
    return optimizerKindInfo(kind).name;
}

std::optional<OptimizerKind> optimizerKindFromName(std::string_view name)
{
    for (const auto& info : kKinds)
        if (info.name == name)
            return info.kind;
    return std::nullopt;
}

std::optional<OptimizerKind> optimizerKindFromKerasClass(std::string_view className)
{
    for (const auto& info : kKinds)
        if (info.kerasClass == className)
            return info.kind;
    return std::nullopt;
}

std::vector<std::string> optimizerKindNames()
{
    std::vector<std::string> names;
    for (const auto& info : kKinds)
        names.emplace_back(info.name);
    return names;
}

} // namespace cklab
