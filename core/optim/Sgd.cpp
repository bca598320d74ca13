#include "core/optim/Sgd.h"

#include "core/base/Errors.h"

namespace cklab {

Sgd::Sgd(OptimizerConfig config)
    : Optimizer(std::move(config))
{
    throwIfInvalid(m_config.validate());
}

void Sgd::apply(const std::vector<Matrix*>& variables, const std::vector<Matrix>& gradients)
{
    const float lr = m_config.learningRate;
    const float momentum = m_config.momentum;
    const bool useMomentum = momentum != 0.0f;
    prepareSlots(variables, gradients, useMomentum ? 1 : 0, SlotLayout::Interleaved);
    for (std::size_t i = 0; i < variables.size(); ++i) {
        auto w = variables[i]->array();
        const auto g = gradients[i].array();
        if (!useMomentum) {
            w -= g * lr;
            continue;
        }
        auto m = slot(i, 0).array();
        m = m * momentum - g * lr;
        if (m_config.nesterov)
            w += m * momentum - g * lr;
        else
            w += m;
    }
    ++m_iterations;
}

} // namespace cklab
