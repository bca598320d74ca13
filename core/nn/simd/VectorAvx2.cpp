// Element-wise kernels compiled with -mavx2 -mfma (core/CMakeLists.txt); run only where the CPU has them.
#if defined(CKLAB_HAVE_AVX2_KERNEL)
#define Eigen EigenAvx2Vector
#define CKLAB_VECTOR_KERNELS kernelsAvx2
#include "core/nn/simd/VectorKernel.inc"
#endif
