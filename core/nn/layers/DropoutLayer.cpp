#include "core/nn/layers/DropoutLayer.h"

#include <stdexcept>

namespace cklab {

DropoutLayer::DropoutLayer(const LayerSpec& spec, std::vector<int> inputShape, std::vector<int> outputShape)
    : Layer(spec, std::move(inputShape), std::move(outputShape))
{
}

const Matrix& DropoutLayer::forward(const Matrix& in, bool training, Rng* rng)
{
    m_dropped = training && m_spec.rate > 0.0f;
    if (!m_dropped)
        return in;
    if (rng == nullptr)
        throw std::invalid_argument("Sequential::forward: dropout in training needs a random engine");
    // Inverted dropout: keep with probability 1 - rate, scale kept values by 1 / (1 - rate).
    const float scale = 1.0f / (1.0f - m_spec.rate);
    m_mask.resize(in.rows(), in.cols());
    for (Eigen::Index r = 0; r < m_mask.rows(); ++r)
        for (Eigen::Index c = 0; c < m_mask.cols(); ++c)
            m_mask(r, c) = rng->uniformFloat() >= m_spec.rate ? scale : 0.0f;
    m_out.resize(in.rows(), in.cols());
    m_out.array() = in.array() * m_mask.array();
    return m_out;
}

void DropoutLayer::backward(const Matrix& /*in*/, const Matrix& dOut, bool /*dIsPreActivation*/, Matrix* dIn)
{
    if (dIn == nullptr)
        return;
    if (m_dropped) {
        dIn->resize(dOut.rows(), dOut.cols());
        dIn->array() = dOut.array() * m_mask.array();
    } else {
        *dIn = dOut;
    }
}

ReshapeLayer::ReshapeLayer(const LayerSpec& spec, std::vector<int> inputShape, std::vector<int> outputShape)
    : Layer(spec, std::move(inputShape), std::move(outputShape))
{
}

const Matrix& ReshapeLayer::forward(const Matrix& in, bool /*training*/, Rng* /*rng*/)
{
    return in;
}

void ReshapeLayer::backward(const Matrix& /*in*/, const Matrix& dOut, bool /*dIsPreActivation*/, Matrix* dIn)
{
    if (dIn != nullptr)
        *dIn = dOut;
}

} // namespace cklab
