#pragma once
/// Atomic file replacement: every checkpoint write goes through writeAtomically().
/// Temp file ".<name>.tmp-<pid>-<counter>" in the final directory, written by the caller's
/// callback, fsync'ed, renamed over the final path, then the directory is fsync'ed.
/// On any failure the temp file is removed, the previous file at the final path is left as it
/// was, and IoError("<final path>: <cause>") is thrown.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "core/base/Errors.h"

namespace cklab {

/// Thrown when the final path is an existing directory; what() is exactly Keras' text
/// "Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an existing
/// directory: {filepath}" (path() is the filepath).
class DirectoryPathError : public IoError {
public:
    explicit DirectoryPathError(const std::string& path);
    const char* what() const noexcept override { return m_message.c_str(); }

private:
    std::string m_message;
};

/// The steps of an atomic write, in order; a fault injector can make any of them fail.
enum class AtomicStep { Write, Fsync, Rename, DirFsync };
std::string_view atomicStepName(AtomicStep step); ///< "write", "fsync", "rename", "dirfsync"

/// Test seam: returns true to make `step` fail as if the OS had reported EIO. Process-wide;
/// pass nullptr to remove. Besides this hook, the environment variable
/// CKLAB_FAULT_INJECT="write|fsync|rename|dirfsync" (one or several, '|' or ',' separated)
/// injects the same faults, so a test can drive a child process.
using FaultInjector = std::function<bool(AtomicStep step, const std::filesystem::path& finalPath)>;
void setFaultInjector(FaultInjector injector);

/// Writes `finalPath` atomically. `writeTemp` must create and fill the given temp path (it may
/// open it by name, e.g. with HDF5); exceptions it throws abort the write. A failure after the
/// rename (directory fsync) leaves the new, complete file in place and still throws.
/// Returns the size in bytes of the written file.
std::int64_t writeAtomically(const std::filesystem::path& finalPath,
                             const std::function<void(const std::filesystem::path& tempPath)>& writeTemp);

/// Convenience: atomically writes `bytes` to `finalPath`.
std::int64_t writeBytesAtomically(const std::filesystem::path& finalPath, const void* data, std::size_t size);

/// True for names this module gives temp files (".<name>.tmp-<pid>-<counter>").
bool isAtomicTempName(const std::string& fileName);
/// Removes temp files left in `dir` by processes that no longer run (a killed save).
/// Temps of live processes are kept. Returns the number removed; never throws.
int cleanStaleTemps(const std::filesystem::path& dir);

} // namespace cklab
