// checkpointlab-cli predict: load a checkpoint and write the model's outputs for X.csv.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "core/base/Errors.h"
#include "cli/CliCommon.h"
#include "core/data/CsvReader.h"
#include "core/data/DataLoader.h"
#include "core/io/CheckpointFile.h"
#include "core/io/UntrustedCheckpoint.h"
#include "core/project/ProjectJson.h"

namespace cklab::cli {

namespace {

struct PredictArgs {
    std::string model;
    std::string weights;
    std::string project;
    std::string input;
    std::string output;
};

void writePredictions(std::ostream& out, const Matrix& y)
{
    for (Eigen::Index j = 0; j < y.cols(); ++j)
        out << (j ? "," : "") << "output_" << j;
    out << '\n';
    // 9 significant digits: every float reads back exactly.
    for (Eigen::Index i = 0; i < y.rows(); ++i) {
        for (Eigen::Index j = 0; j < y.cols(); ++j)
            out << (j ? "," : "") << fmt::format("{:.9g}", y(i, j));
        out << '\n';
    }
}

int predict(const PredictArgs& args)
{
    if (args.model.empty() == args.weights.empty())
        throw UsageError("predict: give either --model FILE.keras|FILE.h5 or --weights FILE --project P.json");
    if (!args.weights.empty() && args.project.empty())
        throw UsageError("predict: --weights needs --project P.json (a weights file holds no architecture)");
    if (!args.model.empty() && !args.project.empty())
        throw UsageError("predict: --project goes with --weights, not with --model");
    requireInputFile(args.input);

    std::unique_ptr<Model> model;
    if (!args.model.empty()) {
        requireInputFile(args.model);
        const LoadedCheckpoint ck = readUntrustedCheckpoint(args.model);
        if (!ck.spec)
            throw UsageError(args.model + ": holds weights only; use --weights " + args.model + " --project P.json");
        model = std::make_unique<Model>(*ck.spec, ck.compile.value_or(CompileConfig{}));
        loadIntoModel(ck, *model, false);
    } else {
        requireInputFile(args.weights);
        requireInputFile(args.project);
        const Project project = loadProjectFile(args.project);
        const LoadedCheckpoint ck = readUntrustedCheckpoint(args.weights);
        ModelSpec spec = project.model;
        if (spec.inputDim == 0 && !ck.variables.empty())
            spec.inputDim = static_cast<int>(ck.variables.front().rows());
        if (project.data.standardize) {
            // The model standardises its input. Files since issue 15 hold the statistics (its
            // Normalization layer); for older ones they are the training part's, recomputed.
            if (ck.normalization) {
                spec.normalization = ck.normalization;
            } else {
                const auto base = std::filesystem::absolute(args.project).parent_path();
                DataConfig raw = project.data;
                raw.standardize = false;
                DataSplit split =
                    loadData(raw, targetEncodingFor(project.training.compile.loss), project.training.seed, base);
                computeStandardization(split);
                spec.normalization = standardizationLayer(split.featureMean, split.featureStd);
            }
        }
        model = std::make_unique<Model>(spec, project.training.compile);
        loadIntoModel(ck, *model, false);
    }
    Matrix x = readFeatureCsv(args.input, model->network().inputDim());
    const Matrix y = model->predict(x);
    if (args.output.empty()) {
        writePredictions(std::cout, y);
        return kExitOk;
    }
    std::ofstream out(args.output, std::ios::binary | std::ios::trunc);
    if (!out)
        throw IoError(args.output, std::strerror(errno));
    writePredictions(out, y);
    if (!out.flush())
        throw IoError(args.output, "write failed");
    return kExitOk;
}

} // namespace

void addPredictCommand(CLI::App& app, int& exitCode)
{
    auto args = std::make_shared<PredictArgs>();
    CLI::App* cmd = app.add_subcommand("predict", "Load a checkpoint and write its predictions for X.csv.");
    cmd->add_option("--model", args->model, "Full model checkpoint (.keras or .h5)");
    cmd->add_option("--weights", args->weights, "Weights checkpoint (.weights.h5 or any format), with --project");
    cmd->add_option("--project", args->project, "Project whose model architecture the weights belong to");
    cmd->add_option("--input", args->input, "Features, CSV (optional header), one row per sample")->required();
    cmd->add_option("--output", args->output, "Where to write the outputs (CSV); default stdout");
    cmd->callback([args, &exitCode] { exitCode = guarded([&] { return predict(*args); }); });
}

} // namespace cklab::cli
