#include "core/compare/RunRecord.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/base/Errors.h"
#include "core/base/JsonNumbers.h"
#include "core/base/JsonText.h"
#include "core/io/AtomicFile.h"
#include "core/project/EventJson.h"
#include "core/project/JsonReader.h"
#include "core/project/ProjectJson.h"

namespace cklab {

using nlohmann::json;
using Hook = HookCall::Hook;

std::vector<CheckpointConfig> RunRecord::policies() const
{
    return project ? project->checkpoints : std::vector<CheckpointConfig>{};
}

std::vector<std::pair<int, Logs>> RunRecord::epochLogs() const
{
    std::vector<std::pair<int, Logs>> out;
    for (const auto& call : history)
        if (call.hook == Hook::EpochEnd)
            out.emplace_back(call.index, call.logs);
    return out;
}

bool RunRecord::hasBatchLogs() const
{
    return std::any_of(history.begin(), history.end(), [](const HookCall& c) { return c.hook == Hook::BatchEnd; });
}

int RunRecord::batchesInEpoch(int epoch) const
{
    int current = 0;
    int count = 0;
    for (const auto& call : history) {
        if (call.hook == Hook::EpochBegin || call.hook == Hook::EpochEnd)
            current = call.index;
        else if (call.hook == Hook::BatchEnd && current == epoch)
            count = std::max(count, call.index + 1);
    }
    return count;
}

HistoryBuilder::HistoryBuilder() : m_calls{{Hook::TrainBegin, 0, {}}} {}

void HistoryBuilder::openEpoch(int epoch)
{
    if (m_openEpoch == epoch)
        return;
    m_calls.push_back({Hook::EpochBegin, epoch, {}});
    m_openEpoch = epoch;
}

void HistoryBuilder::addBatchEnd(int epoch, int batch, const Logs& logs)
{
    openEpoch(epoch);
    m_calls.push_back({Hook::BatchEnd, batch, logs});
}

void HistoryBuilder::addEpochEnd(int epoch, const Logs& logs)
{
    openEpoch(epoch);
    m_calls.push_back({Hook::EpochEnd, epoch, logs});
    m_openEpoch.reset();
}

std::vector<HookCall> HistoryBuilder::finish(const Logs& trainEndLogs)
{
    m_calls.push_back({Hook::TrainEnd, 0, trainEndLogs});
    return std::move(m_calls);
}

namespace {

const char* hookName(Hook hook)
{
    switch (hook) {
    case Hook::TrainBegin: return "train_begin";
    case Hook::EpochBegin: return "epoch_begin";
    case Hook::BatchBegin: return "batch_begin";
    case Hook::BatchEnd: return "batch_end";
    case Hook::EpochEnd: return "epoch_end";
    case Hook::TrainEnd: return "train_end";
    }
    return "train_end";
}

/// Atomically, like checkpoints: a failed write keeps the previous file, never a truncated one.
void writeText(const std::filesystem::path& path, const std::string& text)
{
    writeBytesAtomically(path, text.data(), text.size());
}

/// An integer field (`fallback` when absent). A float is refused, not converted: the reader reads
/// Python's NaN, and NaN or 1e300 converted to int is undefined behaviour.
template <class T>
T integerField(const json& j, const char* key, std::optional<T> fallback = std::nullopt)
{
    const auto it = j.find(key);
    if (it == j.end() && fallback)
        return *fallback;
    if (it != j.end() && it->is_number_integer()) {
        const bool fits = it->is_number_unsigned()
                              ? it->get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())
                              : it->get<std::int64_t>() >= std::numeric_limits<T>::min() &&
                                    it->get<std::int64_t>() <= std::numeric_limits<T>::max();
        if (fits)
            return it->get<T>();
    }
    throw std::invalid_argument(std::string(key) + ": must be an integer, got " +
                                (it == j.end() ? std::string("nothing") : JsonReader::repr(*it)));
}

std::optional<double> optionalNumber(const json& j, const char* key)
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return std::nullopt;
    return numberFromJson(*it);
}

} // namespace

std::string historyToJsonLines(const std::vector<HookCall>& history)
{
    std::string text;
    for (const auto& call : history) {
        json line{{"hook", hookName(call.hook)}};
        if (call.hook == Hook::EpochBegin || call.hook == Hook::EpochEnd)
            line["epoch"] = call.index;
        else if (call.hook == Hook::BatchBegin || call.hook == Hook::BatchEnd)
            line["batch"] = call.index;
        if (!call.logs.empty() || call.hook == Hook::BatchEnd || call.hook == Hook::EpochEnd)
            line["logs"] = logsToJson(call.logs);
        text += line.dump() + '\n';
    }
    return text;
}

CheckpointEvent checkpointEventFromJson(const json& j, const std::string& where)
{
    try {
        CheckpointEvent e;
        e.policy = j.at("policy").get<std::string>();
        e.epoch = integerField<int>(j, "epoch");
        if (const auto it = j.find("batch"); it != j.end() && !it->is_null())
            e.batch = integerField<int>(j, "batch");
        const std::string action = j.at("action").get<std::string>();
        const auto knownAction = actionFromName(action);
        if (!knownAction)
            throw std::invalid_argument("action: must be save, skip, delete or error, got \"" + action + "\"");
        e.action = *knownAction;
        const std::string reason = j.at("reason").get<std::string>();
        const auto knownReason = reasonFromName(reason);
        if (!knownReason)
            throw std::invalid_argument("reason: must be one of " + reasonNames() + ", got \"" + reason + "\"");
        if (actionOf(*knownReason) != e.action)
            throw std::invalid_argument("reason: \"" + reason + "\" is not a reason to " + action);
        e.reason = *knownReason;
        if (const auto it = j.find("path"); it != j.end() && !it->is_null())
            e.path = it->get<std::string>();
        e.monitor = j.value("monitor", std::string());
        e.value = optionalNumber(j, "value");
        e.bestBefore = optionalNumber(j, "best_before");
        if (const auto it = j.find("message"); it != j.end() && !it->is_null())
            e.message = it->get<std::string>();
        e.bytes = integerField<std::int64_t>(j, "bytes", 0);
        e.durationMs = j.value("duration_ms", 0.0);
        return e;
    } catch (const std::exception& ex) {
        throw ConfigError({where + ": not a checkpoint event: " + ex.what()});
    }
}

void saveRunRecord(const RunRecord& record, const std::filesystem::path& folder)
{
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec)
        throw IoError(folder.string(), ec.message());
    json run{{"format_version", RunRecord::kFormatVersion},
             {"name", record.name},
             {"source", record.source},
             {"origin", record.origin},
             {"steps_per_epoch", record.stepsPerEpoch},
             {"stop_reason", record.stopReason},
             {"project", record.project ? projectToJson(*record.project) : json(nullptr)}};
    writeText(folder / "run.json", run.dump(2) + '\n');
    writeText(folder / "history.jsonl", historyToJsonLines(record.history));
    std::string events;
    for (const auto& e : record.events)
        events += checkpointEventLineJson(e).dump() + '\n';
    writeText(folder / "events.jsonl", events);
}

RunRecord loadRunRecord(const std::filesystem::path& folder)
{
    const auto runFile = folder / "run.json";
    const json run = parseJsonText(readTextFile(runFile), runFile.string());
    RunRecord record;
    std::vector<std::string> problems;
    try {
        const int version = integerField<int>(run, "format_version");
        if (version != RunRecord::kFormatVersion)
            problems.push_back(runFile.string() + ": format_version: must be 1, got " + std::to_string(version));
        record.name = run.value("name", folder.filename().string());
        record.source = run.value("source", std::string("live"));
        record.stepsPerEpoch = integerField<int>(run, "steps_per_epoch", 0);
        record.stopReason = run.value("stop_reason", std::string());
        if (const auto it = run.find("project"); it != run.end() && !it->is_null()) {
            std::vector<std::string> projectProblems;
            record.project = projectFromJson(*it, projectProblems);
            for (const auto& p : projectProblems)
                problems.push_back(runFile.string() + ": project." + p);
        }
    } catch (const std::exception& e) { // json::exception, or integerField's invalid_argument
        problems.push_back(runFile.string() + ": " + e.what());
    }
    throwIfInvalid(problems);
    record.origin = folder.string();
    record.history = readHistoryFile(folder / "history.jsonl");
    const auto eventsFile = folder / "events.jsonl";
    if (std::filesystem::exists(eventsFile)) {
        std::istringstream in(readTextFile(eventsFile));
        std::string line;
        int lineNo = 0;
        while (std::getline(in, line)) {
            ++lineNo;
            if (line.find_first_not_of(" \t\r") == std::string::npos)
                continue;
            const std::string where = eventsFile.string() + ":" + std::to_string(lineNo);
            const json j = parseJsonLine(line, where);
            if (j.contains("event") && j["event"] != "checkpoint")
                continue; // a `run --events` file also holds epoch_end, train_begin, ... lines
            record.events.push_back(checkpointEventFromJson(j, where));
        }
    }
    return record;
}

RunRecord importHistory(const std::filesystem::path& file)
{
    RunRecord record;
    record.history = readHistoryFile(file);
    record.name = file.filename().string();
    record.source = "imported";
    record.origin = file.string();
    // A hook history with batch ends tells the steps per epoch; a CSV does not.
    int steps = 0;
    for (const auto& call : record.history)
        if (call.hook == Hook::BatchEnd)
            steps = std::max(steps, call.index + 1);
    record.stepsPerEpoch = steps;
    return record;
}

std::filesystem::path runRecordsDir(const std::filesystem::path& outputDir)
{
    return outputDir / "recorded-runs";
}

std::filesystem::path nextRunFolder(const std::filesystem::path& outputDir)
{
    const auto dir = runRecordsDir(outputDir);
    for (int i = 1;; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "run-%03d", i);
        if (!std::filesystem::exists(dir / name))
            return dir / name;
    }
}

std::vector<std::filesystem::path> listRunRecords(const std::filesystem::path& outputDir)
{
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(runRecordsDir(outputDir), ec))
        if (entry.is_directory() && std::filesystem::exists(entry.path() / "run.json"))
            out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace cklab
