#pragma once
/// A table per JSON object of the project file: each key bound to the struct member it reads
/// into and writes from. A field's key, type and encoding are stated once and serve reading,
/// writing and the list of known keys alike. Internal helper of ProjectJson.
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/project/JsonReader.h"

namespace cklab {

template <class T>
struct JsonField {
    /// A field with an encoding of its own (save_freq: "epoch" or an integer; a nested object).
    /// `read` is called only when the key is present, with the value and its full JSON path.
    struct Custom {
        void (*read)(JsonReader& reader, const nlohmann::json& value, const std::string& path, T& out);
        nlohmann::json (*write)(const T& in);
    };
    using Member = std::variant<int T::*, std::uint64_t T::*, bool T::*, float T::*, double T::*, std::string T::*,
                                std::optional<double> T::*, std::optional<int> T::*, Custom>;

    const char* key;
    Member member;
};

template <class T>
using JsonFields = std::vector<JsonField<T>>;

template <class T>
std::vector<std::string> fieldKeys(const JsonFields<T>& fields)
{
    std::vector<std::string> keys;
    for (const auto& field : fields)
        keys.emplace_back(field.key);
    return keys;
}

/// Reads every field present in `obj`, in table order; a problem leaves that field as it was.
template <class T>
void readFields(JsonReader& r, const nlohmann::json& obj, const std::string& path, const JsonFields<T>& fields, T& out)
{
    for (const auto& field : fields) {
        const char* key = field.key;
        std::visit(
            [&](auto member) {
                using M = decltype(member);
                if constexpr (std::is_same_v<M, typename JsonField<T>::Custom>) {
                    if (const auto it = obj.find(key); it != obj.end())
                        member.read(r, *it, JsonReader::join(path, key), out);
                } else {
                    auto& value = out.*member;
                    using V = std::remove_reference_t<decltype(value)>;
                    if constexpr (std::is_same_v<V, int>)
                        r.readInt(obj, path, key, value);
                    else if constexpr (std::is_same_v<V, std::uint64_t>)
                        r.readU64(obj, path, key, value);
                    else if constexpr (std::is_same_v<V, bool>)
                        r.readBool(obj, path, key, value);
                    else if constexpr (std::is_same_v<V, float>)
                        r.readFloat(obj, path, key, value);
                    else if constexpr (std::is_same_v<V, double>)
                        r.readDouble(obj, path, key, value);
                    else if constexpr (std::is_same_v<V, std::string>)
                        r.readString(obj, path, key, value);
                    else if constexpr (std::is_same_v<V, std::optional<double>>)
                        r.readOptionalDouble(obj, path, key, value);
                    else
                        r.readOptionalInt(obj, path, key, value);
                }
            },
            field.member);
    }
}

/// An object section: reports a non-object and unknown keys, then reads the fields.
template <class T>
void readSection(JsonReader& r, const nlohmann::json& obj, const std::string& path, const JsonFields<T>& fields, T& out)
{
    if (!r.expectObject(obj, path))
        return;
    r.checkKeys(obj, path, fieldKeys(fields));
    readFields(r, obj, path, fields, out);
}

/// Every field, defaults included; floats as their shortest decimal, empty optionals as null.
template <class T>
nlohmann::json writeFields(const JsonFields<T>& fields, const T& in)
{
    nlohmann::json out = nlohmann::json::object();
    for (const auto& field : fields) {
        std::visit(
            [&](auto member) {
                using M = decltype(member);
                if constexpr (std::is_same_v<M, typename JsonField<T>::Custom>) {
                    out[field.key] = member.write(in);
                } else {
                    const auto& value = in.*member;
                    using V = std::remove_cv_t<std::remove_reference_t<decltype(value)>>;
                    if constexpr (std::is_same_v<V, float>)
                        out[field.key] = floatToJson(value);
                    else if constexpr (std::is_same_v<V, std::optional<double>> || std::is_same_v<V, std::optional<int>>)
                        out[field.key] = value ? nlohmann::json(*value) : nlohmann::json(nullptr);
                    else
                        out[field.key] = value;
                }
            },
            field.member);
    }
    return out;
}

} // namespace cklab
