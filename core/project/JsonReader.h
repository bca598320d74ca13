#pragma once
/// Typed reading of a JSON object tree that collects every problem with its JSON path
/// ("training.epochs: must be an integer, got \"ten\"") instead of stopping at the first.
/// Internal helper of ProjectJson; a field with a problem keeps its default.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cklab {

class JsonReader {
public:
    /// "a" + "b" -> "a.b"; "" + "b" -> "b".
    static std::string join(const std::string& path, const std::string& key);
    /// Short JSON text of a value for messages (strings quoted, long values cut).
    static std::string repr(const nlohmann::json& value);
    /// The closest of `candidates` within a small edit distance, or empty.
    static std::string suggest(const std::string& key, const std::vector<std::string>& candidates);

    void problem(const std::string& path, const std::string& text) { m_problems.push_back(path + ": " + text); }
    const std::vector<std::string>& problems() const { return m_problems; }
    std::vector<std::string>& problems() { return m_problems; }

    /// Reports a non-object; returns whether `value` is an object.
    bool expectObject(const nlohmann::json& value, const std::string& path);
    /// Reports every key of `obj` not in `known`, with a did-you-mean suggestion when close.
    void checkKeys(const nlohmann::json& obj, const std::string& path, const std::vector<std::string>& known);

    // Absent key: `out` unchanged. Wrong type or range: problem, `out` unchanged.
    void readInt(const nlohmann::json& obj, const std::string& path, const char* key, int& out);
    void readU64(const nlohmann::json& obj, const std::string& path, const char* key, std::uint64_t& out);
    void readDouble(const nlohmann::json& obj, const std::string& path, const char* key, double& out);
    void readFloat(const nlohmann::json& obj, const std::string& path, const char* key, float& out);
    void readBool(const nlohmann::json& obj, const std::string& path, const char* key, bool& out);
    void readString(const nlohmann::json& obj, const std::string& path, const char* key, std::string& out);
    /// null -> nullopt.
    void readOptionalDouble(const nlohmann::json& obj, const std::string& path, const char* key,
                            std::optional<double>& out);
    void readOptionalInt(const nlohmann::json& obj, const std::string& path, const char* key,
                         std::optional<int>& out);
    /// One of `allowed` (strings); reports "must be one of ..." otherwise.
    void readChoice(const nlohmann::json& obj, const std::string& path, const char* key,
                    const std::vector<std::string>& allowed, std::string& out);
    /// The same for a value already found; `path` is its full JSON path.
    void readChoiceValue(const nlohmann::json& value, const std::string& path, const std::vector<std::string>& allowed,
                         std::string& out);

private:
    std::vector<std::string> m_problems;
};

/// A float as the shortest decimal that reads back to the same float (0.001f -> 0.001).
nlohmann::json floatToJson(float value);

} // namespace cklab
