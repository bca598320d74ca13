#pragma once
/// Shared plumbing of the checkpointlab-cli commands: exit codes, the one place where
/// exceptions become messages and exit codes, and the command registration functions.
#include <functional>
#include <stdexcept>
#include <string>

namespace CLI {
class App;
}

namespace cklab::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;   ///< failure at run time: the message names the file and cause
constexpr int kExitInvalid = 2;   ///< invalid arguments or configuration: every problem listed

/// An invalid command-line argument found after parsing (exit code 2).
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Runs `body` and maps what it throws: UsageError/ConfigError -> every problem as an
/// "error: ..." line and 2; IoError and anything else -> "error: ..." and 1.
int guarded(const std::function<int()>& body);

/// Throws UsageError "<path>: no such file" (or "is a directory") for a missing input file.
void requireInputFile(const std::string& path);

// One function per command: registers the subcommand, its options and --help; the callback
// stores the command's exit code in `exitCode`.
void addRunCommand(CLI::App& app, int& exitCode);
void addReplayCommand(CLI::App& app, int& exitCode);
void addInspectCommand(CLI::App& app, int& exitCode);
void addPredictCommand(CLI::App& app, int& exitCode);
void addEvaluateCommand(CLI::App& app, int& exitCode);

} // namespace cklab::cli
