// Element-wise kernels compiled with -mavx512f -mavx512dq (core/CMakeLists.txt); run only where the CPU has them.
#if defined(CKLAB_HAVE_AVX512_KERNEL)
#define Eigen EigenAvx512Vector
#define CKLAB_VECTOR_KERNELS kernelsAvx512
#include "core/nn/simd/VectorKernel.inc"
#endif
