#pragma once
/// Keras 3 ".keras" archive (file-formats §3): a zip with config.json, metadata.json and
/// model.weights.h5, built in memory with libzip.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/io/CheckpointContent.h"
#include "core/io/CheckpointFile.h"

namespace cklab {

/// What we write as metadata.json's keras_version.
inline constexpr const char* kKerasArchiveVersion = "3.5.0";

/// Largest entry (config.json, model.weights.h5) we read from an archive: 1 GiB, a model of about
/// 250 million float32 parameters. A larger declared size is an IoError naming the entry.
inline constexpr std::uint64_t kMaxKerasEntryBytes = std::uint64_t{1} << 30;

/// The bytes of the archive. Throws IoError(displayPath, cause).
std::vector<char> kerasArchiveBytes(const CheckpointContent& content, const std::string& displayPath);

/// Reads config.json (spec, compile config) and model.weights.h5 of an archive on disk.
void readKerasArchive(const std::filesystem::path& path, LoadedCheckpoint& out);

} // namespace cklab
