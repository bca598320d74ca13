#pragma once
/// Running a piece of code that may crash or hang (a foreign library on hostile input) in a
/// child process, with a time limit. The child is this program started again
/// (posix_spawn of /proc/self/exe) with the task's name in its environment: before main() it
/// runs only that task and exits, so it shares no thread, lock or heap state with the parent.
/// A fork() without exec would: the child of a multi-threaded process inherits every lock
/// another thread held at that moment (libhdf5's, an allocator's: clang 14's ASan runtime takes none
/// around fork) and can wait for it for ever. Linux only (kIsolatedCallAvailable).
#include <chrono>
#include <string>

namespace cklab {

#if defined(__linux__)
inline constexpr bool kIsolatedCallAvailable = true;
#else
inline constexpr bool kIsolatedCallAvailable = false;
#endif

struct IsolatedOutcome {
    enum class Kind {
        Finished,    ///< the task returned or threw
        Crashed,     ///< killed by signal `code` (SIGSEGV, SIGABRT, ...)
        ExitedEarly, ///< exited with status `code` before the task ended (e.g. a sanitizer report)
        TimedOut,    ///< still running at the deadline; killed with SIGKILL
        NotStarted,  ///< pipe() or posix_spawn() failed with errno `code`
    };
    Kind kind = Kind::Finished;
    int code = 0;
};

/// Code a child process can run on one string argument. Define one with CKLAB_ISOLATED_TASK
/// at namespace scope, in the file that calls runIsolated() with it: the task must be linked
/// into every program that starts it, and sharing its translation unit guarantees that.
struct IsolatedTask {
    const char* name;
    void (*body)(const std::string& argument);
};

/// Runs `task` on `argument` in a child process and waits at most `timeout` for it. The child
/// runs only the task (exceptions are swallowed: only termination is reported), then _exit()s;
/// crash signals have their default action there, so a crash ends the child rather than a
/// handler of a sanitizer or fuzzer. Its stdin is /dev/null, its stdout a pipe to the parent,
/// its stderr the parent's; no other descriptor is inherited. Blocks the calling thread, safe
/// on any thread; reaps the child.
IsolatedOutcome runIsolated(const IsolatedTask& task, const std::string& argument, std::chrono::milliseconds timeout);

/// "signal 11, SIGSEGV" for a signal number.
const char* signalName(int signal);

namespace detail {
/// In a child started by runIsolated() for `task`: runs it and exits. Otherwise returns.
void runIsolatedTaskIfRequested(const IsolatedTask& task);
} // namespace detail

} // namespace cklab

/// Defines `variable`, an IsolatedTask named `name` running `body` (a function taking
/// `const std::string&`), and the hook that runs it, before main(), in the child process.
/// `variable` is constant-initialised, so the hook may run before any other initialiser.
#define CKLAB_ISOLATED_TASK(variable, name, body)                                                                     \
    constinit const ::cklab::IsolatedTask variable{name, body};                                                        \
    [[gnu::constructor, gnu::used]] static void variable##_runInChild()                                               \
    {                                                                                                                  \
        ::cklab::detail::runIsolatedTaskIfRequested(variable);                                                        \
    }
