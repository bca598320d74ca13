#pragma once
/// The one place where numbers are turned into text and back. Locale-free: whatever LC_NUMERIC
/// the process runs under (QApplication sets it from LANG, e.g. de_DE's decimal comma), files
/// (project JSON, CSV, events, HDF5 attributes, .keras config) always use the C locale's '.'.
/// std::stod/strtod/atof/printf("%f") follow LC_NUMERIC and must not be used for file text.
#include <optional>
#include <string>
#include <string_view>

namespace cklab {

/// The whole of `text` as a double ("0.25", "-1e-3", "inf", "nan"; no spaces, no leading '+'),
/// or nothing. Out-of-range values (1e400) are nothing too, never a silent inf.
std::optional<double> parseDouble(std::string_view text);

/// The shortest text that reads back as exactly `value` ("0.001", "1e+300"; "inf", "-inf", "nan").
std::string formatDouble(double value);

/// The double nearest the shortest decimal of `value`: 0.001f becomes 0.001, not
/// 0.0010000000474974513 (what a float widened to double would print).
double shortestDouble(float value);

} // namespace cklab
