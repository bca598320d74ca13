#include "core/nn/layers/Pooling2DLayer.h"

#include <algorithm>

namespace cklab {

Pooling2DLayer::Pooling2DLayer(const LayerSpec& spec, std::vector<int> inputShape, std::vector<int> outputShape)
    : Layer(spec, std::move(inputShape), std::move(outputShape)),
      m_window(makeWindow2D(m_inputShape, spec.poolSize, spec.effectiveStrides(), spec.padding)),
      m_max(spec.kind == LayerSpec::Kind::MaxPooling2D)
{
}

void Pooling2DLayer::pool(const Matrix& in, Matrix& out, std::vector<std::int32_t>* argmax) const
{
    const Window2D& w = m_window;
    const long n = in.rows();
    const long outSize = outputSize();
    out.resize(n, outSize);
    if (argmax != nullptr)
        argmax->resize(std::size_t(n * outSize));
    forEachSampleBlock(n, long(w.kh) * w.kw * outSize, [&](long begin, long end) {
        for (long s = begin; s < end; ++s) {
            const float* src = in.data() + s * in.cols();
            float* dst = out.data() + s * outSize;
            std::int32_t* arg = argmax != nullptr ? argmax->data() + s * outSize : nullptr;
            for (int oy = 0; oy < w.outH; ++oy) {
                const int y0 = std::max(oy * w.sh - w.padTop, 0);
                const int y1 = std::min(oy * w.sh - w.padTop + w.kh, w.inH);
                for (int ox = 0; ox < w.outW; ++ox) {
                    const int x0 = std::max(ox * w.sw - w.padLeft, 0);
                    const int x1 = std::min(ox * w.sw - w.padLeft + w.kw, w.inW);
                    const long o = (long(oy) * w.outW + ox) * w.channels;
                    const float count = float((y1 - y0) * (x1 - x0));
                    // Channels innermost: each window row is contiguous memory.
                    float* out = dst + o;
                    std::int32_t* best = arg != nullptr ? arg + o : nullptr;
                    const auto first = static_cast<std::int32_t>((long(y0) * w.inW + x0) * w.channels);
                    for (int c = 0; c < w.channels; ++c)
                        out[c] = src[first + c];
                    if (best != nullptr)
                        for (int c = 0; c < w.channels; ++c)
                            best[c] = first + c;
                    for (int y = y0; y < y1; ++y)
                        for (int x = (y == y0 ? x0 + 1 : x0); x < x1; ++x) {
                            const auto i = static_cast<std::int32_t>((long(y) * w.inW + x) * w.channels);
                            const float* p = src + i;
                            if (!m_max) {
                                for (int c = 0; c < w.channels; ++c)
                                    out[c] += p[c];
                            } else if (best != nullptr) {
                                for (int c = 0; c < w.channels; ++c)
                                    if (p[c] > out[c]) { // the first maximum keeps the gradient
                                        out[c] = p[c];
                                        best[c] = i + c;
                                    }
                            } else {
                                for (int c = 0; c < w.channels; ++c)
                                    out[c] = p[c] > out[c] ? p[c] : out[c];
                            }
                        }
                    if (!m_max)
                        for (int c = 0; c < w.channels; ++c)
                            out[c] /= count;
                }
            }
        }
    });
}

const Matrix& Pooling2DLayer::forward(const Matrix& in, bool /*training*/, Rng* /*rng*/)
{
    pool(in, m_out, m_max ? &m_argmax : nullptr);
    return m_out;
}

void Pooling2DLayer::backward(const Matrix& /*in*/, const Matrix& dOut, bool /*dIsPreActivation*/, Matrix* dIn)
{
    if (dIn == nullptr)
        return;
    const Window2D& w = m_window;
    const long n = dOut.rows();
    const long outSize = outputSize();
    dIn->setZero(n, inputSize());
    forEachSampleBlock(n, long(w.kh) * w.kw * outSize, [&](long begin, long end) {
        for (long s = begin; s < end; ++s) {
            const float* g = dOut.data() + s * outSize;
            float* dst = dIn->data() + s * dIn->cols();
            if (m_max) {
                const std::int32_t* arg = m_argmax.data() + s * outSize;
                for (long o = 0; o < outSize; ++o)
                    dst[arg[o]] += g[o];
                continue;
            }
            for (int oy = 0; oy < w.outH; ++oy) {
                const int y0 = std::max(oy * w.sh - w.padTop, 0);
                const int y1 = std::min(oy * w.sh - w.padTop + w.kh, w.inH);
                for (int ox = 0; ox < w.outW; ++ox) {
                    const int x0 = std::max(ox * w.sw - w.padLeft, 0);
                    const int x1 = std::min(ox * w.sw - w.padLeft + w.kw, w.inW);
                    const long o = (long(oy) * w.outW + ox) * w.channels;
                    const float count = float((y1 - y0) * (x1 - x0));
                    for (int y = y0; y < y1; ++y)
                        for (int x = x0; x < x1; ++x) {
                            float* d = dst + (long(y) * w.inW + x) * w.channels;
                            for (int c = 0; c < w.channels; ++c)
                                d[c] += g[o + c] / count;
                        }
                }
            }
        }
    });
}

void Pooling2DLayer::predict(const Matrix& in, Matrix& out) const
{
    pool(in, out, nullptr);
}

GlobalAveragePooling2DLayer::GlobalAveragePooling2DLayer(const LayerSpec& spec, std::vector<int> inputShape,
                                                         std::vector<int> outputShape)
    : Layer(spec, std::move(inputShape), std::move(outputShape))
{
}

void GlobalAveragePooling2DLayer::predict(const Matrix& in, Matrix& out) const
{
    const Eigen::Index channels = m_inputShape[2];
    const Eigen::Index pixels = Eigen::Index(m_inputShape[0]) * m_inputShape[1];
    out.setZero(in.rows(), channels);
    for (Eigen::Index s = 0; s < in.rows(); ++s) {
        auto acc = out.row(s);
        for (Eigen::Index p = 0; p < pixels; ++p)
            acc += in.row(s).segment(p * channels, channels);
        acc /= float(pixels);
    }
}

const Matrix& GlobalAveragePooling2DLayer::forward(const Matrix& in, bool /*training*/, Rng* /*rng*/)
{
    predict(in, m_out);
    return m_out;
}

void GlobalAveragePooling2DLayer::backward(const Matrix& /*in*/, const Matrix& dOut, bool /*dIsPreActivation*/, Matrix* dIn)
{
    if (dIn == nullptr)
        return;
    const Eigen::Index channels = m_inputShape[2];
    const Eigen::Index pixels = Eigen::Index(m_inputShape[0]) * m_inputShape[1];
    dIn->resize(dOut.rows(), channels * pixels);
    const float scale = 1.0f / float(pixels);
    for (Eigen::Index s = 0; s < dOut.rows(); ++s)
        for (Eigen::Index p = 0; p < pixels; ++p)
            dIn->row(s).segment(p * channels, channels) = dOut.row(s) * scale;
}

} // namespace cklab
