#include "core/nn/Activation.h"

#include <array>

#include "core/nn/IsaKernels.h"

namespace cklab {

namespace {

constexpr std::array<std::string_view, 9> kNames{
    "linear", "relu", "sigmoid", "tanh", "softmax", "leaky_relu", "elu", "gelu", "softplus"};

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

void biasAndActivate(Activation a, const Matrix* bias, Matrix& z, Matrix& out)
{
    out.resize(z.rows(), z.cols());
    if (z.size() == 0)
        return;
    if (bias != nullptr)
        isaKernels().biasForward(static_cast<int>(a), bias->data(), z.data(), out.data(), z.rows(), z.cols());
    else
        isaKernels().forward(static_cast<int>(a), z.data(), out.data(), z.rows(), z.cols());
}

void applyActivation(Activation a, const Matrix& z, Matrix& out)
{
    out.resize(z.rows(), z.cols());
    if (z.size() == 0)
        return;
    isaKernels().forward(static_cast<int>(a), z.data(), out.data(), z.rows(), z.cols());
}

void applyActivation(Activation a, Matrix& z)
{
    if (z.size() == 0)
        return;
    isaKernels().forward(static_cast<int>(a), z.data(), z.data(), z.rows(), z.cols());
}

void activationBackward(Activation a, const Matrix& z, const Matrix& out, const Matrix& dOut, Matrix& dZ)
{
    dZ.resize(dOut.rows(), dOut.cols());
    if (dOut.size() == 0)
        return;
    isaKernels().backward(static_cast<int>(a), z.data(), out.data(), dOut.data(), dZ.data(), dOut.rows(), dOut.cols());
}

} // namespace cklab
