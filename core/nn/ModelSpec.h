#pragma once
/// Plain configuration of a Sequential model: Dense and Dropout layers on tabular rows, and the
/// image layers of issue 17 (Conv2D, pooling, Flatten, Reshape, BatchNormalization) on
/// channels-last samples [H, W, C] stored as rows of H * W * C values.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/nn/Activation.h"

namespace cklab {

enum class Padding { Valid, Same };

struct LayerSpec {
    enum class Kind {
        Dense, Dropout, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, Flatten, Reshape,
        BatchNormalization
    };
    Kind kind = Kind::Dense;
    int units = 0;                          ///< Dense: output width, > 0
    Activation activation = Activation::Linear; ///< Dense, Conv2D
    bool useBias = true;                    ///< Dense, Conv2D
    float rate = 0.0f;                      ///< Dropout: fraction dropped, in [0, 1)
    std::string name;                       ///< display name; empty = Keras default key
    int filters = 0;                        ///< Conv2D: output channels, > 0
    std::array<int, 2> kernelSize{3, 3};    ///< Conv2D: [kh, kw]
    std::array<int, 2> poolSize{2, 2};      ///< pooling: [ph, pw]
    /// Conv2D / pooling: [sh, sw]; {0, 0} = Keras' default (conv 1, pooling = pool_size).
    std::array<int, 2> strides{0, 0};
    Padding padding = Padding::Valid;       ///< Conv2D / pooling; "same" pads bottom/right first
    std::vector<int> targetShape;           ///< Reshape: per-sample shape, one -1 allowed
    float momentum = 0.99f;                 ///< BatchNormalization (axis -1)
    float epsilon = 1e-3f;                  ///< BatchNormalization
    bool center = true;                     ///< BatchNormalization: has beta
    bool scale = true;                      ///< BatchNormalization: has gamma

    /// Strides with Keras' default applied.
    std::array<int, 2> effectiveStrides() const;
};

/// One row of Keras' model.summary(): layer key, Keras class, per-sample output shape, parameters.
struct LayerSummary {
    std::string key;                        ///< "conv2d_1"
    std::string name;                       ///< LayerSpec::name, or key when empty
    std::string className;                  ///< "Conv2D"
    std::vector<int> outputShape;           ///< without the batch axis, e.g. [26, 26, 32]
    long long parameters = 0;               ///< trainable + non-trainable
    long long trainableParameters = 0;
};

/// Keras class name ("Dense", "Conv2D", ...) and group key base ("dense", "conv2d", ...).
std::string_view layerClassName(LayerSpec::Kind kind);
std::string_view layerKeyBase(LayerSpec::Kind kind);
/// "valid" / "same".
std::string_view paddingName(Padding padding);

/// A Keras Normalization(axis=-1) layer in front of the Dense/Dropout stack, with the statistics
/// adapt() would store: it maps a raw input x to (x - mean) / max(sqrt(variance), 1e-7), per feature.
/// data.standardize becomes one of these, so that saved models take raw inputs (issue 15).
struct InputNormalization {
    std::vector<float> mean;                ///< per feature
    std::vector<float> variance;            ///< per feature, >= 0
    std::int64_t count = 0;                 ///< Keras' "count" variable (Keras 3's adapt() leaves it 0)
};

struct ModelSpec {
    int inputDim = 0;                       ///< features per sample, > 0 (H * W * C with inputShape)
    /// Project key model.input_shape: the shape of one sample, [H, W, C] for images (channels
    /// last). Empty: tabular rows of inputDim features.
    std::vector<int> inputShape;
    std::optional<InputNormalization> normalization; ///< a leading Normalization layer; not in `layers`
    std::vector<LayerSpec> layers;
    std::string name = "sequential";
    /// Project key model.from_file: a .keras / .h5 / .weights.h5 the run starts from (architecture,
    /// weights and, when it fits, optimizer state). Empty: a fresh model. Not written to checkpoints.
    std::string fromFile;

    /// Every problem, e.g. "layers[1].units: must be a positive integer, got 0". Empty = valid.
    /// With fromFile set, no layers is valid (the file brings them).
    std::vector<std::string> validate() const;
    /// The shape of one input sample: inputShape, or [inputDim].
    std::vector<int> sampleShape() const;
    /// Values per sample of the model's output (the product of the last layer's output shape).
    int outputDim() const;
    /// All parameters, as Keras' "Total params" (kernels, biases, BatchNormalization's moving statistics).
    long long parameterCount() const;
    /// Parameters the optimizer updates (everything but moving statistics).
    long long trainableParameterCount() const;
    /// Shape inference as Keras' model.summary(), one row per layer. Layers after the first one
    /// whose input shape does not fit get an empty output shape (validate() names the problem).
    std::vector<LayerSummary> summary() const;
    /// Keras group keys per layer: the k-th layer of a class is "dense" (k = 0), "dense_k" after.
    std::vector<std::string> layerKeys() const;
    /// Part of validate(): names as Keras allows them (no '/', no control characters) and
    /// different within the model (an empty name counts as its Keras default key).
    void checkLayerNames(std::vector<std::string>& problems) const;

private:
    /// Part of validate(): true (with a problem added, unless input_dim was already named) when
    /// the input shape is unusable, so layer shapes cannot be inferred.
    bool inputShapeProblems(std::vector<std::string>& problems) const;
};

} // namespace cklab
