#pragma once
/// The geometry of a 2D sliding window (Conv2D, pooling) over a channels-last sample [H, W, C],
/// with TensorFlow's "same" padding: out = ceil(in / stride), total padding
/// max((out - 1) * stride + k - in, 0), of which the smaller half goes to the top/left.
#include <array>
#include <vector>

#include "core/nn/ModelSpec.h"

namespace cklab {

struct Window2D {
    int inH = 0, inW = 0, channels = 0;
    int kh = 0, kw = 0, sh = 1, sw = 1;
    int outH = 0, outW = 0;
    int padTop = 0, padLeft = 0;
};

/// Output length along one axis; 0 or less when the window does not fit ("valid", in < k).
int windowOutputLength(int in, int k, int stride, Padding padding);

/// Geometry for input shape [H, W, C]; the caller has validated the shapes (outH, outW > 0).
Window2D makeWindow2D(const std::vector<int>& inShape, std::array<int, 2> kernel, std::array<int, 2> strides,
                      Padding padding);

} // namespace cklab

#include <functional>

namespace cklab {

/// Runs fn(begin, end) over the samples [0, n) in blocks on the process-wide worker pool. For
/// work in which every sample is computed on its own (im2col, pooling): the results do not
/// depend on the blocks, so they are the same at any thread count. `floatsPerSample` decides
/// whether splitting is worth it.
void forEachSampleBlock(long n, long floatsPerSample, const std::function<void(long, long)>& fn);

} // namespace cklab
