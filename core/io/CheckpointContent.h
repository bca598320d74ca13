#pragma once
/// What a checkpoint writer puts into a file: the architecture, the variables in Keras order
/// and optionally compile config, optimizer state and our training state. Built from a Model
/// by saveCheckpoint(); the writers take this plain data so they can be tested on their own.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/nn/ModelSpec.h"
#include "core/nn/Tensor.h"
#include "core/optim/Optimizer.h"
#include "core/model/Model.h"

namespace cklab {

struct CheckpointContent {
    ModelSpec spec;
    std::optional<CompileConfig> compile;      ///< written to .keras / .h5 configs
    std::vector<Matrix> variables;             ///< Keras order; kernels [in, out], biases [1, out]
    std::optional<OptimizerState> optimizer;
    std::optional<nlohmann::json> trainingState;
};

/// Where the k-th variable of a spec lives in Keras' layout.
struct VariableSlot {
    int layerIndex = 0;
    std::string layerKey;   ///< "dense_1"
    int index = 0;          ///< position in the layer's vars (Dense/Conv2D: 0 kernel, 1 bias)
    int rows = 0, cols = 0; ///< in memory: kernel [in, out] or [kh * kw * in, out]; vectors [1, n]
    std::string name;       ///< Keras' variable name: "kernel", "bias", "gamma", "moving_mean", ...
    std::vector<int> dims;  ///< as stored in a file: [in, out], [kh, kw, in, out], [n]
    bool trainable = true;  ///< false: BatchNormalization's moving statistics (no optimizer slots)
    std::string path() const { return "layers/" + layerKey + "/vars/" + std::to_string(index); }
};

/// The variables of `spec` in Keras order (model.weights: per layer its trainable variables,
/// then its non-trainable ones).
std::vector<VariableSlot> variableSlots(const ModelSpec& spec);
/// Number of variables of a layer (Dense/Conv2D 1 or 2, BatchNormalization 2 to 4, others 0).
int variableCount(const LayerSpec& layer);
/// Shape of a variable as stored in a file ([in, out], [kh, kw, in, out], [n]).
std::vector<std::uint64_t> fileShape(const VariableSlot& slot);
/// Where optimizer slot i belongs: the model variable and the slot's kind (Adam: 0 m, 1 v).
struct SlotOwner {
    std::size_t variable = 0;
    int kind = 0;
};
/// The owner of each slot of `state` in its optimizer's own layout (core/optim): RMSprop groups
/// its slots by kind (all velocities, then all momentums), the others interleave them per
/// variable (Adam: m0, v0, m1, v1, ...). Empty when the slot count is not a multiple of
/// `variableCount`.
std::vector<SlotOwner> slotOwners(const OptimizerState& state, std::size_t variableCount);
/// File shapes of optimizer slots: a slot has its (trainable) variable's file shape ([out] for a
/// bias, [kh, kw, in, out] for a conv kernel); a slot without a known owner keeps its own [rows, cols].
std::vector<std::vector<std::uint64_t>> slotFileShapes(const OptimizerState& state, const ModelSpec& spec);
/// "[10, 2]".
std::string shapeText(int rows, int cols);

} // namespace cklab
