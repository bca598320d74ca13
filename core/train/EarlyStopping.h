#pragma once
/// Keras' EarlyStopping (spec §8): stops when `monitor` has not improved by more than
/// |min_delta| for `patience` epochs (from `start_from_epoch` on); optional baseline and
/// restore_best_weights (put back at train end when it stopped training). State resets at
/// trainBegin; state()/restoreState() carry everything for an exact resume (best weights included).
/// Deviation (as ModelCheckpoint): a NaN value never improves and never becomes best.
#include <optional>
#include <string>
#include <vector>

#include "core/nn/Tensor.h"
#include "core/train/Callback.h"
#include "core/train/EarlyStoppingConfig.h"
#include "core/train/MessageSink.h"
#include "core/train/MonitorMode.h"

namespace cklab {

class EarlyStopping : public Callback {
public:
    /// Throws ConfigError if mode "auto" cannot be resolved for `monitor` or patience < 0.
    /// `messages` null = stdout; receives the unknown-mode warning, the missing-monitor warning
    /// and (verbose > 0) "Epoch {e}: early stopping".
    explicit EarlyStopping(EarlyStoppingConfig config, MessageSink messages = {});

    static std::vector<std::string> validate(const EarlyStoppingConfig& config);

    int wait() const { return m_wait; }
    std::optional<double> best() const { return m_best; }
    int bestEpoch() const { return m_bestEpoch; }
    int stoppedEpoch() const { return m_stoppedEpoch; }
    MonitorMode monitorMode() const { return m_mode; }

    std::string stateKey() const override { return "early_stopping"; }
    nlohmann::json state() const override;
    void restoreState(const nlohmann::json& state) override;

protected:
    void trainBegin(Logs& logs) override;
    void epochEnd(int epoch, Logs& logs) override;
    void trainEnd(Logs& logs) override;

private:
    bool improves(double current, std::optional<double> reference) const;
    std::vector<Matrix> weights() const;

    EarlyStoppingConfig m_config;
    MessageSink m_messages;
    MonitorMode m_mode = MonitorMode::Min;

    int m_wait = 0;
    int m_stoppedEpoch = 0;
    std::optional<double> m_best;
    int m_bestEpoch = 0;
    std::vector<Matrix> m_bestWeights;  // empty unless restore_best_weights
};

} // namespace cklab
