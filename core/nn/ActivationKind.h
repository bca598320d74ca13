#pragma once
/// The activation functions of Dense layers (no Eigen here: the per-instruction-set kernels in
/// core/nn/simd include their own copy of Eigen and need only the numbering).
namespace cklab {

enum class Activation { Linear, Relu, Sigmoid, Tanh, Softmax, LeakyRelu, Elu, Gelu, Softplus };

/// Keras 3 defaults.
constexpr float kLeakyReluSlope = 0.2f; // leaky_relu negative_slope
constexpr float kEluAlpha = 1.0f;       // elu alpha

} // namespace cklab
