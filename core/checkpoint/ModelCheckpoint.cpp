#include "core/checkpoint/ModelCheckpoint.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/base/Errors.h"
#include "core/base/JsonNumbers.h"
#include "core/train/PathTemplate.h"
#include "core/model/Model.h"

namespace cklab {

namespace {

MessageSink stdoutSink()
{
    return [](const std::string& line) {
        std::fputs(line.c_str(), stdout);
        std::fputc('\n', stdout);
        std::fflush(stdout);
    };
}

// Validates before any member is built so that an invalid config never resolves a mode.
const CheckpointConfig& validated(const CheckpointConfig& config)
{
    throwIfInvalid(config.validate());
    return config;
}

MonitorMode resolvedMode(const CheckpointConfig& config)
{
    return *resolveMonitorMode("ModelCheckpoint", config.mode, config.monitor).mode;
}

} // namespace

ModelCheckpoint::ModelCheckpoint(CheckpointConfig config, std::shared_ptr<CheckpointStore> store, MessageSink messages)
    : m_config(validated(config))
    , m_store(store ? std::move(store) : std::make_shared<FileCheckpointStore>(m_config.includeOptimizer))
    , m_messages(messages ? std::move(messages) : stdoutSink())
    , m_mode(resolvedMode(m_config))
    , m_saveFreq(m_config.saveFreqBatches())
    , m_retention(m_config.maxToKeep, m_config.saveBestOnly, m_mode)
{
    for (const auto& warning : m_config.warnings())
        m_messages(warning);
    const double inf = std::numeric_limits<double>::infinity();
    m_best = m_config.initialValueThreshold.value_or(m_mode == MonitorMode::Min ? inf : -inf);
}

void ModelCheckpoint::setMessageSink(MessageSink sink)
{
    m_messages = sink ? std::move(sink) : stdoutSink();
}

void ModelCheckpoint::trainBegin(Logs&)
{
    // Keras keeps `best` across fit() calls; nothing to reset but the last error.
    m_lastError.clear();
    // One-time writer set-up (HDF5 start-up, first buffers) now, not in the first save's time.
    m_store->prepare(m_config.filepath, m_model);
}

void ModelCheckpoint::epochBegin(int epoch, Logs&)
{
    m_epoch = epoch;
    m_lastEpoch = epoch;
}

void ModelCheckpoint::trainBatchEnd(int batch, Logs& logs)
{
    if (m_saveFreq == 0)
        return;
    // Spec §4.3: a batch index that does not grow means a new epoch began; the count runs
    // across epochs and only an attempt resets it.
    const long long add = (!m_lastBatchSeen || batch <= *m_lastBatchSeen) ? batch + 1LL : batch - *m_lastBatchSeen;
    m_seen += add;
    m_lastBatchSeen = batch;
    if (m_seen >= m_saveFreq) {
        m_seen = 0;
        attemptSave(m_epoch, batch, logs);
    }
}

void ModelCheckpoint::epochEnd(int epoch, Logs& logs)
{
    m_lastEpoch = epoch;
    if (m_saveFreq == 0)
        attemptSave(epoch, std::nullopt, logs);
    // on_epoch_begin is optional (deviation): batches after this belong to the next epoch.
    m_epoch = epoch + 1;
}

void ModelCheckpoint::trainEnd(Logs& logs)
{
    if (m_config.saveLast)
        saveLast(logs);
}

CheckpointEvent ModelCheckpoint::makeEvent(int epoch, std::optional<int> batch, const Logs& logs) const
{
    CheckpointEvent event;
    event.policy = m_config.name;
    event.epoch = epoch;
    event.batch = batch;
    event.monitor = m_config.monitor;
    if (auto it = logs.find(m_config.monitor); it != logs.end())
        event.value = it->second;
    return event;
}

void ModelCheckpoint::report(const CheckpointEvent& event, bool print)
{
    if (m_events)
        m_events(event);
    if (print && !event.message.empty())
        m_messages(event.message);
}

void ModelCheckpoint::attemptSave(int epoch, std::optional<int> batch, const Logs& logs)
{
    CheckpointEvent event = makeEvent(epoch, batch, logs);
    // 1. Format first: a bad template is an error even when no save would follow.
    try {
        event.path = formatPath(m_config.filepath, epoch, batch, logs);
    } catch (const ConfigError& e) {
        event.action = CheckpointAction::Error;
        event.reason = CheckpointReason::FormatFailed;
        event.message = e.what();
        report(event, true);
        throw;
    }
    const int shownEpoch = epoch + 1;
    // 2. Decide.
    if (!m_config.saveBestOnly) {
        event.reason = CheckpointReason::Periodic;
        event.message = fmt::format("Epoch {}: saving model to {}", shownEpoch, event.path);
        const std::string path = event.path;
        writeAndRetain(std::move(event), path, false);
        return;
    }
    event.bestBefore = m_best;
    if (!event.value) {
        // A warning in Keras, printed whatever the verbosity. Deviation: no save follows.
        event.action = CheckpointAction::Skip;
        event.reason = CheckpointReason::MonitorMissing;
        event.message = fmt::format("Can save best model only with {} available, skipping.", m_config.monitor);
        report(event, true);
        return;
    }
    const double current = *event.value;
    // Deviation: NaN never improves (the comparison is false for NaN anyway; said explicitly).
    if (!std::isnan(current) && isImprovement(m_mode, current, m_best)) {
        event.reason = CheckpointReason::Improved;
        event.message = fmt::format("Epoch {}: {} improved from {:.5f} to {:.5f}, saving model to {}", shownEpoch,
                                    m_config.monitor, m_best, current, event.path);
        const std::string path = event.path;
        writeAndRetain(std::move(event), path, true);
        return;
    }
    event.action = CheckpointAction::Skip;
    event.reason = CheckpointReason::NotImproved;
    event.message = fmt::format("Epoch {}: {} did not improve from {:.5f}", shownEpoch, m_config.monitor, m_best);
    report(event, m_config.verbose > 0);
}

void ModelCheckpoint::writeAndRetain(CheckpointEvent event, const std::string& path, bool improved)
{
    // 3. Write (atomic in the store), 4. retention after a successful write only.
    const auto start = std::chrono::steady_clock::now();
    std::optional<FileStamp> stamp;
    try {
        event.bytes = m_store->write(path, m_model);
        stamp = m_store->stamp(path);
    } catch (const std::exception& e) {
        event.action = CheckpointAction::Error;
        event.reason = CheckpointReason::WriteFailed;
        event.message = e.what();
        m_lastError = event.message;
        report(event, true);
        if (!m_config.continueOnError && m_model)
            m_model->stopTraining = true;
        return;
    }
    if (!m_store->simulated())
        event.durationMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    event.action = CheckpointAction::Save;
    // A failed write is not a save: best only moves once the file holds it.
    if (improved) {
        m_best = *event.value;
        m_bestPath = path;
    }
    report(event, m_config.verbose > 0);
    if (event.reason != CheckpointReason::SaveLast)
        applyRetention(event, stamp);
}

void ModelCheckpoint::applyRetention(const CheckpointEvent& saved, const std::optional<FileStamp>& stamp)
{
    const KeptFile written{saved.path, saved.value, saved.epoch, saved.batch, stamp};
    const auto victims = m_retention.recordSave(written, m_config.saveBestOnly ? m_bestPath : std::string());
    for (const auto& victim : victims) {
        CheckpointEvent event = makeEvent(saved.epoch, saved.batch, {});
        event.value = victim.value;
        event.path = victim.path;
        try {
            event.bytes = m_store->remove(victim.path, victim.stamp);
        } catch (const std::exception& e) {
            event.action = CheckpointAction::Error;
            event.reason = CheckpointReason::DeleteFailed;
            event.message = e.what();
            report(event, true);
            continue;
        }
        event.action = CheckpointAction::Delete;
        event.reason = CheckpointReason::MaxToKeep;
        event.message = fmt::format("Epoch {}: deleted {} (max_to_keep={})", saved.epoch + 1, victim.path,
                                    *m_config.maxToKeep);
        report(event, m_config.verbose > 0);
    }
}

std::string ModelCheckpoint::lastPath(const Logs& logs) const
{
    const std::filesystem::path templ(m_config.filepath);
    std::string dir = templ.parent_path().string();
    if (hasPerSaveFields(dir)) {
        try {
            dir = formatPath(dir, m_lastEpoch, std::nullopt, logs);
        } catch (const ConfigError&) {
            // A directory that needs keys the last logs lack: use the last file's directory.
            const auto& kept = m_retention.files();
            dir = kept.empty() ? std::string() : std::filesystem::path(kept.back().path).parent_path().string();
        }
    }
    const std::string& fp = m_config.filepath;
    const bool keras = fp.size() >= 6 && fp.compare(fp.size() - 6, 6, ".keras") == 0;
    const char* file = keras ? "last.keras" : (m_config.saveWeightsOnly ? "last.weights.h5" : "last.h5");
    return dir.empty() ? std::string(file) : (std::filesystem::path(dir) / file).string();
}

void ModelCheckpoint::saveLast(const Logs& logs)
{
    CheckpointEvent event = makeEvent(m_lastEpoch, std::nullopt, logs);
    event.path = lastPath(logs);
    event.reason = CheckpointReason::SaveLast;
    event.message = fmt::format("Epoch {}: saving model to {}", m_lastEpoch + 1, event.path);
    const std::string path = event.path;
    writeAndRetain(std::move(event), path, false);
}

nlohmann::json ModelCheckpoint::state() const
{
    return {{"best", numberToJson(m_best)},
            {"best_path", m_bestPath},
            {"seen", m_seen},
            {"last_batch_seen", m_lastBatchSeen ? nlohmann::json(*m_lastBatchSeen) : nlohmann::json(nullptr)},
            {"epoch", m_epoch},
            {"last_epoch", m_lastEpoch},
            {"kept", m_retention.toJson()},
            {"last_error", m_lastError}};
}

void ModelCheckpoint::restoreState(const nlohmann::json& state)
{
    m_best = numberFromJson(state.at("best"));
    m_bestPath = state.at("best_path").get<std::string>();
    m_seen = state.at("seen").get<long long>();
    const auto& last = state.at("last_batch_seen");
    m_lastBatchSeen = last.is_null() ? std::nullopt : std::optional<int>(last.get<int>());
    m_epoch = state.at("epoch").get<int>();
    m_lastEpoch = state.at("last_epoch").get<int>();
    m_retention.fromJson(state.at("kept"));
    m_lastError = state.value("last_error", std::string());
}

} // namespace cklab
