#include "cli/RunReporter.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/nn/MatMul.h"
#include "core/nn/Parallelism.h"
#include "core/project/EventJson.h"

namespace cklab::cli {

RunReporter::RunReporter(std::ostream* console, std::ostream* events, bool batchEvents)
    : m_console(console), m_events(events), m_batchEvents(batchEvents)
{
}

void RunReporter::trainBegin(const RunInfo& info)
{
    m_info = info;
    m_epochStart = std::chrono::steady_clock::now();
    writeEvent(trainBeginEventJson(info));
}

void RunReporter::ensureEpochHeader(int epoch)
{
    if (m_headerEpoch == epoch)
        return;
    m_headerEpoch = epoch;
    if (m_console)
        *m_console << "Epoch " << epoch + 1 << '/' << m_info.epochs << '\n' << std::flush;
}

void RunReporter::batchEnd(int epoch, int batch, const Logs& logs)
{
    ensureEpochHeader(epoch);
    m_lastBatchEnd = std::chrono::steady_clock::now();
    if (m_batchEvents)
        writeEvent(batchEndEventJson(epoch, batch, logs));
}

void RunReporter::epochEnd(int epoch, const Logs& logs)
{
    ensureEpochHeader(epoch);
    // Training time of the epoch (up to its last batch): checkpoint writes are not steps.
    const double seconds = std::chrono::duration<double>(m_lastBatchEnd - m_epochStart).count();
    if (m_console)
        *m_console << progressLine(m_info.stepsPerEpoch, seconds, logs) << '\n';
    writeEvent(epochEndEventJson(epoch, logs));
    flushPending();
    m_epochStart = std::chrono::steady_clock::now();
}

void RunReporter::checkpointEvent(const CheckpointEvent& event)
{
    if (event.action == CheckpointAction::Save)
        m_saveMs.push_back(event.durationMs);
    // Now, not at epoch end: a kill before the epoch ends must not lose the line of a save.
    writeEvent(checkpointEventLineJson(event));
}

void RunReporter::message(const std::string& text)
{
    m_pendingMessages.push_back(text);
}

void RunReporter::trainEnd(const TrainResult& result)
{
    flushPending();
    writeEvent(trainEndEventJson(result));
}

void RunReporter::error(const std::string& message)
{
    flushPending();
    writeEvent(errorEventJson(message));
}

void RunReporter::flushPending()
{
    if (m_console) {
        for (const auto& line : m_pendingMessages)
            *m_console << line << '\n';
        *m_console << std::flush;
    }
    m_pendingMessages.clear();
}

void RunReporter::writeEvent(const nlohmann::json& line)
{
    if (m_events)
        *m_events << line.dump() << '\n' << std::flush;
}

std::string RunReporter::progressLine(int steps, double epochSeconds, const Logs& logs)
{
    const double perStep = steps > 0 ? epochSeconds / steps : 0.0;
    std::string line = fmt::format("{}/{} - {}s ", steps, steps, static_cast<long long>(std::lround(epochSeconds)));
    if (perStep >= 1e-3)
        line += fmt::format("{}ms/step", static_cast<long long>(std::lround(perStep * 1e3)));
    else
        line += fmt::format("{}us/step", static_cast<long long>(std::lround(perStep * 1e6)));
    for (const auto& [key, value] : logs)
        line += fmt::format(" - {}: {:.4f}", key, value);
    return line;
}

double RunReporter::peakRssMb()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            std::istringstream fields(line.substr(6));
            double kb = 0.0;
            fields >> kb;
            return kb / 1024.0;
        }
    }
    return 0.0;
}

nlohmann::json RunReporter::summary(const TrainResult& result, double wallSeconds) const
{
    std::vector<double> ms = m_saveMs;
    std::sort(ms.begin(), ms.end());
    double median = 0.0;
    if (!ms.empty())
        median = ms.size() % 2 ? ms[ms.size() / 2] : 0.5 * (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]);
    const double samplesPerSec = result.trainSeconds > 0.0 ? result.samplesTrained / result.trainSeconds : 0.0;
    return nlohmann::json{{"samples_per_sec", samplesPerSec},
                          {"epochs", result.epochsCompleted},
                          {"steps", result.steps},
                          {"n_saves", ms.size()},
                          {"ckpt_save_ms_median", median},
                          {"ckpt_save_ms_max", ms.empty() ? 0.0 : ms.back()},
                          {"final_logs", logsToJson(result.finalLogs)},
                          {"peak_rss_mb", peakRssMb()},
                          {"wall_s", wallSeconds},
                          {"train_s", result.trainSeconds},
                          {"samples_trained", result.samplesTrained},
                          {"stop_reason", std::string(stopReasonName(result.reason))},
                          {"matmul_isa", std::string(matMulIsaName(matMulIsa()))},
                          {"threads", threadCount()}};
}

} // namespace cklab::cli
