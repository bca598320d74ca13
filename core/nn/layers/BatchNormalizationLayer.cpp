#include "core/nn/layers/BatchNormalizationLayer.h"

#include <cmath>
#include <vector>

namespace cklab {

namespace {

// A batch [n, P * C] seen as n * P rows of C channels.
Eigen::Map<const Matrix> channelRows(const Matrix& m, Eigen::Index channels)
{
    return Eigen::Map<const Matrix>(m.data(), m.size() / channels, channels);
}

} // namespace

BatchNormalizationLayer::BatchNormalizationLayer(const LayerSpec& spec, std::vector<int> inputShape,
                                                 std::vector<int> outputShape)
    : Layer(spec, std::move(inputShape), std::move(outputShape)), m_channels(m_inputShape.back()),
      m_movingIndex(std::size_t(spec.scale) + std::size_t(spec.center))
{
}

void BatchNormalizationLayer::initialize(Rng& /*rng*/)
{
    std::size_t i = 0;
    if (m_spec.scale)
        variable(i++).setOnes();
    if (m_spec.center)
        variable(i++).setZero();
    variable(i++).setZero(); // moving_mean
    variable(i).setOnes();   // moving_variance
}

void BatchNormalizationLayer::normalize(const Matrix& in, const RowVector& mean, const RowVector& variance,
                                        Matrix& out) const
{
    RowVector inv = (variance.array() + m_spec.epsilon).sqrt().inverse();
    if (m_spec.scale)
        inv.array() *= variable(0).row(0).array();
    RowVector shift = -(mean.array() * inv.array());
    if (m_spec.center)
        shift += variable(m_spec.scale ? 1 : 0).row(0);
    out.resize(in.rows(), in.cols());
    const auto x = channelRows(in, m_channels);
    Eigen::Map<Matrix> y(out.data(), x.rows(), m_channels);
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        y.row(r) = x.row(r).array() * inv.array() + shift.array();
}

const Matrix& BatchNormalizationLayer::forward(const Matrix& in, bool training, Rng* /*rng*/)
{
    m_lastTraining = training;
    if (!training) {
        m_mean = movingMean().row(0);
        m_variance = movingVariance().row(0);
        normalize(in, m_mean, m_variance, m_out);
        return m_out;
    }
    // Two passes in double: the same statistics at any batch order and thread count.
    const auto x = channelRows(in, m_channels);
    const double count = double(x.rows());
    Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(m_channels);
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        sum += x.row(r).cast<double>();
    const Eigen::RowVectorXd mean = sum / count;
    Eigen::RowVectorXd squares = Eigen::RowVectorXd::Zero(m_channels);
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        squares.array() += (x.row(r).cast<double>() - mean).array().square();
    m_mean = mean.cast<float>();
    m_variance = (squares / count).cast<float>();
    normalize(in, m_mean, m_variance, m_out);
    const float momentum = m_spec.momentum;
    Matrix& movingMeanVar = variable(m_movingIndex);
    Matrix& movingVarianceVar = variable(m_movingIndex + 1);
    movingMeanVar.row(0) = movingMeanVar.row(0) * momentum + m_mean * (1.0f - momentum);
    movingVarianceVar.row(0) = movingVarianceVar.row(0) * momentum + m_variance * (1.0f - momentum);
    return m_out;
}

void BatchNormalizationLayer::backward(const Matrix& in, const Matrix& dOut, bool /*dIsPreActivation*/, Matrix* dIn)
{
    const Eigen::Index channels = m_channels;
    const Eigen::Index rows = in.size() / channels;
    const auto c = static_cast<std::size_t>(channels);
    std::vector<double> invStd(c), mean(c), sumDy(c, 0.0), sumDyXhat(c, 0.0), gammaInv(c);
    for (std::size_t j = 0; j < c; ++j) {
        invStd[j] = 1.0 / std::sqrt(double(m_variance(Eigen::Index(j))) + double(m_spec.epsilon));
        mean[j] = m_mean(Eigen::Index(j));
        gammaInv[j] = invStd[j] * (m_spec.scale ? double(variable(0)(0, Eigen::Index(j))) : 1.0);
    }
    const float* x = in.data();
    const float* dy = dOut.data();
    for (Eigen::Index r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < c; ++j) {
            const double g = dy[std::size_t(r) * c + j];
            sumDy[j] += g;
            sumDyXhat[j] += g * (x[std::size_t(r) * c + j] - mean[j]) * invStd[j];
        }
    std::size_t gi = 0;
    if (m_spec.scale) {
        Matrix& dGamma = gradient(gi++);
        for (std::size_t j = 0; j < c; ++j)
            dGamma(0, Eigen::Index(j)) = float(sumDyXhat[j]);
    }
    if (m_spec.center) {
        Matrix& dBeta = gradient(gi);
        for (std::size_t j = 0; j < c; ++j)
            dBeta(0, Eigen::Index(j)) = float(sumDy[j]);
    }
    if (dIn == nullptr)
        return;
    dIn->resize(dOut.rows(), dOut.cols()); // no-op when dIn is dOut (backwardInPlace)
    float* dx = dIn->data();
    // The batch statistics depend on x in training; the moving ones (after a forward with
    // training = false) do not.
    const double count = double(rows);
    for (Eigen::Index r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < c; ++j) {
            const std::size_t k = std::size_t(r) * c + j;
            if (!m_lastTraining) {
                dx[k] = float(dy[k] * gammaInv[j]);
                continue;
            }
            const double xhat = (x[k] - mean[j]) * invStd[j];
            dx[k] = float(gammaInv[j] * (dy[k] - sumDy[j] / count - xhat * sumDyXhat[j] / count));
        }
}

void BatchNormalizationLayer::predict(const Matrix& in, Matrix& out) const
{
    normalize(in, movingMean().row(0), movingVariance().row(0), out);
}

} // namespace cklab
