// checkpointlab-cli inspect: what is in a checkpoint file (any of the three Keras formats).
#include <algorithm>
#include <cstdint>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/CliCommon.h"
#include "core/nn/LayerShapes.h"
#include "core/io/CheckpointFile.h"
#include "core/io/UntrustedCheckpoint.h"
#include "core/loss/Loss.h"

namespace cklab::cli {

namespace {

std::string shape(const Matrix& m)
{
    // Biases are [1, out] in memory and [out] in the file; show the file's shape.
    return m.rows() == 1 ? fmt::format("[{}]", m.cols()) : fmt::format("[{}, {}]", m.rows(), m.cols());
}

std::string formatTitle(CheckpointFormat f)
{
    switch (f) {
    case CheckpointFormat::WeightsH5: return "weights.h5 (Keras 3 weights file)";
    case CheckpointFormat::Keras: return "keras (Keras 3 model archive)";
    case CheckpointFormat::LegacyH5: return "h5 (legacy Keras 2 HDF5 model)";
    }
    return "unknown";
}

constexpr std::int64_t kShownFilters = 4;

/// A conv kernel (kh, kw, in, out), held as the row-major [kh * kw * in, out] Keras stores:
/// per shown filter its kh x kw grid for input channel 0, one kernel row per line.
void printConvKernel(std::ostream& out, const Matrix& m, const std::vector<std::int64_t>& s)
{
    const std::int64_t kh = s[0], kw = s[1], in = s[2], filters = s[3];
    if (kh * kw * in != m.rows() || filters != m.cols())
        return; // shapes that disagree were refused when the file was read; show nothing here
    const std::int64_t shown = std::min(filters, kShownFilters);
    for (std::int64_t f = 0; f < shown; ++f) {
        out << fmt::format("    filter {} of {}, input channel 0 of {} ({} x {}):\n", f, filters, in, kh, kw);
        for (std::int64_t ky = 0; ky < kh; ++ky) {
            std::string line = "     ";
            for (std::int64_t kx = 0; kx < kw; ++kx)
                line += fmt::format(" {:>9.4f}", m(Eigen::Index((ky * kw + kx) * in), Eigen::Index(f)));
            out << line << '\n';
        }
    }
    if (filters > shown)
        out << fmt::format("    ... {} more filter(s)\n", filters - shown);
}

int inspect(const std::string& path)
{
    requireInputFile(path);
    const LoadedCheckpoint ck = readUntrustedCheckpoint(path);
    std::ostream& out = std::cout;
    out << "file: " << path << '\n';
    out << "format: " << formatTitle(ck.format) << '\n';
    if (ck.spec) {
        const ModelSpec& spec = *ck.spec;
        out << fmt::format("model: {} (input_dim {}, {} parameters)\n", spec.name, spec.inputDim,
                           spec.parameterCount());
        const auto keys = spec.layerKeys();
        out << "layers:\n";
        int width = spec.inputDim;
        if (spec.normalization)
            out << fmt::format("  {:<12} Normalization(axis=-1)  [{}]\n", "normalization", width);
        for (std::size_t i = 0; i < spec.layers.size(); ++i) {
            const LayerSpec& l = spec.layers[i];
            const std::string name = l.name.empty() ? keys[i] : l.name;
            if (l.kind == LayerSpec::Kind::Dense) {
                out << fmt::format("  {:<12} Dense({}, activation={}, use_bias={})  input [{}] -> output [{}]\n", name,
                                   l.units, activationName(l.activation), l.useBias ? "true" : "false", width, l.units);
                width = l.units;
            } else if (l.kind == LayerSpec::Kind::Dropout) {
                out << fmt::format("  {:<12} Dropout(rate={})  [{}]\n", name, l.rate, width);
            } else { // image layers (issue 17): Keras' class and the per-sample output shape
                const LayerSummary row = spec.summary()[i];
                out << fmt::format("  {:<12} {}  output [{}]\n", name, row.className, fmt::join(row.outputShape, ", "));
                width = static_cast<int>(shapeSize(row.outputShape));
            }
        }
    } else {
        out << "model: not stored (weights only; build the architecture from a project to load it)\n";
    }
    if (ck.compile)
        out << fmt::format("compile: loss {}, optimizer {} (learning_rate {})\n", lossName(ck.compile->loss),
                           ck.compile->optimizer.type, ck.compile->optimizer.learningRate);
    if (ck.normalization) {
        const InputNormalization& n = *ck.normalization;
        out << fmt::format("normalization: mean [{}], variance [{}], count {}\n", fmt::join(n.mean, ", "),
                           fmt::join(n.variance, ", "), n.count);
    }
    out << "variables:\n";
    for (std::size_t i = 0; i < ck.variables.size(); ++i) {
        const std::vector<std::int64_t>* fileShape = i < ck.variableShapes.size() ? &ck.variableShapes[i] : nullptr;
        out << fmt::format("  {:<36} {}\n", i < ck.variablePaths.size() ? ck.variablePaths[i] : "?",
                           fileShape && !fileShape->empty() ? fmt::format("[{}]", fmt::join(*fileShape, ", "))
                                                            : shape(ck.variables[i]));
        if (fileShape && fileShape->size() == 4)
            printConvKernel(out, ck.variables[i], *fileShape);
    }
    if (ck.optimizer) {
        const OptimizerState& o = *ck.optimizer;
        out << fmt::format("optimizer: {}, iterations {}, learning_rate {}, {} slot variable(s)\n", o.name,
                           o.iterations, o.learningRate, o.slotValues.size());
        for (std::size_t i = 0; i < o.slotValues.size(); ++i)
            out << fmt::format("  slot {:<3} {}\n", i, shape(o.slotValues[i]));
    } else {
        out << "optimizer: not stored\n";
    }
    if (ck.trainingState)
        out << "training metadata: " << ck.trainingState->dump() << '\n';
    else
        out << "training metadata: none\n";
    return kExitOk;
}

} // namespace

void addInspectCommand(CLI::App& app, int& exitCode)
{
    auto path = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand(
        "inspect", "Show a checkpoint file: format, layers and shapes, optimizer state, training metadata.");
    cmd->add_option("file", *path, "A .weights.h5, .keras or .h5 file")->required();
    cmd->callback([path, &exitCode] { exitCode = guarded([&] { return inspect(*path); }); });
}

} // namespace cklab::cli
