#include "core/io/LegacyH5.h"

#include <stdexcept>

#include "core/base/Errors.h"
#include "core/base/JsonText.h"
#include "core/io/H5Util.h"
#include "core/io/KerasConfig.h"
#include "core/io/KerasNormalization.h"
#include "core/io/WeightsH5.h"
#include "core/optim/OptimizerKind.h"

namespace cklab {

using h5::H5Failure;
using h5::Handle;
using nlohmann::json;

namespace {

/// Rows of the Matrix a dataset becomes: the product of all but its last dimension (a conv
/// kernel (kh, kw, in, out) is [kh * kw * in, out], a vector [n] one row).
Eigen::Index leadingRows(const std::vector<hsize_t>& dims)
{
    Eigen::Index rows = 1;
    for (std::size_t i = 0; i + 1 < dims.size(); ++i)
        rows *= static_cast<Eigen::Index>(dims[i]);
    return rows;
}

/// Opens or creates every group of `path` ("adam/dense/kernel") below loc.
Handle ensureGroup(hid_t loc, const std::string& path, const std::string& objectPrefix)
{
    Handle current(H5Gopen2(loc, ".", H5P_DEFAULT), H5Gclose);
    std::string done = objectPrefix;
    std::size_t start = 0;
    while (start < path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos)
            end = path.size();
        const std::string part = path.substr(start, end - start);
        done += "/" + part;
        current = h5::exists(current, part) ? h5::openGroup(current, part, done) : h5::createGroup(current, part, done);
        start = end + 1;
    }
    return current;
}

/// Writes dataset `name` ("dense/kernel:0") below loc, creating the groups its slashes name.
void writeNamed(hid_t loc, const std::string& name, const Matrix& m, const std::vector<std::uint64_t>& shape,
                const std::string& objectPrefix)
{
    const std::size_t slash = name.rfind('/');
    Handle parent = ensureGroup(loc, slash == std::string::npos ? std::string() : name.substr(0, slash), objectPrefix);
    const std::vector<hsize_t> dims(shape.begin(), shape.end());
    h5::writeFloats(parent, name.substr(slash == std::string::npos ? 0 : slash + 1), m.data(), dims,
                    objectPrefix + "/" + name);
}

/// Slot names per optimizer kind, as Keras 2 named them (Adam m / v) or as Keras 3 calls them.
std::string slotKindName(const std::string& optimizer, int kind)
{
    if (const auto type = optimizerKindFromName(optimizer)) {
        switch (*type) {
        case OptimizerKind::Adam:
        case OptimizerKind::AdamW: return kind == 0 ? "m" : "v";
        case OptimizerKind::RmsProp: return kind == 0 ? "velocity" : "momentum";
        case OptimizerKind::Sgd: return "momentum";
        }
    }
    return "slot" + std::to_string(kind);
}

std::vector<std::string> optimizerWeightNames(const OptimizerState& state, const ModelSpec& spec)
{
    std::vector<VariableSlot> vars; // slots belong to the trainable variables only
    for (VariableSlot& v : variableSlots(spec))
        if (v.trainable)
            vars.push_back(std::move(v));
    const std::string prefix = state.name.empty() ? std::string("optimizer") : state.name;
    std::vector<std::string> names{prefix + "/iter:0", prefix + "/learning_rate:0"};
    const std::vector<SlotOwner> owners = slotOwners(state, vars.size());
    for (std::size_t i = 0; i < state.slotValues.size(); ++i) {
        if (owners.empty()) {
            names.push_back(prefix + "/slot_" + std::to_string(i) + ":0");
            continue;
        }
        const VariableSlot& v = vars[owners[i].variable];
        const LayerSpec& layer = spec.layers[static_cast<std::size_t>(v.layerIndex)];
        const std::string layerName = layer.name.empty() ? v.layerKey : layer.name;
        names.push_back(prefix + "/" + layerName + "/" + v.name + "/"
                        + slotKindName(state.name, owners[i].kind) + ":0");
    }
    return names;
}

void writeLegacy(hid_t file, const CheckpointContent& content)
{
    const ModelSpec& spec = content.spec;
    h5::writeStringAttr(file, "keras_version", kLegacyKerasVersion, "/");
    h5::writeStringAttr(file, "backend", "tensorflow", "/");
    h5::writeStringAttr(file, "model_config", modelConfigJson(spec, KerasFlavour::Keras2).dump(), "/");
    if (content.compile)
        h5::writeStringAttr(file, "training_config", trainingConfigJson(*content.compile).dump(), "/");

    const std::vector<std::string> keys = spec.layerKeys();
    const std::vector<VariableSlot> slots = variableSlots(spec);
    if (slots.size() != content.variables.size())
        throw H5Failure("model_weights", "the model has " + std::to_string(content.variables.size())
                                             + " variables, its spec " + std::to_string(slots.size()));
    std::vector<std::string> layerNames;
    for (std::size_t i = 0; i < spec.layers.size(); ++i)
        layerNames.push_back(spec.layers[i].name.empty() ? keys[i] : spec.layers[i].name);
    Handle weights = h5::createGroup(file, "model_weights", "model_weights");
    std::vector<std::string> listed = layerNames;
    if (spec.normalization) {
        listed.insert(listed.begin(), kNormalizationKey);
        writeLegacyNormalization(weights, *spec.normalization);
    }
    h5::writeStringListAttr(weights, "layer_names", listed, "model_weights");
    h5::writeStringAttr(weights, "backend", "tensorflow", "model_weights");
    h5::writeStringAttr(weights, "keras_version", kLegacyKerasVersion, "model_weights");
    std::size_t v = 0;
    for (std::size_t i = 0; i < spec.layers.size(); ++i) {
        const std::string groupPath = "model_weights/" + layerNames[i];
        Handle layer = h5::createGroup(weights, layerNames[i], groupPath);
        std::vector<std::string> names;
        for (; v < slots.size() && slots[v].layerIndex == static_cast<int>(i); ++v) {
            names.push_back(layerNames[i] + "/" + slots[v].name + ":0");
            writeNamed(layer, names.back(), content.variables[v], fileShape(slots[v]), groupPath);
        }
        h5::writeStringListAttr(layer, "weight_names", names, groupPath);
    }

    if (content.optimizer) {
        const OptimizerState& state = *content.optimizer;
        const std::vector<std::string> names = optimizerWeightNames(state, spec);
        Handle opt = h5::createGroup(file, "optimizer_weights", "optimizer_weights");
        h5::writeStringListAttr(opt, "weight_names", names, "optimizer_weights");
        Handle iterParent = ensureGroup(opt, names[0].substr(0, names[0].rfind('/')), "optimizer_weights");
        h5::writeScalarInt64(iterParent, "iter:0", state.iterations, "optimizer_weights/" + names[0]);
        Handle lrParent = ensureGroup(opt, names[1].substr(0, names[1].rfind('/')), "optimizer_weights");
        h5::writeScalarFloat(lrParent, "learning_rate:0", state.learningRate, "optimizer_weights/" + names[1]);
        const auto shapes = slotFileShapes(state, spec);
        for (std::size_t i = 0; i < state.slotValues.size(); ++i)
            writeNamed(opt, names[i + 2], state.slotValues[i], shapes[i], "optimizer_weights");
    }
    writeCheckpointLabGroup(file, content);
}

json parseAttrJson(hid_t file, const char* name)
{
    const std::string text = h5::readStringAttr(file, name, "/");
    const std::string where = std::string("/ attribute ") + name;
    try {
        return parseJsonText(text, where);
    } catch (const ConfigError& e) {
        std::string problem = e.problems().empty() ? std::string(e.what()) : e.problems().front();
        if (problem.rfind(where + ": ", 0) == 0)
            problem.erase(0, where.size() + 2);
        throw H5Failure(where, problem);
    }
}

void readOptimizerWeights(hid_t file, LoadedCheckpoint& out)
{
    Handle opt = h5::openGroup(file, "optimizer_weights", "optimizer_weights");
    const std::vector<std::string> names = h5::readStringListAttr(opt, "weight_names", "optimizer_weights");
    if (names.size() < 2)
        throw H5Failure("optimizer_weights", "expected at least iterations and learning rate");
    OptimizerState state;
    state.name = names[0].substr(0, names[0].find('/'));
    state.iterations = h5::readScalarInt64(opt, names[0], "optimizer_weights/" + names[0]);
    const h5::FloatData lr = h5::readFloats(opt, names[1], "optimizer_weights/" + names[1]);
    if (lr.values.size() != 1)
        throw H5Failure("optimizer_weights/" + names[1], "expected a scalar learning rate");
    state.learningRate = lr.values.front();
    for (std::size_t i = 2; i < names.size(); ++i) {
        const h5::FloatData d = h5::readFloats(opt, names[i], "optimizer_weights/" + names[i]);
        if (d.dims.empty() || d.dims.size() > 4)
            throw H5Failure("optimizer_weights/" + names[i], "expected a 1-D to 4-D dataset, file has " + h5::shapeText(d.dims));
        state.slotValues.push_back(Eigen::Map<const Matrix>(d.values.data(), leadingRows(d.dims), static_cast<Eigen::Index>(d.dims.back())));
    }
    out.optimizer = std::move(state);
}

} // namespace

void legacyH5Image(const CheckpointContent& content, const std::string& displayPath, SaveScratch& scratch)
{
    hdf5Image(displayPath, [&](std::int64_t file) { writeLegacy(file, content); }, scratch.hdf5File, scratch.bytes);
}

std::vector<char> legacyH5Image(const CheckpointContent& content, const std::string& displayPath)
{
    return hdf5Image(displayPath, [&](std::int64_t file) { writeLegacy(file, content); });
}

void readLegacyLayout(std::int64_t fileId, LoadedCheckpoint& out)
{
    for (const char* attr : {"model_config", "training_config"}) {
        if (!h5::hasAttr(fileId, attr))
            continue;
        const json config = parseAttrJson(fileId, attr);
        try {
            if (std::string(attr) == "model_config")
                out.spec = modelSpecFromJson(config);
            else
                out.compile = compileConfigFromJson(config);
        } catch (const std::invalid_argument& e) {
            throw H5Failure(std::string("/ attribute ") + attr, e.what());
        } catch (const json::exception& e) {
            throw H5Failure(std::string("/ attribute ") + attr, withoutLibraryTag(e.what()));
        }
    }
    // A Keras 2 save_weights() file keeps the layer groups at the root.
    const bool full = h5::exists(fileId, "model_weights");
    const std::string base = full ? "model_weights" : "";
    Handle weights = full ? h5::openGroup(fileId, "model_weights", "model_weights") : Handle(H5Gopen2(fileId, "/", H5P_DEFAULT), H5Gclose);
    const std::vector<std::string> layerNames = h5::readStringListAttr(weights, "layer_names", full ? "model_weights" : "/");
    std::vector<int> expected;
    if (out.spec)
        for (const auto& layer : out.spec->layers)
            if (variableCount(layer) > 0)
                expected.push_back(variableCount(layer));
    std::size_t withWeights = 0;
    // Keras 2 loading is positional: with a Normalization layer in model_config (and its statistics
    // not in the config) the first layer with weights holds mean, variance and count.
    bool normalizationPending = out.spec && out.spec->normalization && out.spec->normalization->mean.empty();
    if (out.spec && out.spec->normalization && !normalizationPending)
        out.normalization = out.spec->normalization;
    for (const auto& layerName : layerNames) {
        const std::string groupPath = (full ? base + "/" : std::string()) + layerName;
        if (normalizationPending) {
            Handle probe = h5::openGroup(weights, layerName, groupPath);
            if (h5::readStringListAttr(probe, "weight_names", groupPath).empty())
                continue;
            out.normalization = readLegacyNormalization(weights, layerName, groupPath, out.spec->inputDim);
            normalizationPending = false;
            continue;
        }
        Handle layer = h5::openGroup(weights, layerName, groupPath);
        const std::vector<std::string> names = h5::readStringListAttr(layer, "weight_names", groupPath);
        if (names.empty())
            continue;
        if (out.spec && withWeights < expected.size() && static_cast<int>(names.size()) != expected[withWeights])
            throw H5Failure(groupPath, "expected " + std::to_string(expected[withWeights]) + " weights, file has "
                                           + std::to_string(names.size()));
        ++withWeights;
        for (const auto& name : names) {
            const std::string path = groupPath + "/" + name;
            h5::FloatData d = h5::readFloats(layer, name, path);
            if (d.dims.empty() || d.dims.size() > 4)
                throw H5Failure(path, "expected a 1-D to 4-D dataset, file has " + h5::shapeText(d.dims));
            out.variablePaths.push_back(path);
            out.variables.push_back(Eigen::Map<const Matrix>(d.values.data(), leadingRows(d.dims), static_cast<Eigen::Index>(d.dims.back())));
            out.variableShapes.emplace_back(d.dims.begin(), d.dims.end());
        }
    }
    if (normalizationPending)
        throw H5Failure(full ? base : "/", "model_config has a Normalization layer, the file has no weights for it");
    if (out.spec && withWeights != expected.size())
        throw H5Failure(full ? base : "/", "model_config has " + std::to_string(expected.size())
                                               + " layers with weights, file has " + std::to_string(withWeights));
    // Keras 3 (".../iteration", ".../learning_rate", then the slots in the optimizer's order) and
    // ours (".../iter:0", ".../learning_rate:0", ...) are read; Keras 2's own optimizer weights
    // (iter, all m, all v, no learning rate) are not.
    if (h5::exists(fileId, "optimizer_weights")) {
        Handle opt = h5::openGroup(fileId, "optimizer_weights", "optimizer_weights");
        const auto names = h5::hasAttr(opt, "weight_names")
            ? h5::readStringListAttr(opt, "weight_names", "optimizer_weights") : std::vector<std::string>();
        const auto endsWith = [](const std::string& s, const std::string& suffix) {
            return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
        };
        if (names.size() >= 2 && (endsWith(names[1], "/learning_rate:0") || endsWith(names[1], "/learning_rate")))
            readOptimizerWeights(fileId, out);
    }
    readCheckpointLabGroup(fileId, out);
}

} // namespace cklab
