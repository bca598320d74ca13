#include "core/project/JsonReader.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "core/base/Excerpt.h"
#include "core/base/Numbers.h"
#include "core/base/JsonNumbers.h"

namespace cklab {

using nlohmann::json;

namespace {

std::size_t editDistance(const std::string& a, const std::string& b)
{
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string joinList(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

} // namespace

std::string JsonReader::join(const std::string& path, const std::string& key)
{
    return path.empty() ? key : path + "." + key;
}

std::string JsonReader::repr(const json& value)
{
    // dump() writes a non-finite number (Python's bare NaN, read by parseJsonText) as null.
    if (value.is_number_float() && !std::isfinite(value.get<double>()))
        return std::isnan(value.get<double>()) ? "NaN" : value.get<double>() > 0 ? "Infinity" : "-Infinity";
    // One quoting rule for every value a message shows (core/base/Excerpt.h): a 1 GiB string is
    // neither dumped whole nor echoed, and its NUL bytes and invalid UTF-8 are shown escaped
    // (dump() would throw nlohmann's type_error for the latter).
    if (value.is_string())
        return "\"" + excerpt(value.get_ref<const std::string&>()) + "\"";
    return excerpt(value.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::string JsonReader::suggest(const std::string& key, const std::vector<std::string>& candidates)
{
    std::string best;
    std::size_t bestDistance = std::numeric_limits<std::size_t>::max();
    for (const auto& candidate : candidates) {
        const std::size_t d = editDistance(key, candidate);
        if (d < bestDistance) {
            bestDistance = d;
            best = candidate;
        }
    }
    // Close means: a typo or two, relative to the length of the word.
    const std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(3, key.size() / 3));
    return bestDistance <= limit ? best : std::string{};
}

bool JsonReader::expectObject(const json& value, const std::string& path)
{
    if (value.is_object())
        return true;
    problem(path, "must be an object, got " + repr(value));
    return false;
}

void JsonReader::checkKeys(const json& obj, const std::string& path, const std::vector<std::string>& known)
{
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        if (std::find(known.begin(), known.end(), it.key()) != known.end())
            continue;
        const std::string close = suggest(it.key(), known);
        if (!close.empty())
            problem(join(path, it.key()), fmt::format("unknown key; did you mean \"{}\"?", close));
        else
            problem(join(path, it.key()), "unknown key; valid keys: " + joinList(known));
    }
}

void JsonReader::readInt(const json& obj, const std::string& path, const char* key, int& out)
{
    const auto it = obj.find(key);
    if (it == obj.end())
        return;
    if (it->is_number_integer()) {
        const auto wide = it->is_number_unsigned() ? static_cast<long long>(std::min<std::uint64_t>(
                                                        it->get<std::uint64_t>(), std::numeric_limits<long long>::max()))
                                                   : it->get<long long>();
        if (wide >= std::numeric_limits<int>::min() && wide <= std::numeric_limits<int>::max()) {
            out = static_cast<int>(wide);
            return;
        }
    }
    problem(join(path, key), "must be an integer, got " + repr(*it));
}

void JsonReader::readU64(const json& obj, const std::string& path, const char* key, std::uint64_t& out)
{
    const auto it = obj.find(key);
    if (it == obj.end())
        return;
    if (it->is_number_unsigned() || (it->is_number_integer() && it->get<long long>() >= 0)) {
        out = it->get<std::uint64_t>();
        return;
    }
    problem(join(path, key), "must be a non-negative integer, got " + repr(*it));
}

void JsonReader::readDouble(const json& obj, const std::string& path, const char* key, double& out)
{
    const auto it = obj.find(key);
    if (it == obj.end())
        return;
    if (it->is_number() && std::isfinite(it->get<double>())) {
        out = it->get<double>();
        return;
    }
    problem(join(path, key), std::string(it->is_number() ? "must be a finite number" : "must be a number") + ", got " +
                                 repr(*it));
}

void JsonReader::readFloat(const json& obj, const std::string& path, const char* key, float& out)
{
    double value = out;
    const std::size_t before = m_problems.size();
    readDouble(obj, path, key, value);
    if (m_problems.size() != before)
        return;
    // Stored as a 32-bit float (as Keras does): 1e300 must not turn into "got inf" further on.
    if (std::abs(value) > double(std::numeric_limits<float>::max())) {
        problem(join(path, key), "must be within ±3.4e38 (a 32-bit float), got " + repr(obj.at(key)));
        return;
    }
    out = static_cast<float>(value);
}

void JsonReader::readBool(const json& obj, const std::string& path, const char* key, bool& out)
{
    const auto it = obj.find(key);
    if (it == obj.end())
        return;
    if (it->is_boolean()) {
        out = it->get<bool>();
        return;
    }
    problem(join(path, key), "must be true or false, got " + repr(*it));
}

void JsonReader::readString(const json& obj, const std::string& path, const char* key, std::string& out)
{
    const auto it = obj.find(key);
    if (it == obj.end())
        return;
    if (it->is_string()) {
        out = it->get<std::string>();
        return;
    }
    problem(join(path, key), "must be a string, got " + repr(*it));
}

void JsonReader::readOptionalDouble(const json& obj, const std::string& path, const char* key,
                                    std::optional<double>& out)
{
    const auto it = obj.find(key);
    if (it == obj.end())
        return;
    if (it->is_null()) {
        out.reset();
        return;
    }
    if (it->is_number() && std::isfinite(it->get<double>())) {
        out = it->get<double>();
        return;
    }
    problem(join(path, key),
            std::string(it->is_number() ? "must be a finite number" : "must be a number") + " or null, got " + repr(*it));
}

void JsonReader::readOptionalInt(const json& obj, const std::string& path, const char* key,
                                 std::optional<int>& out)
{
    const auto it = obj.find(key);
    if (it == obj.end())
        return;
    if (it->is_null()) {
        out.reset();
        return;
    }
    int value = 0;
    const std::size_t before = m_problems.size();
    readInt(obj, path, key, value);
    if (m_problems.size() != before) {
        m_problems.back() = join(path, key) + ": must be an integer or null, got " + repr(*it);
        return;
    }
    out = value;
}

void JsonReader::readChoice(const json& obj, const std::string& path, const char* key,
                            const std::vector<std::string>& allowed, std::string& out)
{
    if (const auto it = obj.find(key); it != obj.end())
        readChoiceValue(*it, join(path, key), allowed, out);
}

void JsonReader::readChoiceValue(const json& value, const std::string& path, const std::vector<std::string>& allowed,
                                 std::string& out)
{
    if (value.is_string() && std::find(allowed.begin(), allowed.end(), value.get<std::string>()) != allowed.end()) {
        out = value.get<std::string>();
        return;
    }
    std::string quoted;
    for (const auto& a : allowed)
        quoted += (quoted.empty() ? "\"" : ", \"") + a + "\"";
    std::string text = "must be one of " + quoted + ", got " + repr(value);
    if (value.is_string()) {
        const std::string close = suggest(value.get<std::string>(), allowed);
        if (!close.empty())
            text += fmt::format(" (did you mean \"{}\"?)", close);
    }
    problem(path, text);
}

json floatToJson(float value)
{
    if (!std::isfinite(value))
        return numberToJson(value);
    return shortestDouble(value);
}

} // namespace cklab
