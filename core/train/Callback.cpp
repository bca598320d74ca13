#include "core/train/Callback.h"

#include <nlohmann/json.hpp>

namespace cklab {

nlohmann::json Callback::state() const
{
    return nlohmann::json::object();
}

void Callback::restoreState(const nlohmann::json&)
{
}

} // namespace cklab
