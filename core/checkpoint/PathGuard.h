#pragma once
/// Where a checkpoint may be written (docs/checkpoint-semantics.md, "Paths"). Applied to the
/// *formatted* path of every save, before anything touches the disk:
///  * a relative path is resolved against the output directory and may not leave it: a `..`
///    that climbs above the output directory is an error (`a/../b` inside it is fine);
///  * an absolute path is allowed — it can only come from a template the user typed as absolute,
///    because formatted values are numbers — and is written and reported as typed;
///  * every path component must be a valid file name on Linux, macOS and Windows: none of
///    `< > : " | ? * \`, no control characters, no trailing dot or space, not a Windows device
///    name (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with or without an extension). Formatted
///    numbers ("nan", "inf", "-inf", "-0.5", "1e-05", "1,234.5", "50%") never contain those, so a
///    bad character always comes from the template text and is rejected, not rewritten.
#include <filesystem>
#include <optional>
#include <string>

namespace cklab {

/// The problem with one file name component, or nullopt if it is portable.
std::optional<std::string> portableNameProblem(const std::string& component);

/// The problem with formatted checkpoint path `path` written under `outputDir`, or nullopt.
/// The text names the rule (the caller prefixes the path), e.g.
/// `leaves the output directory /run/out (a '..' climbs above it; use an absolute path to write elsewhere)`.
std::optional<std::string> checkpointPathProblem(const std::filesystem::path& outputDir, const std::string& path);

/// The file to write for `path`: `outputDir / path` for a relative path, `path` itself when
/// absolute. Throws IoError(path, problem) when checkpointPathProblem() finds one.
std::filesystem::path guardCheckpointPath(const std::filesystem::path& outputDir, const std::string& path);

/// The folder a path rendered from `pathTemplate` must stay in: `outputDir` for a relative
/// template; for an absolute one, its folders before the first component with a field
/// ("/data/ckpt/{epoch}/m.h5" -> "/data/ckpt").
std::filesystem::path templateRoot(const std::filesystem::path& outputDir, const std::string& pathTemplate);

/// The problem with `rendered` (formatted from `pathTemplate`, already guarded) given the root
/// of templateRoot(), or nullopt: a relative template must render a relative path (a '/' fill
/// character, `{epoch:/>2d}`, must not make it absolute), and the file, with every symlink of
/// its folders resolved, must lie inside the root (resolved too).
std::optional<std::string> renderedPathProblem(const std::filesystem::path& outputDir, const std::string& pathTemplate,
                                               const std::string& rendered);

/// True if `file` lies inside `root` once both are absolute and their existing parts have
/// their symlinks resolved (std::filesystem::weakly_canonical).
bool isInside(const std::filesystem::path& root, const std::filesystem::path& file);

/// The path of a file the run writes other than checkpoints (CSV log, backup folder), given as
/// `field` = `value` in the project: relative only, inside `outputDir`, portable names. The
/// problem text names the field, or nullopt.
std::optional<std::string> runFilePathProblem(const std::string& field, const std::string& value);

} // namespace cklab
