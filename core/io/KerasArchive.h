#pragma once
/// Keras 3 ".keras" archive (file-formats §3): a zip with config.json, metadata.json and
/// model.weights.h5, built in memory with libzip.
#include <filesystem>
#include <string>
#include <vector>

#include "core/io/CheckpointContent.h"
#include "core/io/CheckpointFile.h"

namespace cklab {

/// What we write as metadata.json's keras_version.
inline constexpr const char* kKerasArchiveVersion = "3.5.0";

/// The bytes of the archive. Throws IoError(displayPath, cause).
std::vector<char> kerasArchiveBytes(const CheckpointContent& content, const std::string& displayPath);

/// Reads config.json (spec, compile config) and model.weights.h5 of an archive on disk.
void readKerasArchive(const std::filesystem::path& path, LoadedCheckpoint& out);

} // namespace cklab
