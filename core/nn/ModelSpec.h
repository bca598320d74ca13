#pragma once
/// Plain configuration of a Sequential MLP (Dense and Dropout layers).
#include <cstdint>
#include <optional>
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

/// A Keras Normalization(axis=-1) layer in front of the Dense/Dropout stack, with the statistics
/// adapt() would store: it maps a raw input x to (x - mean) / max(sqrt(variance), 1e-7), per feature.
/// data.standardize becomes one of these, so that saved models take raw inputs (issue 15).
struct InputNormalization {
    std::vector<float> mean;                ///< per feature
    std::vector<float> variance;            ///< per feature, >= 0
    std::int64_t count = 0;                 ///< Keras' "count" variable (Keras 3's adapt() leaves it 0)
};

struct ModelSpec {
    int inputDim = 0;                       ///< features per sample, > 0
    std::optional<InputNormalization> normalization; ///< a leading Normalization layer; not in `layers`
    std::vector<LayerSpec> layers;
    std::string name = "sequential";
    /// Project key model.from_file: a .keras / .h5 / .weights.h5 the run starts from (architecture,
    /// weights and, when it fits, optimizer state). Empty: a fresh model. Not written to checkpoints.
    std::string fromFile;

    /// Every problem, e.g. "layers[1].units: must be a positive integer, got 0". Empty = valid.
    /// With fromFile set, no layers is valid (the file brings them).
    std::vector<std::string> validate() const;
    /// Width of the last Dense layer (inputDim if there is none).
    int outputDim() const;
    /// Trainable parameters (kernels + biases).
    long long parameterCount() const;
    /// Keras group keys per layer: the k-th layer of a class is "dense" (k = 0), "dense_k" after.
    std::vector<std::string> layerKeys() const;
    /// Part of validate(): names as Keras allows them (no '/', no control characters) and
    /// different within the model (an empty name counts as its Keras default key).
    void checkLayerNames(std::vector<std::string>& problems) const;
};

} // namespace cklab
