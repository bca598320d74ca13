#include "core/nn/layers/Conv2DLayer.h"

#include <cstring>

#include "core/nn/Activation.h"
#include "core/nn/IsaKernels.h"
#include "core/nn/MatMul.h"

namespace cklab {

Conv2DLayer::Conv2DLayer(const LayerSpec& spec, std::vector<int> inputShape, std::vector<int> outputShape)
    : Layer(spec, std::move(inputShape), std::move(outputShape)),
      m_window(makeWindow2D(m_inputShape, spec.kernelSize, spec.effectiveStrides(), spec.padding))
{
    m_direct = m_window.kh == 1 && m_window.kw == 1 && m_window.sh == 1 && m_window.sw == 1;
}

void Conv2DLayer::initialize(Rng& rng)
{
    // Keras' glorot_uniform for a conv kernel: fan_in = kh * kw * in, fan_out = kh * kw * out.
    const double receptive = double(m_window.kh) * m_window.kw;
    glorotUniform(variable(0), receptive * m_window.channels, receptive * m_spec.filters, rng);
    if (m_spec.useBias)
        variable(1).setZero();
}

void Conv2DLayer::im2col(const Matrix& in, Matrix& cols) const
{
    const Window2D& w = m_window;
    const long n = in.rows();
    const long positions = long(w.outH) * w.outW;
    const long width = long(w.kh) * w.kw * w.channels;
    cols.resize(n * positions, width);
    const std::size_t run = std::size_t(w.channels) * sizeof(float);
    forEachSampleBlock(n, positions * width, [&](long begin, long end) {
        for (long s = begin; s < end; ++s) {
            const float* src = in.data() + s * in.cols();
            float* dst = cols.data() + s * positions * width;
            for (int oy = 0; oy < w.outH; ++oy)
                for (int ox = 0; ox < w.outW; ++ox)
                    for (int ky = 0; ky < w.kh; ++ky) {
                        const int iy = oy * w.sh - w.padTop + ky;
                        for (int kx = 0; kx < w.kw; ++kx, dst += w.channels) {
                            const int ix = ox * w.sw - w.padLeft + kx;
                            if (iy < 0 || iy >= w.inH || ix < 0 || ix >= w.inW)
                                std::memset(dst, 0, run);
                            else
                                std::memcpy(dst, src + (long(iy) * w.inW + ix) * w.channels, run);
                        }
                    }
        }
    });
}

void Conv2DLayer::col2im(const Matrix& dCols, Matrix& dIn) const
{
    const Window2D& w = m_window;
    const long n = dCols.rows() / (long(w.outH) * w.outW);
    const long positions = long(w.outH) * w.outW;
    const long width = long(w.kh) * w.kw * w.channels;
    dIn.setZero(n, inputSize());
    forEachSampleBlock(n, positions * width, [&](long begin, long end) {
        for (long s = begin; s < end; ++s) {
            float* dst = dIn.data() + s * dIn.cols();
            const float* src = dCols.data() + s * positions * width;
            for (int oy = 0; oy < w.outH; ++oy)
                for (int ox = 0; ox < w.outW; ++ox)
                    for (int ky = 0; ky < w.kh; ++ky) {
                        const int iy = oy * w.sh - w.padTop + ky;
                        for (int kx = 0; kx < w.kw; ++kx, src += w.channels) {
                            const int ix = ox * w.sw - w.padLeft + kx;
                            if (iy < 0 || iy >= w.inH || ix < 0 || ix >= w.inW)
                                continue;
                            float* d = dst + (long(iy) * w.inW + ix) * w.channels;
                            for (int c = 0; c < w.channels; ++c)
                                d[c] += src[c];
                        }
                    }
        }
    });
}

void Conv2DLayer::convolve(const Matrix& in, Matrix& cols, Matrix& z, Matrix& out) const
{
    const long positions = long(m_window.outH) * m_window.outW;
    if (m_direct) {
        // Same memory as the input, one row per pixel.
        cols.resize(in.rows() * positions, m_window.channels);
        std::memcpy(cols.data(), in.data(), std::size_t(in.size()) * sizeof(float));
    } else {
        im2col(in, cols);
    }
    matMul(cols, variable(0), z);
    biasAndActivate(m_spec.activation, m_spec.useBias ? &variable(1) : nullptr, z, out);
}

const Matrix& Conv2DLayer::forward(const Matrix& in, bool /*training*/, Rng* /*rng*/)
{
    convolve(in, m_cols, m_pre, m_out);
    // Same number of values: Eigen keeps the data, only the shape becomes [n, positions * filters].
    m_out.resize(in.rows(), outputSize());
    return m_out;
}

void Conv2DLayer::backward(const Matrix& /*in*/, const Matrix& dOut, bool dIsPreActivation, Matrix* dIn)
{
    const Eigen::Index rows = m_pre.rows();
    const Eigen::Index filters = m_pre.cols();
    const Matrix* dZ = &m_dZ;
    if (dIsPreActivation) {
        m_dOut = Eigen::Map<const Matrix>(dOut.data(), rows, filters);
        dZ = &m_dOut;
    } else {
        // dOut [n, positions * filters] holds [rows, filters] in the same order: the kernel reads
        // it in place, where a reshaped copy cost a third buffer of the layer's output size
        // (11 MB for the Fashion-MNIST convnet's first Conv2D at batch 128, issue 17). The same
        // kernel activationBackward() runs, so the values are the same.
        m_out.resize(rows, filters);
        m_dZ.resize(rows, filters);
        if (m_dZ.size() > 0)
            isaKernels().backward(static_cast<int>(m_spec.activation), m_pre.data(), m_out.data(), dOut.data(),
                                  m_dZ.data(), rows, filters);
        m_out.resize(dOut.rows(), dOut.cols());
    }
    matMulAtB(m_cols, *dZ, gradient(0));
    if (m_spec.useBias)
        columnSums(*dZ, gradient(1));
    if (dIn == nullptr)
        return;
    if (m_direct) {
        matMulABt(*dZ, variable(0), m_dCols);
        m_dCols.resize(dOut.rows(), inputSize());
        dIn->swap(m_dCols);
    } else {
        // The kernel gradient above was the last use of this batch's im2col matrix, and dCols has
        // its shape: reusing it saves a second buffer of that size (17.8 MB for the Fashion-MNIST
        // convnet's second Conv2D at batch 128, issue 17); the next forward() refills it.
        matMulABt(*dZ, variable(0), m_cols);
        col2im(m_cols, *dIn);
    }
}

void Conv2DLayer::predict(const Matrix& in, Matrix& out) const
{
    Matrix cols, z;
    convolve(in, cols, z, out);
    out.resize(in.rows(), outputSize());
}

} // namespace cklab
