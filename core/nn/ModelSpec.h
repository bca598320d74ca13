#pragma once
/// Plain configuration of a Sequential MLP (Dense and Dropout layers).
#include <string>
#include <vector>

#include "core/nn/Activation.h"

namespace cklab {

struct LayerSpec {
    enum class Kind { Dense, Dropout };
    Kind kind = Kind::Dense;
    int units = 0;                          ///< Dense: output width, > 0
    Activation activation = Activation::Linear;
    bool useBias = true;
    float rate = 0.0f;                      ///< Dropout: fraction dropped, in [0, 1)
    std::string name;                       ///< display name; empty = Keras default key
};

struct ModelSpec {
    int inputDim = 0;                       ///< features per sample, > 0
    std::vector<LayerSpec> layers;
    std::string name = "sequential";

    /// Every problem, e.g. "layers[1].units: must be a positive integer, got 0". Empty = valid.
    std::vector<std::string> validate() const;
    /// Width of the last Dense layer (inputDim if there is none).
    int outputDim() const;
    /// Trainable parameters (kernels + biases).
    long long parameterCount() const;
    /// Keras group keys per layer: the k-th layer of a class is "dense" (k = 0), "dense_k" after.
    std::vector<std::string> layerKeys() const;
};

} // namespace cklab
