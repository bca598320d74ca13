#pragma once
/// Where callbacks send their verbose console lines (spec §6) and warnings.
#include <functional>
#include <string>

namespace cklab {

/// Receives the verbose console lines (spec §6) and warnings.
using MessageSink = std::function<void(const std::string&)>;

} // namespace cklab
