// checkpointlab-cli run: trains a project with Keras-style console output.
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>

#include "core/base/Errors.h"
#include "cli/CliCommon.h"
#include "cli/RunReporter.h"
#include "core/nn/Parallelism.h"
#include "core/project/ProjectJson.h"
#include "core/project/ProjectRun.h"
#include "core/project/ShippedExamples.h"

namespace cklab::cli {

namespace {

struct RunArgs {
    std::string project;
    int example = 0;
    std::string outDir;
    std::string events;
    bool eventBatches = false;
    std::string summary;
    std::optional<std::uint64_t> seed;
    std::optional<int> epochs;
    std::optional<int> threads;
    bool quiet = false;
};

std::ofstream openOutput(const std::string& path)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        throw IoError(path, std::strerror(errno));
    return out;
}

int runProject(const RunArgs& args)
{
    const auto start = std::chrono::steady_clock::now();
    if (args.project.empty() == (args.example == 0))
        throw UsageError("run: give either a PROJECT file or --example N");
    if (args.eventBatches && args.events.empty())
        throw UsageError("--events-batches: needs --events FILE");
    applyThreadCountFromEnvironment(); // first, so that --threads wins over CKLAB_THREADS
    if (args.threads)
        setThreadCount(*args.threads);

    Project project;
    RunOptions options;
    if (args.example != 0) {
        const ShippedExample* example = shippedExample(args.example);
        if (!example)
            throw UsageError("--example: must be 1, 2 or 3, got " + std::to_string(args.example));
        project = parseProjectText(std::string(example->json), std::string(example->fileName));
        // Shipped examples run in the current directory, like the tutorial's scripts.
        options.baseDir = std::filesystem::current_path();
        options.outputDir = std::filesystem::current_path();
    } else {
        requireInputFile(args.project);
        project = loadProjectFile(args.project);
        options.baseDir = std::filesystem::absolute(args.project).parent_path();
    }
    if (!args.outDir.empty())
        options.outputDir = args.outDir;
    options.seed = args.seed;
    options.epochs = args.epochs;

    std::ofstream eventsFile;
    if (!args.events.empty())
        eventsFile = openOutput(args.events);
    RunReporter reporter(args.quiet ? nullptr : &std::cout, args.events.empty() ? nullptr : &eventsFile,
                         args.eventBatches);

    std::optional<ProjectRun> run;
    try {
        run.emplace(project, options);
    } catch (const ConfigError& e) {
        reporter.error(e.what());
        throw;
    } catch (const std::exception& e) {
        reporter.error(e.what());
        throw;
    }
    run->setObserver(&reporter);
    const TrainResult result = run->run();
    if (result.reason == StopReason::Error)
        reporter.error(result.error);
    else if (!args.quiet && result.reason != StopReason::Completed)
        std::cout << "Training stopped (" << stopReasonName(result.reason) << ") after " << result.epochsCompleted
                  << " epoch(s)\n";

    if (!args.summary.empty()) {
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::ofstream summary = openOutput(args.summary);
        nlohmann::json j = reporter.summary(result, wall);
        // What the data itself takes (x and y of both parts, float32): the part of peak_rss_mb
        // no buffer policy can save, the base of issue 17's memory bound.
        const DataSplit& data = run->data();
        const double dataBytes = 4.0 * double(data.train.x.size() + data.train.y.size() + data.validation.x.size() +
                                              data.validation.y.size());
        j["data_mb"] = dataBytes / (1024.0 * 1024.0);
        summary << j.dump(2) << '\n';
        if (!summary.flush())
            throw IoError(args.summary, "write failed");
    }
    if (result.reason == StopReason::Error) {
        std::cerr << "error: " << result.error << '\n';
        return kExitFailure;
    }
    return kExitOk;
}

} // namespace

void addRunCommand(CLI::App& app, int& exitCode)
{
    auto args = std::make_shared<RunArgs>();
    CLI::App* cmd = app.add_subcommand("run", "Train a project (Keras-style console output).");
    cmd->add_option("project", args->project, "Project file (JSON, see docs/project-format.md)");
    cmd->add_option("--example", args->example, "Run shipped example N (1-3) in the current directory")
        ->check(CLI::Range(1, 3));
    cmd->add_option("--out-dir", args->outDir, "Output directory (default: the project's output_dir)");
    cmd->add_option("--events", args->events,
                    "Write events as JSON lines to FILE.jsonl (train_begin, checkpoint, epoch_end, train_end, error); "
                    "each line is written and flushed when its event happens");
    cmd->add_flag("--events-batches", args->eventBatches,
                  "Also write a batch_end line with the batch's logs for every batch to the --events file");
    cmd->add_option("--summary", args->summary, "Write a JSON summary (throughput, saves, memory) to FILE.json");
    cmd->add_option("--seed", args->seed, "Override training.seed");
    cmd->add_option("--epochs", args->epochs, "Override training.epochs")->check(CLI::PositiveNumber);
    cmd->add_option("--threads", args->threads,
                    "Threads for matrix products (default: CKLAB_THREADS, else 1; results do not depend on it)")
        ->check(CLI::Range(1, 1024));
    cmd->add_flag("--quiet,-q", args->quiet, "No console output except errors");
    cmd->callback([args, &exitCode] { exitCode = guarded([&] { return runProject(*args); }); });
}

} // namespace cklab::cli
