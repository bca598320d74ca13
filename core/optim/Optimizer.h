#pragma once
/// Optimizers with Keras 3 defaults and update rules. State is plain data: restoring a state
/// taken after step t and applying the same gradients gives bit-identical weights.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/nn/Tensor.h"

namespace cklab {

struct OptimizerConfig {
    std::string type = "adam";    ///< "sgd", "adam", "adamw", "rmsprop"
    float learningRate = 0.001f;  ///< Keras default per type is applied by defaultsFor()
    float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-7f;
    float momentum = 0.0f;        ///< sgd, rmsprop
    bool nesterov = false;        ///< sgd
    float rho = 0.9f;             ///< rmsprop
    float weightDecay = 0.004f;   ///< adamw
    std::vector<std::string> validate() const; ///< "optimizer.learning_rate: must be > 0, got -1"
    static OptimizerConfig defaultsFor(const std::string& type);
};

/// Iterations, learning rate and slot variables, in the order Keras writes them to
/// /optimizer/vars (after "0" iterations and "1" learning rate).
struct OptimizerState {
    std::string name;             ///< "adam", "sgd", ...
    std::int64_t iterations = 0;
    float learningRate = 0.0f;
    /// Slot variables (Keras order). Not named `slots`: Qt defines that as a macro.
    std::vector<Matrix> slotValues;
};

class Optimizer {
public:
    virtual ~Optimizer() = default;
    const OptimizerConfig& config() const { return m_config; }
    /// One update of every variable with its gradient (same order and shapes). Builds slots on first use.
    virtual void apply(const std::vector<Matrix*>& variables, const std::vector<Matrix>& gradients) = 0;
    virtual OptimizerState state() const = 0;
    /// Throws ConfigError if the state does not match this optimizer (name, slot count/shapes).
    virtual void setState(const OptimizerState& state) = 0;

    std::int64_t iterations() const { return m_iterations; }

protected:
    explicit Optimizer(OptimizerConfig config) : m_config(std::move(config)) {}

    /// Slot layouts as Keras creates them: interleaved per variable (Adam: m0, v0, m1, v1, ...)
    /// or grouped by kind (RMSprop: all velocities, then all momentums).
    enum class SlotLayout { Interleaved, Grouped };
    /// Creates zero slots on first use, or checks restored slots against the variables.
    /// Slot `kind` of variable i is then slot(i, kind).
    void prepareSlots(const std::vector<Matrix*>& variables, const std::vector<Matrix>& gradients,
                      int slotsPerVariable, SlotLayout layout);
    Matrix& slot(std::size_t variable, int kind);
    OptimizerState makeState() const;
    void restoreCommonState(const OptimizerState& state);

    OptimizerConfig m_config;
    std::int64_t m_iterations = 0;
    std::vector<Matrix> m_slots;

private:
    int m_slotsPerVariable = 0;
    SlotLayout m_layout = SlotLayout::Interleaved;
    std::size_t m_variableCount = 0;
};

/// Throws ConfigError on an invalid config.
std::unique_ptr<Optimizer> makeOptimizer(const OptimizerConfig& config);

} // namespace cklab
