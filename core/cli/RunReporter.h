#pragma once
/// What `checkpointlab-cli run` shows and records of a run: the Keras-style console
/// (`Epoch 3/10`, a progress line at epoch end, then the verbose checkpoint messages), the
/// --events JSON lines, and the numbers of the --summary file.
#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/project/ProjectRun.h"

namespace cklab::cli {

class RunReporter : public RunObserver {
public:
    /// `console` null = quiet; `events` null = no events file. Both must outlive the reporter.
    RunReporter(std::ostream* console, std::ostream* events);

    void trainBegin(const RunInfo& info) override;
    void batchEnd(int epoch, int batch, const Logs& logs) override;
    void epochEnd(int epoch, const Logs& logs) override;
    void checkpointEvent(const CheckpointEvent& event) override;
    void message(const std::string& text) override;
    void trainEnd(const TrainResult& result) override;

    /// Writes an "error" event line (if recording events).
    void error(const std::string& message);
    /// The --summary object; `wallSeconds` is the whole command's wall time.
    nlohmann::json summary(const TrainResult& result, double wallSeconds) const;

    /// "4/4 - 0s 2ms/step - accuracy: 0.5100 - loss: 0.6931" (keys in log order).
    static std::string progressLine(int steps, double epochSeconds, const Logs& logs);
    /// Peak resident set size in MiB (VmHWM of /proc/self/status), 0 if unknown.
    static double peakRssMb();

private:
    void ensureEpochHeader(int epoch);
    void flushPending();
    void writeEvent(const nlohmann::json& line);

    std::ostream* m_console;
    std::ostream* m_events;
    RunInfo m_info;
    int m_headerEpoch = -1;
    std::chrono::steady_clock::time_point m_epochStart;
    std::chrono::steady_clock::time_point m_lastBatchEnd;
    // Checkpoint lines and events of an epoch are shown after its progress line, as in Keras.
    std::vector<std::string> m_pendingMessages;
    std::vector<nlohmann::json> m_pendingEvents;
    std::vector<double> m_saveMs;
};

} // namespace cklab::cli
