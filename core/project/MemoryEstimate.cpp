#include "core/project/MemoryEstimate.h"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#if defined(__unix__)
#include <unistd.h>
#endif

#include "core/base/Excerpt.h"
#include "core/base/Numbers.h"
#include "core/data/Generators.h"
#include "core/nn/ModelInput.h"

namespace cklab {

namespace {

constexpr double kFloat = 4.0;

double slotsPerVariable(const OptimizerConfig& o)
{
    if (o.type == "adam" || o.type == "adamw")
        return 2;
    if (o.type == "rmsprop")
        return 1 + (o.momentum > 0 ? 1 : 0);
    return o.momentum > 0 ? 1 : 0; // sgd
}

/// Whether the layers are more than a Dense/Dropout stack, whose sizes Keras' shape inference
/// (ModelSpec::summary) gives; a plain stack is counted in double below, since a hostile
/// project's widths overflow 64-bit integers.
bool shapedLayers(const ModelSpec& spec)
{
    return std::any_of(spec.layers.begin(), spec.layers.end(), [](const LayerSpec& l) {
        return l.kind != LayerSpec::Kind::Dense && l.kind != LayerSpec::Kind::Dropout;
    });
}

double parameterCount(const ModelSpec& spec)
{
    if (shapedLayers(spec)) {
        double count = 0;
        for (const LayerSummary& s : spec.summary())
            count += static_cast<double>(s.parameters);
        return count;
    }
    double count = 0;
    double in = spec.inputDim;
    const std::vector<double> widths = layerOutputWidths(spec);
    for (std::size_t i = 0; i < spec.layers.size(); ++i) {
        const LayerSpec& layer = spec.layers[i];
        if (layer.kind == LayerSpec::Kind::Dense)
            count += in * widths[i] + (layer.useBias ? widths[i] : 0);
        in = widths[i];
    }
    if (spec.normalization)
        count += 2.0 * spec.inputDim + 1;
    return count;
}

} // namespace

std::vector<double> layerOutputWidths(const ModelSpec& spec)
{
    std::vector<double> widths;
    if (shapedLayers(spec)) {
        // Values per sample of each layer's output, from Keras' shape inference; a Conv2D also
        // holds its im2col matrix (output positions x kernel window x input channels).
        const std::vector<LayerSummary> rows = spec.summary();
        std::vector<int> in = spec.sampleShape();
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const std::vector<int>& out = rows[i].outputShape;
            double width = 1;
            for (int d : out.empty() ? in : out)
                width *= std::max(d, 0);
            const LayerSpec& layer = spec.layers[i];
            if (layer.kind == LayerSpec::Kind::Conv2D && out.size() == 3 && in.size() == 3)
                width += static_cast<double>(out[0]) * out[1] * layer.kernelSize[0] * layer.kernelSize[1] * in[2];
            widths.push_back(width);
            if (!out.empty())
                in = out;
        }
        return widths;
    }
    double in = spec.inputDim;
    for (const LayerSpec& layer : spec.layers) {
        if (layer.kind == LayerSpec::Kind::Dense)
            in = layer.units;
        widths.push_back(in);
    }
    return widths;
}

MemoryEstimate estimateMemory(const ModelSpec& spec, const OptimizerConfig& optimizer, double samples, double features,
                              double targetWidth, int batchSize)
{
    MemoryEstimate e;
    const double params = parameterCount(spec);
    e.parameters = params * kFloat;
    e.gradients = params * kFloat;
    e.optimizer = slotsPerVariable(optimizer) * params * kFloat;
    e.checkpoints = (1 + slotsPerVariable(optimizer)) * params * kFloat;
    const double batch = batchSize > 0 ? std::min<double>(batchSize, std::max(samples, 1.0)) : std::max(samples, 1.0);
    double widths = spec.inputDim;
    for (double w : layerOutputWidths(spec))
        widths += w;
    e.activations = 3 * batch * widths * kFloat;
    e.data = samples * (features + targetWidth) * kFloat;
    return e;
}

MemoryEstimate estimateProjectMemory(const Project& p)
{
    const DataConfig& d = p.data;
    double samples = 0;
    double features = p.model.inputDim;
    double classes = 1;
    if (d.source == "generator") {
        samples = std::max(d.samples, 0);
        features = generatorUsesFeatures(d.generator) ? std::max(d.features, 0) : 2;
        classes = std::max(d.classes, 2);
    } else if (d.source == "iris") {
        samples = 150;
        features = 4;
        classes = 3;
    }
    ModelSpec spec = p.model;
    if (spec.inputShape.empty() && spec.inputDim <= 0 && needsShapedInput(spec))
        spec.inputShape = d.knownSampleShape(); // fashion_mnist; files are counted once read
    if (!spec.inputShape.empty()) {
        double n = 1;
        for (int dim : spec.inputShape)
            n *= std::max(dim, 0);
        spec.inputDim = static_cast<int>(std::min(n, 2147483647.0));
    }
    if (d.source == "fashion_mnist") {
        samples = 60000 + 10000;
        features = 784;
        classes = 10;
    }
    if (spec.inputDim <= 0)
        spec.inputDim = static_cast<int>(std::min<double>(features, 2147483647.0));
    if (!spec.fromFile.empty())
        spec.layers.clear(); // the file brings them; counted once it is read
    return estimateMemory(spec, p.training.compile.optimizer, samples, features, classes, d.batchSize);
}

double physicalMemoryBytes()
{
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGESIZE)
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGESIZE);
    if (pages > 0 && pageSize > 0)
        return static_cast<double>(pages) * static_cast<double>(pageSize);
#endif
    return 0;
}

MemoryLimit memoryLimit()
{
    MemoryLimit limit;
    const double physical = physicalMemoryBytes();
    const char* env = std::getenv("CKLAB_MEMORY_LIMIT");
    if (env != nullptr && *env != '\0') {
        std::string text(env);
        double factor = 1;
        bool percent = false;
        const char last = text.back();
        if (last == '%') {
            percent = true;
        } else if (last == 'K' || last == 'k') {
            factor = 1024.0;
        } else if (last == 'M' || last == 'm') {
            factor = 1024.0 * 1024;
        } else if (last == 'G' || last == 'g') {
            factor = 1024.0 * 1024 * 1024;
        } else if (last == 'T' || last == 't') {
            factor = 1024.0 * 1024 * 1024 * 1024;
        }
        const std::string number = factor != 1 || percent ? text.substr(0, text.size() - 1) : text;
        const auto value = parseDouble(number);
        if (value && *value > 0 && (!percent || (*value <= 100 && physical > 0))) {
            limit.bytes = percent ? physical * *value / 100 : *value * factor;
            limit.origin = percent ? fmt::format("CKLAB_MEMORY_LIMIT={}, of this machine's {}", text, bytesText(physical))
                                   : "CKLAB_MEMORY_LIMIT=" + text;
            return limit;
        }
        limit.problem = "CKLAB_MEMORY_LIMIT: must be a number of bytes with an optional K, M, G or T, or a share "
                        "of physical memory such as 75%, got '" + excerpt(text) + "'";
    }
    if (physical > 0) {
        limit.bytes = physical * 0.5;
        limit.origin = fmt::format("50 % of this machine's {}; set CKLAB_MEMORY_LIMIT to change it", bytesText(physical));
    }
    return limit;
}

std::string bytesText(double bytes)
{
    if (bytes >= 1024.0 * 1024 * 1024 * 1024 * 1024)
        return fmt::format("{:.0f} TiB", bytes / (1024.0 * 1024 * 1024 * 1024));
    if (bytes >= 1024.0 * 1024 * 1024 * 1024)
        return fmt::format("{:.1f} TiB", bytes / (1024.0 * 1024 * 1024 * 1024));
    if (bytes >= 1024.0 * 1024 * 1024)
        return fmt::format("{:.1f} GiB", bytes / (1024.0 * 1024 * 1024));
    if (bytes >= 1024.0 * 1024)
        return fmt::format("{:.1f} MiB", bytes / (1024.0 * 1024));
    if (bytes >= 1024.0)
        return fmt::format("{:.1f} KiB", bytes / 1024.0);
    return fmt::format("{:.0f} bytes", bytes);
}

std::string memoryProblemKey(const MemoryEstimate& e)
{
    return e.data >= e.total() - e.data ? "data" : "model";
}

std::optional<std::string> memoryProblem(const MemoryEstimate& e, const MemoryLimit& limit)
{
    if (!limit.problem.empty())
        return limit.problem;
    if (!limit.bytes || e.total() <= *limit.bytes)
        return std::nullopt;
    std::string parts;
    const auto part = [&](const char* name, double bytes) {
        if (bytes > 0 && (bytes >= 1024.0 * 1024 || bytes >= e.total() / 100))
            parts += (parts.empty() ? "" : ", ") + std::string(name) + " " + bytesText(bytes);
    };
    part("parameters", e.parameters);
    part("optimizer state", e.optimizer);
    part("gradients", e.gradients);
    part("checkpoint images", e.checkpoints);
    part("activations of a batch", e.activations);
    part("data", e.data);
    return fmt::format("{}: this run needs about {} of memory ({}), more than the limit of {} ({}); make the model, "
                       "the data or the batch smaller",
                       memoryProblemKey(e), bytesText(e.total()), parts, bytesText(*limit.bytes), limit.origin);
}

} // namespace cklab
