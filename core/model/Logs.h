#pragma once
/// The logs dict of a hook call: metric name -> value. Ordered by key.
#include <map>
#include <string>

namespace cklab {

using Logs = std::map<std::string, double>;

} // namespace cklab
