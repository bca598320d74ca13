// Product kernel compiled with -mavx2 -mfma (core/CMakeLists.txt); run only where the CPU has them.
#if defined(CKLAB_HAVE_AVX2_KERNEL)
#define Eigen EigenAvx2Kernel
#define CKLAB_KERNEL_PRODUCT productAvx2
#define CKLAB_KERNEL_THREADS threadsAvx2
#include "core/nn/gemm/MatMulKernel.inc"
#endif
