#include "core/nn/Activation.h"

#include <array>
#include <cmath>
#include <numbers>

namespace cklab {

namespace {

constexpr float kLeakySlope = 0.2f;  // Keras 3 leaky_relu default negative_slope
constexpr float kEluAlpha = 1.0f;    // Keras elu default alpha

constexpr std::array<std::string_view, 9> kNames{
    "linear", "relu", "sigmoid", "tanh", "softmax", "leaky_relu", "elu", "gelu", "softplus"};

float geluValue(float x)
{
    return 0.5f * x * (1.0f + std::erf(x * static_cast<float>(std::numbers::sqrt2 / 2.0)));
}

float geluDerivative(float x)
{
    const float cdf = 0.5f * (1.0f + std::erf(x * static_cast<float>(std::numbers::sqrt2 / 2.0)));
    const float pdf = std::exp(-0.5f * x * x) * static_cast<float>(0.5 * std::numbers::inv_sqrtpi * std::numbers::sqrt2);
    return cdf + x * pdf;
}

// log(1 + exp(x)) without overflow for large x or loss of precision for very negative x.
float softplusValue(float x)
{
    return std::max(x, 0.0f) + std::log1p(std::exp(-std::abs(x)));
}

void softmaxRows(const Matrix& z, Matrix& out)
{
    out.resize(z.rows(), z.cols());
    for (Eigen::Index r = 0; r < z.rows(); ++r) {
        const float maxValue = z.row(r).maxCoeff();
        out.row(r) = (z.row(r).array() - maxValue).exp().matrix();
        out.row(r) /= out.row(r).sum();
    }
}

} // namespace

std::string_view activationName(Activation a)
{
    return kNames[static_cast<std::size_t>(a)];
}

std::optional<Activation> activationFromName(std::string_view name)
{
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (kNames[i] == name)
            return static_cast<Activation>(i);
    }
    return std::nullopt;
}

const std::vector<std::string>& activationNames()
{
    static const std::vector<std::string> names(kNames.begin(), kNames.end());
    return names;
}

void applyActivation(Activation a, const Matrix& z, Matrix& out)
{
    out.resize(z.rows(), z.cols());
    switch (a) {
    case Activation::Linear: out = z; break;
    case Activation::Relu: out = z.cwiseMax(0.0f); break;
    case Activation::Sigmoid: out = (1.0f + (-z.array()).exp()).inverse().matrix(); break;
    case Activation::Tanh: out = z.array().tanh().matrix(); break;
    case Activation::Softmax: softmaxRows(z, out); break;
    case Activation::LeakyRelu: out = (z.array() > 0.0f).select(z.array(), kLeakySlope * z.array()).matrix(); break;
    case Activation::Elu: out = (z.array() > 0.0f).select(z.array(), kEluAlpha * (z.array().exp() - 1.0f)).matrix(); break;
    case Activation::Gelu: out = z.unaryExpr(&geluValue); break;
    case Activation::Softplus: out = z.unaryExpr(&softplusValue); break;
    }
}

void applyActivation(Activation a, Matrix& z)
{
    switch (a) {
    case Activation::Linear: return;
    case Activation::Relu: z = z.cwiseMax(0.0f); return;
    case Activation::Sigmoid: z = (1.0f + (-z.array()).exp()).inverse().matrix(); return;
    case Activation::Tanh: z = z.array().tanh().matrix(); return;
    default: {
        Matrix out;
        applyActivation(a, z, out);
        z.swap(out);
        return;
    }
    }
}

void activationBackward(Activation a, const Matrix& z, const Matrix& out, const Matrix& dOut, Matrix& dZ)
{
    dZ.resize(dOut.rows(), dOut.cols());
    switch (a) {
    case Activation::Linear: dZ = dOut; break;
    case Activation::Relu: dZ = (z.array() > 0.0f).select(dOut.array(), 0.0f).matrix(); break;
    case Activation::Sigmoid: dZ = (dOut.array() * out.array() * (1.0f - out.array())).matrix(); break;
    case Activation::Tanh: dZ = (dOut.array() * (1.0f - out.array().square())).matrix(); break;
    case Activation::Softmax: {
        // Row Jacobian of softmax: dz_j = a_j (g_j - sum_i g_i a_i).
        const Eigen::VectorXf dots = (dOut.array() * out.array()).rowwise().sum().matrix();
        dZ = (out.array() * (dOut.array().colwise() - dots.array())).matrix();
        break;
    }
    case Activation::LeakyRelu: dZ = (z.array() > 0.0f).select(dOut.array(), kLeakySlope * dOut.array()).matrix(); break;
    // For x <= 0, d/dx alpha (e^x - 1) = alpha e^x = out + alpha.
    case Activation::Elu: dZ = (z.array() > 0.0f).select(dOut.array(), dOut.array() * (out.array() + kEluAlpha)).matrix(); break;
    case Activation::Gelu: dZ = (dOut.array() * z.unaryExpr(&geluDerivative).array()).matrix(); break;
    // softplus'(x) = sigmoid(x)
    case Activation::Softplus: dZ = (dOut.array() * (1.0f + (-z.array()).exp()).inverse()).matrix(); break;
    }
}

} // namespace cklab
