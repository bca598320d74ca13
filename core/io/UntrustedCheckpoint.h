#pragma once
/// Reading a checkpoint file that comes from outside (a file the user opens, a backup to resume
/// from) without trusting libhdf5 / libzip with it: libhdf5 1.10 crashes or hangs on some
/// corrupt files (docs/hardening.md), which no check of ours can prevent.
#include <chrono>
#include <filesystem>

#include "core/io/CheckpointFile.h"

namespace cklab {

/// How long the isolated read of one checkpoint may take before the file is declared unreadable.
inline constexpr std::chrono::milliseconds kUntrustedReadTimeout{10000};

/// readCheckpoint() behind a child process (Linux; core/io/IsolatedCall.h): the child reads the file first; only when it
/// ended normally (read it or refused it with our own error) is the file read again here, so the
/// result or error is the one readCheckpoint() gives. A crash or hang of the child is an IoError
/// naming the file:
///   "<file>: could not be read: the HDF5 library crashed on it (signal 11, SIGSEGV); the file is corrupt"
///   "<file>: could not be read: reading did not finish within 10 s; the file is corrupt or not a checkpoint"
/// If the file changes between the two reads (an atomic rewrite), both are repeated. Costs a
/// process start and a second read: our own just-written files go through readCheckpoint()
/// directly. Blocks the calling thread; safe on any thread. Elsewhere: readCheckpoint().
LoadedCheckpoint readUntrustedCheckpoint(const std::filesystem::path& path,
                                         std::chrono::milliseconds timeout = kUntrustedReadTimeout);

} // namespace cklab
