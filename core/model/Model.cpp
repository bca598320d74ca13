#include "core/model/Model.h"

#include <algorithm>
#include <fmt/format.h>

#include "core/base/Errors.h"

namespace cklab {

std::vector<std::string> CompileConfig::validate() const
{
    std::vector<std::string> problems;
    const auto& known = cklab::metricNames();
    for (std::size_t i = 0; i < metrics.size(); ++i) {
        if (std::find(known.begin(), known.end(), metrics[i]) == known.end())
            problems.push_back(fmt::format("compile.metrics[{}]: must be one of accuracy, mse, mae, got '{}'", i, metrics[i]));
        else if (std::find(metrics.begin(), metrics.begin() + static_cast<std::ptrdiff_t>(i), metrics[i])
                 != metrics.begin() + static_cast<std::ptrdiff_t>(i))
            problems.push_back(fmt::format("compile.metrics[{}]: '{}' is listed twice", i, metrics[i]));
    }
    for (const std::string& p : optimizer.validate())
        problems.push_back(p);
    return problems;
}

void MetricSums::add(const MetricSums& other)
{
    lossSum += other.lossSum;
    if (metricSums.size() < other.metricSums.size())
        metricSums.resize(other.metricSums.size(), 0.0);
    for (std::size_t i = 0; i < other.metricSums.size(); ++i)
        metricSums[i] += other.metricSums[i];
    samples += other.samples;
}

Logs MetricSums::means(const std::vector<std::string>& metricNames, const std::string& prefix) const
{
    Logs logs;
    if (samples <= 0)
        return logs;
    const auto n = static_cast<double>(samples);
    logs[prefix + "loss"] = lossSum / n;
    for (std::size_t i = 0; i < metricNames.size() && i < metricSums.size(); ++i)
        logs[prefix + metricNames[i]] = metricSums[i] / n;
    return logs;
}

namespace {

Sequential validatedNetwork(ModelSpec spec, const CompileConfig& compile)
{
    std::vector<std::string> problems = spec.validate();
    for (const std::string& p : compile.validate())
        problems.push_back(p);
    throwIfInvalid(problems);
    return Sequential(std::move(spec));
}

// The activation whose gradient may be fused with the loss: only when the last layer is Dense.
Activation fusableActivation(const ModelSpec& spec)
{
    if (spec.layers.empty() || spec.layers.back().kind != LayerSpec::Kind::Dense)
        return Activation::Linear;
    return spec.layers.back().activation;
}

} // namespace

Model::Model(ModelSpec spec, CompileConfig compile)
    : m_network(validatedNetwork(std::move(spec), compile)), m_compile(std::move(compile)),
      m_optimizer(makeOptimizer(m_compile.optimizer))
{
}

MetricSums Model::sums(const Matrix& output, const Matrix& y, double meanLoss) const
{
    MetricSums s;
    s.samples = output.rows();
    s.lossSum = meanLoss * static_cast<double>(output.rows());
    s.metricSums.reserve(m_compile.metrics.size());
    for (const std::string& metric : m_compile.metrics)
        s.metricSums.push_back(metricSum(metric, m_compile.loss, output, y));
    return s;
}

MetricSums Model::trainStep(const Matrix& x, const Matrix& y, Rng& rng)
{
    const Matrix& output = m_network.forward(x, true, &rng);
    bool fused = false;
    const double loss = computeLoss(m_compile.loss, output, y, &m_lossGrad, fusableActivation(m_network.spec()), &fused);
    MetricSums result = sums(output, y, loss);
    m_network.backward(m_lossGrad, fused);
    m_optimizer->apply(m_network.trainableVariables(), m_network.gradients());
    return result;
}

MetricSums Model::evaluate(const Matrix& x, const Matrix& y, int batchSize) const
{
    MetricSums total;
    total.metricSums.assign(m_compile.metrics.size(), 0.0);
    const Eigen::Index n = x.rows();
    const Eigen::Index chunk = batchSize > 0 ? batchSize : std::max<Eigen::Index>(n, 1);
    for (Eigen::Index start = 0; start < n; start += chunk) {
        const Eigen::Index rows = std::min(chunk, n - start);
        const Matrix xs = x.middleRows(start, rows);
        const Matrix ys = y.middleRows(start, rows);
        const Matrix output = m_network.predict(xs);
        const double loss = computeLoss(m_compile.loss, output, ys, nullptr, Activation::Linear, nullptr);
        total.add(sums(output, ys, loss));
    }
    return total;
}

MetricSums Model::evaluateInPlace(const Matrix& x, const Matrix& y, int batchSize)
{
    MetricSums total;
    total.metricSums.assign(m_compile.metrics.size(), 0.0);
    const Eigen::Index n = x.rows();
    const Eigen::Index chunk = batchSize > 0 ? batchSize : std::max<Eigen::Index>(n, 1);
    Matrix xs, ys; // forward() keeps a pointer to its input until the next call: own the chunk
    for (Eigen::Index start = 0; start < n; start += chunk) {
        const Eigen::Index rows = std::min(chunk, n - start);
        xs = x.middleRows(start, rows);
        ys = y.middleRows(start, rows);
        const Matrix& output = m_network.forward(xs, false, nullptr);
        const double loss = computeLoss(m_compile.loss, output, ys, nullptr, Activation::Linear, nullptr);
        total.add(sums(output, ys, loss));
    }
    return total;
}

} // namespace cklab
