// Product kernel compiled with -mavx512f -mavx512dq (core/CMakeLists.txt); run only where the CPU has them.
#if defined(CKLAB_HAVE_AVX512_KERNEL)
#define Eigen EigenAvx512Kernel
#define CKLAB_KERNEL_PRODUCT productAvx512
#define CKLAB_KERNEL_THREADS threadsAvx512
#include "core/nn/gemm/MatMulKernel.inc"
#endif
