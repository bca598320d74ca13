#pragma once
/// Keras serialization of a Sequential MLP and its compile settings, in two flavours:
/// Keras 3 (config.json of a .keras archive: every object has "module"/"class_name"/"config")
/// and Keras 2 (model_config / training_config attributes of a legacy .h5).
/// The readers throw std::invalid_argument("<key path>: <problem>"); callers add the file name.
#include <nlohmann/json.hpp>

#include "core/nn/ModelSpec.h"
#include "core/model/Model.h"

namespace cklab {

enum class KerasFlavour { Keras3, Keras2 };

/// {"module": "keras", "class_name": "Sequential", "config": {...}} (Keras 3) or
/// {"class_name": "Sequential", "config": {...}} (Keras 2).
nlohmann::json modelConfigJson(const ModelSpec& spec, KerasFlavour flavour);
/// Keras 3 "compile_config": optimizer object, loss, metrics.
nlohmann::json compileConfigJson(const CompileConfig& compile);
/// Keras 2 "training_config": optimizer_config, loss, metrics.
nlohmann::json trainingConfigJson(const CompileConfig& compile);
/// Keras optimizer object {"class_name": "Adam", "config": {...}} (+ "module" for Keras 3).
nlohmann::json optimizerJson(const OptimizerConfig& optimizer, KerasFlavour flavour);

/// Reads either flavour (InputLayer batch_shape / batch_input_shape, or build_config).
ModelSpec modelSpecFromJson(const nlohmann::json& model);
/// Reads a compile_config or a training_config.
CompileConfig compileConfigFromJson(const nlohmann::json& config);

} // namespace cklab
