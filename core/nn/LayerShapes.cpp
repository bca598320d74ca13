#include "core/nn/LayerShapes.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/nn/layers/Window2D.h"

namespace cklab {

namespace {

using Kind = LayerSpec::Kind;

std::vector<int> windowShape(const LayerSpec& layer, const std::vector<int>& in, std::size_t index,
                             std::vector<std::string>& problems)
{
    const bool conv = layer.kind == Kind::Conv2D;
    const char* sizeKey = conv ? "kernel_size" : "pool_size";
    const std::array<int, 2> size = conv ? layer.kernelSize : layer.poolSize;
    const std::array<int, 2> strides = layer.effectiveStrides();
    if (in.size() != 3) {
        problems.push_back(fmt::format("model.layers[{}]: {} needs an image input [height, width, channels], got {}", index,
                                       layerClassName(layer.kind), shapeString(in)));
        return {};
    }
    const int outH = windowOutputLength(in[0], size[0], strides[0], layer.padding);
    const int outW = windowOutputLength(in[1], size[1], strides[1], layer.padding);
    if (outH <= 0 || outW <= 0) {
        problems.push_back(fmt::format("model.layers[{}].{}: [{}, {}] does not fit the input {} with padding 'valid'; "
                                       "use a smaller window or padding 'same'",
                                       index, sizeKey, size[0], size[1], shapeString(in)));
        return {};
    }
    return {outH, outW, conv ? layer.filters : in[2]};
}

std::vector<int> reshapeTarget(const LayerSpec& layer, const std::vector<int>& in, std::size_t index,
                               std::vector<std::string>& problems)
{
    const std::string key = fmt::format("model.layers[{}].target_shape", index);
    std::vector<int> out = layer.targetShape;
    int unknown = -1;
    long long known = 1;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] == -1)
            unknown = static_cast<int>(i);
        else
            known *= out[i];
    }
    const long long total = shapeSize(in);
    if (unknown >= 0 && total % known == 0) {
        out[static_cast<std::size_t>(unknown)] = static_cast<int>(total / known);
        known = total;
    }
    if (known != total) {
        problems.push_back(fmt::format("{}: {} does not hold the {} values of the input {}", key,
                                       shapeString(layer.targetShape), total, shapeString(in)));
        return {};
    }
    return out;
}

} // namespace

long long shapeSize(const std::vector<int>& shape)
{
    long long n = 1;
    for (int d : shape)
        n *= d;
    return n;
}

std::string shapeString(const std::vector<int>& shape)
{
    return fmt::format("[{}]", fmt::join(shape, ", "));
}

bool checkLayerSettings(const LayerSpec& layer, std::size_t index, std::vector<std::string>& problems)
{
    const std::size_t before = problems.size();
    switch (layer.kind) {
    case Kind::Dense:
        if (layer.units <= 0)
            problems.push_back(fmt::format("model.layers[{}].units: must be a positive integer, got {}", index, layer.units));
        break;
    case Kind::Dropout:
        if (!(layer.rate >= 0.0f && layer.rate < 1.0f))
            problems.push_back(fmt::format("model.layers[{}].rate: must be in [0, 1), got {}", index, layer.rate));
        break;
    case Kind::Conv2D:
    case Kind::MaxPooling2D:
    case Kind::AveragePooling2D: {
        const bool conv = layer.kind == Kind::Conv2D;
        const std::array<int, 2> size = conv ? layer.kernelSize : layer.poolSize;
        const std::array<int, 2> strides = layer.effectiveStrides();
        if (size[0] <= 0 || size[1] <= 0)
            problems.push_back(fmt::format("model.layers[{}].{}: must be positive integers, got [{}, {}]", index,
                                           conv ? "kernel_size" : "pool_size", size[0], size[1]));
        if (strides[0] <= 0 || strides[1] <= 0)
            problems.push_back(fmt::format("model.layers[{}].strides: must be positive integers, got [{}, {}]", index,
                                           strides[0], strides[1]));
        if (conv && layer.filters <= 0)
            problems.push_back(fmt::format("model.layers[{}].filters: must be a positive integer, got {}", index, layer.filters));
        break;
    }
    case Kind::Reshape: {
        const auto unknowns = std::count(layer.targetShape.begin(), layer.targetShape.end(), -1);
        const bool bad = std::any_of(layer.targetShape.begin(), layer.targetShape.end(), [](int d) { return d <= 0 && d != -1; });
        if (layer.targetShape.empty())
            problems.push_back(fmt::format("model.layers[{}].target_shape: must list at least one dimension, got none", index));
        else if (bad || unknowns > 1)
            problems.push_back(fmt::format("model.layers[{}].target_shape: dimensions must be positive integers (one may be "
                                           "-1), got {}",
                                           index, shapeString(layer.targetShape)));
        break;
    }
    case Kind::BatchNormalization:
        if (!(layer.momentum >= 0.0f && layer.momentum <= 1.0f))
            problems.push_back(fmt::format("model.layers[{}].momentum: must be in [0, 1], got {}", index, layer.momentum));
        if (!(layer.epsilon > 0.0f) || !std::isfinite(layer.epsilon))
            problems.push_back(fmt::format("model.layers[{}].epsilon: must be a finite number > 0, got {}", index, layer.epsilon));
        break;
    case Kind::GlobalAveragePooling2D:
    case Kind::Flatten:
        break;
    }
    return problems.size() == before;
}

std::vector<int> layerOutputShape(const LayerSpec& layer, const std::vector<int>& in, std::size_t index,
                                  std::vector<std::string>& problems)
{
    if (!checkLayerSettings(layer, index, problems))
        return {};
    switch (layer.kind) {
    case Kind::Dense:
        if (in.size() != 1) {
            problems.push_back(fmt::format("model.layers[{}]: Dense needs a flat input, got {}; put a Flatten or "
                                           "GlobalAveragePooling2D layer before it",
                                           index, shapeString(in)));
            return {};
        }
        return {layer.units};
    case Kind::Dropout:
    case Kind::BatchNormalization:
        return in;
    case Kind::Conv2D:
    case Kind::MaxPooling2D:
    case Kind::AveragePooling2D:
        return windowShape(layer, in, index, problems);
    case Kind::GlobalAveragePooling2D:
        if (in.size() != 3) {
            problems.push_back(fmt::format("model.layers[{}]: GlobalAveragePooling2D needs an image input [height, width, "
                                           "channels], got {}",
                                           index, shapeString(in)));
            return {};
        }
        return {in[2]};
    case Kind::Flatten:
        return {static_cast<int>(shapeSize(in))};
    case Kind::Reshape:
        return reshapeTarget(layer, in, index, problems);
    }
    return {};
}

std::vector<VariableLayout> layerVariables(const LayerSpec& layer, const std::vector<int>& in)
{
    std::vector<VariableLayout> vars;
    const auto add = [&](const char* name, int rows, int cols, std::vector<int> fileShape, bool trainable) {
        VariableLayout v;
        v.index = static_cast<int>(vars.size());
        v.name = name;
        v.rows = rows;
        v.cols = cols;
        v.fileShape = std::move(fileShape);
        v.trainable = trainable;
        vars.push_back(std::move(v));
    };
    if (layer.kind == Kind::Dense) {
        add("kernel", in.at(0), layer.units, {in.at(0), layer.units}, true);
        if (layer.useBias)
            add("bias", 1, layer.units, {layer.units}, true);
    } else if (layer.kind == Kind::Conv2D) {
        const int kh = layer.kernelSize[0], kw = layer.kernelSize[1], c = in.at(2);
        add("kernel", kh * kw * c, layer.filters, {kh, kw, c, layer.filters}, true);
        if (layer.useBias)
            add("bias", 1, layer.filters, {layer.filters}, true);
    } else if (layer.kind == Kind::BatchNormalization) {
        const int c = in.back();
        if (layer.scale)
            add("gamma", 1, c, {c}, true);
        if (layer.center)
            add("beta", 1, c, {c}, true);
        add("moving_mean", 1, c, {c}, false);
        add("moving_variance", 1, c, {c}, false);
    }
    return vars;
}

std::vector<std::vector<int>> layerShapes(const ModelSpec& spec)
{
    std::vector<std::vector<int>> shapes{spec.sampleShape()};
    std::vector<std::string> ignored;
    for (std::size_t i = 0; i < spec.layers.size(); ++i)
        shapes.push_back(shapes.back().empty() ? std::vector<int>{}
                                               : layerOutputShape(spec.layers[i], shapes.back(), i, ignored));
    return shapes;
}

std::vector<VariableLayout> variableLayout(const ModelSpec& spec)
{
    const std::vector<std::vector<int>> shapes = layerShapes(spec);
    std::vector<VariableLayout> all;
    for (std::size_t i = 0; i < spec.layers.size(); ++i) {
        if (shapes[i].empty())
            break;
        for (VariableLayout& v : layerVariables(spec.layers[i], shapes[i])) {
            v.layerIndex = static_cast<int>(i);
            all.push_back(std::move(v));
        }
    }
    return all;
}

} // namespace cklab
