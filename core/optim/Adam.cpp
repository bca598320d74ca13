#include "core/optim/Adam.h"

#include <cmath>

#include "core/base/Errors.h"

namespace cklab {

Adam::Adam(OptimizerConfig config)
    : Optimizer(std::move(config))
{
    throwIfInvalid(m_config.validate());
}

void Adam::apply(const std::vector<Matrix*>& variables, const std::vector<Matrix>& gradients)
{
    prepareSlots(variables, gradients, 2, SlotLayout::Interleaved);
    beforeUpdate(variables);
    // float32 like Keras: the step count and powers are computed in the variables' dtype.
    const float b1 = m_config.beta1;
    const float b2 = m_config.beta2;
    const float eps = m_config.epsilon;
    const auto step = static_cast<float>(m_iterations + 1);
    const float alpha = m_config.learningRate * std::sqrt(1.0f - std::pow(b2, step)) / (1.0f - std::pow(b1, step));
    for (std::size_t i = 0; i < variables.size(); ++i) {
        auto w = variables[i]->array();
        const auto g = gradients[i].array();
        auto m = slot(i, 0).array();
        auto v = slot(i, 1).array();
        m += (g - m) * (1.0f - b1);
        v += (g.square() - v) * (1.0f - b2);
        w -= (m * alpha) / (v.sqrt() + eps);
    }
    ++m_iterations;
}

} // namespace cklab
