#pragma once
/// Keras MaxPooling2D and AveragePooling2D (channels last, valid/same padding). Max pooling
/// sends the gradient to the first maximum of each window; average pooling with padding "same"
/// averages over the input values inside the window only, as Keras/TensorFlow do.
#include <cstdint>

#include "core/nn/layers/Layer.h"
#include "core/nn/layers/Window2D.h"

namespace cklab {

class Pooling2DLayer : public Layer {
public:
    Pooling2DLayer(const LayerSpec& spec, std::vector<int> inputShape, std::vector<int> outputShape);

    const Matrix& forward(const Matrix& in, bool training, Rng* rng) override;
    void backward(const Matrix& in, const Matrix& dOut, bool dIsPreActivation, Matrix* dIn) override;
    void predict(const Matrix& in, Matrix& out) const override;

private:
    /// out [n, outputSize]; argmax (max pooling, may be null): per output value the index of the
    /// chosen input value within its sample.
    void pool(const Matrix& in, Matrix& out, std::vector<std::int32_t>* argmax) const;

    Window2D m_window;
    bool m_max = true;
    Matrix m_out;
    std::vector<std::int32_t> m_argmax;
};

/// Keras GlobalAveragePooling2D: [H, W, C] -> [C], the mean of each channel.
class GlobalAveragePooling2DLayer : public Layer {
public:
    GlobalAveragePooling2DLayer(const LayerSpec& spec, std::vector<int> inputShape, std::vector<int> outputShape);

    const Matrix& forward(const Matrix& in, bool training, Rng* rng) override;
    void backward(const Matrix& in, const Matrix& dOut, bool dIsPreActivation, Matrix* dIn) override;
    void predict(const Matrix& in, Matrix& out) const override;

private:
    Matrix m_out;
};

} // namespace cklab
