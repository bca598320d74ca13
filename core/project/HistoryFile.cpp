#include "core/project/HistoryFile.h"

#include <sstream>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/base/Errors.h"
#include "core/base/Excerpt.h"
#include "core/base/JsonNumbers.h"
#include "core/base/JsonText.h"
#include "core/base/Numbers.h"
#include "core/project/JsonReader.h"
#include "core/project/ProjectJson.h"

namespace cklab {

using nlohmann::json;

namespace {

using Hook = HookCall::Hook;

std::string trim(const std::string& s)
{
    const auto begin = s.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos)
        return {};
    return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

std::vector<std::string> splitFields(const std::string& line, char separator)
{
    std::vector<std::string> fields;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, separator))
        fields.push_back(trim(field));
    if (!line.empty() && line.back() == separator)
        fields.emplace_back();
    return fields;
}

/// nullopt = absent ("NA", empty); throws std::invalid_argument for text that is no number.
std::optional<double> parseValue(const std::string& text)
{
    if (text.empty() || text == "NA")
        return std::nullopt;
    if (const auto special = nonFiniteFromText(text))
        return *special;
    if (const auto value = parseDouble(text))
        return *value;
    throw std::invalid_argument(text);
}

std::vector<HookCall> parseCsv(const std::string& text, const std::string& origin)
{
    std::istringstream in(text);
    std::string line;
    long long lineNo = 0;
    std::vector<std::string> header;
    char separator = ',';
    std::vector<HookCall> calls{{Hook::TrainBegin, 0, {}}};
    Logs last;
    const auto fail = [&](const std::string& problem) {
        throw ConfigError({origin + ":" + std::to_string(lineNo) + ": " + problem});
    };
    while (std::getline(in, line)) {
        ++lineNo;
        if (trim(line).empty())
            continue;
        if (header.empty()) {
            for (char candidate : {',', ';', '\t'})
                if (line.find(candidate) != std::string::npos) {
                    separator = candidate;
                    break;
                }
            header = splitFields(line, separator);
            if (header.empty() || header[0] != "epoch")
                fail("not a Keras CSVLogger history: the header must start with \"epoch\", got \"" + excerpt(trim(line)) + "\"");
            if (header.size() > kMaxHistoryColumns + 1)
                fail("the header has " + std::to_string(header.size() - 1) + " columns after \"epoch\", more than the "
                     + std::to_string(kMaxHistoryColumns) + " a history may have");
            continue;
        }
        const auto fields = splitFields(line, separator);
        if (fields.size() != header.size())
            fail("expected " + std::to_string(header.size()) + " fields like the header, got " +
                 std::to_string(fields.size()));
        int epoch = 0;
        try {
            std::size_t used = 0;
            epoch = std::stoi(fields[0], &used);
            if (used != fields[0].size() || epoch < 0)
                throw std::invalid_argument(fields[0]);
        } catch (const std::exception&) {
            fail("column 'epoch': must be a 0-based epoch number, got \"" + excerpt(fields[0]) + "\"");
        }
        Logs logs;
        for (std::size_t i = 1; i < fields.size(); ++i) {
            try {
                if (const auto value = parseValue(fields[i]))
                    logs[header[i]] = *value;
            } catch (const std::exception&) {
                fail("column '" + excerpt(header[i]) + "': not a number: \"" + excerpt(fields[i]) + "\"");
            }
        }
        calls.push_back({Hook::EpochBegin, epoch, {}});
        calls.push_back({Hook::EpochEnd, epoch, logs});
        last = logs;
    }
    if (header.empty())
        throw ConfigError({origin + ": empty history (no CSV header)"});
    calls.push_back({Hook::TrainEnd, 0, last});
    return calls;
}

const std::vector<std::pair<std::string, Hook>>& hookNames()
{
    static const std::vector<std::pair<std::string, Hook>> names{
        {"train_begin", Hook::TrainBegin},    {"epoch_begin", Hook::EpochBegin}, {"batch_begin", Hook::BatchBegin},
        {"train_batch_begin", Hook::BatchBegin}, {"batch_end", Hook::BatchEnd}, {"train_batch_end", Hook::BatchEnd},
        {"epoch_end", Hook::EpochEnd},        {"train_end", Hook::TrainEnd}};
    return names;
}

std::vector<HookCall> parseJsonLines(const std::string& text, const std::string& origin)
{
    std::vector<std::string> names;
    for (const auto& [name, hook] : hookNames())
        names.push_back(name);
    std::istringstream in(text);
    std::string line;
    long long lineNo = 0;
    std::vector<HookCall> calls;
    std::vector<std::string> problems;
    while (std::getline(in, line)) {
        ++lineNo;
        if (trim(line).empty())
            continue;
        const std::string where = origin + ":" + std::to_string(lineNo);
        json j;
        try {
            j = parseJsonLine(line, where);
        } catch (const ConfigError& e) {
            problems.insert(problems.end(), e.problems().begin(), e.problems().end());
            continue;
        }
        JsonReader r;
        HookCall call;
        if (r.expectObject(j, "hook call")) {
            r.checkKeys(j, "", {"hook", "epoch", "batch", "logs"});
            std::string hook;
            if (!j.contains("hook"))
                r.problem("hook", "missing; one of train_begin, epoch_begin, batch_begin, batch_end, epoch_end, train_end");
            r.readChoice(j, "", "hook", names, hook);
            for (const auto& [name, value] : hookNames())
                if (name == hook)
                    call.hook = value;
            const bool epochHook = call.hook == Hook::EpochBegin || call.hook == Hook::EpochEnd;
            const bool batchHook = call.hook == Hook::BatchBegin || call.hook == Hook::BatchEnd;
            const char* indexKey = epochHook ? "epoch" : "batch";
            if (!hook.empty() && (epochHook || batchHook)) {
                if (!j.contains(indexKey))
                    r.problem(indexKey, std::string("missing; ") + hook + " needs a 0-based " + indexKey);
                r.readInt(j, "", indexKey, call.index);
                if (call.index < 0)
                    r.problem(indexKey, "must be 0 or more, got " + std::to_string(call.index));
            }
            if (const auto it = j.find("logs"); it != j.end() && !it->is_null()) {
                if (r.expectObject(*it, "logs") && it->size() > kMaxHistoryColumns) {
                    r.problem("logs", "has " + std::to_string(it->size()) + " keys, more than the "
                                          + std::to_string(kMaxHistoryColumns) + " a history may have");
                } else if (it->is_object()) {
                    for (auto kv = it->begin(); kv != it->end(); ++kv) {
                        const json& v = kv.value();
                        if (isJsonNumber(v))
                            call.logs[kv.key()] = numberFromJson(v);
                        else if (!v.is_null())
                            r.problem("logs." + kv.key(),
                                      "must be a number (NaN, Infinity, -Infinity included), \"nan\", \"inf\", "
                                      "\"-inf\" or null, got " + JsonReader::repr(v));
                    }
                }
            }
        }
        for (const auto& p : r.problems())
            problems.push_back(where + ": " + p);
        calls.push_back(call);
    }
    throwIfInvalid(problems);
    if (calls.empty())
        throw ConfigError({origin + ": empty history (no hook calls)"});
    if (calls.front().hook != Hook::TrainBegin)
        calls.insert(calls.begin(), HookCall{Hook::TrainBegin, 0, {}});
    if (calls.back().hook != Hook::TrainEnd) {
        Logs last;
        for (auto it = calls.rbegin(); it != calls.rend(); ++it)
            if (it->hook == Hook::EpochEnd) {
                last = it->logs;
                break;
            }
        calls.push_back({Hook::TrainEnd, 0, last});
    }
    return calls;
}

} // namespace

bool looksLikeJsonLines(const std::string& text)
{
    const std::string_view body = withoutUtf8Bom(text);
    const auto first = body.find_first_not_of(" \t\r\n");
    return first != std::string::npos && body[first] == '{';
}

std::vector<HookCall> parseHistory(const std::string& text, const std::string& origin, bool jsonLines)
{
    const std::string body(withoutUtf8Bom(text)); // Windows editors and Excel start files with one
    return jsonLines ? parseJsonLines(body, origin) : parseCsv(body, origin);
}

std::vector<HookCall> readHistoryFile(const std::filesystem::path& path)
{
    const std::string text = readTextFile(path);
    return parseHistory(text, path.string(), looksLikeJsonLines(text));
}

void callHook(Callback& callback, const HookCall& call)
{
    Logs logs = call.logs;
    switch (call.hook) {
    case Hook::TrainBegin: callback.onTrainBegin(logs); break;
    case Hook::EpochBegin: callback.onEpochBegin(call.index, logs); break;
    case Hook::BatchBegin: callback.onTrainBatchBegin(call.index, logs); break;
    case Hook::BatchEnd: callback.onTrainBatchEnd(call.index, logs); break;
    case Hook::EpochEnd: callback.onEpochEnd(call.index, logs); break;
    case Hook::TrainEnd: callback.onTrainEnd(logs); break;
    }
}

} // namespace cklab
