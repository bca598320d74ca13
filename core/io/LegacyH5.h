#pragma once
/// Legacy Keras 2 full-model ".h5" (file-formats §4): root attributes keras_version, backend,
/// model_config, training_config; /model_weights with layer_names and per-layer weight_names;
/// /optimizer_weights; plus our /checkpointlab group.
#include <cstdint>
#include <string>
#include <vector>

#include "core/io/CheckpointContent.h"
#include "core/io/CheckpointFile.h"
#include "core/io/SaveScratch.h"

namespace cklab {

inline constexpr const char* kLegacyKerasVersion = "2.15.0";

/// The HDF5 file image. Throws IoError(displayPath, "<object>: <cause>").
std::vector<char> legacyH5Image(const CheckpointContent& content, const std::string& displayPath);
/// The same bytes into scratch.bytes, built in the scratch's memory (reused from save to save).
void legacyH5Image(const CheckpointContent& content, const std::string& displayPath, SaveScratch& scratch);

/// Reads the legacy layout from an open HDF5 file (hid_t as int64); throws h5 failures that
/// withHdf5File() turns into IoError. Accepts fixed- and variable-length string attributes.
void readLegacyLayout(std::int64_t fileId, LoadedCheckpoint& out);

} // namespace cklab
