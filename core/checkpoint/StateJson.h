#pragma once
/// JSON has no inf/nan: callback states store non-finite doubles as the strings "inf", "-inf", "nan".
#include <cmath>
#include <limits>
#include <optional>

#include <nlohmann/json.hpp>

namespace cklab {

inline nlohmann::json doubleToJson(double v)
{
    if (std::isnan(v))
        return "nan";
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    return v;
}

inline double doubleFromJson(const nlohmann::json& j)
{
    if (j.is_string()) {
        const auto s = j.get<std::string>();
        if (s == "inf")
            return std::numeric_limits<double>::infinity();
        if (s == "-inf")
            return -std::numeric_limits<double>::infinity();
        return std::numeric_limits<double>::quiet_NaN();
    }
    return j.get<double>();
}

inline nlohmann::json optionalToJson(const std::optional<double>& v)
{
    return v ? doubleToJson(*v) : nlohmann::json(nullptr);
}

inline std::optional<double> optionalFromJson(const nlohmann::json& j)
{
    if (j.is_null())
        return std::nullopt;
    return doubleFromJson(j);
}

} // namespace cklab
