#pragma once
/// Project <-> JSON ("format_version": 1, snake_case keys, Keras parameter names for policies).
/// The full format is documented in docs/project-format.md.
///
/// Reading collects every problem at once, each with its JSON path and what is valid:
/// `checkpoints[1].save_freq: must be "epoch", "batch" or a positive integer, got -3`.
/// Unknown keys are errors (with a did-you-mean suggestion when close).
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/project/Project.h"

namespace cklab {

/// Every field, defaults included, so that toJson(fromJson(x)) keeps everything.
nlohmann::json projectToJson(const Project& project);
/// Text as saved on disk: 2-space indent, trailing newline.
std::string projectToText(const Project& project);

/// Reads the structure and types; appends problems (JSON paths) to `problems`. A field with a
/// problem keeps its default. Does not run the semantic checks of validateProject().
Project projectFromJson(const nlohmann::json& json, std::vector<std::string>& problems);
/// projectFromJson + validateProject; throws ConfigError listing every problem.
Project parseProject(const nlohmann::json& json);
/// Parses JSON text with parseJsonText (core/base/JsonText.h: BOM, NaN tokens, duplicate keys,
/// depth); malformed JSON -> ConfigError "<origin>: malformed JSON at line L, column C: ...".
Project parseProjectText(const std::string& text, const std::string& origin);

/// Throws IoError (unreadable file) or ConfigError (malformed JSON, invalid project).
Project loadProjectFile(const std::filesystem::path& path);
/// Writes atomically (core/io/AtomicFile: temp, fsync, rename, fsync of the folder): on any
/// failure the previous file stays as it was. Throws IoError naming the file.
void saveProjectFile(const std::filesystem::path& path, const Project& project);

/// Reads a file as text; throws IoError naming the file and the cause.
std::string readTextFile(const std::filesystem::path& path);

// Pieces shared with the replay command (policy files) and the GUI.
nlohmann::json checkpointToJson(const CheckpointConfig& config);
CheckpointConfig checkpointFromJson(const nlohmann::json& json, const std::string& path,
                                    std::vector<std::string>& problems);
/// A policy file: one policy object or a list of them. Paths "[i]" for lists, "" for one object.
std::vector<CheckpointConfig> checkpointsFromJson(const nlohmann::json& json, std::vector<std::string>& problems);

} // namespace cklab
