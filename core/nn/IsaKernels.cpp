#include "core/nn/IsaKernels.h"

#include <stdexcept>
#include <string>

namespace cklab {

namespace {

struct Table {
    simd::Kernels baseline = simd::kernelsBaseline();
#if defined(CKLAB_HAVE_AVX2_KERNEL)
    simd::Kernels avx2 = simd::kernelsAvx2();
#else
    simd::Kernels avx2;
#endif
#if defined(CKLAB_HAVE_AVX512_KERNEL)
    simd::Kernels avx512 = simd::kernelsAvx512();
#else
    simd::Kernels avx512;
#endif
};

const simd::Kernels& entry(MatMulIsa isa)
{
    static const Table table;
    switch (isa) {
    case MatMulIsa::Avx2: return table.avx2;
    case MatMulIsa::Avx512: return table.avx512;
    case MatMulIsa::Baseline: break;
    }
    return table.baseline;
}

} // namespace

const simd::Kernels& isaKernels()
{
    return entry(matMulIsa());
}

const simd::Kernels& isaKernels(MatMulIsa isa)
{
    if (!matMulIsaSupported(isa))
        throw std::invalid_argument("element-wise kernels: instruction set '" + std::string(matMulIsaName(isa))
                                    + "' is not supported by this CPU or build");
    return entry(isa);
}

} // namespace cklab
