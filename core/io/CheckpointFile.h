#pragma once
/// Reading and writing checkpoint files in the three Keras formats (docs: file-formats).
/// The suffix decides: ".weights.h5" Keras 3 weights, ".keras" Keras 3 archive, ".h5" legacy.
/// Every write is atomic: temp file in the same directory, fsync, rename, fsync directory;
/// on failure the previous file is intact, the temp file removed, and IoError is thrown.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/nn/ModelSpec.h"
#include "core/nn/Tensor.h"
#include "core/optim/Optimizer.h"
#include "core/model/Model.h"

namespace cklab {

struct SaveScratch;

enum class CheckpointFormat { WeightsH5, Keras, LegacyH5 };
std::string_view formatName(CheckpointFormat f); ///< "weights.h5", "keras", "h5"
/// From the suffix; nullopt for anything else.
std::optional<CheckpointFormat> formatForPath(const std::string& path);

struct SaveOptions {
    bool includeOptimizer = true;
    /// Extra training state for exact resume, stored in a /checkpointlab group Keras ignores.
    std::optional<nlohmann::json> trainingState;
    std::string formatVersion;                 ///< /checkpointlab format_version; empty if absent
    std::filesystem::path file;                ///< the file read (prefixes loadIntoModel's messages)
};

/// Writes `model` atomically; returns the bytes of the final file. Throws IoError naming the
/// path and cause ("Please specify a non-directory filepath ..." for a directory path).
std::int64_t saveCheckpoint(const std::filesystem::path& path, const Model& model, const SaveOptions& options = {});
/// The same, building the file in `scratch`, whose memory the next save reuses (a writer that
/// saves repeatedly keeps one: FileCheckpointStore). Same bytes, same guarantees.
std::int64_t saveCheckpoint(const std::filesystem::path& path, const Model& model, const SaveOptions& options,
                            SaveScratch& scratch);
/// Builds in memory, and discards, the file `path` would receive (format from its suffix; a
/// filepath template will do): the HDF5 library's start-up and the first large buffers of the
/// writer (fresh pages, glibc's mmap threshold) are then paid here, at the start of training,
/// instead of by the first save. Writes nothing; returns the bytes of the image (0: no known
/// format). Throws like saveCheckpoint() on a model the format cannot hold.
std::int64_t warmUpCheckpointWriter(const std::string& path, const Model& model, const SaveOptions& options = {});
/// The same in `scratch`: its memory is then paged in for the saves that use it.
std::int64_t warmUpCheckpointWriter(const std::string& path, const Model& model, const SaveOptions& options,
                                    SaveScratch& scratch);

struct LoadedCheckpoint {
    CheckpointFormat format = CheckpointFormat::WeightsH5;
    std::optional<ModelSpec> spec;             ///< .keras / .h5 carry the architecture
    std::optional<CompileConfig> compile;
    std::vector<std::string> variablePaths;    ///< "layers/dense_1/vars/0"
    std::vector<Matrix> variables;             ///< Keras order, biases as [1, out]
    std::vector<std::vector<std::int64_t>> variableShapes; ///< as stored in the file ([out] for a bias)
    /// The leading Keras Normalization layer's statistics (also in spec->normalization when the
    /// file has a config); nullopt when the file has no such layer.
    std::optional<InputNormalization> normalization;
    std::optional<OptimizerState> optimizer;
    std::optional<nlohmann::json> trainingState;
    std::string formatVersion;                 ///< /checkpointlab format_version; empty if absent
    std::filesystem::path file;                ///< the file read (prefixes loadIntoModel's messages)
};

/// Throws IoError naming the file and the path inside it.
LoadedCheckpoint readCheckpoint(const std::filesystem::path& path);

/// Copies weights (and optimizer state when present and `withOptimizer`) into model, and the
/// Normalization layer's statistics when both have one (a model that standardises keeps its own
/// when the file has none: files written before issue 15); throws
/// ConfigError naming the file path inside it and both shapes on mismatch, e.g.
/// "layers/dense_1/vars/0: expected shape [10, 2], file has [2, 10]".
void loadIntoModel(const LoadedCheckpoint& checkpoint, Model& model, bool withOptimizer = true);

} // namespace cklab
