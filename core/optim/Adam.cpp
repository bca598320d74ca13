#include "core/optim/Adam.h"

#include <cmath>

#include "core/base/Errors.h"
#include "core/nn/IsaKernels.h"

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
    // One pass over memory per variable, in the element-wise kernel of the instruction set in use.
    const simd::AdamStep constants{b1, b2, alpha, eps};
    const simd::Kernels& kernels = isaKernels();
    for (std::size_t i = 0; i < variables.size(); ++i) {
        if (variables[i]->size() > 0)
            kernels.adam(variables[i]->data(), gradients[i].data(), slot(i, 0).data(), slot(i, 1).data(),
                         static_cast<long>(variables[i]->size()), constants);
    }
    ++m_iterations;
}

} // namespace cklab
