#pragma once
/// Keras Dropout (inverted), element-wise on any shape: in training each value is kept with
/// probability 1 - rate and scaled by 1 / (1 - rate); the identity at inference.
#include "core/nn/layers/Layer.h"

namespace cklab {

class DropoutLayer : public Layer {
public:
    DropoutLayer(const LayerSpec& spec, std::vector<int> inputShape, std::vector<int> outputShape);

    const Matrix& forward(const Matrix& in, bool training, Rng* rng) override;
    void backward(const Matrix& in, const Matrix& dOut, bool dIsPreActivation, Matrix* dIn) override;
    bool identityAtInference() const override { return true; }
    void predict(const Matrix& in, Matrix& out) const override { out = in; }

private:
    Matrix m_mask; // kept values' scale, 0 for dropped ones
    Matrix m_out;
    bool m_dropped = false;
};

/// Flatten and Reshape: the rows already hold each sample in channels-last order, so only the
/// shape changes and the values pass unchanged (forward returns its input).
class ReshapeLayer : public Layer {
public:
    ReshapeLayer(const LayerSpec& spec, std::vector<int> inputShape, std::vector<int> outputShape);

    const Matrix& forward(const Matrix& in, bool training, Rng* rng) override;
    void backward(const Matrix& in, const Matrix& dOut, bool dIsPreActivation, Matrix* dIn) override;
    bool identityAtInference() const override { return true; }
    void predict(const Matrix& in, Matrix& out) const override { out = in; }
};

} // namespace cklab
