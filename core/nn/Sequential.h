#pragma once
/// A Sequential stack of layers (core/nn/layers) with forward and backward passes.
/// Variables are listed in Keras order (model.weights): per layer its trainable variables, then
/// its non-trainable ones (Dense: kernel [in, out], bias [1, out]; Conv2D: kernel
/// [kh * kw * in, out], bias; BatchNormalization: gamma, beta, moving_mean, moving_variance, each
/// [1, C]). The optimizer updates only trainableVariables(). Not thread-safe; one training thread
/// owns it.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/nn/ModelSpec.h"
#include "core/nn/Rng.h"
#include "core/nn/Tensor.h"

namespace cklab {

class Layer;

/// Where a variable lives in Keras' layout: group key ("dense_1"), index in vars (0 kernel, 1 bias).
struct VariableInfo {
    std::string layerKey;
    int layerIndex = 0;        ///< index into ModelSpec::layers
    int slot = 0;              ///< index in the layer's vars (Dense/Conv2D: 0 kernel, 1 bias)
    int rows = 0, cols = 0;    ///< kernel: [in, out]; bias: [1, out] (stored in files as [out])
    std::string name;          ///< "kernel", "bias", "gamma", "beta", "moving_mean", "moving_variance"
    std::vector<int> fileShape; ///< as Keras stores it: [in, out], [kh, kw, in, out], [out]
    bool trainable = true;
};

class Sequential {
public:
    /// Throws ConfigError with ModelSpec::validate()'s problems.
    explicit Sequential(ModelSpec spec);
    ~Sequential();
    Sequential(Sequential&&) noexcept;
    Sequential& operator=(Sequential&&) noexcept;

    const ModelSpec& spec() const { return m_spec; }
    int inputDim() const { return m_spec.inputDim; }
    int outputDim() const { return m_spec.outputDim(); }
    long long parameterCount() const { return m_spec.parameterCount(); }

    /// Keras' initializers, drawn from rng in layer order: glorot-uniform kernels (limit
    /// sqrt(6 / (fan_in + fan_out)), for Conv2D fan = kh * kw * channels), zero biases;
    /// BatchNormalization gamma 1, beta 0, moving mean 0, moving variance 1.
    void initialize(Rng& rng);

    std::vector<VariableInfo> variableInfo() const;
    /// Every variable (trainable and not), Keras order: what checkpoints store.
    std::vector<Matrix*> variables();
    std::vector<const Matrix*> variables() const;
    /// The variables the optimizer updates, same order and shapes as gradients().
    std::vector<Matrix*> trainableVariables();
    /// Gradients of the last backward(), same order and shapes as trainableVariables().
    const std::vector<Matrix>& gradients() const { return m_gradients; }

    /// Training/inference forward pass over a batch [n, inputDim]; caches what backward needs.
    /// Dropout is active only with training = true (it then draws from rng); BatchNormalization
    /// uses (and moves) the batch statistics only with training = true.
    /// `x` is not copied: it must stay alive and unchanged until backward() has run.
    const Matrix& forward(const Matrix& x, bool training, Rng* rng);
    /// Backward from dL/d(output) of the last forward(). If `dIsPreActivation` is true the given
    /// gradient is already dL/dz of the last Dense layer (fused softmax/sigmoid + cross-entropy).
    /// Gradients below the lowest layer with trainable variables are not computed.
    void backward(const Matrix& dOutput, bool dIsPreActivation = false);

    /// Inference without touching the caches (usable from a const model).
    Matrix predict(const Matrix& x) const;

    /// Replaces the statistics of the leading Normalization layer (spec().normalization), e.g.
    /// with those a checkpoint holds. Throws ConfigError if the model has none or the sizes differ.
    void setNormalization(const InputNormalization& normalization);

private:
    void normalizeInto(const Matrix& x, Matrix& out) const;
    void prepareNormalization();

    ModelSpec m_spec;
    std::vector<Matrix> m_params;      // Keras order, all variables
    std::vector<bool> m_trainable;     // per m_params entry
    std::vector<Matrix> m_gradients;   // per trainable variable
    std::vector<std::unique_ptr<Layer>> m_layers;
    std::vector<const Matrix*> m_inputs; // per layer: its input in the last forward()
    int m_lowestTrainable = 0;         // layers below it get no gradient
    const Matrix* m_input = nullptr;   // the last forward()'s x (not copied), or m_normalized
    RowVector m_normMean, m_normScale; // (x - mean) / scale of the Normalization layer; empty without
    Matrix m_normalized;               // forward()'s normalised input
    Matrix m_gradA, m_gradB;           // backward scratch (dL/d activations), kept for their capacity
};

} // namespace cklab
