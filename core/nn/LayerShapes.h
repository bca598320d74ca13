#pragma once
/// Shape inference and variable layout of each layer kind, in one place: ModelSpec::validate()
/// and summary(), Sequential and the checkpoint formats all use it.
#include <string>
#include <vector>

#include "core/nn/ModelSpec.h"

namespace cklab {

/// One variable as Keras stores it: layers/<key>/vars/<index>. In memory it is a row-major
/// Matrix [rows, cols] whose element order is the file's (a conv kernel (kh, kw, in, out) is
/// [kh * kw * in, out]; a bias or BatchNormalization vector [C] is [1, C]).
struct VariableLayout {
    int layerIndex = 0;
    int index = 0;                  ///< position in the layer's vars (trainable ones first)
    std::string name;               ///< Keras' variable name: "kernel", "bias", "gamma", "moving_mean", ...
    int rows = 0, cols = 0;
    std::vector<int> fileShape;     ///< [in, out], [kh, kw, in, out], [C]
    bool trainable = true;
};

/// The layer's own settings (units, rate, kernel_size, ...), independent of shapes; false
/// (with field-named problems added) when one is invalid.
bool checkLayerSettings(const LayerSpec& layer, std::size_t index, std::vector<std::string>& problems);
/// The output shape of `layer` (model.layers[index]) for input shape `in`; adds field-named
/// problems and returns an empty shape when the input does not fit.
std::vector<int> layerOutputShape(const LayerSpec& layer, const std::vector<int>& in, std::size_t index,
                                  std::vector<std::string>& problems);
/// The variables of `layer` for input shape `in`, in Keras order (layerIndex left 0).
std::vector<VariableLayout> layerVariables(const LayerSpec& layer, const std::vector<int>& in);
/// The variables of every layer of a shape-valid spec, in Keras order (model.weights).
std::vector<VariableLayout> variableLayout(const ModelSpec& spec);
/// The input shape of each layer of a shape-valid spec (entry i: input of layers[i]; one more
/// entry at the end: the model's output shape).
std::vector<std::vector<int>> layerShapes(const ModelSpec& spec);
/// Product of the dimensions ("values per sample").
long long shapeSize(const std::vector<int>& shape);
/// "[26, 26, 32]".
std::string shapeString(const std::vector<int>& shape);

} // namespace cklab
