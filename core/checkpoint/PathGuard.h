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

} // namespace cklab
