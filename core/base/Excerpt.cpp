#include "core/base/Excerpt.h"

namespace cklab {

namespace {

/// Length of the UTF-8 sequence starting at `i`, or 0 if it is not a valid one.
std::size_t utf8Length(std::string_view s, std::size_t i)
{
    const auto lead = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    if (lead >= 0xc2 && lead <= 0xdf)
        n = 2;
    else if (lead >= 0xe0 && lead <= 0xef)
        n = 3;
    else if (lead >= 0xf0 && lead <= 0xf4)
        n = 4;
    else
        return 0;
    if (i + n > s.size())
        return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80)
            return 0;
    return n;
}

void appendHex(std::string& out, unsigned char c)
{
    static const char digits[] = "0123456789abcdef";
    out += "\\x";
    out += digits[c >> 4];
    out += digits[c & 0xf];
}

} // namespace

std::string excerpt(std::string_view value, std::size_t maxChars)
{
    std::string out;
    std::size_t chars = 0;
    std::size_t i = 0;
    while (i < value.size() && chars < maxChars) {
        const auto c = static_cast<unsigned char>(value[i]);
        if (c == 0)
            out += "\\0";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else if (c < 0x20 || c == 0x7f)
            appendHex(out, c);
        else if (c < 0x80)
            out += static_cast<char>(c);
        else if (const std::size_t n = utf8Length(value, i); n > 0) {
            out.append(value.substr(i, n));
            i += n;
            ++chars;
            continue;
        } else {
            appendHex(out, c);
        }
        ++i;
        ++chars;
    }
    if (i < value.size())
        out += "\xe2\x80\xa6 (" + std::to_string(value.size()) + " bytes)";
    return out;
}

} // namespace cklab
