#include "core/nn/Sequential.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/base/Errors.h"
#include "core/nn/MatMul.h"

namespace cklab {

namespace {

ModelSpec validated(ModelSpec spec)
{
    std::vector<std::string> problems = spec.validate();
    if (spec.layers.empty() && problems.empty()) // a spec that is only a model.from_file has no network yet
        problems.push_back("model.layers: must contain at least one Dense layer, got none");
    throwIfInvalid(problems);
    return spec;
}

// Column sums of a row-major matrix, accumulated row by row (contiguous, vectorised) rather
// than column by column (strided).
void columnSums(const Matrix& m, Matrix& sums)
{
    sums.setZero();
    auto acc = sums.row(0);
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        acc += m.row(r);
}

} // namespace

Sequential::Sequential(ModelSpec spec)
    : m_spec(validated(std::move(spec)))
{
    const std::size_t layerCount = m_spec.layers.size();
    m_kernelIndex.assign(layerCount, -1);
    int in = m_spec.inputDim;
    for (std::size_t i = 0; i < layerCount; ++i) {
        const LayerSpec& layer = m_spec.layers[i];
        if (layer.kind != LayerSpec::Kind::Dense)
            continue;
        m_kernelIndex[i] = static_cast<int>(m_params.size());
        m_params.push_back(Matrix::Zero(in, layer.units));
        if (layer.useBias)
            m_params.push_back(Matrix::Zero(1, layer.units));
        in = layer.units;
    }
    m_gradients.reserve(m_params.size());
    for (const Matrix& p : m_params)
        m_gradients.push_back(Matrix::Zero(p.rows(), p.cols()));
    prepareNormalization();
    m_pre.resize(layerCount);
    m_out.resize(layerCount);
    m_masks.resize(layerCount);
    m_dropped.assign(layerCount, false);
}

void Sequential::initialize(Rng& rng)
{
    for (std::size_t i = 0; i < m_spec.layers.size(); ++i) {
        if (m_kernelIndex[i] < 0)
            continue;
        Matrix& kernel = m_params[static_cast<std::size_t>(m_kernelIndex[i])];
        const float limit = std::sqrt(6.0f / static_cast<float>(kernel.rows() + kernel.cols()));
        // Row-major draw order: element (in, out) in the order Keras stores the kernel.
        for (Eigen::Index r = 0; r < kernel.rows(); ++r)
            for (Eigen::Index c = 0; c < kernel.cols(); ++c)
                kernel(r, c) = rng.uniform(-limit, limit);
        if (m_spec.layers[i].useBias)
            m_params[static_cast<std::size_t>(m_kernelIndex[i]) + 1].setZero();
    }
}

std::vector<VariableInfo> Sequential::variableInfo() const
{
    std::vector<VariableInfo> info;
    const std::vector<std::string> keys = m_spec.layerKeys();
    for (std::size_t i = 0; i < m_spec.layers.size(); ++i) {
        if (m_kernelIndex[i] < 0)
            continue;
        const Matrix& kernel = m_params[static_cast<std::size_t>(m_kernelIndex[i])];
        info.push_back({keys[i], static_cast<int>(i), 0, static_cast<int>(kernel.rows()), static_cast<int>(kernel.cols())});
        if (m_spec.layers[i].useBias)
            info.push_back({keys[i], static_cast<int>(i), 1, 1, static_cast<int>(kernel.cols())});
    }
    return info;
}

std::vector<Matrix*> Sequential::variables()
{
    std::vector<Matrix*> vars;
    vars.reserve(m_params.size());
    for (Matrix& p : m_params)
        vars.push_back(&p);
    return vars;
}

std::vector<const Matrix*> Sequential::variables() const
{
    std::vector<const Matrix*> vars;
    vars.reserve(m_params.size());
    for (const Matrix& p : m_params)
        vars.push_back(&p);
    return vars;
}

void Sequential::prepareNormalization()
{
    m_normMean.resize(0);
    m_normScale.resize(0);
    if (!m_spec.normalization)
        return;
    const InputNormalization& n = *m_spec.normalization;
    const auto d = static_cast<Eigen::Index>(n.mean.size());
    m_normMean.resize(d);
    m_normScale.resize(d);
    for (Eigen::Index j = 0; j < d; ++j) {
        m_normMean(j) = n.mean[static_cast<std::size_t>(j)];
        // Keras: maximum(sqrt(variance), backend.epsilon()), in float32.
        m_normScale(j) = std::max(std::sqrt(n.variance[static_cast<std::size_t>(j)]), 1e-7f);
    }
}

void Sequential::setNormalization(const InputNormalization& normalization)
{
    if (!m_spec.normalization)
        throw ConfigError({"model.normalization: the model has no Normalization layer"});
    ModelSpec spec = m_spec;
    spec.normalization = normalization;
    throwIfInvalid(spec.validate());
    m_spec.normalization = normalization;
    prepareNormalization();
}

void Sequential::normalizeInto(const Matrix& x, Matrix& out) const
{
    // Column by column, (x - mean) / scale: the same float operations as applyStandardization(),
    // so a run that used to train on standardised data trains bit-identically.
    out.resize(x.rows(), x.cols());
    for (Eigen::Index j = 0; j < x.cols(); ++j)
        out.col(j) = (x.col(j).array() - m_normMean(j)) / m_normScale(j);
}

const Matrix& Sequential::layerInput(std::size_t layer) const
{
    return layer == 0 ? *m_input : m_out[layer - 1];
}

const Matrix& Sequential::forward(const Matrix& x, bool training, Rng* rng)
{
    if (x.cols() != m_spec.inputDim)
        throw std::invalid_argument("Sequential::forward: input has " + std::to_string(x.cols())
                                    + " columns, model expects " + std::to_string(m_spec.inputDim));
    if (m_normMean.size() > 0) {
        normalizeInto(x, m_normalized);
        m_input = &m_normalized;
    } else {
        m_input = &x;
    }
    for (std::size_t i = 0; i < m_spec.layers.size(); ++i) {
        const LayerSpec& layer = m_spec.layers[i];
        const Matrix& in = layerInput(i);
        if (layer.kind == LayerSpec::Kind::Dense) {
            const auto k = static_cast<std::size_t>(m_kernelIndex[i]);
            Matrix& z = m_pre[i];
            matMul(in, m_params[k], z);
            biasAndActivate(layer.activation, layer.useBias ? &m_params[k + 1] : nullptr, z, m_out[i]);
            m_dropped[i] = false;
        } else {
            const bool drop = training && layer.rate > 0.0f;
            m_dropped[i] = drop;
            if (!drop) {
                m_out[i] = in;
                continue;
            }
            if (rng == nullptr)
                throw std::invalid_argument("Sequential::forward: dropout in training needs a random engine");
            // Inverted dropout: keep with probability 1 - rate, scale kept values by 1 / (1 - rate).
            const float scale = 1.0f / (1.0f - layer.rate);
            Matrix& mask = m_masks[i];
            mask.resize(in.rows(), in.cols());
            for (Eigen::Index r = 0; r < mask.rows(); ++r)
                for (Eigen::Index c = 0; c < mask.cols(); ++c)
                    mask(r, c) = rng->uniformFloat() >= layer.rate ? scale : 0.0f;
            m_out[i].resize(in.rows(), in.cols());
            m_out[i].array() = in.array() * mask.array();
        }
    }
    return m_out.back();
}

void Sequential::backward(const Matrix& dOutput, bool dIsPreActivation)
{
    if (m_input == nullptr)
        throw std::logic_error("Sequential::backward: called before forward()");
    // dA: dL/d(output of the current layer). It starts as the caller's matrix (not copied) and
    // afterwards always lives in m_dA; m_dZ holds dL/dz. Both keep their capacity across steps.
    const Matrix* dA = &dOutput;
    bool aIsPre = dIsPreActivation;
    for (std::size_t li = m_spec.layers.size(); li-- > 0;) {
        const LayerSpec& layer = m_spec.layers[li];
        if (layer.kind == LayerSpec::Kind::Dropout) {
            if (m_dropped[li]) {
                if (dA != &m_dA)
                    m_dA = *dA;
                m_dA.array() *= m_masks[li].array();
                dA = &m_dA;
            }
            continue;
        }
        const auto k = static_cast<std::size_t>(m_kernelIndex[li]);
        const Matrix* dZ = dA;
        if (!aIsPre) {
            activationBackward(layer.activation, m_pre[li], m_out[li], *dA, m_dZ);
            dZ = &m_dZ;
        }
        aIsPre = false;
        const Matrix& in = layerInput(li);
        matMulAtB(in, *dZ, m_gradients[k]);
        if (layer.useBias)
            columnSums(*dZ, m_gradients[k + 1]);
        if (k == 0)
            break; // the first Dense layer: nothing below needs a gradient
        Matrix& next = (dZ == &m_dA) ? m_dZ : m_dA;
        matMulABt(*dZ, m_params[k], next);
        if (&next != &m_dA)
            m_dA.swap(next);
        dA = &m_dA;
    }
}

Matrix Sequential::predict(const Matrix& x) const
{
    if (x.cols() != m_spec.inputDim)
        throw std::invalid_argument("Sequential::predict: input has " + std::to_string(x.cols())
                                    + " columns, model expects " + std::to_string(m_spec.inputDim));
    Matrix a;
    if (m_normMean.size() > 0)
        normalizeInto(x, a);
    else
        a = x;
    Matrix z;
    for (std::size_t i = 0; i < m_spec.layers.size(); ++i) {
        const LayerSpec& layer = m_spec.layers[i];
        if (layer.kind != LayerSpec::Kind::Dense)
            continue; // Dropout is the identity at inference
        const auto k = static_cast<std::size_t>(m_kernelIndex[i]);
        matMul(a, m_params[k], z);
        biasAndActivate(layer.activation, layer.useBias ? &m_params[k + 1] : nullptr, z, a);
    }
    return a;
}

} // namespace cklab
