// checkpointlab-cli replay: what would these policies have done to a run that already happened?
// No training and no file written: decisions come from ModelCheckpoint itself over a
// SimulatedCheckpointStore (replayPolicies in core/compare), so they are the live decisions.
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "core/base/Errors.h"
#include "core/base/JsonText.h"
#include "cli/CliCommon.h"
#include "core/compare/PolicyReplay.h"
#include "core/project/EventJson.h"
#include "core/project/HistoryFile.h"
#include "core/project/ProjectJson.h"
#include "core/project/ProjectValidation.h"

namespace cklab::cli {

namespace {

struct ReplayArgs {
    std::string history;
    std::vector<std::string> policies;
};

std::vector<CheckpointConfig> loadPolicies(const std::vector<std::string>& files)
{
    std::vector<CheckpointConfig> configs;
    std::vector<std::string> problems;
    for (const auto& file : files) {
        requireInputFile(file);
        const auto json = parseJsonText(readTextFile(file), file);
        std::vector<std::string> fileProblems;
        auto loaded = checkpointsFromJson(json, fileProblems);
        for (std::size_t i = 0; i < loaded.size(); ++i) {
            const std::string path = json.is_array() ? "[" + std::to_string(i) + "]" : "";
            for (const auto& p : validateCheckpoint(loaded[i], path))
                fileProblems.push_back(p);
        }
        for (const auto& p : fileProblems)
            problems.push_back(file + ": " + p);
        configs.insert(configs.end(), loaded.begin(), loaded.end());
    }
    throwIfInvalid(problems);
    return configs;
}

int replay(const ReplayArgs& args)
{
    const auto configs = loadPolicies(args.policies);
    requireInputFile(args.history);
    const auto calls = readHistoryFile(args.history);

    // The decisions come from core/compare's replay (the comparison view uses the same code).
    ReplayOptions options;
    // A verbose line repeats the decision just printed on stdout (events come first); only other
    // remarks (unknown mode, ...) go to stderr.
    auto lastEventMessage = std::make_shared<std::string>();
    options.messages = [lastEventMessage](const std::string& text) {
        if (text != *lastEventMessage)
            std::cerr << "warning: " << text << '\n';
    };
    options.onEvent = [lastEventMessage](const CheckpointEvent& event) {
        *lastEventMessage = event.message;
        std::cout << checkpointEventToJson(event).dump() << '\n';
    };
    const ReplayResult result = replayPolicies(calls, configs, options);
    std::cout << std::flush;
    for (const auto& policy : result.policies) {
        std::string files;
        for (const auto& f : policy.filesAtEnd)
            files += (files.empty() ? "" : ", ") + f;
        std::cerr << policy.config.name << ": " << policy.saves << " save(s); files at the end: "
                  << (files.empty() ? "none" : files) << '\n';
    }
    return kExitOk;
}

} // namespace

void addReplayCommand(CLI::App& app, int& exitCode)
{
    auto args = std::make_shared<ReplayArgs>();
    CLI::App* cmd = app.add_subcommand(
        "replay", "Run checkpoint policies over recorded logs (no training, no files written); one JSON "
                  "object per decision on stdout.");
    cmd->add_option("--history", args->history,
                    "Keras CSVLogger file, or JSON lines of hook calls ({\"hook\":\"epoch_end\",\"epoch\":0,\"logs\":{...}})")
        ->required();
    cmd->add_option("--policy", args->policies, "Policy file: one policy object or a list (repeatable)")->required();
    cmd->callback([args, &exitCode] { exitCode = guarded([&] { return replay(*args); }); });
}

} // namespace cklab::cli
