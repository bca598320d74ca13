#include "core/project/StartFromFile.h"

#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/base/Errors.h"
#include "core/io/UntrustedCheckpoint.h"

namespace cklab {

namespace {

std::string describe(const LayerSpec& l)
{
    using Kind = LayerSpec::Kind;
    const std::array<int, 2> st = l.effectiveStrides();
    switch (l.kind) {
    case Kind::Dropout: return fmt::format("Dropout({:g})", l.rate);
    case Kind::Dense: break;
    case Kind::Conv2D:
        return fmt::format("Conv2D({}, [{}, {}], strides [{}, {}], {}, {}{})", l.filters, l.kernelSize[0], l.kernelSize[1],
                           st[0], st[1], paddingName(l.padding), activationName(l.activation), l.useBias ? "" : ", no bias");
    case Kind::MaxPooling2D:
    case Kind::AveragePooling2D:
        return fmt::format("{}([{}, {}], strides [{}, {}], {})", layerClassName(l.kind), l.poolSize[0], l.poolSize[1],
                           st[0], st[1], paddingName(l.padding));
    case Kind::Reshape: return fmt::format("Reshape([{}])", fmt::join(l.targetShape, ", "));
    case Kind::BatchNormalization:
        return fmt::format("BatchNormalization(momentum {:g}, epsilon {:g}{}{})", l.momentum, l.epsilon,
                           l.center ? "" : ", no center", l.scale ? "" : ", no scale");
    case Kind::GlobalAveragePooling2D:
    case Kind::Flatten: return std::string(layerClassName(l.kind));
    }
    return fmt::format("Dense({}, {}{})", l.units, activationName(l.activation), l.useBias ? "" : ", no bias");
}

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what)
{
    throw ConfigError({"model.from_file: " + path.string() + ": " + what});
}

} // namespace

std::filesystem::path startFilePath(const ModelSpec& model, const std::filesystem::path& baseDir)
{
    const std::filesystem::path p(model.fromFile);
    const std::filesystem::path base = baseDir.empty() ? std::filesystem::current_path() : std::filesystem::absolute(baseDir);
    return (p.is_absolute() ? p : base / p).lexically_normal();
}

LoadedCheckpoint readStartFile(const std::filesystem::path& path)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        fail(path, "does not exist");
    if (!std::filesystem::is_regular_file(path, ec))
        fail(path, "is not a file");
    try {
        return readUntrustedCheckpoint(path);
    } catch (const IoError& e) {
        // IoError already starts with the path.
        throw ConfigError({std::string("model.from_file: ") + e.what()});
    }
}

ModelSpec startSpec(const ModelSpec& project, const LoadedCheckpoint& file, int features)
{
    ModelSpec spec = project;
    if (file.spec) {
        const ModelSpec& f = *file.spec;
        if (!project.layers.empty()) {
            const std::size_t n = std::min(project.layers.size(), f.layers.size());
            for (std::size_t i = 0; i < n; ++i)
                if (describe(project.layers[i]) != describe(f.layers[i]))
                    fail(file.file, fmt::format("layer {} is {} in the file, model.layers[{}] is {} (leave model.layers "
                                                "empty to take the file's)", i, describe(f.layers[i]), i,
                                                describe(project.layers[i])));
            if (project.layers.size() != f.layers.size())
                fail(file.file, fmt::format("has {} layers, model.layers {} (leave model.layers empty to take the "
                                            "file's)", f.layers.size(), project.layers.size()));
        }
        spec.layers = f.layers;
        spec.name = f.name;
        if (project.inputDim > 0 && project.inputDim != f.inputDim)
            fail(file.file, fmt::format("takes {} features, model.input_dim is {}", f.inputDim, project.inputDim));
        spec.inputDim = f.inputDim;
        spec.inputShape = f.inputShape; // image models: [H, W, C] from the file's InputLayer
    } else if (spec.layers.empty()) {
        fail(file.file, "holds weights only (.weights.h5): model.layers must give their architecture");
    }
    if (spec.inputDim == 0)
        spec.inputDim = features;
    if (spec.inputDim != features)
        fail(file.file, fmt::format("the model takes {} features, the data has {}", spec.inputDim, features));
    // The file's standardisation is part of the model it holds: it stays, whatever data.standardize says.
    if (file.normalization)
        spec.normalization = file.normalization;
    return spec;
}

std::vector<std::string> startFrom(const LoadedCheckpoint& file, Model& model)
{
    try {
        loadIntoModel(file, model, /*withOptimizer=*/false);
    } catch (const ConfigError& e) {
        std::vector<std::string> lines;
        for (const auto& p : e.problems())
            lines.push_back("model.from_file: " + p);
        throw ConfigError(lines);
    }
    const std::string type = model.compileConfig().optimizer.type;
    const std::string fresh = ": the run starts with a fresh optimizer state";
    if (!file.optimizer)
        return {"model.from_file: " + file.file.string() + ": holds no optimizer state" + fresh};
    if (file.optimizer->name != type)
        return {"model.from_file: " + file.file.string() + ": its optimizer state is " + file.optimizer->name
                + "'s, the run uses " + type + fresh};
    // Slots and iteration count continue; the learning rate is the project's (a fine-tuning run
    // usually lowers it).
    OptimizerState state = *file.optimizer;
    state.learningRate = model.compileConfig().optimizer.learningRate;
    try {
        model.optimizer().setState(state);
    } catch (const ConfigError& e) {
        return {"model.from_file: " + file.file.string() + ": optimizer state not taken ("
                + (e.problems().empty() ? std::string(e.what()) : e.problems().front()) + ")" + fresh};
    }
    return {};
}

std::vector<ImportedLayer> importedLayers(const ModelSpec& spec)
{
    std::vector<ImportedLayer> rows;
    if (spec.normalization)
        rows.push_back({"normalization", "Normalization (standardises the input)", fmt::format("[None, {}]", spec.inputDim),
                        2LL * spec.inputDim + 1});
    const std::vector<LayerSummary> summary = spec.summary();
    for (std::size_t i = 0; i < spec.layers.size(); ++i) {
        std::string shape = "[None";
        for (int d : summary[i].outputShape)
            shape += fmt::format(", {}", d);
        rows.push_back({summary[i].name, describe(spec.layers[i]), shape + "]", summary[i].parameters});
    }
    return rows;
}

} // namespace cklab
