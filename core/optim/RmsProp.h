#pragma once
/// Keras 3 RMSprop (not centered): v = rho v + (1 - rho) g^2; inc = lr g / sqrt(v + eps);
/// with momentum: m = momentum m + inc, w -= m; else w -= inc.
/// Slots: all velocities, then all momentums (when momentum > 0).
#include "core/optim/Optimizer.h"

namespace cklab {

class RmsProp : public Optimizer {
public:
    /// Throws ConfigError on an invalid config.
    explicit RmsProp(OptimizerConfig config);
    void apply(const std::vector<Matrix*>& variables, const std::vector<Matrix>& gradients) override;
    OptimizerState state() const override { return makeState(); }
    void setState(const OptimizerState& state) override { restoreCommonState(state); }
};

} // namespace cklab
