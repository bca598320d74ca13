#pragma once
/// The one codec for doubles in the JSON files of the engine (callback and trainer state, events,
/// histories, run records). JSON has no NaN or infinity, so:
///  * written: finite values as numbers (nlohmann writes them round-trip exact), NaN and
///    infinities as the strings "nan", "inf", "-inf" — valid JSON for every reader;
///  * read: numbers — including the non-finite ones parseJsonText (core/base/JsonText.h) makes of
///    the bare NaN, Infinity, -Infinity that Python's json.dumps writes by default — and the
///    strings of nonFiniteFromText ("nan", "inf", "-inf", "NaN", "Infinity", ...).
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace cklab {

nlohmann::json numberToJson(double value);
/// null when empty.
nlohmann::json optionalNumberToJson(const std::optional<double>& value);

/// Throws std::invalid_argument naming the value for anything but a number or such a string.
double numberFromJson(const nlohmann::json& value);
/// null -> nullopt; otherwise numberFromJson.
std::optional<double> optionalNumberFromJson(const nlohmann::json& value);
/// Whether numberFromJson accepts `value`.
bool isJsonNumber(const nlohmann::json& value);

/// NaN or an infinity spelled as we, Python (repr, json.dumps) or Keras' CSVLogger write it, in
/// any case: "nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity". Else nullopt.
std::optional<double> nonFiniteFromText(std::string_view text);

} // namespace cklab
