#include "core/nn/MatMul.h"

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <string>

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
    product()(a.data(), b.data(), c.data(), a.rows(), a.cols(), b.cols(), false, false);
}

void matMulAtB(const Matrix& a, const Matrix& b, Matrix& c)
{
    if (a.rows() != b.rows())
        throw std::invalid_argument("matMulAtB: row counts differ");
    c.resize(a.cols(), b.cols());
    product()(a.data(), b.data(), c.data(), a.cols(), a.rows(), b.cols(), true, false);
}

void matMulABt(const Matrix& a, const Matrix& b, Matrix& c)
{
    if (a.cols() != b.cols())
        throw std::invalid_argument("matMulABt: column counts differ");
    c.resize(a.rows(), b.rows());
    product()(a.data(), b.data(), c.data(), a.rows(), a.cols(), b.rows(), false, true);
}

} // namespace cklab
