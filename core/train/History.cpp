#include "core/train/History.h"

#include <limits>
#include <nlohmann/json.hpp>

#include "core/base/JsonNumbers.h"

namespace cklab {

namespace {

nlohmann::json toJson(const Logs& logs)
{
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [key, value] : logs)
        j[key] = numberToJson(value);
    return j;
}

Logs fromJson(const nlohmann::json& j)
{
    Logs logs;
    for (const auto& [key, value] : j.items())
        logs[key] = numberFromJson(value);
    return logs;
}

} // namespace

std::vector<double> History::series(const std::string& key) const
{
    std::vector<double> values;
    values.reserve(m_epochLogs.size());
    for (const Logs& logs : m_epochLogs) {
        const auto it = logs.find(key);
        values.push_back(it == logs.end() ? std::numeric_limits<double>::quiet_NaN() : it->second);
    }
    return values;
}

void History::clear()
{
    m_epochs.clear();
    m_epochLogs.clear();
    m_batchLogs.clear();
}

void History::trainBatchEnd(int batch, Logs& logs)
{
    if (m_recordBatches)
        m_batchLogs.push_back({m_currentEpoch, batch, logs});
}

void History::epochEnd(int epoch, Logs& logs)
{
    m_currentEpoch = epoch;
    m_epochs.push_back(epoch);
    m_epochLogs.push_back(logs);
}

nlohmann::json History::state() const
{
    nlohmann::json epochs = nlohmann::json::array();
    for (std::size_t i = 0; i < m_epochs.size(); ++i)
        epochs.push_back({{"epoch", m_epochs[i]}, {"logs", toJson(m_epochLogs[i])}});
    nlohmann::json batches = nlohmann::json::array();
    for (const BatchRecord& b : m_batchLogs)
        batches.push_back({{"epoch", b.epoch}, {"batch", b.batch}, {"logs", toJson(b.logs)}});
    return {{"epochs", epochs}, {"batches", batches}, {"current_epoch", m_currentEpoch}};
}

void History::restoreState(const nlohmann::json& state)
{
    clear();
    if (state.is_null() || state.empty())
        return;
    for (const auto& e : state.at("epochs")) {
        m_epochs.push_back(e.at("epoch").get<int>());
        m_epochLogs.push_back(fromJson(e.at("logs")));
    }
    for (const auto& b : state.value("batches", nlohmann::json::array()))
        m_batchLogs.push_back({b.at("epoch").get<int>(), b.at("batch").get<int>(), fromJson(b.at("logs"))});
    m_currentEpoch = state.value("current_epoch", 0);
}

} // namespace cklab
