#include "core/optim/RmsProp.h"

#include "core/base/Errors.h"

namespace cklab {

RmsProp::RmsProp(OptimizerConfig config)
    : Optimizer(std::move(config))
{
    throwIfInvalid(m_config.validate());
}

void RmsProp::apply(const std::vector<Matrix*>& variables, const std::vector<Matrix>& gradients)
{
    const bool useMomentum = m_config.momentum > 0.0f;
    prepareSlots(variables, gradients, useMomentum ? 2 : 1, SlotLayout::Grouped);
    const float lr = m_config.learningRate;
    const float rho = m_config.rho;
    const float eps = m_config.epsilon;
    for (std::size_t i = 0; i < variables.size(); ++i) {
        auto w = variables[i]->array();
        const auto g = gradients[i].array();
        auto v = slot(i, 0).array();
        v = rho * v + (1.0f - rho) * g.square();
        if (useMomentum) {
            auto m = slot(i, 1).array();
            m = m_config.momentum * m + (lr * g) / (v + eps).sqrt();
            w -= m;
        } else {
            w -= (lr * g) / (v + eps).sqrt();
        }
    }
    ++m_iterations;
}

} // namespace cklab
