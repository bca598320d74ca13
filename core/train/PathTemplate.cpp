#include "core/train/PathTemplate.h"

#include <fmt/args.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>

#include "core/base/Errors.h"

namespace cklab {

namespace {

// Values wrapped so that their formatters can add Python's behaviour around fmt's own spec
// handling: an empty spec means repr() for floats, a float type on an int converts it (Python
// formats `{epoch:.2f}` as "1.00"), and a wrong type gets Python's error text.
struct PyFloat {
    double value;
};
struct PyInt {
    long long value;
};

// Last character of the format spec that starts at ctx.begin() (the presentation type, if any).
// Nested replacement fields ({prec}) are skipped by brace depth.
char specType(fmt::format_parse_context& ctx)
{
    char last = 0;
    int depth = 0;
    for (auto it = ctx.begin(); it != ctx.end(); ++it) {
        if (*it == '{')
            ++depth;
        else if (*it == '}') {
            if (depth == 0)
                break;
            --depth;
        }
        last = *it;
    }
    return last;
}

bool specEmpty(fmt::format_parse_context& ctx)
{
    return ctx.begin() == ctx.end() || *ctx.begin() == '}';
}

} // namespace
} // namespace cklab

template <>
struct fmt::formatter<cklab::PyFloat> {
    fmt::formatter<double> base;
    bool repr = false;

    auto parse(fmt::format_parse_context& ctx) -> decltype(ctx.begin())
    {
        repr = cklab::specEmpty(ctx);
        const char type = cklab::specType(ctx);
        if (std::string_view("dbBoxXcs").find(type) != std::string_view::npos && type != 0)
            throw fmt::format_error(fmt::format("Unknown format code '{}' for object of type 'float'", type));
        return base.parse(ctx);
    }
    template <typename FormatContext>
    auto format(const cklab::PyFloat& v, FormatContext& ctx) const -> decltype(ctx.out())
    {
        if (repr) {
            const std::string text = cklab::pythonFloatRepr(v.value);
            return std::copy(text.begin(), text.end(), ctx.out());
        }
        return base.format(v.value, ctx);
    }
};

template <>
struct fmt::formatter<cklab::PyInt> {
    fmt::formatter<long long> intBase;
    fmt::formatter<double> floatBase;
    bool asFloat = false;

    auto parse(fmt::format_parse_context& ctx) -> decltype(ctx.begin())
    {
        const char type = cklab::specType(ctx);
        if (type == 's')
            throw fmt::format_error("Unknown format code 's' for object of type 'int'");
        asFloat = type != 0 && std::string_view("eEfFgG").find(type) != std::string_view::npos;
        return asFloat ? floatBase.parse(ctx) : intBase.parse(ctx);
    }
    template <typename FormatContext>
    auto format(const cklab::PyInt& v, FormatContext& ctx) const -> decltype(ctx.out())
    {
        return asFloat ? floatBase.format(static_cast<double>(v.value), ctx) : intBase.format(v.value, ctx);
    }
};

namespace cklab {

std::string pythonFloatRepr(double value)
{
    std::string text = fmt::format("{}", value);
    // fmt prints integral values without a fraction ("1", "-0"); Python's repr says "1.0".
    const bool plain = std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '-'; });
    if (plain)
        text += ".0";
    return text;
}

namespace {

// One replacement field of a template: its argument name and its format spec (after ':').
struct TemplateField {
    std::string name;
    std::string spec;
};

// Scans one replacement field starting after its '{'; appends it, then the fields nested in its
// spec, so that names come left to right; returns the position after the closing '}' (or npos).
std::size_t scanField(const std::string& s, std::size_t i, std::vector<TemplateField>& fields)
{
    const std::size_t start = i;
    while (i < s.size() && std::string_view(":!}.[").find(s[i]) == std::string_view::npos)
        ++i;
    const std::size_t self = fields.size();
    fields.push_back({s.substr(start, i - start), {}});
    std::size_t specStart = std::string::npos;
    while (i < s.size()) {
        const char c = s[i];
        if (c == '{') {
            i = scanField(s, i + 1, fields);
            continue;
        }
        if (c == '}') {
            if (specStart != std::string::npos)
                fields[self].spec = s.substr(specStart, i - specStart);
            return i + 1;
        }
        if (c == ':' && specStart == std::string::npos)
            specStart = i + 1;
        ++i;
    }
    // Unclosed: fmt still reads the spec (and pads to its width) before it reports the missing
    // '}', so the spec runs to the end and gets checked like any other.
    if (specStart != std::string::npos)
        fields[self].spec = s.substr(specStart);
    return std::string::npos;
}

// Every replacement field of the template, nested ones included; `{{`/`}}` are escapes.
std::vector<TemplateField> scanTemplate(const std::string& pathTemplate)
{
    std::vector<TemplateField> fields;
    std::size_t i = 0;
    while (i < pathTemplate.size()) {
        const char c = pathTemplate[i];
        if ((c == '{' || c == '}') && i + 1 < pathTemplate.size() && pathTemplate[i + 1] == c) {
            i += 2;
            continue;
        }
        if (c == '{') {
            i = scanField(pathTemplate, i + 1, fields);
            if (i == std::string::npos)
                break;
            continue;
        }
        ++i;
    }
    return fields;
}

bool allDigits(const std::string& s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

[[noreturn]] void failFormat(const std::string& pathTemplate, const std::string& reason)
{
    throw ConfigError({fmt::format("Failed to format this callback filepath: \"{}\". Reason: {}", pathTemplate, reason)});
}

bool isAlign(char c)
{
    return c == '<' || c == '>' || c == '=' || c == '^';
}

// The only numbers in a format spec are its width and its precision. Python accepts any size
// and would try to build a string that long; fmt too (a fuzzer found `{epoch:0244444444d}`
// padding to hundreds of MB). A file name is never that wide, so both are bounded.
void checkSpecNumbers(const std::string& pathTemplate, const std::string& field, std::string_view spec)
{
    // A fill character (any character, digits included) comes before an align character.
    std::size_t i = 0;
    if (spec.size() >= 2 && isAlign(spec[1]))
        i = 2;
    // A '/' or '\\' fill would put path separators into a formatted number ("{epoch:/>2d}" -> "/1").
    if (i == 2 && (spec[0] == '/' || spec[0] == '\\'))
        failFormat(pathTemplate, fmt::format("the fill character '{}' of field '{}' is a path separator", spec[0], field));
    while (i < spec.size()) {
        if (spec[i] == '{') {  // a nested field: its value is checked by fmt, not a literal here
            const auto close = spec.find('}', i);
            i = close == std::string_view::npos ? spec.size() : close + 1;
            continue;
        }
        if (!std::isdigit(static_cast<unsigned char>(spec[i]))) {
            ++i;
            continue;
        }
        const bool precision = i > 0 && spec[i - 1] == '.';
        std::size_t end = i;
        while (end < spec.size() && std::isdigit(static_cast<unsigned char>(spec[end])))
            ++end;
        const auto digits = spec.substr(i, end - i);
        const auto significant = digits.substr(std::min(digits.find_first_not_of('0'), digits.size()));
        if (significant.size() > 3 || (!significant.empty() && std::stoi(std::string(significant)) > kMaxFieldWidth))
            failFormat(pathTemplate, fmt::format("{} {} of field '{}' is above the limit of {}", precision ? "precision" : "width",
                                                 significant, field, kMaxFieldWidth));
        i = end;
    }
}

} // namespace

std::vector<std::string> templateFieldNames(const std::string& pathTemplate)
{
    std::vector<std::string> names;
    for (auto& field : scanTemplate(pathTemplate))
        names.push_back(std::move(field.name));
    return names;
}

bool hasPerSaveFields(const std::string& pathTemplate)
{
    return !templateFieldNames(pathTemplate).empty();
}

std::string formatPath(const std::string& pathTemplate, int epoch, std::optional<int> batch, const Logs& logs)
{
    std::set<std::string> available{"epoch"};
    if (batch || logs.count("batch"))
        available.insert("batch");
    for (const auto& [key, value] : logs)
        available.insert(key);

    // Python reports the first missing name from left to right; positional fields have no
    // arguments at all (Keras passes keywords only).
    const auto fields = scanTemplate(pathTemplate);
    int autoIndex = 0;
    for (const auto& [name, spec] : fields) {
        if (name.empty() || allDigits(name)) {
            const std::string index = name.empty() ? std::to_string(autoIndex++) : name;
            failFormat(pathTemplate, fmt::format("Replacement index {} out of range for positional args tuple", index));
        }
        if (!available.count(name))
            failFormat(pathTemplate, "'" + name + "'");
    }

    for (const auto& [name, spec] : fields)
        checkSpecNumbers(pathTemplate, name, spec);

    fmt::dynamic_format_arg_store<fmt::format_context> args;
    args.push_back(fmt::arg("epoch", PyInt{epoch + 1LL}));
    // As Keras: a "batch" key in the logs takes the place of the batch number.
    if (batch && !logs.count("batch"))
        args.push_back(fmt::arg("batch", PyInt{*batch + 1LL}));
    // Only the keys the template names: fmt keeps dynamic arguments in a linked list whose
    // destructor recurses once per node, so 300 000 log keys overflowed the stack (replay of a
    // 300 000-column history).
    std::set<std::string> named;
    for (const auto& field : fields)
        named.insert(field.name);
    for (const auto& [key, value] : logs) {
        if (key != "epoch" && named.count(key))
            args.push_back(fmt::arg(key.c_str(), PyFloat{value}));
    }
    try {
        return fmt::vformat(pathTemplate, args);
    } catch (const fmt::format_error& e) {
        failFormat(pathTemplate, e.what());
    }
}

PathPreview preview(const std::string& pathTemplate, const Logs& sampleLogs, bool batchLevel)
{
    PathPreview result;
    try {
        result.path = formatPath(pathTemplate, 0, batchLevel ? std::optional<int>(0) : std::nullopt, sampleLogs);
        result.ok = true;
    } catch (const ConfigError& e) {
        result.error = e.what();
    }
    return result;
}

} // namespace cklab
