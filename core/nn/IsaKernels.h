#pragma once
/// The element-wise kernels (Adam update, activations) of the instruction set the matrix
/// products use: one choice for the whole engine (matMulIsa(), CKLAB_ISA, setMatMulIsa()).
#include "core/nn/MatMul.h"
#include "core/nn/simd/VectorKernels.h"

namespace cklab {

/// The kernels of the variant in use.
const simd::Kernels& isaKernels();
/// The kernels of one variant (tests). Throws std::invalid_argument if it is not supported.
const simd::Kernels& isaKernels(MatMulIsa isa);

} // namespace cklab
