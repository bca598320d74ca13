#pragma once
/// Keras Conv2D (channels last) by im2col and the engine's GEMM: each output position's
/// receptive field becomes one row of kh * kw * C values in (ky, kx, c) order, so the kernel
/// (kh, kw, in, out) is the row-major matrix [kh * kw * in, out] Keras stores, and the product
/// [n * outH * outW, out] is already the channels-last output of the batch.
#include "core/nn/layers/Layer.h"
#include "core/nn/layers/Window2D.h"

namespace cklab {

class Conv2DLayer : public Layer {
public:
    Conv2DLayer(const LayerSpec& spec, std::vector<int> inputShape, std::vector<int> outputShape);

    void initialize(Rng& rng) override;
    const Matrix& forward(const Matrix& in, bool training, Rng* rng) override;
    void backward(const Matrix& in, const Matrix& dOut, bool dIsPreActivation, Matrix* dIn) override;
    void predict(const Matrix& in, Matrix& out) const override;

private:
    void im2col(const Matrix& in, Matrix& cols) const;
    void col2im(const Matrix& dCols, Matrix& dIn) const;
    /// z = cols * kernel + bias, out = activation(z), both [n * positions, filters].
    void convolve(const Matrix& in, Matrix& cols, Matrix& z, Matrix& out) const;

    Window2D m_window;
    bool m_direct = false; // 1x1 kernel, stride 1: the input rows are already the im2col matrix
    Matrix m_cols, m_pre, m_out, m_dOut, m_dZ, m_dCols; // m_cols also holds dCols in backward() (not m_direct)
};

} // namespace cklab
