#include "core/checkpoint/CheckpointEvent.h"

namespace cklab {

std::string_view actionName(CheckpointAction a)
{
    switch (a) {
    case CheckpointAction::Save: return "save";
    case CheckpointAction::Skip: return "skip";
    case CheckpointAction::Delete: return "delete";
    case CheckpointAction::Error: return "error";
    }
    return "unknown";
}

} // namespace cklab
