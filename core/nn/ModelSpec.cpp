#include "core/nn/ModelSpec.h"

#include <algorithm>
#include <map>

#include <cmath>
#include <fmt/format.h>

#include "core/nn/LayerShapes.h"

namespace cklab {

std::vector<std::string> ModelSpec::validate() const
{
    std::vector<std::string> problems;
    if (inputShape.empty() && inputDim <= 0)
        problems.push_back(fmt::format("model.input_dim: must be a positive integer, got {}", inputDim));
    if (normalization && !inputShape.empty())
        problems.push_back(fmt::format("model.normalization: only tabular models (input_dim) have one, this model has "
                                       "input_shape {}",
                                       shapeString(inputShape)));
    if (normalization) {
        const InputNormalization& n = *normalization;
        if (inputDim > 0 && (n.mean.size() != std::size_t(inputDim) || n.variance.size() != std::size_t(inputDim)))
            problems.push_back(fmt::format("model.normalization: mean and variance need {} values (input_dim), got {} and {}",
                                           inputDim, n.mean.size(), n.variance.size()));
        for (std::size_t j = 0; j < n.variance.size(); ++j)
            if (!(n.variance[j] >= 0.0f) || !std::isfinite(n.variance[j])) {
                problems.push_back(fmt::format("model.normalization.variance[{}]: must be finite and >= 0, got {}", j, n.variance[j]));
                break;
            }
        for (std::size_t j = 0; j < n.mean.size(); ++j)
            if (!std::isfinite(n.mean[j])) {
                problems.push_back(fmt::format("model.normalization.mean[{}]: must be finite, got {}", j, n.mean[j]));
                break;
            }
    }
    const auto endsWith = [&](std::string_view suffix) {
        return fromFile.size() > suffix.size() && fromFile.compare(fromFile.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (!fromFile.empty() && !endsWith(".keras") && !endsWith(".h5"))
        problems.push_back(fmt::format("model.from_file: must name a .keras, .h5 or .weights.h5 file, got '{}'", fromFile));
    if (layers.empty() && fromFile.empty())
        problems.push_back("model.layers: must contain at least one layer with weights (Dense, Conv2D), got none");
    // Shapes flow from layer to layer; after the first layer that does not fit, later shape
    // problems would only echo it, but their own settings are still checked.
    std::vector<int> shape = inputShapeProblems(problems) ? std::vector<int>{} : sampleShape();
    bool anyWeights = false;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const LayerSpec& layer = layers[i];
        if (layer.kind == LayerSpec::Kind::Dense || layer.kind == LayerSpec::Kind::Conv2D)
            anyWeights = true;
        if (!shape.empty()) {
            shape = layerOutputShape(layer, shape, i, problems);
        } else {
            checkLayerSettings(layer, i, problems);
        }
    }
    if (!layers.empty() && !anyWeights)
        problems.push_back("model.layers: must contain at least one layer with weights (Dense, Conv2D), got none");
    checkLayerNames(problems);
    return problems;
}

void ModelSpec::checkLayerNames(std::vector<std::string>& problems) const
{
    // As Keras: a name has no '/' (it separates HDF5 groups and variable paths), and the names of
    // one model differ (a saved file keys weights by them). No control characters either: a NUL
    // cuts the name in HDF5 attributes.
    const std::vector<std::string> keys = layerKeys();
    std::vector<std::string> effective;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const std::string& name = layers[i].name;
        if (name.find('/') != std::string::npos)
            problems.push_back(fmt::format("model.layers[{}].name: must not contain '/', got '{}'", i, name));
        if (std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
            problems.push_back(fmt::format("model.layers[{}].name: must not contain control characters (NUL, tab, newline, ...)", i));
        effective.push_back(name.empty() ? keys[i] : name);
        for (std::size_t j = 0; j < i; ++j)
            if (effective[j] == effective[i]) {
                problems.push_back(fmt::format("model.layers[{}].name: '{}' is already the name of model.layers[{}]; "
                                               "the layers of a model need different names",
                                               i, effective[i], j));
                break;
            }
    }
}

bool ModelSpec::inputShapeProblems(std::vector<std::string>& problems) const
{
    if (inputShape.empty())
        return inputDim <= 0;
    bool bad = inputShape.size() != 3 && inputShape.size() != 1;
    for (int d : inputShape)
        bad = bad || d <= 0;
    if (bad) {
        problems.push_back(fmt::format("model.input_shape: must be [height, width, channels] (or [features]) of positive "
                                       "integers, got {}",
                                       shapeString(inputShape)));
        return true;
    }
    if (shapeSize(inputShape) != inputDim) {
        problems.push_back(fmt::format("model.input_dim: must be {} (the values of input_shape {}), got {}",
                                       shapeSize(inputShape), shapeString(inputShape), inputDim));
        return true;
    }
    return false;
}

std::vector<int> ModelSpec::sampleShape() const
{
    return inputShape.empty() ? std::vector<int>{inputDim} : inputShape;
}

int ModelSpec::outputDim() const
{
    const std::vector<std::vector<int>> shapes = layerShapes(*this);
    return shapes.back().empty() ? 0 : static_cast<int>(shapeSize(shapes.back()));
}

long long ModelSpec::parameterCount() const
{
    long long count = 0;
    for (const VariableLayout& v : variableLayout(*this))
        count += static_cast<long long>(v.rows) * v.cols;
    return count;
}

long long ModelSpec::trainableParameterCount() const
{
    long long count = 0;
    for (const VariableLayout& v : variableLayout(*this))
        if (v.trainable)
            count += static_cast<long long>(v.rows) * v.cols;
    return count;
}

std::vector<LayerSummary> ModelSpec::summary() const
{
    const std::vector<std::vector<int>> shapes = layerShapes(*this);
    const std::vector<std::string> keys = layerKeys();
    std::vector<LayerSummary> rows;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        LayerSummary row;
        row.key = keys[i];
        row.name = layers[i].name.empty() ? keys[i] : layers[i].name;
        row.className = std::string(layerClassName(layers[i].kind));
        row.outputShape = shapes[i + 1];
        if (!shapes[i].empty() && !shapes[i + 1].empty())
            for (const VariableLayout& v : layerVariables(layers[i], shapes[i])) {
                const long long n = static_cast<long long>(v.rows) * v.cols;
                row.parameters += n;
                row.trainableParameters += v.trainable ? n : 0;
            }
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<std::string> ModelSpec::layerKeys() const
{
    std::vector<std::string> keys;
    std::map<LayerSpec::Kind, int> counts;
    for (const LayerSpec& layer : layers) {
        int& counter = counts[layer.kind];
        const std::string_view base = layerKeyBase(layer.kind);
        keys.push_back(counter == 0 ? std::string(base) : fmt::format("{}_{}", base, counter));
        ++counter;
    }
    return keys;
}

std::array<int, 2> LayerSpec::effectiveStrides() const
{
    if (strides[0] != 0 || strides[1] != 0)
        return strides;
    if (kind == Kind::MaxPooling2D || kind == Kind::AveragePooling2D)
        return poolSize;
    return {1, 1};
}

std::string_view layerClassName(LayerSpec::Kind kind)
{
    switch (kind) {
    case LayerSpec::Kind::Dense: return "Dense";
    case LayerSpec::Kind::Dropout: return "Dropout";
    case LayerSpec::Kind::Conv2D: return "Conv2D";
    case LayerSpec::Kind::MaxPooling2D: return "MaxPooling2D";
    case LayerSpec::Kind::AveragePooling2D: return "AveragePooling2D";
    case LayerSpec::Kind::GlobalAveragePooling2D: return "GlobalAveragePooling2D";
    case LayerSpec::Kind::Flatten: return "Flatten";
    case LayerSpec::Kind::Reshape: return "Reshape";
    case LayerSpec::Kind::BatchNormalization: return "BatchNormalization";
    }
    return "Dense";
}

std::string_view layerKeyBase(LayerSpec::Kind kind)
{
    switch (kind) {
    case LayerSpec::Kind::Dense: return "dense";
    case LayerSpec::Kind::Dropout: return "dropout";
    case LayerSpec::Kind::Conv2D: return "conv2d";
    case LayerSpec::Kind::MaxPooling2D: return "max_pooling2d";
    case LayerSpec::Kind::AveragePooling2D: return "average_pooling2d";
    case LayerSpec::Kind::GlobalAveragePooling2D: return "global_average_pooling2d";
    case LayerSpec::Kind::Flatten: return "flatten";
    case LayerSpec::Kind::Reshape: return "reshape";
    case LayerSpec::Kind::BatchNormalization: return "batch_normalization";
    }
    return "dense";
}

std::string_view paddingName(Padding padding)
{
    return padding == Padding::Same ? "same" : "valid";
}

} // namespace cklab
