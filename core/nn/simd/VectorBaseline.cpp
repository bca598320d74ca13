// Element-wise kernels for any x86-64 (or the flags the whole library is built with).
#define Eigen EigenBaselineVector
#define CKLAB_VECTOR_KERNELS kernelsBaseline
#include "core/nn/simd/VectorKernel.inc"
