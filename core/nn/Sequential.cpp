#include "core/nn/Sequential.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/base/Errors.h"
#include "core/nn/LayerShapes.h"
#include "core/nn/layers/Layer.h"
#include "core/nn/layers/LayerFactory.h"

namespace cklab {

namespace {

ModelSpec validated(ModelSpec spec)
{
    std::vector<std::string> problems = spec.validate();
    if (spec.layers.empty() && problems.empty()) // a spec that is only a model.from_file has no network yet
        problems.push_back("model.layers: must contain at least one layer with weights (Dense, Conv2D), got none");
    throwIfInvalid(problems);
    return spec;
}

} // namespace

Sequential::Sequential(ModelSpec spec)
    : m_spec(validated(std::move(spec)))
{
    const std::vector<std::vector<int>> shapes = layerShapes(m_spec);
    const std::vector<VariableLayout> layout = variableLayout(m_spec);
    m_params.reserve(layout.size());
    for (const VariableLayout& v : layout) {
        m_params.push_back(Matrix::Zero(v.rows, v.cols));
        m_trainable.push_back(v.trainable);
        if (v.trainable)
            m_gradients.push_back(Matrix::Zero(v.rows, v.cols));
    }
    std::size_t var = 0, grad = 0;
    m_lowestTrainable = static_cast<int>(m_spec.layers.size());
    for (std::size_t i = 0; i < m_spec.layers.size(); ++i) {
        m_layers.push_back(makeLayer(m_spec.layers[i], shapes[i], shapes[i + 1]));
        std::vector<Matrix*> vars, grads;
        for (const VariableLayout& v : m_layers.back()->variableLayout()) {
            vars.push_back(&m_params[var++]);
            if (v.trainable)
                grads.push_back(&m_gradients[grad++]);
        }
        m_layers.back()->bind(std::move(vars), std::move(grads));
        if (m_layers.back()->hasTrainableVariables() && m_lowestTrainable == int(m_spec.layers.size()))
            m_lowestTrainable = static_cast<int>(i);
    }
    m_inputs.assign(m_layers.size(), nullptr);
    prepareNormalization();
}

Sequential::~Sequential() = default;
Sequential::Sequential(Sequential&&) noexcept = default;
Sequential& Sequential::operator=(Sequential&&) noexcept = default;

void Sequential::initialize(Rng& rng)
{
    for (const std::unique_ptr<Layer>& layer : m_layers)
        layer->initialize(rng);
}

std::vector<VariableInfo> Sequential::variableInfo() const
{
    std::vector<VariableInfo> info;
    const std::vector<std::string> keys = m_spec.layerKeys();
    for (const VariableLayout& v : variableLayout(m_spec))
        info.push_back({keys[std::size_t(v.layerIndex)], v.layerIndex, v.index, v.rows, v.cols, v.name, v.fileShape, v.trainable});
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

std::vector<Matrix*> Sequential::trainableVariables()
{
    std::vector<Matrix*> vars;
    vars.reserve(m_gradients.size());
    for (std::size_t i = 0; i < m_params.size(); ++i)
        if (m_trainable[i])
            vars.push_back(&m_params[i]);
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
    const Matrix* a = m_input;
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        m_inputs[i] = a;
        a = &m_layers[i]->forward(*a, training, rng);
    }
    return *a;
}

void Sequential::backward(const Matrix& dOutput, bool dIsPreActivation)
{
    if (m_input == nullptr)
        throw std::logic_error("Sequential::backward: called before forward()");
    // dA: dL/d(output of the current layer). It starts as the caller's matrix (not copied);
    // afterwards the layers write dL/d(input) alternately into m_gradA and m_gradB, which keep
    // their capacity across steps. A layer that can (BatchNormalization) writes over the buffer
    // it reads, so the other one need not grow to that size.
    const Matrix* dA = &dOutput;
    const int last = static_cast<int>(m_layers.size()) - 1;
    for (int li = last; li >= m_lowestTrainable; --li) {
        Matrix* dIn = nullptr;
        const bool ownBuffer = dA == &m_gradA || dA == &m_gradB;
        if (li > m_lowestTrainable && ownBuffer && m_layers[std::size_t(li)]->backwardInPlace())
            dIn = dA == &m_gradA ? &m_gradA : &m_gradB;
        else if (li > m_lowestTrainable)
            dIn = dA == &m_gradA ? &m_gradB : &m_gradA;
        m_layers[std::size_t(li)]->backward(*m_inputs[std::size_t(li)], *dA, dIsPreActivation && li == last, dIn);
        dA = dIn;
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
    Matrix b;
    for (const std::unique_ptr<Layer>& layer : m_layers) {
        if (layer->identityAtInference())
            continue;
        layer->predict(a, b);
        a.swap(b);
    }
    return a;
}

} // namespace cklab
