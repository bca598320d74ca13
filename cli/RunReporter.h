#pragma once
/// What `checkpointlab-cli run` shows and records of a run: the Keras-style console
/// (`Epoch 3/10`, a progress line at epoch end, then the verbose checkpoint messages), the
/// --events JSON lines, and the numbers of the --summary file.
///
/// Every events line is written and flushed when its event happens, so a process killed right
/// after a checkpoint save still leaves that save's line in the file. A checkpoint decision is made
/// inside a hook, so its line comes before the "batch_end" / "epoch_end" line of the same batch or
/// epoch (those are written once every callback has seen the logs).
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
    /// `batchEvents`: also a "batch_end" line (with the batch's logs) per batch.
    RunReporter(std::ostream* console, std::ostream* events, bool batchEvents = false);

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
    bool m_batchEvents = false;
    RunInfo m_info;
    int m_headerEpoch = -1;
    std::chrono::steady_clock::time_point m_epochStart;
    std::chrono::steady_clock::time_point m_lastBatchEnd;
    // The console shows an epoch's checkpoint lines after its progress line, as Keras does; the
    // events file does not wait (see above).
    std::vector<std::string> m_pendingMessages;
    std::vector<double> m_saveMs;
};

} // namespace cklab::cli
