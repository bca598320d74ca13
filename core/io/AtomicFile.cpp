#include "core/io/AtomicFile.h"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <regex>
#include <set>
#include <system_error>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cklab {

namespace fs = std::filesystem;

namespace {

std::mutex g_injectorMutex;
FaultInjector g_injector;
std::atomic<unsigned long> g_counter{0};

bool envInjects(AtomicStep step)
{
    const char* env = std::getenv("CKLAB_FAULT_INJECT");
    if (env == nullptr || *env == '\0')
        return false;
    const std::string value(env);
    const std::string name(atomicStepName(step));
    std::size_t start = 0;
    while (start <= value.size()) {
        std::size_t end = value.find_first_of("|,", start);
        if (end == std::string::npos)
            end = value.size();
        if (value.compare(start, end - start, name) == 0)
            return true;
        start = end + 1;
    }
    return false;
}

/// Throws IoError for `step` if a fault is injected there (tests only).
void maybeInjectFault(AtomicStep step, const fs::path& finalPath)
{
    bool fail = envInjects(step);
    if (!fail) {
        std::lock_guard lock(g_injectorMutex);
        fail = g_injector && g_injector(step, finalPath);
    }
    if (fail)
        throw IoError(finalPath.string(), std::string(atomicStepName(step)) + " failed: " + std::strerror(EIO)
                                              + " (injected fault)");
}

std::string errnoText(const char* what, int err)
{
    return std::string(what) + " failed: " + std::strerror(err);
}

void fsyncPath(const fs::path& path, bool directory, const fs::path& finalPath)
{
    const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
    if (fd < 0)
        throw IoError(finalPath.string(), errnoText(directory ? "opening the directory for fsync" : "reopening the temp file", errno));
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0)
        throw IoError(finalPath.string(), errnoText(directory ? "fsync of the directory" : "fsync", err));
}

/// An IoError raised by the callback names the temp file; report it under the final path.
[[noreturn]] void rethrowUnderFinalPath(const IoError& e, const fs::path& tempPath, const fs::path& finalPath)
{
    // The path once: "best.weights.h5: creating the temp file failed: ...", not that twice.
    const bool ours = e.path() == tempPath.string() || e.path() == finalPath.string();
    throw IoError(finalPath.string(), ours ? e.cause() : std::string(e.what()));
}

/// ".<name>.tmp-<pid>-<counter>", with <name> cut (at a UTF-8 character boundary) so that the
/// whole stays within NAME_MAX: a final name of 241-255 bytes must not fail for its temp name.
/// The pid and the process-wide counter keep cut names apart.
std::string tempFileName(const std::string& name, const std::string& unique)
{
    constexpr std::size_t kNameMax = 255;
    const std::string suffix = ".tmp-" + unique;
    std::size_t keep = name.size();
    if (1 + keep + suffix.size() > kNameMax) {
        keep = kNameMax - 1 - suffix.size();
        while (keep > 0 && (static_cast<unsigned char>(name[keep]) & 0xC0) == 0x80)
            --keep; // do not split a multi-byte character
    }
    return "." + name.substr(0, keep) + suffix;
}

/// A killed save leaves its temp file behind: the first atomic write of this process into a
/// directory removes those of dead processes there (HARDEN, kill tests).
void cleanStaleTempsOnce(const fs::path& dir)
{
    static std::mutex mutex;
    static std::set<std::string> cleaned;
    {
        std::lock_guard lock(mutex);
        if (!cleaned.insert(dir.string()).second)
            return;
    }
    cleanStaleTemps(dir);
}

} // namespace

DirectoryPathError::DirectoryPathError(const std::string& path)
    : IoError(path, "is an existing directory"),
      m_message("Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an existing directory: " + path)
{
}

std::string_view atomicStepName(AtomicStep step)
{
    switch (step) {
    case AtomicStep::Write: return "write";
    case AtomicStep::Fsync: return "fsync";
    case AtomicStep::Rename: return "rename";
    case AtomicStep::DirFsync: return "dirfsync";
    }
    return "?";
}

void setFaultInjector(FaultInjector injector)
{
    std::lock_guard lock(g_injectorMutex);
    g_injector = std::move(injector);
}

std::int64_t writeAtomically(const fs::path& finalPath, const std::function<void(const fs::path&)>& writeTemp)
{
    std::error_code ec;
    if (fs::is_directory(finalPath, ec))
        throw DirectoryPathError(finalPath.string());
    const fs::path absolute = fs::absolute(finalPath, ec);
    const fs::path dir = (ec ? finalPath : absolute).parent_path();
    if (finalPath.filename().empty())
        throw IoError(finalPath.string(), "the path names no file");
    if (!dir.empty() && !fs::is_directory(dir, ec)) {
        fs::create_directories(dir, ec);
        if (ec)
            throw IoError(finalPath.string(), "cannot create directory " + dir.string() + ": " + ec.message());
    }

    cleanStaleTempsOnce(dir.empty() ? fs::path(".") : dir);

    const fs::path tempPath = dir / tempFileName(finalPath.filename().string(), std::to_string(::getpid()) + '-' +
                                                                      std::to_string(g_counter.fetch_add(1)));
    std::int64_t size = 0;
    try {
        try {
            writeTemp(tempPath);
        } catch (const DirectoryPathError&) {
            throw;
        } catch (const IoError& e) {
            rethrowUnderFinalPath(e, tempPath, finalPath);
        }
        maybeInjectFault(AtomicStep::Write, finalPath);
        struct stat st {};
        if (::stat(tempPath.c_str(), &st) != 0)
            throw IoError(finalPath.string(), errnoText("writing the temp file", errno));
        size = static_cast<std::int64_t>(st.st_size);
        maybeInjectFault(AtomicStep::Fsync, finalPath);
        fsyncPath(tempPath, false, finalPath);
        maybeInjectFault(AtomicStep::Rename, finalPath);
        if (::rename(tempPath.c_str(), finalPath.c_str()) != 0)
            throw IoError(finalPath.string(), errnoText("rename", errno));
    } catch (...) {
        ::unlink(tempPath.c_str());
        throw;
    }
    // The new file is in place; only its durability is in question now.
    maybeInjectFault(AtomicStep::DirFsync, finalPath);
    fsyncPath(dir.empty() ? fs::path(".") : dir, true, finalPath);
    return size;
}

std::int64_t writeBytesAtomically(const fs::path& finalPath, const void* data, std::size_t size)
{
    return writeAtomically(finalPath, [&](const fs::path& temp) {
        const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
            throw IoError(finalPath.string(), errnoText("creating the temp file", errno));
        const char* p = static_cast<const char*>(data);
        std::size_t left = size;
        while (left > 0) {
            const ssize_t n = ::write(fd, p, left);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                const int err = n < 0 ? errno : EIO;
                ::close(fd);
                throw IoError(finalPath.string(), errnoText("write", err));
            }
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        if (::close(fd) != 0)
            throw IoError(finalPath.string(), errnoText("close", errno));
    });
}

bool isAtomicTempName(const std::string& fileName)
{
    static const std::regex pattern(R"(^\..+\.tmp-[0-9]+-[0-9]+$)");
    return std::regex_match(fileName, pattern);
}

int cleanStaleTemps(const fs::path& dir)
{
    int removed = 0;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!isAtomicTempName(name))
            continue;
        const std::size_t dash2 = name.rfind('-');
        const std::size_t dash1 = name.rfind('-', dash2 - 1);
        const long pid = std::strtol(name.c_str() + dash1 + 1, nullptr, 10);
        const bool alive = pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
        if (alive)
            continue;
        std::error_code removeError;
        if (fs::remove(it->path(), removeError))
            ++removed;
    }
    return removed;
}

} // namespace cklab
