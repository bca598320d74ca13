#pragma once
/// Keras 3 SGD: plain, with momentum (m = momentum m - lr g; w += m) and Nesterov
/// (w += momentum m - lr g after the momentum update). One "momentum" slot per variable
/// when momentum > 0, none otherwise.
#include "core/optim/Optimizer.h"

namespace cklab {

class Sgd : public Optimizer {
public:
    /// Throws ConfigError on an invalid config.
    explicit Sgd(OptimizerConfig config);
    void apply(const std::vector<Matrix*>& variables, const std::vector<Matrix>& gradients) override;
    OptimizerState state() const override { return makeState(); }
    void setState(const OptimizerState& state) override { restoreCommonState(state); }
};

} // namespace cklab
