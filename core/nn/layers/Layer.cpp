#include "core/nn/layers/Layer.h"

#include <cmath>
#include <stdexcept>

namespace cklab {

Layer::Layer(const LayerSpec& spec, std::vector<int> inputShape, std::vector<int> outputShape)
    : m_spec(spec), m_inputShape(std::move(inputShape)), m_outputShape(std::move(outputShape))
{
}

void Layer::bind(std::vector<Matrix*> variables, std::vector<Matrix*> gradients)
{
    m_vars = std::move(variables);
    m_grads = std::move(gradients);
}

void Layer::initialize(Rng& /*rng*/)
{
    for (Matrix* v : m_vars)
        v->setZero();
}

void columnSums(const Matrix& m, Matrix& sums)
{
    sums.setZero();
    auto acc = sums.row(0);
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        acc += m.row(r);
}

void glorotUniform(Matrix& kernel, double fanIn, double fanOut, Rng& rng)
{
    const float limit = std::sqrt(6.0f / static_cast<float>(fanIn + fanOut));
    for (Eigen::Index r = 0; r < kernel.rows(); ++r)
        for (Eigen::Index c = 0; c < kernel.cols(); ++c)
            kernel(r, c) = rng.uniform(-limit, limit);
}

} // namespace cklab
