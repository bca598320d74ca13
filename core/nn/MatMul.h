#pragma once
/// The engine's matrix products (Dense forward and backward), computed by the fastest kernel
/// variant this CPU supports. Each variant is the same Eigen product compiled for one instruction
/// set (baseline x86-64, AVX2+FMA, AVX-512) in its own translation unit and its own copy of the
/// Eigen namespace, so the binary runs on any x86-64 and the choice is made once at run time.
#include <string_view>

#include "core/nn/Tensor.h"

namespace cklab {

enum class MatMulIsa { Baseline, Avx2, Avx512 };

/// "baseline", "avx2", "avx512".
std::string_view matMulIsaName(MatMulIsa isa);
/// True when this binary contains the variant and the CPU (and OS) can run it.
bool matMulIsaSupported(MatMulIsa isa);
/// The variant in use: the best supported one, unless the environment variable CKLAB_ISA
/// (baseline | avx2 | avx512) names a supported variant, or setMatMulIsa() chose one.
MatMulIsa matMulIsa();
/// Chooses the variant (tests, benchmarks). Throws std::invalid_argument if it is not supported.
void setMatMulIsa(MatMulIsa isa);
/// Threads for the products of every variant (only an OpenMP build uses more than one).
void setMatMulThreads(int n);

/// c = a * b; c is resized (its capacity is kept across calls of the same shape).
void matMul(const Matrix& a, const Matrix& b, Matrix& c);
/// c = a^T * b.
void matMulAtB(const Matrix& a, const Matrix& b, Matrix& c);
/// c = a * b^T.
void matMulABt(const Matrix& a, const Matrix& b, Matrix& c);

} // namespace cklab
