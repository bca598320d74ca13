#include "core/optim/Adam.h"

#include <cmath>

#include "core/base/Errors.h"
#include "core/nn/IsaKernels.h"
#include "core/nn/WorkerPool.h"

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
    // Large variables in two halves on the matrix products' thread pool (--threads): every
    // element's update is independent of the others, so the result is the same at any count.
    constexpr long kSplitMinElements = 32 * 1024;
    constexpr long kSplitAlign = 64; // whole cache lines; a multiple of every ISA's vector width
    for (std::size_t i = 0; i < variables.size(); ++i) {
        float* w = variables[i]->data();
        const float* g = gradients[i].data();
        float* m = slot(i, 0).data();
        float* v = slot(i, 1).data();
        runHalves(static_cast<long>(variables[i]->size()), kSplitMinElements, kSplitAlign,
                  [&](long begin, long end) {
                      if (end > begin)
                          kernels.adam(w + begin, g + begin, m + begin, v + begin, end - begin, constants);
                  });
    }
    ++m_iterations;
}

} // namespace cklab
