#pragma once
// Drives a ModelCheckpoint (or any callback) by hand from a compact script, as a user's loop
// would, and records what it wrote, printed and reported. Header-only: used by the checkpoint tests.
//
// Script: steps separated by ';' — "TB", "EB 0", "BB 1", "BE 1 loss=0.9 val_loss=nan", "B 2 loss=1"
// (legacy on_batch_end), "EE 0 loss=.5", "TE".
#include <cmath>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/checkpoint/CheckpointStore.h"
#include "core/checkpoint/ModelCheckpoint.h"

namespace cklab::test {

/// A simulated store that also keeps the order of writes and can fail on demand.
class RecordingStore : public SimulatedCheckpointStore {
public:
    std::int64_t write(const std::string& path, const Model* model) override
    {
        if (failWrites)
            throw std::runtime_error(path + ": injected write failure");
        writeLog.push_back(path);
        return SimulatedCheckpointStore::write(path, model);
    }
    std::int64_t remove(const std::string& path, const std::optional<FileStamp>& written) override
    {
        removeLog.push_back(path);
        return SimulatedCheckpointStore::remove(path, written);
    }
    bool failWrites = false;
    std::vector<std::string> writeLog;
    std::vector<std::string> removeLog;
};

inline Logs parseLogs(std::istringstream& in)
{
    Logs logs;
    std::string kv;
    while (in >> kv) {
        const auto eq = kv.find('=');
        const std::string value = kv.substr(eq + 1);
        double v = 0;
        if (value == "nan")
            v = std::numeric_limits<double>::quiet_NaN();
        else if (value == "inf")
            v = std::numeric_limits<double>::infinity();
        else
            v = std::stod(value);
        logs[kv.substr(0, eq)] = v;
    }
    return logs;
}

/// Runs `script` on `callback`; stops at (and rethrows) the first exception.
inline void runScript(Callback& callback, const std::string& script)
{
    std::istringstream steps(script);
    std::string step;
    while (std::getline(steps, step, ';')) {
        std::istringstream in(step);
        std::string hook;
        if (!(in >> hook))
            continue;
        int index = 0;
        if (hook != "TB" && hook != "TE")
            in >> index;
        Logs logs = parseLogs(in);
        if (hook == "TB")
            callback.onTrainBegin(logs);
        else if (hook == "EB")
            callback.onEpochBegin(index, logs);
        else if (hook == "BB")
            callback.onTrainBatchBegin(index, logs);
        else if (hook == "BE")
            callback.onTrainBatchEnd(index, logs);
        else if (hook == "B")
            callback.onBatchEnd(index, logs);
        else if (hook == "EE")
            callback.onEpochEnd(index, logs);
        else if (hook == "TE")
            callback.onTrainEnd(logs);
        else
            throw std::invalid_argument("unknown hook in script: " + hook);
    }
}

/// A policy on a RecordingStore whose messages and events are collected.
struct Harness {
    std::shared_ptr<RecordingStore> store = std::make_shared<RecordingStore>();
    std::vector<std::string> messages;
    std::vector<CheckpointEvent> events;
    std::unique_ptr<ModelCheckpoint> policy;

    explicit Harness(const CheckpointConfig& config)
    {
        policy = std::make_unique<ModelCheckpoint>(config, store, [this](const std::string& m) { messages.push_back(m); });
        policy->setEventSink([this](const CheckpointEvent& e) { events.push_back(e); });
    }
    /// Runs the script; returns the exception text, or empty.
    std::string run(const std::string& script)
    {
        try {
            runScript(*policy, script);
        } catch (const std::exception& e) {
            return e.what();
        }
        return {};
    }
};

} // namespace cklab::test
