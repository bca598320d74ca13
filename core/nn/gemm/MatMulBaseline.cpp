// Product kernel for any x86-64 (or the flags the whole library is built with).
#define Eigen EigenBaselineKernel
#define CKLAB_KERNEL_PRODUCT productBaseline
#define CKLAB_KERNEL_THREADS threadsBaseline
#include "core/nn/gemm/MatMulKernel.inc"
