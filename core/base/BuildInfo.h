#pragma once
/// What a build of CheckpointLab is: its version and commit and the versions and licences of
/// the libraries the engine uses, for `--version` and Help > About. No Qt (the GUI adds Qt's)
/// and no CLI11 (checkpointlab-cli adds it).
#include <string>
#include <vector>

namespace cklab {

struct LibraryInfo {
    std::string name;     ///< "Eigen", "HDF5", ...
    std::string version;  ///< "3.4.0"; for shared libraries the version loaded at run time
    std::string licence;  ///< SPDX-style short name, e.g. "MPL-2.0"
};

struct BuildInfo {
    std::string version;     ///< PROJECT_VERSION, "0.1.0"
    std::string commit;      ///< `git describe` at configure time, or "unknown"
    std::vector<LibraryInfo> libraries;
};

/// The running build (computed once; safe to call from any thread).
const BuildInfo& buildInfo();

/// "<program> <version> (<commit>)", the first line of every `--version`.
std::string versionLine(const std::string& program);

} // namespace cklab
