#pragma once
/// Keras 3 BatchNormalization(axis=-1) on flat rows or on images (per channel). Training
/// normalises with the batch's mean and biased variance and moves the statistics:
/// moving = moving * momentum + batch * (1 - momentum). Inference (and forward(training=false))
/// uses the moving statistics. Variables in Keras order: gamma (scale), beta (center) - both
/// trainable - then moving_mean, moving_variance (non-trainable). Output as Keras computes it:
/// x * inv + (beta - mean * inv) with inv = gamma / sqrt(variance + epsilon).
#include "core/nn/layers/Layer.h"

namespace cklab {

class BatchNormalizationLayer : public Layer {
public:
    BatchNormalizationLayer(const LayerSpec& spec, std::vector<int> inputShape, std::vector<int> outputShape);

    void initialize(Rng& rng) override;
    const Matrix& forward(const Matrix& in, bool training, Rng* rng) override;
    void backward(const Matrix& in, const Matrix& dOut, bool dIsPreActivation, Matrix* dIn) override;
    /// dL/d(input) element k needs dOut element k and per-channel sums taken first.
    bool backwardInPlace() const override { return true; }
    void predict(const Matrix& in, Matrix& out) const override;

private:
    /// out = in * inv + shift per channel, with inv and shift from (mean, variance).
    void normalize(const Matrix& in, const RowVector& mean, const RowVector& variance, Matrix& out) const;
    const Matrix& movingMean() const { return variable(m_movingIndex); }
    const Matrix& movingVariance() const { return variable(m_movingIndex + 1); }

    Eigen::Index m_channels = 0;
    std::size_t m_movingIndex = 0;   // index of moving_mean among the variables
    RowVector m_mean, m_variance;    // of the last forward (batch or moving statistics)
    bool m_lastTraining = false;
    Matrix m_out;
};

} // namespace cklab
