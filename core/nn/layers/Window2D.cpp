#include "core/nn/layers/Window2D.h"

#include <algorithm>

namespace cklab {

int windowOutputLength(int in, int k, int stride, Padding padding)
{
    if (in <= 0 || k <= 0 || stride <= 0)
        return 0;
    if (padding == Padding::Same)
        return (in + stride - 1) / stride;
    return in < k ? 0 : (in - k) / stride + 1;
}

Window2D makeWindow2D(const std::vector<int>& inShape, std::array<int, 2> kernel, std::array<int, 2> strides,
                      Padding padding)
{
    Window2D w;
    w.inH = inShape.at(0);
    w.inW = inShape.at(1);
    w.channels = inShape.at(2);
    w.kh = kernel[0];
    w.kw = kernel[1];
    w.sh = strides[0];
    w.sw = strides[1];
    w.outH = windowOutputLength(w.inH, w.kh, w.sh, padding);
    w.outW = windowOutputLength(w.inW, w.kw, w.sw, padding);
    if (padding == Padding::Same) {
        w.padTop = std::max((w.outH - 1) * w.sh + w.kh - w.inH, 0) / 2;
        w.padLeft = std::max((w.outW - 1) * w.sw + w.kw - w.inW, 0) / 2;
    }
    return w;
}

} // namespace cklab

#include <algorithm>

#include "core/nn/WorkerPool.h"

namespace cklab {

void forEachSampleBlock(long n, long floatsPerSample, const std::function<void(long, long)>& fn)
{
    WorkerPool& pool = WorkerPool::instance();
    const int threads = pool.threads();
    constexpr long kMinFloats = 1L << 15;
    if (threads <= 1 || n < 2 || n * floatsPerSample < kMinFloats) {
        fn(0, n);
        return;
    }
    const int blocks = static_cast<int>(std::min<long>(n, 4L * threads));
    pool.run(blocks, [&](int b) {
        const long begin = n * b / blocks;
        const long end = n * (b + 1) / blocks;
        fn(begin, end);
    });
}

} // namespace cklab
