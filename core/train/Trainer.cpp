#include "core/train/Trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <numeric>

#include "core/base/Errors.h"
#include "core/base/ProcessMemory.h"
#include "core/nn/Parallelism.h"
#include "core/nn/WorkerPool.h"
#include "core/base/JsonNumbers.h"
#include "core/base/JsonText.h"

namespace cklab {

namespace {

constexpr int kStateVersion = 1;

void checkData(const Dataset& data, const std::string& what, const Model& model, std::vector<std::string>& problems)
{
    const ModelSpec& spec = model.network().spec();
    if (data.empty()) {
        problems.push_back(fmt::format("{}: has no samples", what));
        return;
    }
    if (data.features() != spec.inputDim)
        problems.push_back(fmt::format("{}.x: has {} columns, the model's input_dim is {}", what, data.features(), spec.inputDim));
    if (data.y.rows() != data.x.rows())
        problems.push_back(fmt::format("{}.y: has {} rows, x has {}", what, data.y.rows(), data.x.rows()));
    const bool sparse = model.compileConfig().loss == LossKind::SparseCategoricalCrossentropy;
    const Eigen::Index expected = sparse ? 1 : spec.outputDim();
    if (data.y.cols() != expected)
        problems.push_back(fmt::format("{}.y: has {} columns, the loss {} with output width {} needs {}", what,
                                       data.y.cols(), lossName(model.compileConfig().loss), spec.outputDim(), expected));
}

nlohmann::json logsToJson(const Logs& logs)
{
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [key, value] : logs)
        j[key] = numberToJson(value);
    return j;
}

Logs logsFromJson(const nlohmann::json& j)
{
    Logs logs;
    for (const auto& [key, value] : j.items())
        logs[key] = numberFromJson(value);
    return logs;
}

} // namespace

std::vector<std::string> TrainerConfig::validate() const
{
    std::vector<std::string> problems;
    if (epochs < 0)
        problems.push_back(fmt::format("training.epochs: must be >= 0, got {}", epochs));
    if (batchSize < 0)
        problems.push_back(fmt::format("training.batch_size: must be >= 0 (0 = full batch), got {}", batchSize));
    return problems;
}

std::string_view stopReasonName(StopReason r)
{
    switch (r) {
    case StopReason::Completed: return "completed";
    case StopReason::Requested: return "requested";
    case StopReason::RequestedAtEpochEnd: return "requested_at_epoch_end";
    case StopReason::EarlyStopping: return "early_stopping";
    case StopReason::Callback: return "callback";
    case StopReason::NonFiniteLoss: return "non_finite_loss";
    case StopReason::Error: return "error";
    }
    return "error";
}

Trainer::Trainer(Model& model, const Dataset& train, const Dataset* validation, TrainerConfig config)
    : m_model(model), m_train(train), m_validation(validation), m_config(std::move(config)), m_rng(m_config.seed)
{
    std::vector<std::string> problems = m_config.validate();
    checkData(train, "data.train", model, problems);
    if (validation && !validation->empty())
        checkData(*validation, "data.validation", model, problems);
    throwIfInvalid(problems);
}

int Trainer::effectiveBatchSize() const
{
    const auto n = static_cast<int>(m_train.size());
    return m_config.batchSize > 0 ? std::min(m_config.batchSize, n) : n;
}

int Trainer::stepsPerEpoch() const
{
    const auto n = static_cast<int>(m_train.size());
    const int bs = effectiveBatchSize();
    return bs > 0 ? (n + bs - 1) / bs : 0;
}

TrainResult Trainer::fit()
{
    TrainResult result;
    applyThreadCountFromEnvironment(); // CKLAB_THREADS; effective only in an OpenMP build
    m_callbacks.setModel(&m_model);
    m_model.stopTraining = false;
    try {
        Logs logs;
        m_callbacks.trainBegin(logs);
        warmUp();
        runEpochs(result);
    } catch (const std::exception& e) {
        result.reason = StopReason::Error;
        result.error = e.what();
    }
    result.finalLogs = m_lastEpochLogs;
    // trainEnd runs exactly once, whatever happened above.
    try {
        Logs logs = m_lastEpochLogs;
        m_callbacks.trainEnd(logs);
    } catch (const std::exception& e) {
        if (result.reason != StopReason::Error) {
            result.reason = StopReason::Error;
            result.error = e.what();
        }
    }
    m_stopNow = false;
    m_stopAtEpochEnd = false;
    return result;
}

void Trainer::warmUp() const
{
    // Off the training clock, one inference pass over a batch's worth of rows: it runs the
    // forward code and allocates (then frees) the buffers a step needs, so the first timed step
    // does not pay the page faults and cold code (on workload S ~200 us, several steady steps).
    // It changes no state: evaluate() is const and draws no random numbers. The PyTorch
    // reference of the benchmark does the same (bench/torch_reference.py).
    const Eigen::Index rows = std::min<Eigen::Index>(effectiveBatchSize(), m_train.x.rows());
    if (rows > 0)
        (void)m_model.evaluate(m_train.x.topRows(rows), m_train.y.topRows(rows));
    // The pass's buffers are freed now; the training step's buffers, of other sizes, would leave
    // the touched pages of the holes resident beside them (issue 17's peak memory).
    releaseFreedMemory();
}

void Trainer::runEpochs(TrainResult& result)
{
    while (m_epoch < m_config.epochs) {
        if (m_stopNow.load()) {
            result.reason = StopReason::Requested;
            return;
        }
        if (!m_epochInProgress)
            startEpoch();
        if (runBatches(result) == BatchLoopEnd::StoppedNow)
            return;
        finishEpoch(result);
        if (m_model.stopTraining) {
            result.reason = m_lastLossFinite ? StopReason::Callback : StopReason::NonFiniteLoss;
            return;
        }
        if (m_stopAtEpochEnd.load() || m_stopNow.load()) {
            result.reason = m_stopNow.load() ? StopReason::Requested : StopReason::RequestedAtEpochEnd;
            return;
        }
    }
}

void Trainer::startEpoch()
{
    beginEpochOrder();
    m_batch = 0;
    m_running = MetricSums{};
    m_running.metricSums.assign(m_model.metricNames().size(), 0.0);
    m_epochInProgress = true;
    Logs logs;
    m_callbacks.epochBegin(m_epoch, logs);
}

Trainer::BatchLoopEnd Trainer::runBatches(TrainResult& result)
{
    const int steps = stepsPerEpoch();
    while (m_batch < steps) {
        waitWhilePaused();
        if (m_stopNow.load()) {
            result.reason = StopReason::Requested;
            return BatchLoopEnd::StoppedNow;
        }
        const int batch = m_batch;
        Logs beginLogs;
        m_callbacks.trainBatchBegin(batch, beginLogs);

        const auto t0 = std::chrono::steady_clock::now();
        gatherBatch(batch);
        const MetricSums sums = m_model.trainStep(m_batchX, m_batchY, m_rng);
        result.trainSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        ++result.steps;
        result.samplesTrained += sums.samples;

        m_running.add(sums);
        m_lastLossFinite = std::isfinite(sums.lossSum);
        ++m_batch;
        ++m_globalStep;
        Logs logs = m_running.means(m_model.metricNames());
        m_callbacks.trainBatchEnd(batch, logs);
        // Keras: stop_training set in a batch hook ends the batch loop; the epoch still ends normally.
        if (m_model.stopTraining)
            break;
    }
    return BatchLoopEnd::EpochDone;
}

void Trainer::finishEpoch(TrainResult& result)
{
    Logs logs = m_running.means(m_model.metricNames());
    if (m_validation && !m_validation->empty()) {
        // The epoch's short last batch reshaped every per-batch buffer: hand the holes that left
        // back before validation reshapes them again (core/base/ProcessMemory.h).
        if (m_train.size() % effectiveBatchSize() != 0)
            releaseFreedMemory();
        // Through the training buffers: a second set of per-batch buffers would be the run's peak
        // memory (issue 17); the sums are the same bit for bit.
        const MetricSums val = m_model.evaluateInPlace(m_validation->x, m_validation->y, m_config.batchSize);
        const Logs valLogs = val.means(m_model.metricNames(), "val_");
        logs.insert(valLogs.begin(), valLogs.end());
    }
    const int epoch = m_epoch;
    // Advance the position before the hook, so that a state saved inside it resumes after this epoch.
    m_epochInProgress = false;
    ++m_epoch;
    m_batch = 0;
    m_lastEpochLogs = logs;
    m_callbacks.epochEnd(epoch, logs);
    m_lastEpochLogs = logs; // keys added by callbacks reach trainEnd, as in Keras
    ++result.epochsCompleted;
}

void Trainer::gatherBatch(int batch)
{
    const Eigen::Index n = m_train.x.rows();
    const Eigen::Index bs = effectiveBatchSize();
    const Eigen::Index start = static_cast<Eigen::Index>(batch) * bs;
    const Eigen::Index rows = std::min(bs, n - start);
    m_batchX.resize(rows, m_train.x.cols());
    m_batchY.resize(rows, m_train.y.cols());
    // Large batches are copied in two halves of rows on the products' thread pool (--threads).
    constexpr Eigen::Index kSplitMinFloats = 32 * 1024;
    const Eigen::Index minRows = std::max<Eigen::Index>(1, kSplitMinFloats / std::max<Eigen::Index>(1, m_train.x.cols()));
    runHalves(rows, minRows, 1, [&](long begin, long end) {
        for (Eigen::Index i = begin; i < end; ++i) {
            const auto src = static_cast<Eigen::Index>(m_order[static_cast<std::size_t>(start + i)]);
            m_batchX.row(i) = m_train.x.row(src);
            m_batchY.row(i) = m_train.y.row(src);
        }
    });
}

void Trainer::beginEpochOrder()
{
    m_order.resize(static_cast<std::size_t>(m_train.size()));
    std::iota(m_order.begin(), m_order.end(), std::int64_t{0});
    if (m_config.shuffle)
        m_rng.shuffle(m_order);
}

void Trainer::requestStop(StopMode mode)
{
    {
        std::lock_guard<std::mutex> lock(m_pauseMutex);
        if (mode == StopMode::Now)
            m_stopNow = true;
        else
            m_stopAtEpochEnd = true;
    }
    m_pauseCv.notify_all();
}

void Trainer::setPaused(bool paused)
{
    {
        std::lock_guard<std::mutex> lock(m_pauseMutex);
        m_paused = paused;
    }
    m_pauseCv.notify_all();
}

void Trainer::waitWhilePaused()
{
    if (!m_paused.load())
        return;
    std::unique_lock<std::mutex> lock(m_pauseMutex);
    m_pauseCv.wait(lock, [this] { return !m_paused.load() || m_stopNow.load(); });
}

nlohmann::json Trainer::state() const
{
    nlohmann::json metricSums = nlohmann::json::array();
    for (double v : m_running.metricSums)
        metricSums.push_back(numberToJson(v));
    return {
        {"version", kStateVersion},
        {"epoch", m_epoch},
        {"batch", m_batch},
        {"epoch_in_progress", m_epochInProgress},
        {"global_step", m_globalStep},
        {"order", m_order},
        {"rng", m_rng.state()},
        {"running", {{"loss_sum", numberToJson(m_running.lossSum)}, {"metric_sums", metricSums}, {"samples", m_running.samples}}},
        {"last_loss_finite", m_lastLossFinite},
        {"last_epoch_logs", logsToJson(m_lastEpochLogs)},
    };
}

void Trainer::restoreState(const nlohmann::json& state)
{
    std::vector<std::string> problems;
    try {
        if (state.at("version").get<int>() != kStateVersion)
            problems.push_back(fmt::format("trainer state: version {} is not supported (expected {})",
                                           state.at("version").get<int>(), kStateVersion));
        const int epoch = state.at("epoch").get<int>();
        const int batch = state.at("batch").get<int>();
        const bool inProgress = state.at("epoch_in_progress").get<bool>();
        auto order = state.at("order").get<std::vector<std::int64_t>>();
        const auto n = static_cast<std::int64_t>(m_train.size());
        if (epoch < 0)
            problems.push_back(fmt::format("trainer state: epoch must be >= 0, got {}", epoch));
        if (batch < 0 || batch > stepsPerEpoch())
            problems.push_back(fmt::format("trainer state: batch {} is outside [0, {}]", batch, stepsPerEpoch()));
        if (inProgress && static_cast<std::int64_t>(order.size()) != n)
            problems.push_back(fmt::format("trainer state: data order has {} entries, the training data has {} samples",
                                           order.size(), n));
        if (std::any_of(order.begin(), order.end(), [n](std::int64_t i) { return i < 0 || i >= n; }))
            problems.push_back("trainer state: data order holds an index outside the training data");
        const auto& running = state.at("running");
        MetricSums sums;
        sums.lossSum = numberFromJson(running.at("loss_sum"));
        for (const auto& v : running.at("metric_sums"))
            sums.metricSums.push_back(numberFromJson(v));
        sums.samples = running.at("samples").get<long long>();
        if (sums.metricSums.size() != m_model.metricNames().size())
            problems.push_back(fmt::format("trainer state: {} metric sums, the model has {} metrics",
                                           sums.metricSums.size(), m_model.metricNames().size()));
        throwIfInvalid(problems);
        Rng rng;
        rng.setState(state.at("rng").get<std::string>());
        m_epoch = epoch;
        m_batch = batch;
        m_epochInProgress = inProgress;
        m_globalStep = state.at("global_step").get<long long>();
        m_order = std::move(order);
        m_rng = rng;
        m_running = std::move(sums);
        m_lastLossFinite = state.value("last_loss_finite", true);
        m_lastEpochLogs = logsFromJson(state.value("last_epoch_logs", nlohmann::json::object()));
    } catch (const nlohmann::json::exception& e) {
        throw ConfigError({std::string("trainer state: ") + withoutLibraryTag(e.what())});
    } catch (const std::invalid_argument& e) {
        throw ConfigError({std::string("trainer state: ") + e.what()});
    }
}

} // namespace cklab
