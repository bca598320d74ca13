#pragma once
/// The one JSON parser for the engine's own files: project files, policy files, histories (JSON
/// lines), run records. Every reader goes through it, so every reader gets the same rules:
///  * a UTF-8 byte order mark at the start is skipped (Windows editors write one);
///  * the bare NaN, Infinity and -Infinity that Python's json.dumps writes by default are read as
///    those numbers (see core/base/JsonNumbers.h; readers that need finite numbers say so);
///  * a key that appears twice in one object is an error naming the key, its JSON path
///    ("training.epochs") and both places — not "the last one wins";
///  * nesting deeper than kMaxJsonDepth is an error, checked before anything is built (100 000
///    brackets used to overflow the stack).
/// Errors are ConfigError "<origin>: <problem>".
#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace cklab {

/// Arrays and objects inside each other; the engine's files need fewer than 10.
constexpr int kMaxJsonDepth = 64;

/// One JSON document; positions in messages are "line L, column C"; malformed JSON gives
/// "<origin>: malformed JSON at line L, column C: <reason>".
nlohmann::json parseJsonText(std::string_view text, const std::string& origin);
/// One line of a JSON-lines file (`where` = "<file>:<line>"); positions are "column C".
nlohmann::json parseJsonLine(std::string_view line, const std::string& where);

/// A JSON library message for users: nlohmann's what() without its "[json.exception.type_error.302] "
/// tag ("type must be number, but is string"), so no bare library text reaches a message.
std::string withoutLibraryTag(std::string_view what);

/// `text` without a leading UTF-8 byte order mark (EF BB BF).
std::string_view withoutUtf8Bom(std::string_view text);

} // namespace cklab
