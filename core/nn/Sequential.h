#pragma once
/// A Sequential stack of Dense/Dropout layers with forward and backward passes.
/// Variables are listed in Keras order: for each Dense layer its kernel [in, out], then its
/// bias as a 1 x out matrix (when use_bias). Not thread-safe; one training thread owns it.
#include <cstdint>
#include <string>
#include <vector>

#include "core/nn/ModelSpec.h"
#include "core/nn/Rng.h"
#include "core/nn/Tensor.h"

namespace cklab {

/// Where a variable lives in Keras' layout: group key ("dense_1"), index in vars (0 kernel, 1 bias).
struct VariableInfo {
    std::string layerKey;
    int layerIndex = 0;        ///< index into ModelSpec::layers
    int slot = 0;              ///< 0 kernel, 1 bias
    int rows = 0, cols = 0;    ///< kernel: [in, out]; bias: [1, out] (stored in files as [out])
};

class Sequential {
public:
    /// Throws ConfigError with ModelSpec::validate()'s problems.
    explicit Sequential(ModelSpec spec);

    const ModelSpec& spec() const { return m_spec; }
    int inputDim() const { return m_spec.inputDim; }
    int outputDim() const { return m_spec.outputDim(); }
    long long parameterCount() const { return m_spec.parameterCount(); }

    /// Glorot-uniform kernels (limit sqrt(6 / (in + out))), zero biases, drawn from rng in layer order.
    void initialize(Rng& rng);

    std::vector<VariableInfo> variableInfo() const;
    std::vector<Matrix*> variables();
    std::vector<const Matrix*> variables() const;
    /// Gradients of the last backward(), same order and shapes as variables().
    const std::vector<Matrix>& gradients() const { return m_gradients; }

    /// Training/inference forward pass over a batch [n, inputDim]; caches what backward needs.
    /// Dropout is active only with training = true (it then draws from rng).
    /// `x` is not copied: it must stay alive and unchanged until backward() has run.
    const Matrix& forward(const Matrix& x, bool training, Rng* rng);
    /// Backward from dL/d(output) of the last forward(). If `dIsPreActivation` is true the given
    /// gradient is already dL/dz of the last Dense layer (fused softmax/sigmoid + cross-entropy).
    void backward(const Matrix& dOutput, bool dIsPreActivation = false);

    /// Inference without touching the caches (usable from a const model).
    Matrix predict(const Matrix& x) const;

    /// Replaces the statistics of the leading Normalization layer (spec().normalization), e.g.
    /// with those a checkpoint holds. Throws ConfigError if the model has none or the sizes differ.
    void setNormalization(const InputNormalization& normalization);

private:
    const Matrix& layerInput(std::size_t layer) const;
    void normalizeInto(const Matrix& x, Matrix& out) const;
    void prepareNormalization();

    ModelSpec m_spec;
    std::vector<Matrix> m_params;      // Keras order
    std::vector<Matrix> m_gradients;
    std::vector<int> m_kernelIndex;    // per layer: index of its kernel in m_params, -1 for Dropout
    std::vector<Matrix> m_pre;         // per layer pre-activation cache
    std::vector<Matrix> m_out;         // per layer output cache
    std::vector<Matrix> m_masks;       // dropout masks (scaled by 1 / (1 - rate))
    std::vector<bool> m_dropped;       // per layer: was a dropout mask applied in the last forward
    const Matrix* m_input = nullptr;   // the last forward()'s x (not copied), or m_normalized
    RowVector m_normMean, m_normScale; // (x - mean) / scale of the Normalization layer; empty without
    Matrix m_normalized;               // forward()'s normalised input
    Matrix m_dA, m_dZ;                 // backward scratch, kept for their capacity
};

} // namespace cklab
