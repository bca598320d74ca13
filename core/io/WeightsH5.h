#pragma once
/// Keras 3 ".weights.h5" layout (file-formats §1, §2) plus our /checkpointlab group
/// (format version and JSON training state, ignored by Keras).
/// Errors are IoError("<file>: <path inside the file>: <cause>").
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/io/CheckpointContent.h"
#include "core/io/CheckpointFile.h"
#include "core/io/SaveScratch.h"

namespace cklab {

/// Version of what we store in /checkpointlab.
inline constexpr const char* kCheckpointLabFormatVersion = "1";

/// The complete HDF5 file image of `content` in the Keras 3 weights layout (built in memory).
/// `displayPath` names the file in IoError messages.
std::vector<char> weightsH5Image(const CheckpointContent& content, const std::string& displayPath);
/// The same bytes into scratch.bytes, built in the scratch's memory (reused from save to save).
void weightsH5Image(const CheckpointContent& content, const std::string& displayPath, SaveScratch& scratch);

/// Reads a weights layout from a file on disk or from an in-memory image. If `spec` is given,
/// layers are read in its order and variable counts are checked against it.
/// Fills variablePaths/variables/variableShapes, optimizer, trainingState, formatVersion.
void readWeightsH5File(const std::filesystem::path& path, LoadedCheckpoint& out, const std::optional<ModelSpec>& spec);
void readWeightsH5Image(const std::vector<char>& image, const std::string& displayPath, LoadedCheckpoint& out,
                        const std::optional<ModelSpec>& spec);

/// Write / read the layout into / from an open HDF5 file (hid_t passed as int64); HDF5
/// failures are thrown as internal h5 failures that hdf5Image()/withHdf5File() turn into IoError.
void writeWeightsLayout(std::int64_t fileId, const CheckpointContent& content);
void readWeightsLayout(std::int64_t fileId, LoadedCheckpoint& out, const std::optional<ModelSpec>& spec);

/// Shared with LegacyH5: the /checkpointlab group (format_version attribute, training_state
/// JSON dataset) in an open HDF5 file; written only when there is training state.
void writeCheckpointLabGroup(std::int64_t fileId, const CheckpointContent& content);
void readCheckpointLabGroup(std::int64_t fileId, LoadedCheckpoint& out);

/// Shared with LegacyH5 (hid_t passed as int64): the image of an HDF5 file that `fill` writes,
/// built with the core driver; and opening a file / image for reading.
std::vector<char> hdf5Image(const std::string& displayPath, const std::function<void(std::int64_t fileId)>& fill);
/// The same into `image`, with the core driver's file in `memory` (see SaveScratch).
void hdf5Image(const std::string& displayPath, const std::function<void(std::int64_t fileId)>& fill, ReusableBlock& memory,
               std::vector<char>& image);
void withHdf5File(const std::filesystem::path& path, const std::function<void(std::int64_t fileId)>& read);
void withHdf5Image(const std::vector<char>& image, const std::string& displayPath,
                   const std::function<void(std::int64_t fileId)>& read);

} // namespace cklab
