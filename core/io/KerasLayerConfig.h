#pragma once
/// The Keras config of one layer of a Sequential model: Dense, Dropout, Conv2D, MaxPooling2D,
/// AveragePooling2D, GlobalAveragePooling2D, Flatten, Reshape, BatchNormalization, with the
/// keys Keras 3 writes. Part of KerasConfig; the reader throws std::invalid_argument.
#include <string>

#include <nlohmann/json.hpp>

#include "core/nn/ModelSpec.h"

namespace cklab {

/// {"class_name": "Conv2D", "config": {...}} (the caller adds "module" for Keras 3).
nlohmann::json kerasLayerJson(const LayerSpec& layer, const std::string& name);
/// True for the class names kerasLayerFromConfig() reads.
bool isSupportedKerasLayer(const std::string& className);
/// The layer of a Keras config; `where` prefixes the messages ("model.config.layers[2]").
/// Options we do not implement (channels_first, dilation, groups, renorm, ...) are refused.
LayerSpec kerasLayerFromConfig(const std::string& className, const nlohmann::json& config, const std::string& where);
/// [null, d...] -> [d...]: a per-sample shape of a batch_shape / input_shape; throws when it is not one.
std::vector<int> sampleShapeFromBatchShape(const nlohmann::json& shape, const std::string& where);

} // namespace cklab
