#include "core/checkpoint/PathOverlap.h"

#include <filesystem>
#include <set>
#include <string_view>
#include <tuple>
#include <vector>

namespace cklab {

namespace {

enum class Class { Literal, Digits, Number, Any };

struct Token {
    Class cls = Class::Literal;
    char ch = 0; // Literal
};

bool inClass(Class cls, char c)
{
    switch (cls) {
    case Class::Digits: return c >= '0' && c <= '9';
    case Class::Number:
        return (c >= '0' && c <= '9') || std::string_view("+-.eEinfa%").find(c) != std::string_view::npos;
    case Class::Any: return true;
    case Class::Literal: break;
    }
    return false;
}

Class fieldClass(std::string_view field)
{
    const std::size_t colon = field.find_first_of(":!");
    const std::string_view name = field.substr(0, colon);
    const std::string_view spec = colon == std::string_view::npos ? std::string_view() : field.substr(colon + 1);
    // A fill character ("{epoch:x>4d}") can put anything in the name.
    if (spec.size() >= 2 && std::string_view("<>^=").find(spec[1]) != std::string_view::npos)
        return Class::Any;
    if (spec.find('{') != std::string_view::npos || field.find('!') != std::string_view::npos)
        return Class::Any;
    const char type = spec.empty() ? '\0' : spec.back();
    if (name == "epoch" || name == "batch")
        return (type == '\0' || type == 'd' || (type >= '0' && type <= '9')) ? Class::Digits : Class::Number;
    return name.empty() ? Class::Any : Class::Number;
}

/// The template as tokens, after normalising its literal path ("./a//b" is "a/b").
std::vector<Token> tokens(const std::string& pattern)
{
    // Normalise with fields replaced by placeholders that survive lexically_normal().
    std::vector<Class> fields;
    std::string masked;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if ((c == '{' || c == '}') && i + 1 < pattern.size() && pattern[i + 1] == c) {
            masked += c == '{' ? '\x01' : '\x02';
            ++i;
        } else if (c == '{') {
            int depth = 1;
            std::size_t j = i + 1;
            for (; j < pattern.size() && depth > 0; ++j)
                depth += pattern[j] == '{' ? 1 : pattern[j] == '}' ? -1 : 0;
            fields.push_back(fieldClass(std::string_view(pattern).substr(i + 1, j - i - 2)));
            masked += '\x03';
            i = j - 1;
        } else {
            masked += c;
        }
    }
    const std::string normal = std::filesystem::path(masked).lexically_normal().string();
    std::vector<Token> out;
    std::size_t field = 0;
    for (char c : normal) {
        if (c == '\x03')
            out.push_back({field < fields.size() ? fields[field++] : Class::Any, 0});
        else
            out.push_back({Class::Literal, c == '\x01' ? '{' : c == '\x02' ? '}' : c});
    }
    return out;
}

/// Whether one string matches both token lists: a search over (position in a, in b, whether
/// the current field of a / of b has taken a character yet), one character at a time.
bool intersect(const std::vector<Token>& a, const std::vector<Token>& b)
{
    std::string alphabet = "0.-ex/";
    for (const auto* t : {&a, &b})
        for (const Token& k : *t)
            if (k.cls == Class::Literal)
                alphabet += k.ch;
    using State = std::tuple<std::size_t, std::size_t, bool, bool>;
    std::set<State> seen;
    std::vector<State> todo{{0, 0, false, false}};
    const auto moves = [](const std::vector<Token>& t, std::size_t i, bool taken, char c) {
        std::vector<std::pair<std::size_t, bool>> next;
        // A field that has taken a character may end here, before c.
        if (i < t.size() && t[i].cls != Class::Literal && taken && i + 1 <= t.size()) {
            const std::size_t j = i + 1;
            if (j < t.size() && t[j].cls == Class::Literal && t[j].ch == c)
                next.push_back({j + 1, false});
            else if (j < t.size() && t[j].cls != Class::Literal && inClass(t[j].cls, c))
                next.push_back({j, true});
        }
        if (i < t.size()) {
            if (t[i].cls == Class::Literal) {
                if (t[i].ch == c)
                    next.push_back({i + 1, false});
            } else if (inClass(t[i].cls, c)) {
                next.push_back({i, true});
            }
        }
        return next;
    };
    const auto done = [](const std::vector<Token>& t, std::size_t i, bool taken) {
        return i == t.size() || (i + 1 == t.size() && t[i].cls != Class::Literal && taken);
    };
    while (!todo.empty()) {
        const State s = todo.back();
        todo.pop_back();
        if (!seen.insert(s).second)
            continue;
        const auto [i, j, ta, tb] = s;
        if (done(a, i, ta) && done(b, j, tb))
            return true;
        for (char c : alphabet)
            for (const auto& [ni, na] : moves(a, i, ta, c))
                for (const auto& [nj, nb] : moves(b, j, tb, c))
                    todo.push_back({ni, nj, na, nb});
    }
    return false;
}

} // namespace

bool templatesCanCollide(const std::string& a, const std::string& b) { return intersect(tokens(a), tokens(b)); }

bool templateCanWriteInside(const std::string& a, const std::string& dir)
{
    std::vector<Token> inside = tokens(dir);
    if (!inside.empty() && inside.back().ch == '/' && inside.back().cls == Class::Literal)
        inside.pop_back();
    if (intersect(tokens(a), inside))
        return true;
    inside.push_back({Class::Literal, '/'});
    inside.push_back({Class::Any, 0});
    return intersect(tokens(a), inside);
}

} // namespace cklab
