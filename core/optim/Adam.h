#pragma once
/// Keras 3 Adam: lr_t = lr sqrt(1 - b2^t) / (1 - b1^t); m += (g - m)(1 - b1);
/// v += (g^2 - v)(1 - b2); w -= lr_t m / (sqrt(v) + eps). Slots m0, v0, m1, v1, ...
#include "core/optim/Optimizer.h"

namespace cklab {

class Adam : public Optimizer {
public:
    /// Throws ConfigError on an invalid config.
    explicit Adam(OptimizerConfig config);
    void apply(const std::vector<Matrix*>& variables, const std::vector<Matrix>& gradients) override;
    OptimizerState state() const override { return makeState(); }
    void setState(const OptimizerState& state) override { restoreCommonState(state); }

protected:
    /// Called before the Adam update of each step (AdamW's decoupled weight decay).
    virtual void beforeUpdate(const std::vector<Matrix*>&) {}
};

} // namespace cklab
