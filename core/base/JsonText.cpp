#include "core/base/JsonText.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "core/base/Errors.h"

namespace cklab {

using nlohmann::json;

namespace {

struct Special {
    double value;
    std::string_view word;
};

/// The text as nlohmann's lexer reads it, and what a pass over it found out.
struct Scan {
    std::string_view original;               ///< the text as given (without a BOM)
    std::string text;                        ///< Python's NaN tokens replaced by strings of the same length
    std::vector<std::size_t> stringStarts;   ///< offset of every string token (keys and values), in order
    std::map<std::size_t, Special> specials; ///< string ordinal -> the number its token stands for
    std::optional<std::size_t> tooDeep;      ///< offset of the first bracket past kMaxJsonDepth
};

// The lexer knows no NaN tokens, and a DOM value has no memory of how it was spelled. So each
// token outside a string becomes a string literal of the same length (positions in messages stay
// right), and the builder turns the string with that ordinal back into the number.
Scan scan(std::string_view input)
{
    static constexpr Special kTokens[] = {{-std::numeric_limits<double>::infinity(), "-Infinity"},
                                          {std::numeric_limits<double>::infinity(), "Infinity"},
                                          {std::numeric_limits<double>::quiet_NaN(), "NaN"}};
    Scan s{input, std::string(input), {}, {}, {}};
    std::string& t = s.text;
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const char c = t[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
            s.stringStarts.push_back(i);
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth) {
                s.tooDeep = i;
                break;
            }
        } else if (c == ']' || c == '}') {
            --depth;
        } else if ((c == 'N' || c == 'I' || c == '-') && (i == 0 || t[i - 1] != '-')) { // "-NaN" stays malformed
            for (const Special& token : kTokens) {
                const std::size_t n = token.word.size();
                if (t.compare(i, n, token.word) != 0)
                    continue;
                s.specials[s.stringStarts.size()] = token;
                s.stringStarts.push_back(i);
                t.replace(i, n, '"' + std::string(n - 2, '_') + '"');
                i += n - 1;
                break;
            }
        }
    }
    return s;
}

std::string position(std::string_view text, std::size_t offset, bool singleLine)
{
    offset = std::min(offset, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    const std::string col = "column " + std::to_string(column);
    return singleLine ? col : "line " + std::to_string(line) + ", " + col;
}

struct Failure {
    enum class Kind { Malformed, Overflow, DuplicateKey, NumberAsKey } kind = Kind::Malformed;
    std::size_t offset = 0;      ///< of the offending character
    std::size_t firstOffset = 0; ///< DuplicateKey: where the key was first
    std::string text;            ///< nlohmann's reason, the duplicate key, or the token used as a key
    std::string path;            ///< DuplicateKey: JSON path of the key
};

/// A SAX handler that builds the DOM (as nlohmann's own does) and refuses duplicate keys.
class Builder {
public:
    using number_integer_t = json::number_integer_t;
    using number_unsigned_t = json::number_unsigned_t;
    using number_float_t = json::number_float_t;
    using string_t = json::string_t;
    using binary_t = json::binary_t;

    explicit Builder(const Scan& scan) : m_scan(scan) {}

    bool null() { return put(nullptr); }
    bool boolean(bool v) { return put(v); }
    bool number_integer(number_integer_t v) { return put(v); }
    bool number_unsigned(number_unsigned_t v) { return put(v); }
    bool number_float(number_float_t v, const string_t&) { return put(v); }
    bool binary(binary_t& v) { return put(json::binary(std::move(v))); } // never from JSON text
    bool string(string_t& v)
    {
        const auto it = m_scan.specials.find(m_strings++);
        return it != m_scan.specials.end() ? put(it->second.value) : put(std::move(v));
    }
    bool start_object(std::size_t) { return open(json::object()); }
    bool start_array(std::size_t) { return open(json::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(string_t& k)
    {
        const std::size_t ordinal = m_strings++;
        if (const auto it = m_scan.specials.find(ordinal); it != m_scan.specials.end()) {
            m_failure = {Failure::Kind::NumberAsKey, m_scan.stringStarts[ordinal], 0, std::string(it->second.word), {}};
            return false;
        }
        Frame& frame = m_frames.back();
        const auto [first, fresh] = frame.keys.emplace(k, ordinal);
        if (!fresh) {
            m_failure = {Failure::Kind::DuplicateKey, m_scan.stringStarts[ordinal], m_scan.stringStarts[first->second], k,
                         pathTo(k)};
            return false;
        }
        frame.key = std::move(k);
        return true;
    }

    bool parse_error(std::size_t byte, const std::string& lastToken, const json::exception& e)
    {
        // what() is "[json.exception.parse_error.101] parse error at line 1, column 2: <reason>"
        // or "[json.exception.out_of_range.406] number overflow parsing '1e999'" (not a parse_error).
        std::string reason = e.what();
        const bool overflow = e.id == 406;
        if (const auto bracket = reason.find("] "); bracket != std::string::npos)
            reason = reason.substr(bracket + 2);
        if (const auto colon = reason.find(": "); !overflow && colon != std::string::npos &&
                                                  reason.rfind("parse error", 0) == 0)
            reason = reason.substr(colon + 2);
        // "last read: '<token>'" shows the lexer's text; say what the file says (NaN, not "_").
        const std::string shown = "last read: '" + lastToken + "'";
        if (const auto at = reason.find(shown); at != std::string::npos && byte >= lastToken.size() &&
                                               byte <= m_scan.original.size())
            reason.replace(at, shown.size(),
                           "last read: '" + std::string(m_scan.original.substr(byte - lastToken.size(), lastToken.size())) + "'");
        // nlohmann counts the bytes read, up to and including the offending one.
        m_failure = {overflow ? Failure::Kind::Overflow : Failure::Kind::Malformed, byte > 0 ? byte - 1 : 0, 0,
                     reason, {}};
        return false;
    }

    json& result() { return m_root; }
    const std::optional<Failure>& failure() const { return m_failure; }

private:
    struct Frame {
        json* value;
        std::string key;                          ///< objects: the key being read
        std::map<std::string, std::size_t> keys;  ///< objects: key -> string ordinal where it was first
    };

    /// Only the innermost container grows while its children are built, so the pointers into
    /// the containers around it stay valid.
    json* place(json value)
    {
        if (m_frames.empty()) {
            m_root = std::move(value);
            return &m_root;
        }
        Frame& frame = m_frames.back();
        if (frame.value->is_array()) {
            frame.value->push_back(std::move(value));
            return &frame.value->back();
        }
        json& slot = (*frame.value)[frame.key];
        slot = std::move(value);
        return &slot;
    }
    bool put(json value)
    {
        place(std::move(value));
        return true;
    }
    bool open(json container)
    {
        m_frames.push_back({place(std::move(container)), {}, {}});
        return true;
    }
    bool close()
    {
        m_frames.pop_back();
        return true;
    }
    /// "training.optimizer.lr", "checkpoints[1].filepath", "[0].name" — as JsonReader writes paths.
    std::string pathTo(const std::string& key) const
    {
        std::string path;
        for (std::size_t i = 0; i < m_frames.size(); ++i) {
            const Frame& frame = m_frames[i];
            if (frame.value->is_array()) {
                path += "[" + std::to_string(frame.value->size() - 1) + "]";
                continue;
            }
            path += (path.empty() ? "" : ".") + (i + 1 == m_frames.size() ? key : frame.key);
        }
        return path;
    }

    const Scan& m_scan;
    json m_root;
    std::vector<Frame> m_frames;
    std::size_t m_strings = 0; ///< string tokens seen, keys included
    std::optional<Failure> m_failure;
};

json parse(std::string_view input, const std::string& origin, bool singleLine)
{
    const std::string_view text = withoutUtf8Bom(input);
    const Scan s = scan(text);
    const auto at = [&](std::size_t offset) { return position(text, offset, singleLine); };
    if (s.tooDeep)
        throw ConfigError({origin + ": nested deeper than " + std::to_string(kMaxJsonDepth) +
                           " levels of arrays and objects at " + at(*s.tooDeep)});
    Builder builder(s);
    if (json::sax_parse(s.text, &builder, json::input_format_t::json, true, false) && !builder.failure())
        return std::move(builder.result());
    Failure f = builder.failure().value_or(Failure{Failure::Kind::Malformed, text.size(), 0, "unreadable", {}});
    for (const auto& [ordinal, special] : s.specials) {
        // The lexer saw our string literal where the file has NaN: say NaN, point at its start.
        const std::size_t start = s.stringStarts[ordinal];
        if (f.kind != Failure::Kind::Malformed || f.offset < start || f.offset >= start + special.word.size())
            continue;
        f.offset = start;
        if (const auto at = f.text.find("string literal"); at != std::string::npos)
            f.text.replace(at, 14, std::string(special.word));
    }
    using Kind = Failure::Kind;
    switch (f.kind) {
    case Kind::Overflow: throw ConfigError({origin + ": malformed JSON: " + f.text});
    case Kind::DuplicateKey:
        throw ConfigError({origin + ": " + f.path + ": duplicate key \"" + f.text + "\" at " + at(f.offset) +
                           " (first at " + at(f.firstOffset) + "); a key may appear once per object"});
    case Kind::NumberAsKey:
        throw ConfigError({origin + ": malformed JSON at " + at(f.offset) + ": an object key must be a string, got " +
                           f.text});
    case Kind::Malformed: break;
    }
    throw ConfigError({origin + ": malformed JSON at " + at(f.offset) + ": " + f.text});
}

} // namespace

std::string withoutLibraryTag(std::string_view what)
{
    if (what.rfind("[json.exception.", 0) == 0)
        if (const auto close = what.find("] "); close != std::string_view::npos)
            what.remove_prefix(close + 2);
    return std::string(what);
}

std::string_view withoutUtf8Bom(std::string_view text)
{
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    return text.substr(0, kBom.size()) == kBom ? text.substr(kBom.size()) : text;
}

json parseJsonText(std::string_view text, const std::string& origin)
{
    return parse(text, origin, false);
}

json parseJsonLine(std::string_view line, const std::string& where)
{
    return parse(line, where, true);
}

} // namespace cklab
