#pragma once
/// Activation functions of Dense layers, named as Keras names them. The arithmetic runs in the
/// element-wise kernels of the instruction set in use (core/nn/IsaKernels.h).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/nn/ActivationKind.h"
#include "core/nn/Tensor.h"

namespace cklab {

/// Keras name ("linear", "relu", "sigmoid", "tanh", "softmax", "leaky_relu", "elu", "gelu", "softplus").
std::string_view activationName(Activation a);
std::optional<Activation> activationFromName(std::string_view name);
const std::vector<std::string>& activationNames();

/// In place: z (pre-activation) -> a. Softmax is row-wise and numerically stable.
void applyActivation(Activation a, Matrix& z);
/// out = f(z); out is resized (its capacity is kept across calls of the same shape).
void applyActivation(Activation a, const Matrix& z, Matrix& out);
/// z += bias (a [1, z.cols()] row; nullptr: none), then out = f(z), in one pass over each row.
void biasAndActivate(Activation a, const Matrix* bias, Matrix& z, Matrix& out);
/// dZ = dA * f'(z) given z (pre-activation) and a = f(z). For softmax uses the row Jacobian.
void activationBackward(Activation a, const Matrix& z, const Matrix& out, const Matrix& dOut, Matrix& dZ);

} // namespace cklab
