#include "core/io/IsolatedCall.h"

#if defined(__unix__) || defined(__APPLE__)

#include <algorithm>
#include <cerrno>
#include <csignal>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cklab {

namespace {

using Clock = std::chrono::steady_clock;
constexpr char kFinished = 'F';

[[noreturn]] void runChild(const std::function<void()>& body, int writeEnd, std::chrono::milliseconds timeout)
{
    // Default actions: a crash kills this process instead of entering a parent's handler
    // (ASan's or libFuzzer's would report the parent's fuzz input as a finding of their own).
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGALRM})
        std::signal(sig, SIG_DFL);
    // Backstop should the parent die before killing us: end a little after its deadline.
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout).count();
    ::alarm(static_cast<unsigned>(std::clamp<long long>(seconds + 5, 5, 3600)));
    try {
        body();
    } catch (...) {
        // Only termination matters; the parent repeats the call to get the result or error.
    }
    (void)!::write(writeEnd, &kFinished, 1);
    ::_exit(0);
}

int reap(pid_t pid)
{
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

/// Waits until the child has exited (returns true and its wait status) or the deadline passed
/// (returns false). Polls the pipe in short slices and checks the child between them: the
/// pipe alone is not enough, since a child forked at the same time by another thread may hold
/// a copy of its write end.
bool waitForChild(pid_t pid, int readEnd, Clock::time_point deadline, bool& finished, int& status)
{
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid || (done < 0 && errno != EINTR)) {
            char c = 0;
            while (!finished && ::read(readEnd, &c, 1) == 1)
                finished = c == kFinished;
            return true;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0)
            return false;
        pollfd p{readEnd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(std::min<long long>(left, 20))) > 0) {
            char c = 0;
            const ssize_t n = ::read(readEnd, &c, 1);
            if (n == 1 && c == kFinished)
                finished = true;
            if (n == 0) { // every write end closed: the child has exited
                status = reap(pid);
                return true;
            }
        }
    }
}

} // namespace

IsolatedOutcome runIsolated(const std::function<void()>& body, std::chrono::milliseconds timeout,
                            const std::function<void()>& inParentAfterFork)
{
    int fds[2];
    if (::pipe(fds) != 0) {
        const int error = errno;
        if (inParentAfterFork)
            inParentAfterFork();
        return {IsolatedOutcome::Kind::NotStarted, error};
    }
    const Clock::time_point deadline = Clock::now() + timeout;
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        runChild(body, fds[1], timeout);
    }
    const int forkError = errno;
    if (inParentAfterFork)
        inParentAfterFork();
    ::close(fds[1]);
    if (pid < 0) {
        ::close(fds[0]);
        return {IsolatedOutcome::Kind::NotStarted, forkError};
    }
    ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
    bool finished = false;
    int status = 0;
    const bool exited = waitForChild(pid, fds[0], deadline, finished, status);
    ::close(fds[0]);
    if (!exited) {
        ::kill(pid, SIGKILL);
        reap(pid);
        return {IsolatedOutcome::Kind::TimedOut, 0};
    }
    if (WIFSIGNALED(status))
        return {IsolatedOutcome::Kind::Crashed, WTERMSIG(status)};
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (finished && code == 0)
        return {IsolatedOutcome::Kind::Finished, 0};
    return {IsolatedOutcome::Kind::ExitedEarly, code};
}

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

IsolatedOutcome runIsolated(const std::function<void()>& body, std::chrono::milliseconds,
                            const std::function<void()>& inParentAfterFork)
{
    if (inParentAfterFork)
        inParentAfterFork();
    (void)body;
    return {IsolatedOutcome::Kind::NotStarted, 0};
}

const char* signalName(int) { return "signal"; }

} // namespace cklab

#endif
