#pragma once
/// The entries of a project's model.layers list, with Keras' names: {"type": "conv2d",
/// "filters": 32, "kernel_size": [3, 3], ...}. Internal helper of ProjectJson.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/nn/ModelSpec.h"

namespace cklab {

class JsonReader;

/// Reads one layer; problems (unknown type, unknown keys, keys of another layer type, wrong
/// types) go to `r` with their JSON path.
LayerSpec layerFromJson(JsonReader& r, const nlohmann::json& j, const std::string& path);
/// The layer as a project writes it; layerFromJson() reads it back to the same LayerSpec.
nlohmann::json layerToJson(const LayerSpec& layer);
/// model.input_shape: a list of positive integers.
void readShape(JsonReader& r, const nlohmann::json& obj, const std::string& path, const char* key, std::vector<int>& out);

} // namespace cklab
