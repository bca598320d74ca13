#include "core/io/UntrustedCheckpoint.h"

#include "core/io/IsolatedCall.h"

#if !defined(__linux__)

namespace cklab {

LoadedCheckpoint readUntrustedCheckpoint(const std::filesystem::path& path, std::chrono::milliseconds)
{
    return readCheckpoint(path);
}

} // namespace cklab

#else

#include <cstdlib>
#include <cstring>
#include <string>

#include <fmt/format.h>
#include <sys/stat.h>

#include "core/base/Errors.h"

namespace cklab {

namespace {

void readCheckpointInChild(const std::string& path) { (void)readCheckpoint(path); }

CKLAB_ISOLATED_TASK(kReadCheckpointTask, "read-checkpoint", readCheckpointInChild)

/// What identifies one version of a file: an atomic rewrite changes the inode, an in-place one
/// the size or modification time.
struct FileIdentity {
    bool exists = false;
    unsigned long long device = 0, inode = 0;
    long long size = 0, mtimeSeconds = 0, mtimeNanoseconds = 0;
    bool operator==(const FileIdentity&) const = default;
};

FileIdentity identityOf(const std::filesystem::path& path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return {};
#if defined(__APPLE__)
    const auto& mtime = st.st_mtimespec;
#else
    const auto& mtime = st.st_mtim;
#endif
    return {true,      static_cast<unsigned long long>(st.st_dev), static_cast<unsigned long long>(st.st_ino),
            st.st_size, static_cast<long long>(mtime.tv_sec),      static_cast<long long>(mtime.tv_nsec)};
}

std::string libraryFor(const std::filesystem::path& path)
{
    return path.extension() == ".keras" ? "the zip or HDF5 library" : "the HDF5 library";
}

std::string secondsText(std::chrono::milliseconds t)
{
    return t.count() % 1000 == 0 ? fmt::format("{} s", t.count() / 1000) : fmt::format("{:g} s", t.count() / 1000.0);
}

/// Throws IoError for an outcome other than Finished.
void refuseUnlessFinished(const IsolatedOutcome& outcome, const std::filesystem::path& path,
                          std::chrono::milliseconds timeout)
{
    const std::string file = path.string();
    switch (outcome.kind) {
    case IsolatedOutcome::Kind::Finished:
        return;
    case IsolatedOutcome::Kind::Crashed:
        throw IoError(file, fmt::format("could not be read: {} crashed on it (signal {}, {}); the file is corrupt",
                                        libraryFor(path), outcome.code, signalName(outcome.code)));
    case IsolatedOutcome::Kind::ExitedEarly:
        throw IoError(file, fmt::format("could not be read: the reading process ended abnormally (exit status {}); "
                                        "the file is corrupt",
                                        outcome.code));
    case IsolatedOutcome::Kind::TimedOut:
        // Not "corrupt": a time-out only says that reading took too long (a damaged file that
        // makes HDF5 loop, or a very large file on a busy machine).
        throw IoError(file, fmt::format("could not be read: reading did not finish within {} and was stopped; "
                                        "the file may be damaged (HDF5 can loop on one), or very large for a busy "
                                        "machine: try again when it is idle",
                                        secondsText(timeout)));
    case IsolatedOutcome::Kind::NotStarted:
        throw IoError(file, fmt::format("could not be read: no process to read it in isolation ({})",
                                        std::strerror(outcome.code)));
    }
}

/// The default time-out, or CKLAB_UNTRUSTED_READ_TIMEOUT_MS when set (sanitizer builds run the
/// reading child several times slower); an explicit time-out of the caller is kept as given.
std::chrono::milliseconds effectiveTimeout(std::chrono::milliseconds timeout)
{
    if (timeout != kUntrustedReadTimeout)
        return timeout;
    const char* env = std::getenv("CKLAB_UNTRUSTED_READ_TIMEOUT_MS");
    if (env == nullptr || *env == '\0')
        return timeout;
    char* end = nullptr;
    const long long ms = std::strtoll(env, &end, 10);
    return end != env && *end == '\0' && ms > 0 ? std::chrono::milliseconds(ms) : timeout;
}

} // namespace

LoadedCheckpoint readUntrustedCheckpoint(const std::filesystem::path& path, std::chrono::milliseconds timeout)
{
    timeout = effectiveTimeout(timeout);
    // The child starts in this folder too, but another thread may change it meanwhile.
    std::error_code ignored;
    const std::filesystem::path absolute = std::filesystem::absolute(path, ignored);
    constexpr int kAttempts = 3;
    for (int attempt = 1;; ++attempt) {
        const FileIdentity before = identityOf(path);
        const IsolatedOutcome outcome =
            runIsolated(kReadCheckpointTask, (absolute.empty() ? path : absolute).string(), timeout);
        if (identityOf(path) != before) {
            if (attempt < kAttempts)
                continue;
            throw IoError(path.string(), "changed while it was being read; try again");
        }
        refuseUnlessFinished(outcome, path, timeout);
        LoadedCheckpoint loaded = readCheckpoint(path);
        if (identityOf(path) == before)
            return loaded;
        if (attempt >= kAttempts)
            throw IoError(path.string(), "changed while it was being read; try again");
    }
}

} // namespace cklab

#endif
