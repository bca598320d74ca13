#pragma once
/// The semantic checks of a Project, every problem with its JSON path. Reuses the validate()
/// of ModelSpec, DataConfig, CompileConfig/OptimizerConfig and CheckpointConfig (their texts,
/// prefixed with the path where they carry none) and adds the cross checks only a whole
/// project can make: keys used in filepath templates and monitors must be keys the run logs.
#include <string>
#include <vector>

#include "core/project/Project.h"

namespace cklab {

std::vector<std::string> validateProject(const Project& project);
/// Part of validateProject: writers of the run that can write the same file (two policies'
/// templates, the CSV log, the backup folder), each named with both paths (core/checkpoint/PathOverlap).
std::vector<std::string> writerClashes(const Project& project);

/// Problems of one policy, prefixed with `path` ("checkpoints[1]"); `epochKeys`/`batchKeys`
/// are the log keys of the run (empty: cross check skipped, e.g. replay of unknown logs).
std::vector<std::string> validateCheckpoint(const CheckpointConfig& config, const std::string& path,
                                            const std::vector<std::string>& epochKeys = {},
                                            const std::vector<std::string>& batchKeys = {},
                                            const std::string& whyNoValidation = {});

bool hasValidationData(const DataConfig& data);
/// Keys of epoch-end logs: loss, metrics, and val_* of both when there is validation data.
std::vector<std::string> epochLogKeys(const Project& project);
/// Keys of batch-end logs: loss and metrics (running means; never val_*).
std::vector<std::string> batchLogKeys(const Project& project);
/// Prefixes `message` with `path`: "layers[0].units: ..." -> "model.layers[0].units: ...";
/// a message that already starts with `path` is kept; a message without a key gets "path: ".
std::string withPath(const std::string& path, const std::string& message);

} // namespace cklab
