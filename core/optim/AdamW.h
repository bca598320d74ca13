#pragma once
/// Keras 3 AdamW: Adam with decoupled weight decay applied to every variable before the
/// Adam step: w -= w * weight_decay * lr. Same slots as Adam.
#include "core/optim/Adam.h"

namespace cklab {

class AdamW : public Adam {
public:
    /// Throws ConfigError on an invalid config.
    explicit AdamW(OptimizerConfig config) : Adam(std::move(config)) {}

protected:
    void beforeUpdate(const std::vector<Matrix*>& variables) override;
};

} // namespace cklab
