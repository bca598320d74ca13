#pragma once
/// Recorded training logs, to replay checkpoint policies over a run that already happened.
/// Two formats:
///  * a Keras CSVLogger file: header `epoch,<keys...>` (`,` `;` or tab), one row per 0-based epoch;
///    `NA` or an empty field = key absent; `nan`, `inf`, `-inf` are values.
///  * JSON lines of hook calls: {"hook":"epoch_begin","epoch":0}, {"hook":"batch_end","batch":0,"logs":{...}},
///    {"hook":"epoch_end","epoch":0,"logs":{...}}, {"hook":"train_begin"}, {"hook":"train_end"};
///    log values are numbers (Python's bare NaN, Infinity, -Infinity too), "nan"/"inf"/"-inf", or
///    null (absent). Each line is read by parseJsonLine (core/base/JsonText.h).
/// A UTF-8 byte order mark at the start is skipped in both formats.
#include <filesystem>
#include <string>
#include <vector>

#include "core/train/Callback.h"
#include "core/model/Logs.h"

namespace cklab {

/// Most columns a CSVLogger history (or keys one JSON-lines `logs` object) may have: Keras logs
/// a few metrics per output; 300 000 made replay crash. Above it: a ConfigError naming the line.
inline constexpr std::size_t kMaxHistoryColumns = 10000;

struct HookCall {
    enum class Hook { TrainBegin, EpochBegin, BatchBegin, BatchEnd, EpochEnd, TrainEnd };
    Hook hook = Hook::EpochEnd;
    int index = 0;     ///< epoch or batch (0-based); unused for train hooks
    Logs logs;
};

/// Always starts with TrainBegin and ends with TrainEnd (added when the file has none; a CSV's
/// TrainEnd carries the last row's logs). Throws ConfigError "<file>:<line>: <problem>" for
/// unusable content and IoError for an unreadable file.
std::vector<HookCall> readHistoryFile(const std::filesystem::path& path);
/// `jsonLines` chooses the format; `origin` names the source in messages.
std::vector<HookCall> parseHistory(const std::string& text, const std::string& origin, bool jsonLines);
/// JSON lines when the first non-blank character is '{', else CSV.
bool looksLikeJsonLines(const std::string& text);

/// Calls the matching hook of `callback`.
void callHook(Callback& callback, const HookCall& call);

} // namespace cklab
