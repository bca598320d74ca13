#pragma once
/// model.from_file: a run that starts from, and continues, a saved model (ours or Keras').
/// A .keras / legacy .h5 brings architecture and weights; a .weights.h5 brings weights for the
/// architecture of the project's model. Optimizer state is taken when the file has it and its
/// optimizer is the run's, otherwise the run starts a fresh state and says so.
#include <filesystem>
#include <string>
#include <vector>

#include "core/io/CheckpointFile.h"
#include "core/nn/ModelSpec.h"
#include "core/model/Model.h"

namespace cklab {

/// The file of `model.from_file`, resolved against `baseDir` (the project file's folder).
std::filesystem::path startFilePath(const ModelSpec& model, const std::filesystem::path& baseDir);

/// Reads the file in isolation (a corrupt file is an error, not a crash). Throws ConfigError
/// "model.from_file: <absolute path>: <cause>".
LoadedCheckpoint readStartFile(const std::filesystem::path& path);

/// The run's architecture: the file's when it has one (the project's layers, if it lists any,
/// must be the same: the message names the first layer that differs), else the project's.
/// `features`: the data's width, which the file must take. The file's Normalization layer, if
/// any, stays; ConfigError otherwise, naming the file.
ModelSpec startSpec(const ModelSpec& project, const LoadedCheckpoint& file, int features);

/// Weights (and Normalization statistics) into `model` (ConfigError naming the file, the
/// variable and both shapes on a mismatch); the optimizer state when it fits. Returns the
/// warning lines for what was not taken (empty when everything was).
std::vector<std::string> startFrom(const LoadedCheckpoint& file, Model& model);

/// One row of what a file brings, for the model form: "dense_1", "Dense(5, tanh)", "[None, 5]", 30.
struct ImportedLayer {
    std::string name;
    std::string description;
    std::string outputShape;
    long long parameters = 0;
};
std::vector<ImportedLayer> importedLayers(const ModelSpec& spec);

} // namespace cklab
