// checkpointlab-cli evaluate: a checkpoint on a project's data - loss, accuracy, confusion
// matrix with class names, per-class recall and precision (core/project/CheckpointEvaluation.h).
#include <algorithm>
#include <cmath>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/CliCommon.h"
#include "core/nn/Parallelism.h"
#include "core/project/CheckpointEvaluation.h"
#include "core/project/ProjectJson.h"

namespace cklab::cli {

namespace {

struct EvaluateArgs {
    std::string model;
    std::string weights;
    std::string project;
    std::string data;
    std::optional<std::uint64_t> seed;
    std::optional<int> threads;
    bool json = false;
};

std::string fixed4(const std::optional<double>& v)
{
    return v ? fmt::format("{:.4f}", *v) : std::string("-");
}

nlohmann::json orNull(const std::optional<double>& v)
{
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

/// Left-aligned first column, right-aligned numbers, two spaces between columns.
void printTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows)
{
    std::vector<std::size_t> width;
    for (const auto& row : rows)
        for (std::size_t c = 0; c < row.size(); ++c) {
            width.resize(std::max(width.size(), row.size()), 0);
            width[c] = std::max(width[c], row[c].size());
        }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c)
            line += c == 0 ? fmt::format("{:<{}}", row[c], width[c]) : fmt::format("  {:>{}}", row[c], width[c]);
        out << line << '\n';
    }
}

void printText(std::ostream& out, const std::string& file, const CheckpointEvaluation& r)
{
    const Evaluation& e = r.evaluation;
    out << file << " (" << r.format << " format) on the " << r.dataName << " data, " << e.samples << " samples\n";
    for (const auto& [key, value] : e.logs)
        out << key << ": " << fmt::format("{:.6g}", value) << (std::isfinite(value) ? "" : " (not finite)") << '\n';
    if (e.nonFiniteSamples > 0)
        out << "non-finite outputs: " << e.nonFiniteNotice() << '\n';
    if (!e.classification) {
        out << "mae: " << fmt::format("{:.6g}", e.mae) << '\n' << e.noConfusionReason << '\n';
        return;
    }
    out << "misclassified: " << e.misclassified.size() << " of " << e.samples;
    if (e.nonFiniteSamples > 0)
        out << " (and " << e.nonFiniteSamples << " unclassifiable: non-finite outputs)";
    out << '\n';
    out << "\nConfusion matrix (rows: true class, columns: predicted class)\n";
    std::vector<std::vector<std::string>> matrix;
    matrix.push_back({"true \\ predicted"});
    for (const std::string& name : e.classNames)
        matrix.front().push_back(name);
    for (int t = 0; t < e.classCount(); ++t) {
        std::vector<std::string> row{e.classNames[std::size_t(t)]};
        for (const long long v : e.confusion[std::size_t(t)])
            row.push_back(std::to_string(v));
        matrix.push_back(std::move(row));
    }
    printTable(out, matrix);
    out << "\nPer class (recall = per-class accuracy; - = undefined)\n";
    std::vector<std::vector<std::string>> perClass{{"class", "support", "predicted", "recall", "precision"}};
    for (int c = 0; c < e.classCount(); ++c) {
        const ClassStats& s = e.perClass[std::size_t(c)];
        perClass.push_back({e.classNames[std::size_t(c)], std::to_string(s.support), std::to_string(s.predicted),
                            fixed4(s.recall), fixed4(s.precision)});
    }
    printTable(out, perClass);
}

nlohmann::json toJson(const std::string& file, const CheckpointEvaluation& r)
{
    const Evaluation& e = r.evaluation;
    nlohmann::json j;
    j["checkpoint"] = file;
    j["format"] = r.format;
    j["data"] = r.dataName;
    j["samples"] = e.samples;
    j["logs"] = e.logs;
    // JSON has no NaN: a non-finite loss is null here, and loss_finite says so explicitly.
    j["loss"] = e.logs.at("loss");
    j["loss_finite"] = std::isfinite(e.logs.at("loss"));
    j["non_finite_samples"] = e.nonFiniteSamples;
    j["non_finite_rows"] = e.nonFiniteRows;
    if (e.nonFiniteSamples > 0)
        j["non_finite_note"] = e.nonFiniteNotice();
    j["classification"] = e.classification;
    if (!e.classification) {
        j["mae"] = e.mae;
        j["note"] = e.noConfusionReason;
        return j;
    }
    j["accuracy"] = e.accuracy;
    j["class_names"] = e.classNames;
    j["confusion_matrix"] = e.confusion;
    auto& perClass = j["per_class"] = nlohmann::json::array();
    for (int c = 0; c < e.classCount(); ++c) {
        const ClassStats& s = e.perClass[std::size_t(c)];
        perClass.push_back({{"class", e.classNames[std::size_t(c)]}, {"support", s.support},
                            {"predicted", s.predicted}, {"unclassifiable", s.unclassifiable},
                            {"recall", orNull(s.recall)},
                            {"precision", orNull(s.precision)}});
    }
    auto& wrong = j["misclassified"] = nlohmann::json::array();
    for (const Misclassified& m : e.misclassified)
        wrong.push_back({{"index", m.index}, {"true", m.trueClass}, {"predicted", m.predictedClass},
                         {"confidence", m.confidence}});
    return j;
}

int evaluate(const EvaluateArgs& args)
{
    if (args.model.empty() == args.weights.empty())
        throw UsageError("evaluate: give either --model FILE.keras|FILE.h5 or --weights FILE, with --project P.json");
    if (args.project.empty())
        throw UsageError("evaluate: --project P.json is needed: the data to evaluate on is the project's");
    applyThreadCountFromEnvironment();
    if (args.threads)
        setThreadCount(*args.threads);
    const std::string& file = args.model.empty() ? args.weights : args.model;
    requireInputFile(file);
    requireInputFile(args.project);
    const Project project = loadProjectFile(args.project);
    RunOptions options;
    options.baseDir = std::filesystem::absolute(args.project).parent_path();
    options.seed = args.seed;
    CheckpointEvaluationRequest request;
    request.checkpoint = file;
    request.architectureFromFile = !args.model.empty();
    request.data = args.data == "validation" ? EvaluationData::Validation
                   : args.data == "train"    ? EvaluationData::Train
                                             : EvaluationData::Default;
    const CheckpointEvaluation result = evaluateCheckpointFile(project, request, options);
    if (args.json)
        std::cout << toJson(file, result).dump(2) << '\n';
    else
        printText(std::cout, file, result);
    return kExitOk;
}

} // namespace

void addEvaluateCommand(CLI::App& app, int& exitCode)
{
    auto args = std::make_shared<EvaluateArgs>();
    CLI::App* cmd = app.add_subcommand(
        "evaluate", "Evaluate a checkpoint on a project's data: loss, accuracy, confusion matrix, per-class "
                    "recall and precision.");
    cmd->add_option("--model", args->model, "Full model checkpoint (.keras or .h5): architecture from the file");
    cmd->add_option("--weights", args->weights, "Weights checkpoint (any format) for the project's architecture");
    cmd->add_option("--project", args->project, "Project whose data (and, with --weights, model) to use")->required();
    cmd->add_option("--data", args->data,
                    "validation or train (default: validation when the project has validation data, else train)")
        ->check(CLI::IsMember({"validation", "train"}));
    cmd->add_option("--seed", args->seed, "Override training.seed (generated data: as the run did with --seed)");
    cmd->add_option("--threads", args->threads,
                    "Threads for matrix products (default: CKLAB_THREADS, else 1; results do not depend on it)")
        ->check(CLI::Range(1, 1024));
    cmd->add_flag("--json", args->json, "Print the result as JSON instead of tables");
    cmd->footer("The confusion matrix has one row per true class and one column per predicted class, named as "
                "the data names them (CSV string labels, Iris species; numbers otherwise). A regression model "
                "has no confusion matrix: loss and MAE only.");
    cmd->callback([args, &exitCode] { exitCode = guarded([&] { return evaluate(*args); }); });
}

} // namespace cklab::cli
