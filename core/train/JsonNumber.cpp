#include "core/train/JsonNumber.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace cklab {

nlohmann::json numberToJson(double value)
{
    if (std::isnan(value))
        return "nan";
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    return value;
}

double numberFromJson(const nlohmann::json& value)
{
    if (value.is_number())
        return value.get<double>();
    if (value.is_string()) {
        const auto& s = value.get_ref<const std::string&>();
        if (s == "nan")
            return std::numeric_limits<double>::quiet_NaN();
        if (s == "inf")
            return std::numeric_limits<double>::infinity();
        if (s == "-inf")
            return -std::numeric_limits<double>::infinity();
    }
    throw std::invalid_argument("not a number in JSON state: " + value.dump());
}

} // namespace cklab
