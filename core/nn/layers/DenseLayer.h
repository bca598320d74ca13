#pragma once
/// Keras Dense on flat rows: z = x W + b, a = activation(z); kernel [in, out], bias [1, out].
#include "core/nn/layers/Layer.h"

namespace cklab {

class DenseLayer : public Layer {
public:
    DenseLayer(const LayerSpec& spec, std::vector<int> inputShape, std::vector<int> outputShape);

    void initialize(Rng& rng) override;
    const Matrix& forward(const Matrix& in, bool training, Rng* rng) override;
    void backward(const Matrix& in, const Matrix& dOut, bool dIsPreActivation, Matrix* dIn) override;
    void predict(const Matrix& in, Matrix& out) const override;

private:
    const Matrix* bias() const { return m_spec.useBias ? &variable(1) : nullptr; }

    Matrix m_pre, m_out, m_dZ; // kept for their capacity across steps
};

} // namespace cklab
