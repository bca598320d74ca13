#include "core/optim/Optimizer.h"

#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/base/Errors.h"
#include "core/optim/Adam.h"
#include "core/optim/AdamW.h"
#include "core/optim/OptimizerKind.h"
#include "core/optim/RmsProp.h"
#include "core/optim/Sgd.h"

namespace cklab {

namespace {

bool inUnit(float v, bool closedAtOne)
{
    return v >= 0.0f && (closedAtOne ? v <= 1.0f : v < 1.0f);
}

} // namespace

std::vector<std::string> OptimizerConfig::validate() const
{
    std::vector<std::string> problems;
    const auto kind = optimizerKindFromName(type);
    if (!kind)
        problems.push_back(fmt::format("optimizer.type: must be one of {}, got '{}'",
                                       fmt::join(optimizerKindNames(), ", "), type));
    if (!(learningRate > 0.0f) || !std::isfinite(learningRate))
        problems.push_back(fmt::format("optimizer.learning_rate: must be > 0, got {}", learningRate));
    const bool adamLike = kind == OptimizerKind::Adam || kind == OptimizerKind::AdamW;
    if (adamLike) {
        if (!inUnit(beta1, false))
            problems.push_back(fmt::format("optimizer.beta_1: must be in [0, 1), got {}", beta1));
        if (!inUnit(beta2, false))
            problems.push_back(fmt::format("optimizer.beta_2: must be in [0, 1), got {}", beta2));
    }
    if (!(epsilon > 0.0f))
        problems.push_back(fmt::format("optimizer.epsilon: must be > 0, got {}", epsilon));
    if ((kind == OptimizerKind::Sgd || kind == OptimizerKind::RmsProp) && !inUnit(momentum, true))
        problems.push_back(fmt::format("optimizer.momentum: must be in [0, 1], got {}", momentum));
    if (kind == OptimizerKind::RmsProp && !inUnit(rho, false))
        problems.push_back(fmt::format("optimizer.rho: must be in [0, 1), got {}", rho));
    if (kind == OptimizerKind::AdamW && !(weightDecay >= 0.0f))
        problems.push_back(fmt::format("optimizer.weight_decay: must be >= 0, got {}", weightDecay));
    return problems;
}

OptimizerConfig OptimizerConfig::defaultsFor(const std::string& type)
{
    OptimizerConfig config;
    config.type = type;
    if (optimizerKindFromName(type) == OptimizerKind::Sgd)
        config.learningRate = 0.01f;
    else
        config.learningRate = 0.001f; // adam, adamw, rmsprop
    config.beta1 = 0.9f;
    config.beta2 = 0.999f;
    config.epsilon = 1e-7f;
    config.momentum = 0.0f;
    config.nesterov = false;
    config.rho = 0.9f;
    config.weightDecay = 0.004f;
    return config;
}

void Optimizer::prepareSlots(const std::vector<Matrix*>& variables, const std::vector<Matrix>& gradients,
                             int slotsPerVariable, SlotLayout layout)
{
    if (variables.size() != gradients.size())
        throw std::invalid_argument(fmt::format("optimizer: {} variables but {} gradients", variables.size(), gradients.size()));
    for (std::size_t i = 0; i < variables.size(); ++i) {
        if (variables[i]->rows() != gradients[i].rows() || variables[i]->cols() != gradients[i].cols())
            throw std::invalid_argument(fmt::format("optimizer: gradient {} is [{}, {}], variable is [{}, {}]", i,
                                                    gradients[i].rows(), gradients[i].cols(), variables[i]->rows(),
                                                    variables[i]->cols()));
    }
    m_slotsPerVariable = slotsPerVariable;
    m_layout = layout;
    m_variableCount = variables.size();
    const std::size_t expected = variables.size() * static_cast<std::size_t>(slotsPerVariable);
    auto variableOfSlot = [&](std::size_t s) {
        return layout == SlotLayout::Interleaved ? s / static_cast<std::size_t>(slotsPerVariable) : s % variables.size();
    };
    if (m_slots.empty() && expected > 0) {
        m_slots.reserve(expected);
        for (std::size_t s = 0; s < expected; ++s) {
            const Matrix& v = *variables[variableOfSlot(s)];
            m_slots.push_back(Matrix::Zero(v.rows(), v.cols()));
        }
        return;
    }
    if (m_slots.size() != expected)
        throw ConfigError({fmt::format("optimizer state: {} has {} slot variables, the model needs {}", m_config.type,
                                       m_slots.size(), expected)});
    for (std::size_t s = 0; s < expected; ++s) {
        const Matrix& v = *variables[variableOfSlot(s)];
        if (m_slots[s].rows() != v.rows() || m_slots[s].cols() != v.cols())
            throw ConfigError({fmt::format("optimizer state: slot {} is [{}, {}], its variable is [{}, {}]", s,
                                           m_slots[s].rows(), m_slots[s].cols(), v.rows(), v.cols())});
    }
}

Matrix& Optimizer::slot(std::size_t variable, int kind)
{
    const auto k = static_cast<std::size_t>(kind);
    if (m_layout == SlotLayout::Interleaved)
        return m_slots[variable * static_cast<std::size_t>(m_slotsPerVariable) + k];
    return m_slots[k * m_variableCount + variable];
}

OptimizerState Optimizer::makeState() const
{
    OptimizerState state;
    state.name = m_config.type;
    state.iterations = m_iterations;
    state.learningRate = m_config.learningRate;
    state.slotValues = m_slots;
    return state;
}

void Optimizer::restoreCommonState(const OptimizerState& state)
{
    std::vector<std::string> problems;
    if (state.name != m_config.type)
        problems.push_back(fmt::format("optimizer state: is for '{}', this optimizer is '{}'", state.name, m_config.type));
    if (state.iterations < 0)
        problems.push_back(fmt::format("optimizer state: iterations must be >= 0, got {}", state.iterations));
    if (!(state.learningRate > 0.0f))
        problems.push_back(fmt::format("optimizer state: learning rate must be > 0, got {}", state.learningRate));
    if (m_variableCount > 0 && state.slotValues.size() != m_slots.size())
        problems.push_back(fmt::format("optimizer state: has {} slot variables, the model needs {}", state.slotValues.size(),
                                       m_slots.size()));
    for (std::size_t s = 0; m_variableCount > 0 && s < state.slotValues.size() && s < m_slots.size(); ++s) {
        if (state.slotValues[s].rows() != m_slots[s].rows() || state.slotValues[s].cols() != m_slots[s].cols())
            problems.push_back(fmt::format("optimizer state: slot {} is [{}, {}], expected [{}, {}]", s,
                                           state.slotValues[s].rows(), state.slotValues[s].cols(), m_slots[s].rows(),
                                           m_slots[s].cols()));
    }
    throwIfInvalid(problems);
    m_iterations = state.iterations;
    m_config.learningRate = state.learningRate;
    m_slots = state.slotValues; // checked against the variables at the next apply() if not built yet
}

std::unique_ptr<Optimizer> makeOptimizer(const OptimizerConfig& config)
{
    throwIfInvalid(config.validate());
    switch (*optimizerKindFromName(config.type)) { // validate() refused unknown names
    case OptimizerKind::Sgd: return std::make_unique<Sgd>(config);
    case OptimizerKind::Adam: return std::make_unique<Adam>(config);
    case OptimizerKind::AdamW: return std::make_unique<AdamW>(config);
    case OptimizerKind::RmsProp: break;
    }
    return std::make_unique<RmsProp>(config);
}

} // namespace cklab
