#pragma once
/// A finished (or stopped) training run as data: its project config, every hook call the
/// checkpoint policies saw (epoch logs, batch logs when recorded) and the checkpoint events of the
/// live run. Saved as a folder so that it can be reopened, replayed and compared later:
///
///     <folder>/run.json        {"format_version":1, "name", "source", "project", ...}
///     <folder>/history.jsonl   hook calls in the JSON-lines format of `checkpointlab-cli replay`
///     <folder>/events.jsonl    the "checkpoint" lines of `checkpointlab-cli run --events`
///
/// so `checkpointlab-cli replay --history <folder>/history.jsonl` reads the same history.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/checkpoint/CheckpointEvent.h"
#include "core/project/HistoryFile.h"
#include "core/project/Project.h"

namespace cklab {

struct RunRecord {
    static constexpr int kFormatVersion = 1;
    std::string name;                     ///< label shown to the user ("run-003", an imported file's name)
    std::string source = "live";          ///< "live" (recorded while training) or "imported"
    std::string origin;                   ///< folder it was loaded from / file it was imported from
    std::optional<Project> project;       ///< the run's config; none for imported histories
    int stepsPerEpoch = 0;                ///< 0 = unknown (e.g. a CSVLogger import)
    std::string stopReason;               ///< stopReasonName() of the live run, empty if unknown
    std::vector<HookCall> history;        ///< every hook call in order, TrainBegin ... TrainEnd
    std::vector<CheckpointEvent> events;  ///< decisions of the live run (empty for imports)

    /// The policies of the run's project (empty without a project).
    std::vector<CheckpointConfig> policies() const;
    /// Epoch-end logs in order: (epoch, logs).
    std::vector<std::pair<int, Logs>> epochLogs() const;
    bool hasBatchLogs() const;
    /// Number of batches seen in `epoch` (highest batch index + 1), 0 if none were recorded.
    int batchesInEpoch(int epoch) const;
};

/// Builds the hook sequence the Trainer produces from what a RunObserver / the GUI's run history
/// sees: train_begin; per epoch epoch_begin, its batch ends, its epoch end (if it finished);
/// train_end with `trainEndLogs` (the last finished epoch's logs).
class HistoryBuilder {
public:
    HistoryBuilder();
    void addBatchEnd(int epoch, int batch, const Logs& logs);
    void addEpochEnd(int epoch, const Logs& logs);
    /// Appends TrainEnd; the builder is then done.
    std::vector<HookCall> finish(const Logs& trainEndLogs);

private:
    void openEpoch(int epoch);
    std::vector<HookCall> m_calls;
    std::optional<int> m_openEpoch;
};

/// Writes the folder (created if missing), each file atomically (core/io/AtomicFile): a failed
/// write throws IoError naming the file and leaves that file as it was.
void saveRunRecord(const RunRecord& record, const std::filesystem::path& folder);
/// Reads a folder written by saveRunRecord (events.jsonl optional); throws IoError / ConfigError
/// "<file>:<line>: <problem>".
RunRecord loadRunRecord(const std::filesystem::path& folder);
/// A Keras CSVLogger file or a JSON-lines hook history (readHistoryFile) as an imported run.
RunRecord importHistory(const std::filesystem::path& file);

/// Where a project's runs are kept: <outputDir>/recorded-runs.
std::filesystem::path runRecordsDir(const std::filesystem::path& outputDir);
/// The next free <outputDir>/recorded-runs/run-NNN (not created).
std::filesystem::path nextRunFolder(const std::filesystem::path& outputDir);
/// Folders under runRecordsDir() that hold a run.json, sorted by name.
std::vector<std::filesystem::path> listRunRecords(const std::filesystem::path& outputDir);

/// Hook calls as JSON lines (the reader is parseHistory()).
std::string historyToJsonLines(const std::vector<HookCall>& history);
/// Inverse of checkpointEventToJson (core/project/EventJson.h); an "event" key is ignored.
/// Throws ConfigError naming `where` and the bad field.
CheckpointEvent checkpointEventFromJson(const nlohmann::json& json, const std::string& where);

} // namespace cklab
