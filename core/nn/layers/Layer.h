#pragma once
/// One layer of a Sequential model, over a batch stored as rows: a row holds one sample's
/// values in channels-last order ([n, H * W * C] for images). The layer's variables and
/// gradients live in the Sequential (Keras order, checkpoints read them from there); the layer
/// gets pointers to them. Not thread-safe: one training thread owns a layer; predict() is const
/// and keeps no state.
#include <vector>

#include "core/nn/LayerShapes.h"
#include "core/nn/ModelSpec.h"
#include "core/nn/Rng.h"
#include "core/nn/Tensor.h"

namespace cklab {

class Layer {
public:
    Layer(const LayerSpec& spec, std::vector<int> inputShape, std::vector<int> outputShape);
    virtual ~Layer() = default;
    Layer(const Layer&) = delete;
    Layer& operator=(const Layer&) = delete;

    const LayerSpec& spec() const { return m_spec; }
    const std::vector<int>& inputShape() const { return m_inputShape; }
    const std::vector<int>& outputShape() const { return m_outputShape; }
    /// The variables this layer needs, Keras order (trainable ones first).
    std::vector<VariableLayout> variableLayout() const { return layerVariables(m_spec, m_inputShape); }
    /// Binds the variables (one per variableLayout() entry) and the gradients of the trainable ones.
    void bind(std::vector<Matrix*> variables, std::vector<Matrix*> gradients);
    bool hasTrainableVariables() const { return !m_grads.empty(); }

    /// Keras' initializers, drawn from rng in variable order.
    virtual void initialize(Rng& rng);
    /// Output of the batch `in` [n, inputSize]. May return `in` itself (layers that do not change
    /// the values). `in` must stay alive and unchanged until backward() has run.
    virtual const Matrix& forward(const Matrix& in, bool training, Rng* rng) = 0;
    /// From dL/d(output) of the last forward() (its input was `in`): fills the gradients and, when
    /// dIn is not null, dL/d(input) into *dIn (the same matrix as dOut only for a layer whose
    /// backwardInPlace() is true). With dIsPreActivation, dOut is already dL/dz of the layer's
    /// activation (Dense, Conv2D only).
    virtual void backward(const Matrix& in, const Matrix& dOut, bool dIsPreActivation, Matrix* dIn) = 0;
    /// True when backward() may write dL/d(input) over dOut (same shape, each element computed
    /// from its own dOut element and values gathered before): Sequential then needs no second
    /// buffer of that size.
    virtual bool backwardInPlace() const { return false; }
    /// True when inference leaves the values unchanged (Dropout, Flatten, Reshape): predict() is skipped.
    virtual bool identityAtInference() const { return false; }
    /// Inference without touching the caches; out is resized.
    virtual void predict(const Matrix& in, Matrix& out) const = 0;

protected:
    Matrix& variable(std::size_t i) const { return *m_vars[i]; }
    Matrix& gradient(std::size_t i) const { return *m_grads[i]; }
    long long inputSize() const { return shapeSize(m_inputShape); }
    long long outputSize() const { return shapeSize(m_outputShape); }

    LayerSpec m_spec;
    std::vector<int> m_inputShape, m_outputShape;

private:
    std::vector<Matrix*> m_vars;
    std::vector<Matrix*> m_grads;
};

/// Column sums of a row-major matrix into the [1, cols] `sums`, accumulated row by row
/// (contiguous, vectorised) rather than column by column (strided).
void columnSums(const Matrix& m, Matrix& sums);
/// Glorot-uniform fill (limit sqrt(6 / (fanIn + fanOut))) in row-major order, i.e. Keras' file order.
void glorotUniform(Matrix& kernel, double fanIn, double fanOut, Rng& rng);

} // namespace cklab
