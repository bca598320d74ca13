#include "core/io/IsolatedCall.h"

#if defined(__linux__)

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h> // environ (a GNU extension: g++ defines _GNU_SOURCE)

namespace cklab {

namespace {

using Clock = std::chrono::steady_clock;

// What tells a child which task to run; never in the parent's own environment.
constexpr std::string_view kTaskVariable = "CKLAB_ISOLATED_TASK";
constexpr std::string_view kArgumentVariable = "CKLAB_ISOLATED_ARGUMENT";
constexpr std::string_view kTimeoutVariable = "CKLAB_ISOLATED_TIMEOUT_MS";
constexpr std::string_view kVariablePrefix = "CKLAB_ISOLATED_";
// Written to stdout as the child's last act: it ended on its own (the task returned or threw).
constexpr std::string_view kFinishedMarker = "\ncklab-isolated-task-finished\n";

int reap(pid_t pid)
{
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

/// Waits until the child has exited (returns true and its wait status) or the deadline passed
/// (returns false), collecting what it writes to `output`.
bool waitForChild(pid_t pid, int readEnd, Clock::time_point deadline, std::string& output, int& status)
{
    const auto drain = [&] {
        char buffer[512];
        ssize_t n = 0;
        while ((n = ::read(readEnd, buffer, sizeof buffer)) > 0)
            output.append(buffer, static_cast<std::size_t>(n));
        if (output.size() > 4 * kFinishedMarker.size()) // only the end matters: keep it bounded
            output.erase(0, output.size() - 2 * kFinishedMarker.size());
        return n;
    };
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid || (done < 0 && errno != EINTR)) {
            drain();
            return true;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0)
            return false;
        pollfd p{readEnd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(std::min<long long>(left, 20))) > 0 && drain() == 0) {
            status = reap(pid); // end of file: the child has exited
            return true;
        }
    }
}

/// The parent's environment without any CKLAB_ISOLATED_* variable, plus the task's.
std::vector<std::string> childEnvironment(const IsolatedTask& task, const std::string& argument,
                                          std::chrono::milliseconds timeout)
{
    std::vector<std::string> env;
    bool perturbed = false;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        if (std::string_view(*e).starts_with(kVariablePrefix))
            continue;
        perturbed = perturbed || std::string_view(*e).starts_with("MALLOC_PERTURB_=");
        env.emplace_back(*e);
    }
    // glibc fills every block it hands out or takes back with this byte: a read of freed or
    // uninitialised memory (libhdf5 frees a pointer read from such memory on one corrupt file)
    // then fails in the child for certain, instead of depending on what its fresh heap holds.
    if (!perturbed)
        env.emplace_back("MALLOC_PERTURB_=65");
    env.push_back(std::string(kTaskVariable) + "=" + task.name);
    env.push_back(std::string(kArgumentVariable) + "=" + argument);
    env.push_back(std::string(kTimeoutVariable) + "=" + std::to_string(timeout.count()));
    return env;
}

/// Starts /proc/self/exe with `env`, stdout on `writeEnd`; returns its pid or -errno.
pid_t spawnSelf(const IsolatedTask& task, const std::vector<std::string>& env, int writeEnd)
{
    std::vector<char*> envp;
    for (const std::string& e : env)
        envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    std::string argv0 = std::string("cklab-isolated-") + task.name; // what ps shows
    char* argv[] = {argv0.data(), nullptr};

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, writeEnd, STDOUT_FILENO);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
#endif
    pid_t pid = -1;
    const int error = ::posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
    return error == 0 ? pid : -error;
}

} // namespace

IsolatedOutcome runIsolated(const IsolatedTask& task, const std::string& argument, std::chrono::milliseconds timeout)
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return {IsolatedOutcome::Kind::NotStarted, errno};
    const Clock::time_point deadline = Clock::now() + timeout;
    const pid_t pid = spawnSelf(task, childEnvironment(task, argument, timeout), fds[1]);
    ::close(fds[1]);
    if (pid < 0) {
        ::close(fds[0]);
        return {IsolatedOutcome::Kind::NotStarted, -pid};
    }
    ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
    std::string output;
    int status = 0;
    const bool exited = waitForChild(pid, fds[0], deadline, output, status);
    ::close(fds[0]);
    if (!exited) {
        ::kill(pid, SIGKILL);
        reap(pid);
        return {IsolatedOutcome::Kind::TimedOut, 0};
    }
    if (WIFSIGNALED(status))
        return {IsolatedOutcome::Kind::Crashed, WTERMSIG(status)};
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == 0 && output.ends_with(kFinishedMarker))
        return {IsolatedOutcome::Kind::Finished, 0};
    return {IsolatedOutcome::Kind::ExitedEarly, code};
}

namespace detail {

void runIsolatedTaskIfRequested(const IsolatedTask& task)
{
    const char* name = std::getenv(std::string(kTaskVariable).c_str());
    if (name == nullptr || std::strcmp(name, task.name) != 0)
        return;
    // Default actions: a crash kills this process instead of entering a handler installed
    // before main (ASan's, libFuzzer's), which would report it as a finding of its own.
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGALRM})
        std::signal(sig, SIG_DFL);
    // Backstop should the parent die before killing us: end a little after its deadline.
    const char* timeoutText = std::getenv(std::string(kTimeoutVariable).c_str());
    const long long seconds = timeoutText != nullptr ? std::atoll(timeoutText) / 1000 : 0;
    ::alarm(static_cast<unsigned>(std::clamp<long long>(seconds + 5, 5, 3600)));
    const char* argument = std::getenv(std::string(kArgumentVariable).c_str());
    try {
        task.body(argument != nullptr ? argument : "");
    } catch (...) {
        // Only termination matters; the parent repeats the call to get the result or error.
    }
    (void)!::write(STDOUT_FILENO, kFinishedMarker.data(), kFinishedMarker.size());
    ::_exit(0);
}

} // namespace detail

const char* signalName(int signal)
{
    switch (signal) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGABRT: return "SIGABRT";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGKILL: return "SIGKILL";
    case SIGALRM: return "SIGALRM";
    default: return "signal";
    }
}

} // namespace cklab

#else

namespace cklab {

IsolatedOutcome runIsolated(const IsolatedTask&, const std::string&, std::chrono::milliseconds)
{
    return {IsolatedOutcome::Kind::NotStarted, 0};
}

namespace detail {
void runIsolatedTaskIfRequested(const IsolatedTask&) {}
} // namespace detail

const char* signalName(int) { return "signal"; }

} // namespace cklab

#endif
