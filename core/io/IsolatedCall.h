#pragma once
/// Running a piece of code that may crash or hang (a foreign library on hostile input) in a
/// forked child process, with a time limit. POSIX only (kIsolatedCallAvailable).
#include <chrono>
#include <functional>

namespace cklab {

#if defined(__unix__) || defined(__APPLE__)
inline constexpr bool kIsolatedCallAvailable = true;
#else
inline constexpr bool kIsolatedCallAvailable = false;
#endif

struct IsolatedOutcome {
    enum class Kind {
        Finished,    ///< `body` returned or threw
        Crashed,     ///< killed by signal `code` (SIGSEGV, SIGABRT, ...)
        ExitedEarly, ///< exited with status `code` before `body` ended (e.g. a sanitizer report)
        TimedOut,    ///< still running at the deadline; killed with SIGKILL
        NotStarted,  ///< pipe() or fork() failed with errno `code`
    };
    Kind kind = Kind::Finished;
    int code = 0;
};

/// Runs `body` in a forked child and waits at most `timeout` for it. The child runs `body`
/// (exceptions are swallowed: only termination is reported), then _exit()s without running
/// atexit handlers or flushing stdio; crash signals have their default action there, so a
/// crash ends the child rather than a handler of the parent's (a sanitizer's, a fuzzer's).
/// `inParentAfterFork` runs in the parent right after fork(): the caller may hold, across fork,
/// a lock that `body` needs and that other threads take (the child inherits it held by its only
/// thread), and release it there. In a multi-threaded process `body` must need no other lock
/// that another thread may hold at fork time. Blocks the calling thread; reaps the child.
IsolatedOutcome runIsolated(const std::function<void()>& body, std::chrono::milliseconds timeout,
                            const std::function<void()>& inParentAfterFork = {});

/// "signal 11, SIGSEGV" for a signal number.
const char* signalName(int signal);

} // namespace cklab
