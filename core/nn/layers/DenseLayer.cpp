#include "core/nn/layers/DenseLayer.h"

#include "core/nn/Activation.h"
#include "core/nn/MatMul.h"

namespace cklab {

DenseLayer::DenseLayer(const LayerSpec& spec, std::vector<int> inputShape, std::vector<int> outputShape)
    : Layer(spec, std::move(inputShape), std::move(outputShape))
{
}

void DenseLayer::initialize(Rng& rng)
{
    Matrix& kernel = variable(0);
    glorotUniform(kernel, double(kernel.rows()), double(kernel.cols()), rng);
    if (m_spec.useBias)
        variable(1).setZero();
}

const Matrix& DenseLayer::forward(const Matrix& in, bool /*training*/, Rng* /*rng*/)
{
    matMul(in, variable(0), m_pre);
    biasAndActivate(m_spec.activation, bias(), m_pre, m_out);
    return m_out;
}

void DenseLayer::backward(const Matrix& in, const Matrix& dOut, bool dIsPreActivation, Matrix* dIn)
{
    const Matrix* dZ = &dOut;
    if (!dIsPreActivation) {
        activationBackward(m_spec.activation, m_pre, m_out, dOut, m_dZ);
        dZ = &m_dZ;
    }
    matMulAtB(in, *dZ, gradient(0));
    if (m_spec.useBias)
        columnSums(*dZ, gradient(1));
    if (dIn != nullptr)
        matMulABt(*dZ, variable(0), *dIn);
}

void DenseLayer::predict(const Matrix& in, Matrix& out) const
{
    Matrix z;
    matMul(in, variable(0), z);
    biasAndActivate(m_spec.activation, bias(), z, out);
}

} // namespace cklab
