#pragma once
// Raw-pointer entry points of the per-instruction-set element-wise kernels (the Adam update and
// the activations), compiled from VectorKernel.inc once per instruction set like the matrix
// products (core/nn/gemm). No Eigen types here: each variant has its own copy of Eigen.
namespace cklab::simd {

/// One Adam step's constants (Keras 3): m += (g - m) * (1 - beta1); v += (g^2 - v) * (1 - beta2);
/// w -= alpha * m / (sqrt(v) + epsilon).
struct AdamStep {
    float beta1 = 0.9f;
    float beta2 = 0.999f;
    float alpha = 0.001f;
    float epsilon = 1e-7f;
};

/// `activation` is static_cast<int>(cklab::Activation). Row-major [rows, cols] buffers.
/// forward: out = f(z); out may be z. biasForward: z += bias (a [1, cols] row), then out = f(z).
/// backward: dZ = dOut * f'(z) given out = f(z) (softmax: the row Jacobian).
/// Every element is computed by the same instruction sequence whatever its address or position
/// (a partial last packet goes through a padded buffer), so results are bit-identical across
/// runs and heap layouts for a given variant.
struct Kernels {
    void (*adam)(float* w, const float* g, float* m, float* v, long n, const AdamStep& step) = nullptr;
    void (*forward)(int activation, const float* z, float* out, long rows, long cols) = nullptr;
    void (*biasForward)(int activation, const float* bias, float* z, float* out, long rows, long cols) = nullptr;
    void (*backward)(int activation, const float* z, const float* out, const float* dOut, float* dZ, long rows,
                     long cols) = nullptr;
};

Kernels kernelsBaseline();
Kernels kernelsAvx2();
Kernels kernelsAvx512();

} // namespace cklab::simd
