#include "core/optim/Adam.h"

#include <algorithm>
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
    // One pass over memory: each chunk of w, g, m, v (4 x 4 KiB) is updated by the three
    // vectorised expressions while it is in L1, instead of streaming the whole arrays three times.
    constexpr Eigen::Index kChunk = 1024;
    for (std::size_t i = 0; i < variables.size(); ++i) {
        float* wData = variables[i]->data();
        const float* gData = gradients[i].data();
        float* mData = slot(i, 0).data();
        float* vData = slot(i, 1).data();
        const Eigen::Index size = variables[i]->size();
        for (Eigen::Index start = 0; start < size; start += kChunk) {
            const Eigen::Index len = std::min(kChunk, size - start);
            Eigen::Map<Eigen::ArrayXf> w(wData + start, len), m(mData + start, len), v(vData + start, len);
            const Eigen::Map<const Eigen::ArrayXf> g(gData + start, len);
            m += (g - m) * (1.0f - b1);
            v += (g.square() - v) * (1.0f - b2);
            w -= (m * alpha) / (v.sqrt() + eps);
        }
    }
    ++m_iterations;
}

} // namespace cklab
