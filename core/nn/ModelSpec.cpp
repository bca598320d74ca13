#include "core/nn/ModelSpec.h"

#include <algorithm>

#include <cmath>
#include <fmt/format.h>

namespace cklab {

std::vector<std::string> ModelSpec::validate() const
{
    std::vector<std::string> problems;
    if (inputDim <= 0)
        problems.push_back(fmt::format("model.input_dim: must be a positive integer, got {}", inputDim));
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
        problems.push_back("model.layers: must contain at least one Dense layer, got none");
    bool anyDense = false;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const LayerSpec& layer = layers[i];
        if (layer.kind == LayerSpec::Kind::Dense) {
            anyDense = true;
            if (layer.units <= 0)
                problems.push_back(fmt::format("model.layers[{}].units: must be a positive integer, got {}", i, layer.units));
        } else {
            if (!(layer.rate >= 0.0f && layer.rate < 1.0f))
                problems.push_back(fmt::format("model.layers[{}].rate: must be in [0, 1), got {}", i, layer.rate));
        }
    }
    if (!layers.empty() && !anyDense)
        problems.push_back("model.layers: must contain at least one Dense layer, got only Dropout layers");
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

int ModelSpec::outputDim() const
{
    int dim = inputDim;
    for (const LayerSpec& layer : layers) {
        if (layer.kind == LayerSpec::Kind::Dense)
            dim = layer.units;
    }
    return dim;
}

long long ModelSpec::parameterCount() const
{
    long long count = 0;
    long long in = inputDim;
    for (const LayerSpec& layer : layers) {
        if (layer.kind != LayerSpec::Kind::Dense)
            continue;
        count += in * layer.units + (layer.useBias ? layer.units : 0);
        in = layer.units;
    }
    return count;
}

std::vector<std::string> ModelSpec::layerKeys() const
{
    std::vector<std::string> keys;
    int denseCount = 0;
    int dropoutCount = 0;
    for (const LayerSpec& layer : layers) {
        const bool dense = layer.kind == LayerSpec::Kind::Dense;
        int& counter = dense ? denseCount : dropoutCount;
        const char* base = dense ? "dense" : "dropout";
        keys.push_back(counter == 0 ? std::string(base) : fmt::format("{}_{}", base, counter));
        ++counter;
    }
    return keys;
}

} // namespace cklab
