#pragma once
/// The one way a value from a file is quoted in a message: short, and printable.
#include <cstddef>
#include <string>
#include <string_view>

namespace cklab {

/// How many characters of a value a message quotes.
inline constexpr std::size_t kExcerptChars = 60;

/// `value` for a message: control bytes and NUL escaped (`\0`, `\n`, `\t`, `\x1b`, so a NUL
/// no longer cuts the message), and a value longer than `maxChars` cut there (at a UTF-8
/// character boundary) with "… (N bytes)" after it. Invalid UTF-8 bytes are shown as \xNN.
std::string excerpt(std::string_view value, std::size_t maxChars = kExcerptChars);

} // namespace cklab
