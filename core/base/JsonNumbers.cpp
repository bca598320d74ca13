#include "core/base/JsonNumbers.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace cklab {

nlohmann::json numberToJson(double value)
{
    if (std::isnan(value))
        return "nan";
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    return value;
}

nlohmann::json optionalNumberToJson(const std::optional<double>& value)
{
    return value ? numberToJson(*value) : nlohmann::json(nullptr);
}

std::optional<double> nonFiniteFromText(std::string_view text)
{
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == "nan")
        return std::numeric_limits<double>::quiet_NaN();
    if (lower == "inf" || lower == "+inf" || lower == "infinity" || lower == "+infinity")
        return std::numeric_limits<double>::infinity();
    if (lower == "-inf" || lower == "-infinity")
        return -std::numeric_limits<double>::infinity();
    return std::nullopt;
}

bool isJsonNumber(const nlohmann::json& value)
{
    return value.is_number() || (value.is_string() && nonFiniteFromText(value.get_ref<const std::string&>()));
}

double numberFromJson(const nlohmann::json& value)
{
    if (value.is_number())
        return value.get<double>();
    if (value.is_string())
        if (const auto special = nonFiniteFromText(value.get_ref<const std::string&>()))
            return *special;
    throw std::invalid_argument("not a number in JSON: " + value.dump());
}

std::optional<double> optionalNumberFromJson(const nlohmann::json& value)
{
    if (value.is_null())
        return std::nullopt;
    return numberFromJson(value);
}

} // namespace cklab
