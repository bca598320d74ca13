#include "core/train/EarlyStopping.h"

#include <cmath>
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/base/Errors.h"
#include "core/base/JsonNumbers.h"
#include "core/model/Model.h"

namespace cklab {

namespace {

MessageSink orStdout(MessageSink sink)
{
    if (sink)
        return sink;
    return [](const std::string& line) {
        std::fputs((line + "\n").c_str(), stdout);
        std::fflush(stdout);
    };
}

nlohmann::json matrixToJson(const Matrix& m)
{
    std::vector<float> values(m.data(), m.data() + m.size());
    return {{"rows", m.rows()}, {"cols", m.cols()}, {"values", values}};
}

Matrix matrixFromJson(const nlohmann::json& j)
{
    Matrix m(j.at("rows").get<Eigen::Index>(), j.at("cols").get<Eigen::Index>());
    const auto values = j.at("values").get<std::vector<float>>();
    if (static_cast<Eigen::Index>(values.size()) != m.size())
        throw ConfigError({"early_stopping state: best weights have the wrong number of values"});
    std::copy(values.begin(), values.end(), m.data());
    return m;
}

} // namespace

std::vector<std::string> EarlyStopping::validate(const EarlyStoppingConfig& config)
{
    std::vector<std::string> problems;
    const auto mode = resolveMonitorMode("EarlyStopping", config.mode, config.monitor);
    if (!mode.error.empty())
        problems.push_back(mode.error);
    if (config.patience < 0)
        problems.push_back(fmt::format("EarlyStopping patience must be >= 0. Received: patience={}", config.patience));
    if (config.startFromEpoch < 0)
        problems.push_back(
            fmt::format("EarlyStopping start_from_epoch must be >= 0. Received: start_from_epoch={}", config.startFromEpoch));
    return problems;
}

EarlyStopping::EarlyStopping(EarlyStoppingConfig config, MessageSink messages)
    : m_config(std::move(config)), m_messages(orStdout(std::move(messages)))
{
    throwIfInvalid(validate(m_config));
    const auto mode = resolveMonitorMode("EarlyStopping", m_config.mode, m_config.monitor);
    m_mode = *mode.mode;
    if (!mode.warning.empty())
        m_messages(mode.warning);
    m_config.minDelta = std::fabs(m_config.minDelta);
}

void EarlyStopping::trainBegin(Logs&)
{
    m_wait = 0;
    m_stoppedEpoch = 0;
    m_best.reset();
    m_bestEpoch = 0;
    m_bestWeights.clear();
}

bool EarlyStopping::improves(double current, std::optional<double> reference) const
{
    if (std::isnan(current))
        return false;
    if (!reference)
        return true;
    return m_mode == MonitorMode::Min ? current < *reference - m_config.minDelta : current > *reference + m_config.minDelta;
}

std::vector<Matrix> EarlyStopping::weights() const
{
    std::vector<Matrix> out;
    if (m_model) {
        for (const Matrix* v : std::as_const(m_model->network()).variables())
            out.push_back(*v);
    }
    return out;
}

void EarlyStopping::epochEnd(int epoch, Logs& logs)
{
    const auto it = logs.find(m_config.monitor);
    if (it == logs.end()) {
        std::string keys;
        for (const auto& [k, v] : logs)
            keys += (keys.empty() ? "" : ",") + k;
        m_messages(fmt::format("Early stopping conditioned on metric `{}` which is not available. Available metrics are: {}",
                               m_config.monitor, keys));
        return;
    }
    if (epoch < m_config.startFromEpoch)
        return;
    const double current = it->second;
    if (m_config.restoreBestWeights && m_bestWeights.empty()) {
        // Until something improves, the first weights seen are the best ones.
        m_bestWeights = weights();
        m_bestEpoch = epoch;
    }
    ++m_wait;
    if (improves(current, m_best)) {
        m_best = current;
        m_bestEpoch = epoch;
        if (m_config.restoreBestWeights)
            m_bestWeights = weights();
        // Only restart the wait when the baseline is beaten too (Keras).
        if (!m_config.baseline || improves(current, m_config.baseline))
            m_wait = 0;
        return;
    }
    if (m_wait >= m_config.patience && epoch > 0) {
        m_stoppedEpoch = epoch;
        if (m_model)
            m_model->stopTraining = true;
    }
}

void EarlyStopping::trainEnd(Logs&)
{
    if (m_stoppedEpoch > 0 && m_config.verbose > 0)
        m_messages(fmt::format("Epoch {}: early stopping", m_stoppedEpoch + 1));
    if (m_stoppedEpoch > 0 && m_config.restoreBestWeights && !m_bestWeights.empty() && m_model) {
        if (m_config.verbose > 0)
            m_messages(fmt::format("Restoring model weights from the end of the best epoch: {}.", m_bestEpoch + 1));
        auto vars = m_model->network().variables();
        for (std::size_t i = 0; i < vars.size() && i < m_bestWeights.size(); ++i)
            *vars[i] = m_bestWeights[i];
    }
}

nlohmann::json EarlyStopping::state() const
{
    auto bestWeights = nlohmann::json::array();
    for (const auto& m : m_bestWeights)
        bestWeights.push_back(matrixToJson(m));
    return {{"wait", m_wait},
            {"stopped_epoch", m_stoppedEpoch},
            {"best", optionalNumberToJson(m_best)},
            {"best_epoch", m_bestEpoch},
            {"best_weights", bestWeights}};
}

void EarlyStopping::restoreState(const nlohmann::json& state)
{
    m_wait = state.at("wait").get<int>();
    m_stoppedEpoch = state.at("stopped_epoch").get<int>();
    m_best = optionalNumberFromJson(state.at("best"));
    m_bestEpoch = state.at("best_epoch").get<int>();
    m_bestWeights.clear();
    for (const auto& j : state.at("best_weights"))
        m_bestWeights.push_back(matrixFromJson(j));
}

} // namespace cklab
