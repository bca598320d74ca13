#include "core/checkpoint/BackupAndRestore.h"

#include <algorithm>
#include <cctype>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/base/Errors.h"
#include "core/base/Excerpt.h"
#include "core/base/JsonText.h"
#include "core/io/CheckpointFile.h"
#include "core/io/UntrustedCheckpoint.h"
#include "core/train/Trainer.h"

namespace cklab {

namespace {

constexpr int kBackupVersion = 1;

int parseFreq(const std::string& text)
{
    if (text == "epoch")
        return 0;
    if (text.empty() || text.size() > 9 || !std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        return -1;
    return std::stoi(text);
}

} // namespace

std::vector<std::string> BackupAndRestore::validate(const std::string& backupDir, const std::string& saveFreq)
{
    std::vector<std::string> problems;
    if (backupDir.empty())
        problems.push_back("BackupAndRestore: backup_dir must not be empty");
    const int freq = parseFreq(saveFreq);
    if (freq < 0 || (freq == 0 && saveFreq != "epoch")) {
        problems.push_back("BackupAndRestore: save_freq must be 'epoch' or a positive integer number of batches. Received: save_freq="
            + saveFreq);
    }
    return problems;
}

BackupAndRestore::BackupAndRestore(std::filesystem::path backupDir, std::string saveFreq, bool deleteCheckpoint,
                                   Trainer* trainer, MessageSink messages)
    : m_dir(std::move(backupDir)), m_deleteCheckpoint(deleteCheckpoint), m_trainer(trainer), m_messages(std::move(messages))
{
    auto problems = validate(m_dir.string(), saveFreq);
    if (!m_trainer)
        problems.push_back("BackupAndRestore: needs the Trainer whose state it saves");
    throwIfInvalid(problems);
    m_saveFreq = parseFreq(saveFreq);
}

void BackupAndRestore::trainBegin(Logs&)
{
    const auto& items = m_trainer->callbacks().items();
    if (items.empty() || items.back().get() != this)
        throw ConfigError({"BackupAndRestore must be the last callback of the trainer, so that its backups hold the "
                           "state every other callback reached"});
    m_seen = 0;
    m_resumed = false;
    std::error_code ec;
    if (std::filesystem::exists(backupPath(), ec))
        restore();
}

void BackupAndRestore::restoreTrainingState(const nlohmann::json& state, const std::string& origin)
{
    // A backup comes from disk: its JSON may be anything (state.value() on an array, at() of a
    // missing key threw nlohmann's own texts, "[json.exception.type_error.306] ...").
    const auto fail = [&](const std::string& problem) { throw ConfigError({origin + ": training state: " + problem}); };
    if (!state.is_object())
        fail("must be an object, got " + excerpt(state.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    const auto version = state.find("version");
    if (version == state.end() || !version->is_number_integer() || version->get<long long>() != kBackupVersion)
        fail("unsupported backup version " + (version == state.end() ? std::string("(none)") : excerpt(version->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)))
             + "; this CheckpointLab writes version " + std::to_string(kBackupVersion));
    const auto trainer = state.find("trainer");
    const auto callbacks = state.find("callbacks");
    if (trainer == state.end() || !trainer->is_object())
        fail("'trainer' must be an object");
    if (callbacks == state.end() || !callbacks->is_object())
        fail("'callbacks' must be an object");
    try {
        m_trainer->restoreState(*trainer);
        for (const auto& cb : m_trainer->callbacks().items()) {
            const std::string key = cb->stateKey();
            if (!key.empty() && callbacks->contains(key))
                cb->restoreState(callbacks->at(key));
        }
    } catch (const ConfigError& e) {
        // The trainer's and the callbacks' own problems ("trainer state: key 'version' not
        // found"), with the backup they come from.
        std::vector<std::string> problems;
        for (const std::string& problem : e.problems())
            problems.push_back(origin + ": training state: " + problem);
        if (problems.empty())
            problems.push_back(origin + ": training state: " + e.what());
        throw ConfigError(problems);
    } catch (const nlohmann::json::exception& e) {
        fail(withoutLibraryTag(e.what()));
    } catch (const std::invalid_argument& e) {
        fail(e.what());
    } catch (const std::out_of_range& e) {
        fail(e.what());
    }
}

void BackupAndRestore::restore()
{
    const LoadedCheckpoint loaded = readUntrustedCheckpoint(backupPath());
    if (!loaded.trainingState)
        throw ConfigError({backupPath().string() + ": the backup holds no training state"});
    loadIntoModel(loaded, m_trainer->model(), true);
    restoreTrainingState(*loaded.trainingState, backupPath().string());
    m_resumed = true;
    if (m_messages) {
        m_messages(fmt::format("Resuming from {}: epoch {}, batch {}", backupPath().string(), m_trainer->epoch() + 1,
                               m_trainer->batchInEpoch()));
    }
}

void BackupAndRestore::backup()
{
    nlohmann::json callbacks = nlohmann::json::object();
    for (const auto& cb : m_trainer->callbacks().items()) {
        const std::string key = cb->stateKey();
        if (!key.empty())
            callbacks[key] = cb->state();
    }
    SaveOptions options;
    options.includeOptimizer = true;
    options.trainingState = nlohmann::json{{"version", kBackupVersion}, {"trainer", m_trainer->state()}, {"callbacks", callbacks}};
    std::error_code ec;
    std::filesystem::create_directories(m_dir, ec);
    saveCheckpoint(backupPath(), m_trainer->model(), options, m_scratch);
    ++m_written;
}

void BackupAndRestore::trainBatchEnd(int, Logs&)
{
    if (m_saveFreq == 0)
        return;
    if (++m_seen >= m_saveFreq) {
        m_seen = 0;
        backup();
    }
}

void BackupAndRestore::epochEnd(int, Logs&)
{
    if (m_saveFreq == 0)
        backup();
}

void BackupAndRestore::trainEnd(Logs&)
{
    // Keras deletes the backup in on_train_end, which it reaches only when fit() returns normally
    // (all epochs, or a callback's stop_training); an interrupted run keeps it for the restart.
    const bool finished = m_trainer->epoch() >= m_trainer->config().epochs || m_trainer->model().stopTraining;
    if (m_deleteCheckpoint && finished) {
        std::error_code ec;
        std::filesystem::remove(backupPath(), ec);
    }
}

nlohmann::json BackupAndRestore::state() const
{
    return {{"seen", m_seen}};
}

void BackupAndRestore::restoreState(const nlohmann::json& state)
{
    m_seen = state.at("seen").get<long long>();
}

} // namespace cklab
