#pragma once
/// Doubles in JSON state without loss: finite values as numbers (nlohmann writes them
/// round-trip exact), NaN and infinities as the strings "nan", "inf", "-inf" (JSON has none).
#include <nlohmann/json.hpp>

namespace cklab {

nlohmann::json numberToJson(double value);
double numberFromJson(const nlohmann::json& value);

} // namespace cklab
