#include "core/nn/MatMul.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "core/nn/WorkerPool.h"
#include "core/nn/gemm/MatMulKernels.h"

namespace cklab {

namespace {

struct Variant {
    matmul::ProductFn product = nullptr;
    matmul::ThreadsFn threads = nullptr;
};

Variant variant(MatMulIsa isa)
{
    switch (isa) {
    case MatMulIsa::Baseline: return {&matmul::productBaseline, &matmul::threadsBaseline};
#if defined(CKLAB_HAVE_AVX2_KERNEL)
    case MatMulIsa::Avx2: return {&matmul::productAvx2, &matmul::threadsAvx2};
#endif
#if defined(CKLAB_HAVE_AVX512_KERNEL)
    case MatMulIsa::Avx512: return {&matmul::productAvx512, &matmul::threadsAvx512};
#endif
    default: return {};
    }
}

bool cpuCanRun(MatMulIsa isa)
{
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    // libgcc's checks include the OS's support for the wider registers (XGETBV).
    __builtin_cpu_init();
    switch (isa) {
    case MatMulIsa::Baseline: return true;
    case MatMulIsa::Avx2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case MatMulIsa::Avx512:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")
               && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return false;
#else
    return isa == MatMulIsa::Baseline;
#endif
}

MatMulIsa isaFromEnvironmentOrBest()
{
    const char* wanted = std::getenv("CKLAB_ISA");
    for (MatMulIsa isa : {MatMulIsa::Baseline, MatMulIsa::Avx2, MatMulIsa::Avx512}) {
        if (wanted != nullptr && matMulIsaName(isa) == wanted && matMulIsaSupported(isa))
            return isa;
    }
    for (MatMulIsa isa : {MatMulIsa::Avx512, MatMulIsa::Avx2}) {
        if (matMulIsaSupported(isa))
            return isa;
    }
    return MatMulIsa::Baseline;
}

std::atomic<int>& chosen()
{
    static std::atomic<int> isa{static_cast<int>(isaFromEnvironmentOrBest())};
    return isa;
}

matmul::ProductFn product()
{
    return variant(static_cast<MatMulIsa>(chosen().load(std::memory_order_relaxed))).product;
}

// Parallel products. A product of at least kChunkMinFlops is cut into kChunks blocks of rows
// (or columns, whichever dimension of the result is longer) of the result; every block is the
// same single-threaded kernel over the whole inner dimension k. The cut depends only on the
// shape, never on the thread count, so each element is summed in the same order whether one
// thread computes both blocks or two threads one each: bit-identical results at any --threads
// (Eigen's own OpenMP GEMM chooses its k-blocking by the thread count). Boundaries fall on
// multiples of 16 rows/columns (one AVX-512 register of floats).
constexpr double kChunkMinFlops = 4.0e6;
constexpr int kChunks = 2;
constexpr long kChunkAlign = 16;

struct Product {
    matmul::ProductFn kernel;
    const float* a;
    const float* b;
    float* c;
    long m, k, n, lda, ldb, ldc;
    bool transA, transB;
    bool byRows;

    long bound(int chunk) const
    {
        const long extent = byRows ? m : n;
        if (chunk >= kChunks)
            return extent;
        const long cut = (extent * chunk / kChunks + kChunkAlign / 2) / kChunkAlign * kChunkAlign;
        return std::min(cut, extent);
    }

    void chunk(int i) const
    {
        const long lo = bound(i), hi = bound(i + 1);
        if (hi <= lo)
            return;
        if (byRows)
            kernel(transA ? a + lo : a + lo * lda, b, c + lo * ldc, hi - lo, k, n, lda, ldb, ldc, transA, transB);
        else
            kernel(a, transB ? b + lo * ldb : b + lo, c + lo, m, k, hi - lo, lda, ldb, ldc, transA, transB);
    }
};

void runProduct(const float* a, const float* b, float* c, long m, long k, long n, bool transA, bool transB)
{
    const Product p{product(), a, b, c, m, k, n, transA ? m : k, transB ? k : n, n, transA, transB, m >= n};
    if (2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k) < kChunkMinFlops) {
        p.kernel(a, b, c, m, k, n, p.lda, p.ldb, p.ldc, transA, transB);
        return;
    }
    WorkerPool::instance().run(kChunks, [&p](int i) { p.chunk(i); });
}

} // namespace

std::string_view matMulIsaName(MatMulIsa isa)
{
    switch (isa) {
    case MatMulIsa::Baseline: return "baseline";
    case MatMulIsa::Avx2: return "avx2";
    case MatMulIsa::Avx512: return "avx512";
    }
    return "unknown";
}

bool matMulIsaSupported(MatMulIsa isa)
{
    return variant(isa).product != nullptr && cpuCanRun(isa);
}

MatMulIsa matMulIsa()
{
    return static_cast<MatMulIsa>(chosen().load(std::memory_order_relaxed));
}

void setMatMulIsa(MatMulIsa isa)
{
    if (!matMulIsaSupported(isa))
        throw std::invalid_argument("matrix products: instruction set '" + std::string(matMulIsaName(isa))
                                    + "' is not supported by this CPU or build");
    chosen().store(static_cast<int>(isa), std::memory_order_relaxed);
}

void setMatMulThreads(int n)
{
    if (n < 1)
        return;
    for (MatMulIsa isa : {MatMulIsa::Baseline, MatMulIsa::Avx2, MatMulIsa::Avx512}) {
        if (const Variant v = variant(isa); v.threads != nullptr)
            v.threads(n);
    }
}

void matMul(const Matrix& a, const Matrix& b, Matrix& c)
{
    if (a.cols() != b.rows())
        throw std::invalid_argument("matMul: inner dimensions differ");
    c.resize(a.rows(), b.cols());
    runProduct(a.data(), b.data(), c.data(), a.rows(), a.cols(), b.cols(), false, false);
}

void matMulAtB(const Matrix& a, const Matrix& b, Matrix& c)
{
    if (a.rows() != b.rows())
        throw std::invalid_argument("matMulAtB: row counts differ");
    c.resize(a.cols(), b.cols());
    runProduct(a.data(), b.data(), c.data(), a.cols(), a.rows(), b.cols(), true, false);
}

void matMulABt(const Matrix& a, const Matrix& b, Matrix& c)
{
    if (a.cols() != b.cols())
        throw std::invalid_argument("matMulABt: column counts differ");
    c.resize(a.rows(), b.rows());
    runProduct(a.data(), b.data(), c.data(), a.rows(), a.cols(), b.rows(), false, true);
}

} // namespace cklab
