// checkpointlab-cli replay: what would these policies have done to a run that already happened?
// No training and no file written: decisions come from ModelCheckpoint itself over a
// SimulatedCheckpointStore, so they are the live decisions (retention included).
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "core/base/Errors.h"
#include "core/checkpoint/ModelCheckpoint.h"
#include "core/cli/CliCommon.h"
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

struct Replayed {
    std::shared_ptr<ModelCheckpoint> checkpoint;
    std::shared_ptr<SimulatedCheckpointStore> store;
    int saves = 0;
    bool stopped = false;  // a raised error ends that policy's run, as it would end training
};

int replay(const ReplayArgs& args)
{
    const auto configs = loadPolicies(args.policies);
    requireInputFile(args.history);
    const auto calls = readHistoryFile(args.history);

    std::vector<Replayed> policies;
    for (const auto& config : configs) {
        Replayed r;
        r.store = std::make_shared<SimulatedCheckpointStore>();
        r.checkpoint = std::make_shared<ModelCheckpoint>(config, r.store, [](const std::string& warning) {
            std::cerr << "warning: " << warning << '\n';
        });
        policies.push_back(r);
    }
    // Sinks are set after the vector is complete so that the captured pointers stay valid.
    for (auto& r : policies) {
        Replayed* self = &r;
        r.checkpoint->setEventSink([self](const CheckpointEvent& event) {
            if (event.action == CheckpointAction::Save)
                ++self->saves;
            std::cout << checkpointEventToJson(event).dump() << '\n';
        });
    }

    Logs lastLogs;
    for (const auto& call : calls) {
        if (call.hook == HookCall::Hook::EpochEnd)
            lastLogs = call.logs;
        for (auto& r : policies) {
            if (r.stopped)
                continue;
            try {
                callHook(*r.checkpoint, call);
            } catch (const ConfigError&) {
                // Already reported as an "error" decision. A live run would stop here and still
                // run the end-of-training hook once.
                r.stopped = true;
                if (call.hook != HookCall::Hook::TrainEnd) {
                    try {
                        r.checkpoint->onTrainEnd(Logs(lastLogs));
                    } catch (const ConfigError&) {
                    }
                }
            }
        }
    }
    std::cout << std::flush;
    for (const auto& r : policies) {
        std::string files;
        for (const auto& f : r.store->files())
            files += (files.empty() ? "" : ", ") + f;
        std::cerr << r.checkpoint->name() << ": " << r.saves << " save(s); files at the end: "
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
