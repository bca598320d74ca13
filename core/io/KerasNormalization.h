#pragma once
/// The Keras Normalization(axis=-1) layer in front of a model (ModelSpec::normalization) in the
/// three file formats, laid out as Keras 3.16 writes an adapt()ed layer:
/// .weights.h5 / .keras: layers/normalization/vars/0 mean [d], 1 variance [d], 2 count (int32 scalar);
/// legacy .h5: model_weights/normalization with weight_names normalization/{mean,variance,count}:0.
/// h5 failures are thrown as h5::H5Failure naming the object, as by the other layout code.
#include <cstdint>
#include <optional>
#include <string>

#include "core/nn/ModelSpec.h"

namespace cklab {

/// The group key and layer name Keras gives the first Normalization layer.
inline constexpr const char* kNormalizationKey = "normalization";

/// True for a group key Keras derives from the Normalization class ("normalization", "normalization_1").
bool isNormalizationKey(const std::string& key);

/// Writes mean, variance and count as datasets 0, 1, 2 of `vars` (hid_t as int64).
void writeNormalizationVars(std::int64_t vars, const InputNormalization& n, const std::string& varsPath);
/// Reads them back; nullopt for an empty vars group (a layer built with mean/variance in its config).
/// `features`: the model's input width, or 0 when not known (then taken from the file).
std::optional<InputNormalization> readNormalizationVars(std::int64_t vars, const std::string& varsPath, int features);

/// Legacy .h5: the layer group below model_weights (datasets and weight_names).
void writeLegacyNormalization(std::int64_t modelWeights, const InputNormalization& n);
/// Reads the layer group `layerName` (weight_names mean, variance, count in this order).
InputNormalization readLegacyNormalization(std::int64_t modelWeights, const std::string& layerName,
                                           const std::string& groupPath, int features);

} // namespace cklab
