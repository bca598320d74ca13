#pragma once
/// The training loop a user would write by hand, as a small driver: per batch forward, loss,
/// gradients, optimizer step; validation at epoch end; the callback protocol of spec §7
/// (batch end: running sample-weighted means since the epoch began; epoch end: means + val_*).
///
/// Everything a resume needs (epoch, batch position, data order, RNG, running sums) is member
/// state, exposed by state()/restoreState(). requestStop/setPaused may be called from any thread;
/// they take effect between batches. fit() runs on the calling thread; trainEnd hooks run exactly
/// once on every exit path, and exceptions from hooks end the run with StopReason::Error.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/data/Dataset.h"
#include "core/nn/Rng.h"
#include "core/train/CallbackList.h"
#include "core/model/Model.h"

namespace cklab {

struct TrainerConfig {
    int epochs = 10;
    int batchSize = 32;            ///< 0 = full batch
    bool shuffle = true;           ///< fresh permutation every epoch
    std::uint64_t seed = 0;        ///< drives shuffling and dropout
    std::vector<std::string> validate() const;
};

enum class StopMode { Now, AtEpochEnd };
/// How a fit() ended. Requested: Stop (at once, mid-epoch); RequestedAtEpochEnd: "Stop at epoch
/// end"; EarlyStopping: the project's EarlyStopping callback (set by ProjectRun, the trainer only
/// knows "a callback"); Callback: another callback set stop_training.
enum class StopReason { Completed, Requested, RequestedAtEpochEnd, EarlyStopping, Callback, NonFiniteLoss, Error };
/// "completed", "requested", "requested_at_epoch_end", "early_stopping", "callback", "non_finite_loss", "error"
std::string_view stopReasonName(StopReason r);

struct TrainResult {
    StopReason reason = StopReason::Completed;
    int epochsCompleted = 0;
    long long steps = 0;           ///< optimizer steps in this fit() call
    Logs finalLogs;                ///< the last epoch's logs
    std::string error;             ///< what() of the exception when reason == Error
    double trainSeconds = 0.0;     ///< time in forward/backward/update only (hooks excluded)
    long long samplesTrained = 0;
};

class Trainer {
public:
    /// `validation` may be null or empty (no val_* keys then). Throws ConfigError.
    Trainer(Model& model, const Dataset& train, const Dataset* validation, TrainerConfig config);

    CallbackList& callbacks() { return m_callbacks; }
    Model& model() { return m_model; }
    const TrainerConfig& config() const { return m_config; }
    int stepsPerEpoch() const;

    TrainResult fit();

    // Thread-safe controls.
    void requestStop(StopMode mode = StopMode::Now);
    void setPaused(bool paused);
    bool isPaused() const { return m_paused.load(); }

    /// Position and everything needed to continue bit-identically (not weights/optimizer: those
    /// are written by the checkpoint writer). May be restored from a trainBegin hook.
    /// Inside a batch-end hook the position is already past that batch; inside an epoch-end hook
    /// it is already the start of the next epoch, so a state taken there resumes after the hook.
    /// fit() continues from the current position (a second fit() after completion does nothing).
    nlohmann::json state() const;
    void restoreState(const nlohmann::json& state);
    int epoch() const { return m_epoch; }
    int batchInEpoch() const { return m_batch; }
    long long globalStep() const { return m_globalStep; }
    Rng& rng() { return m_rng; }

private:
    enum class BatchLoopEnd { EpochDone, StoppedNow };
    void runEpochs(TrainResult& result);
    void warmUp() const;
    void startEpoch();
    BatchLoopEnd runBatches(TrainResult& result);
    void finishEpoch(TrainResult& result);
    void gatherBatch(int batch);
    int effectiveBatchSize() const;
    void waitWhilePaused();
    void beginEpochOrder();

    Model& m_model;
    const Dataset& m_train;
    const Dataset* m_validation;
    TrainerConfig m_config;
    CallbackList m_callbacks;
    Rng m_rng;

    int m_epoch = 0;
    int m_batch = 0;                 // next batch index within m_epoch
    bool m_epochInProgress = false;  // order drawn, epochBegin hook already called
    long long m_globalStep = 0;
    std::vector<std::int64_t> m_order;
    MetricSums m_running;
    Logs m_lastEpochLogs;            // logs of the last finished epoch (what trainEnd receives)
    bool m_lastLossFinite = true;
    Matrix m_batchX, m_batchY;       // batch buffers, kept for their capacity

    std::atomic<bool> m_stopNow{false};
    std::atomic<bool> m_stopAtEpochEnd{false};
    std::atomic<bool> m_paused{false};
    std::mutex m_pauseMutex;
    std::condition_variable m_pauseCv;
};

} // namespace cklab
