#pragma once
/// A compiled model, as Keras has it: network + optimizer + loss + metrics.
/// This is what a checkpoint writes and what callbacks are attached to (set_model).
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "core/loss/Loss.h"
#include "core/nn/Sequential.h"
#include "core/optim/Optimizer.h"
#include "core/model/Logs.h"

namespace cklab {

struct CompileConfig {
    LossKind loss = LossKind::CategoricalCrossentropy;
    std::vector<std::string> metrics{"accuracy"};
    OptimizerConfig optimizer;
    std::vector<std::string> validate() const;
};

/// Sums over the samples of one batch (or one evaluation), for sample-weighted running means.
struct MetricSums {
    double lossSum = 0.0;
    std::vector<double> metricSums;  ///< same order as Model::metricNames()
    long long samples = 0;
    void add(const MetricSums& other);
    /// {"loss": mean, "accuracy": mean, ...}, keys prefixed with `prefix` ("val_").
    Logs means(const std::vector<std::string>& metricNames, const std::string& prefix = {}) const;
};

class Model {
public:
    /// Throws ConfigError on an invalid spec or compile config.
    Model(ModelSpec spec, CompileConfig compile);

    Sequential& network() { return m_network; }
    const Sequential& network() const { return m_network; }
    Optimizer& optimizer() { return *m_optimizer; }
    const Optimizer& optimizer() const { return *m_optimizer; }
    const CompileConfig& compileConfig() const { return m_compile; }
    /// Log keys of the metrics, Keras spelling ("accuracy", "mse", "mae"), without "loss".
    const std::vector<std::string>& metricNames() const { return m_compile.metrics; }

    void initialize(Rng& rng) { m_network.initialize(rng); }

    /// forward, loss, backward, one optimizer step; returns the batch's sums (pre-update outputs).
    MetricSums trainStep(const Matrix& x, const Matrix& y, Rng& rng);
    /// Inference over all rows in chunks of batchSize (0 = all at once).
    MetricSums evaluate(const Matrix& x, const Matrix& y, int batchSize = 0) const;
    /// The same sums, bit for bit, from inference passes through the training buffers
    /// (Sequential::forward with training = false): between training steps (validation at an
    /// epoch's end) it allocates nothing beyond what a step already holds, where evaluate()'s
    /// predict() allocates a second set of per-batch buffers (~30 MiB for the Fashion-MNIST convnet
    /// at batch 128, issue 17). Overwrites the caches of the last forward(): call it only when no
    /// backward() is pending. Draws no random numbers; moves no BatchNormalization statistics.
    MetricSums evaluateInPlace(const Matrix& x, const Matrix& y, int batchSize = 0);
    Matrix predict(const Matrix& x) const { return m_network.predict(x); }

    /// Keras' model.stop_training: a callback sets it, the training loop honours it after the hook.
    bool stopTraining = false;

private:
    MetricSums sums(const Matrix& output, const Matrix& y, double meanLoss) const;

    Sequential m_network;
    CompileConfig m_compile;
    std::unique_ptr<Optimizer> m_optimizer;
    Matrix m_lossGrad;   // kept for its capacity between steps
};

} // namespace cklab
