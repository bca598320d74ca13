#include "cli/CliMain.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "core/base/BuildInfo.h"
#include "cli/CliCommon.h"

namespace cklab::cli {

namespace {

/// `checkpointlab-cli --version`: the version line, then the libraries (help2man reads line 1).
std::string versionText()
{
    std::string text = versionLine("checkpointlab-cli");
    for (const auto& lib : buildInfo().libraries)
        text += "\n" + lib.name + " " + lib.version + " (" + lib.licence + ")";
    // CLI11 is linked by this program only (cli/), not by the engine.
    text += "\nCLI11 " CLI11_VERSION " (BSD-3-Clause)";
    return text;
}

} // namespace

int runMain(int argc, char** argv)
{
    CLI::App app{"CheckpointLab command line: train projects, replay checkpoint policies over recorded logs, "
                 "inspect checkpoint files, predict with a checkpoint, evaluate a checkpoint on a project's data.",
                 "checkpointlab-cli"};
    app.require_subcommand(1);
    // A version flag is processed before require_subcommand is checked, so it needs no command.
    app.set_version_flag("--version", versionText(), "Print the version, commit and library versions, and exit");
    app.footer("Exit codes: 0 success, 2 invalid arguments or configuration, 1 failure at run time.\n"
               "Run 'checkpointlab-cli COMMAND --help' for the options of a command.");
    int exitCode = kExitOk;
    addRunCommand(app, exitCode);
    addReplayCommand(app, exitCode);
    addInspectCommand(app, exitCode);
    addPredictCommand(app, exitCode);
    addEvaluateCommand(app, exitCode);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e); // prints the problem and a hint to --help
        return kExitInvalid;
    }
    return exitCode;
}

} // namespace cklab::cli
