#pragma once
// Raw-pointer entry points of the per-instruction-set product kernels (MatMul.cpp dispatches).
// No Eigen types here: each kernel translation unit includes Eigen under its own namespace name.
namespace cklab::matmul {

/// Row-major operands. c [m, n] = op(a) * op(b) where op(a) is [m, k] and op(b) is [k, n];
/// a is stored [k, m] when transA, b is stored [n, k] when transB. lda, ldb, ldc: the distance
/// between consecutive stored rows (in floats) of a, b, c (sub-blocks of larger matrices).
using ProductFn = void (*)(const float* a, const float* b, float* c, long m, long k, long n, long lda, long ldb,
                           long ldc, bool transA, bool transB);
using ThreadsFn = void (*)(int n);

void productBaseline(const float* a, const float* b, float* c, long m, long k, long n, long lda, long ldb, long ldc,
                     bool transA, bool transB);
void threadsBaseline(int n);
void productAvx2(const float* a, const float* b, float* c, long m, long k, long n, long lda, long ldb, long ldc,
                 bool transA, bool transB);
void threadsAvx2(int n);
void productAvx512(const float* a, const float* b, float* c, long m, long k, long n, long lda, long ldb, long ldc,
                   bool transA, bool transB);
void threadsAvx512(int n);

} // namespace cklab::matmul
