#include "core/io/WeightsH5.h"

#include <atomic>
#include <cstring>
#include <algorithm>
#include <type_traits>

#include "core/base/Errors.h"
#include "core/base/JsonText.h"
#include "core/io/H5Util.h"
#include "core/io/Hdf5Lock.h"
#include "core/io/KerasNormalization.h"

namespace cklab {

static_assert(std::is_same_v<hid_t, std::int64_t>, "hid_t is passed as std::int64_t through our headers");

namespace {

using h5::H5Failure;
using h5::Handle;

std::atomic<unsigned> g_imageCounter{0};

/// A dataset as our row-major Matrix: all leading dimensions become rows, the last one columns
/// (a conv kernel (kh, kw, in, out) is [kh * kw * in, out]; a vector [n] is [1, n]).
std::pair<Eigen::Index, Eigen::Index> matrixShape(const std::vector<hsize_t>& dims)
{
    if (dims.empty())
        return {1, 1};
    Eigen::Index rows = 1;
    for (std::size_t i = 0; i + 1 < dims.size(); ++i)
        rows *= static_cast<Eigen::Index>(dims[i]);
    return {rows, static_cast<Eigen::Index>(dims.back())};
}

void writeMatrix(hid_t loc, const std::string& name, const Matrix& m, const std::vector<std::uint64_t>& shape,
                 const std::string& objectPath)
{
    const std::vector<hsize_t> dims(shape.begin(), shape.end());
    h5::writeFloats(loc, name, m.data(), dims, objectPath); // row-major: [in, out] as Keras stores it
}

/// Names of the datasets of a Keras "vars" group; they must be "0", "1", ... with nothing else.
/// Matched by name: a file whose variables were created in another order (h5py, a rewrite)
/// lists them in that order, and it is still the same file (issue 16, item 10).
std::vector<std::string> varNames(hid_t vars, const std::string& varsPath)
{
    std::vector<std::string> names = h5::children(vars, varsPath);
    const auto number = [](const std::string& n) {
        return !n.empty() && n.size() < 10 && std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; })
                   ? std::stol(n) : -1L;
    };
    std::stable_sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) { return number(a) < number(b); });
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i] != std::to_string(i) || h5::isGroup(vars, names[i]))
            throw H5Failure(varsPath + "/" + names[i], "unexpected entry (Keras stores variables as datasets 0, 1, ...)");
    }
    return names;
}

void readVariable(hid_t vars, const std::string& name, const std::string& path, LoadedCheckpoint& out,
                  hsize_t maxElements)
{
    h5::FloatData data = h5::readFloats(vars, name, path, maxElements);
    if (data.dims.empty() || data.dims.size() > 4)
        throw H5Failure(path, "expected a 1-D to 4-D dataset, file has " + h5::shapeText(data.dims));
    const auto [rows, cols] = matrixShape(data.dims);
    out.variablePaths.push_back(path);
    out.variables.push_back(Eigen::Map<const Matrix>(data.values.data(), rows, cols));
    out.variableShapes.emplace_back(data.dims.begin(), data.dims.end());
}

/// `expectedElements`: element count of each variable of the model's layer (empty: not known).
void readLayerVars(hid_t layers, const std::string& key, LoadedCheckpoint& out, int expectedCount,
                   const std::vector<hsize_t>& expectedElements = {})
{
    const std::string layerPath = "layers/" + key;
    if (!h5::exists(layers, key))
        throw H5Failure(layerPath, "missing group (the model has this layer)");
    Handle vars = h5::openGroup(layers, key + "/vars", layerPath + "/vars");
    const std::vector<std::string> names = varNames(vars, layerPath + "/vars");
    if (expectedCount >= 0 && static_cast<int>(names.size()) != expectedCount)
        throw H5Failure(layerPath + "/vars", "expected " + std::to_string(expectedCount) + " variables, file has "
                                                 + std::to_string(names.size()));
    // A variable larger than the model's is refused before it is read (a mismatch in the other
    // direction is reported with both shapes once the file is read).
    for (std::size_t i = 0; i < names.size(); ++i) {
        const hsize_t bound = i < expectedElements.size() ? std::min(expectedElements[i], h5::kMaxDatasetElements)
                                                          : h5::kMaxDatasetElements;
        readVariable(vars, names[i], layerPath + "/vars/" + names[i], out, bound);
    }
}

/// A Functional model's weights file has a group for its InputLayer ("input_layer", "input_layer_1"
/// ...) without variables; our spec has no such layer.
bool isEmptyInputLayer(hid_t layers, const std::string& key)
{
    if (key.rfind("input_layer", 0) != 0 || !h5::exists(layers, key + "/vars"))
        return false;
    Handle vars = h5::openGroup(layers, key + "/vars", "layers/" + key + "/vars");
    return h5::children(vars, "layers/" + key + "/vars").empty();
}

void readOptimizer(hid_t file, LoadedCheckpoint& out)
{
    if (!h5::exists(file, "optimizer/vars"))
        return;
    Handle vars = h5::openGroup(file, "optimizer/vars", "optimizer/vars");
    const std::vector<std::string> names = varNames(vars, "optimizer/vars");
    if (names.size() < 2)
        throw H5Failure("optimizer/vars", "expected at least iterations (0) and learning rate (1), file has "
                                              + std::to_string(names.size()) + " datasets");
    OptimizerState state;
    state.name = h5::hasAttr(vars, "name") ? h5::readStringAttr(vars, "name", "optimizer/vars") : std::string();
    state.iterations = h5::readScalarInt64(vars, "0", "optimizer/vars/0");
    const h5::FloatData lr = h5::readFloats(vars, "1", "optimizer/vars/1");
    if (lr.values.size() != 1)
        throw H5Failure("optimizer/vars/1", "expected a scalar learning rate, file has " + h5::shapeText(lr.dims));
    state.learningRate = lr.values.front();
    for (std::size_t i = 2; i < names.size(); ++i) {
        const std::string path = "optimizer/vars/" + names[i];
        h5::FloatData data = h5::readFloats(vars, names[i], path);
        if (data.dims.size() > 4)
            throw H5Failure(path, "expected a 1-D to 4-D dataset, file has " + h5::shapeText(data.dims));
        const auto [rows, cols] = matrixShape(data.dims);
        state.slotValues.push_back(Eigen::Map<const Matrix>(data.values.data(), rows, cols));
    }
    out.optimizer = std::move(state);
}

} // namespace

void readCheckpointLabGroup(std::int64_t file, LoadedCheckpoint& out)
{
    if (!h5::exists(file, "checkpointlab"))
        return;
    Handle group = h5::openGroup(file, "checkpointlab", "checkpointlab");
    if (h5::hasAttr(group, "format_version"))
        out.formatVersion = h5::readStringAttr(group, "format_version", "checkpointlab");
    if (!h5::exists(group, "training_state"))
        return;
    const std::string text = h5::readStringDataset(group, "training_state", "checkpointlab/training_state");
    try {
        out.trainingState = parseJsonText(text, "checkpointlab/training_state");
    } catch (const ConfigError& e) {
        std::string problem = e.problems().empty() ? std::string(e.what()) : e.problems().front();
        if (problem.rfind("checkpointlab/training_state: ", 0) == 0)
            problem.erase(0, std::strlen("checkpointlab/training_state: "));
        throw H5Failure("checkpointlab/training_state", problem);
    }
}

void writeCheckpointLabGroup(std::int64_t fileId, const CheckpointContent& content)
{
    // Without training state the file is exactly what Keras writes; the version tags our extension.
    if (!content.trainingState)
        return;
    Handle lab = h5::createGroup(fileId, "checkpointlab", "checkpointlab");
    h5::writeStringAttr(lab, "format_version", kCheckpointLabFormatVersion, "checkpointlab");
    h5::writeStringDataset(lab, "training_state", content.trainingState->dump(), "checkpointlab/training_state");
}

namespace {

template <typename Fn>
void translateFailures(const std::string& displayPath, Fn&& fn)
{
    try {
        fn();
    } catch (const H5Failure& e) {
        throw IoError(displayPath, e.object() + ": " + e.what());
    }
}

} // namespace

void writeWeightsLayout(std::int64_t fileId, const CheckpointContent& content)
{
    const ModelSpec& spec = content.spec;
    const std::vector<VariableSlot> slots = variableSlots(spec);
    if (slots.size() != content.variables.size())
        throw H5Failure("layers", "the model has " + std::to_string(content.variables.size())
                                      + " variables, its spec " + std::to_string(slots.size()));
    const std::vector<std::string> keys = spec.layerKeys();
    Handle layers = h5::createGroup(fileId, "layers", "layers");
    if (spec.normalization) {
        const std::string path = std::string("layers/") + kNormalizationKey;
        Handle layer = h5::createGroup(layers, kNormalizationKey, path);
        Handle vars = h5::createGroup(layer, "vars", path + "/vars");
        h5::writeStringAttr(vars, "name", kNormalizationKey, path + "/vars");
        writeNormalizationVars(vars, *spec.normalization, path + "/vars");
    }
    std::size_t v = 0;
    for (std::size_t i = 0; i < spec.layers.size(); ++i) {
        const std::string path = "layers/" + keys[i];
        Handle layer = h5::createGroup(layers, keys[i], path);
        Handle vars = h5::createGroup(layer, "vars", path + "/vars");
        h5::writeStringAttr(vars, "name", spec.layers[i].name.empty() ? keys[i] : spec.layers[i].name, path + "/vars");
        for (; v < slots.size() && slots[v].layerIndex == static_cast<int>(i); ++v) {
            const Matrix& m = content.variables[v];
            if (m.rows() != slots[v].rows || m.cols() != slots[v].cols)
                throw H5Failure(slots[v].path(), "variable has shape " + shapeText(int(m.rows()), int(m.cols()))
                                                     + ", the spec says " + shapeText(slots[v].rows, slots[v].cols));
            writeMatrix(vars, std::to_string(slots[v].index), m, fileShape(slots[v]), slots[v].path());
        }
    }
    Handle modelVars = h5::createGroup(fileId, "vars", "vars");
    h5::writeStringAttr(modelVars, "name", spec.name, "vars");

    if (content.optimizer) {
        const OptimizerState& state = *content.optimizer;
        Handle optimizer = h5::createGroup(fileId, "optimizer", "optimizer");
        Handle vars = h5::createGroup(optimizer, "vars", "optimizer/vars");
        h5::writeStringAttr(vars, "name", state.name, "optimizer/vars");
        h5::writeScalarInt64(vars, "0", state.iterations, "optimizer/vars/0");
        h5::writeScalarFloat(vars, "1", state.learningRate, "optimizer/vars/1");
        const auto shapes = slotFileShapes(state, spec);
        for (std::size_t i = 0; i < state.slotValues.size(); ++i) {
            const std::string name = std::to_string(i + 2);
            writeMatrix(vars, name, state.slotValues[i], shapes[i], "optimizer/vars/" + name);
        }
    }

    writeCheckpointLabGroup(fileId, content);
}

void readWeightsLayout(std::int64_t fileId, LoadedCheckpoint& out, const std::optional<ModelSpec>& spec)
{
    if (!h5::exists(fileId, "layers"))
        throw H5Failure("layers", "missing group: not a Keras weights file");
    Handle layers = h5::openGroup(fileId, "layers", "layers");
    // The leading Normalization layer: with a spec only when its config has one (and no
    // statistics of its own); without, whatever group Keras named after the class.
    std::string normalizationKey;
    if (spec ? spec->normalization && spec->normalization->mean.empty() : h5::exists(layers, kNormalizationKey))
        normalizationKey = kNormalizationKey;
    if (!normalizationKey.empty()) {
        const std::string varsPath = "layers/" + normalizationKey + "/vars";
        if (!h5::exists(layers, normalizationKey + "/vars"))
            throw H5Failure(varsPath, "missing group (the model has a Normalization layer)");
        Handle vars = h5::openGroup(layers, normalizationKey + "/vars", varsPath);
        out.normalization = readNormalizationVars(vars, varsPath, spec ? spec->inputDim : 0);
        if (spec && !out.normalization)
            throw H5Failure(varsPath, "the Normalization layer has neither statistics in its config nor variables");
    } else if (spec && spec->normalization) {
        out.normalization = spec->normalization;
    }
    auto isNormalization = [&](const std::string& key) {
        return key == normalizationKey || (spec && spec->normalization && key == kNormalizationKey);
    };
    if (spec) {
        const std::vector<std::string> keys = spec->layerKeys();
        const std::vector<VariableSlot> slots = variableSlots(*spec);
        for (std::size_t i = 0; i < keys.size(); ++i) {
            std::vector<hsize_t> expectedElements;
            for (const auto& slot : slots)
                if (slot.layerIndex == static_cast<int>(i))
                    expectedElements.push_back(static_cast<hsize_t>(std::max(slot.rows, 0)) * static_cast<hsize_t>(std::max(slot.cols, 0)));
            readLayerVars(layers, keys[i], out, variableCount(spec->layers[i]), expectedElements);
        }
        for (const auto& child : h5::children(layers, "layers")) {
            if (std::find(keys.begin(), keys.end(), child) == keys.end() && !isEmptyInputLayer(layers, child)
                && !isNormalization(child))
                throw H5Failure("layers/" + child, "not a layer of the model in this file's config");
        }
    } else {
        for (const auto& child : h5::children(layers, "layers"))
            if (!isEmptyInputLayer(layers, child) && !isNormalization(child))
                readLayerVars(layers, child, out, -1);
    }
    readOptimizer(fileId, out);
    readCheckpointLabGroup(fileId, out);
}

namespace {

// libhdf5's core driver asks these for the memory of the file it builds (file image callbacks):
// the scratch's block, already paged in by earlier saves. Only resize and free are used when no
// initial image is given; malloc/memcpy are there because the API wants a complete set.
void* blockMalloc(std::size_t size, H5FD_file_image_op_t, void* block)
{
    return static_cast<ReusableBlock*>(block)->resize(nullptr, size);
}

void* blockMemcpy(void* dest, const void* src, std::size_t size, H5FD_file_image_op_t, void*)
{
    return std::memcpy(dest, src, size);
}

void* blockRealloc(void* ptr, std::size_t size, H5FD_file_image_op_t, void* block)
{
    return static_cast<ReusableBlock*>(block)->resize(ptr, size);
}

herr_t blockFree(void* ptr, H5FD_file_image_op_t, void* block)
{
    static_cast<ReusableBlock*>(block)->release(ptr);
    return 0;
}

void* sameBlock(void* block)
{
    return block; // the fapl's copies share the block; the caller owns it
}

herr_t keepBlock(void*)
{
    return 0;
}

} // namespace

void hdf5Image(const std::string& displayPath, const std::function<void(std::int64_t)>& fill, ReusableBlock& memory,
               std::vector<char>& image)
{
    const Hdf5Lock lock;
    h5::silenceErrors();
    translateFailures(displayPath, [&] {
        Handle fapl(h5::check(H5Pcreate(H5P_FILE_ACCESS), "/", "creating the file"), H5Pclose);
        h5::check(H5Pset_fapl_core(fapl, 1 << 20, 0), "/", "creating the file");
        h5::check(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "/", "creating the file");
        H5FD_file_image_callbacks_t callbacks{blockMalloc, blockMemcpy, blockRealloc, blockFree, sameBlock, keepBlock,
                                              &memory};
        h5::check(H5Pset_file_image_callbacks(fapl, &callbacks), "/", "creating the file");
        const std::string name = "cklab-memory-" + std::to_string(g_imageCounter.fetch_add(1)) + ".h5";
        Handle file(h5::check(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl), "/", "creating the file"),
                    H5Fclose);
        fill(file.get());
        h5::check(H5Fflush(file, H5F_SCOPE_GLOBAL), "/", "flushing the file");
        const ssize_t size = H5Fget_file_image(file, nullptr, 0);
        h5::check(size, "/", "taking the file image");
        // Same size as the last save's image: no reallocation, no zero-fill, pages already there.
        image.resize(static_cast<std::size_t>(size));
        h5::check(H5Fget_file_image(file, image.data(), image.size()), "/", "taking the file image");
    });
}

std::vector<char> hdf5Image(const std::string& displayPath, const std::function<void(std::int64_t)>& fill)
{
    ReusableBlock memory;
    std::vector<char> image;
    hdf5Image(displayPath, fill, memory, image);
    return image;
}

void withHdf5File(const std::filesystem::path& path, const std::function<void(std::int64_t)>& read)
{
    const Hdf5Lock lock;
    h5::silenceErrors();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw IoError(path.string(), std::strerror(ENOENT));
    if (std::filesystem::is_directory(path, ec))
        throw IoError(path.string(), "is a directory, not a checkpoint file");
    if (H5Fis_hdf5(path.c_str()) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        throw IoError(path.string(), "not an HDF5 file");
    }
    translateFailures(path.string(), [&] {
        Handle fapl(h5::check(H5Pcreate(H5P_FILE_ACCESS), "/", "opening the file"), H5Pclose);
        h5::check(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "/", "opening the file");
        Handle file(h5::check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl), "/", "opening the file"), H5Fclose);
        read(file.get());
    });
}

void withHdf5Image(const std::vector<char>& image, const std::string& displayPath,
                   const std::function<void(std::int64_t)>& read)
{
    const Hdf5Lock lock;
    h5::silenceErrors();
    static const char signature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
    if (image.size() < 8 || std::memcmp(image.data(), signature, 8) != 0)
        throw IoError(displayPath, "not an HDF5 file");
    translateFailures(displayPath, [&] {
        Handle fapl(h5::check(H5Pcreate(H5P_FILE_ACCESS), "/", "opening the file"), H5Pclose);
        h5::check(H5Pset_fapl_core(fapl, 1 << 20, 0), "/", "opening the file");
        h5::check(H5Pset_file_image(fapl, const_cast<char*>(image.data()), image.size()), "/", "opening the file");
        const std::string name = "cklab-memory-" + std::to_string(g_imageCounter.fetch_add(1)) + ".h5";
        Handle file(h5::check(H5Fopen(name.c_str(), H5F_ACC_RDONLY, fapl), "/", "opening the file"), H5Fclose);
        read(file.get());
    });
}

void weightsH5Image(const CheckpointContent& content, const std::string& displayPath, SaveScratch& scratch)
{
    hdf5Image(displayPath, [&](std::int64_t file) { writeWeightsLayout(file, content); }, scratch.hdf5File, scratch.bytes);
}

std::vector<char> weightsH5Image(const CheckpointContent& content, const std::string& displayPath)
{
    return hdf5Image(displayPath, [&](std::int64_t file) { writeWeightsLayout(file, content); });
}

void readWeightsH5File(const std::filesystem::path& path, LoadedCheckpoint& out, const std::optional<ModelSpec>& spec)
{
    withHdf5File(path, [&](std::int64_t file) { readWeightsLayout(file, out, spec); });
}

void readWeightsH5Image(const std::vector<char>& image, const std::string& displayPath, LoadedCheckpoint& out,
                        const std::optional<ModelSpec>& spec)
{
    withHdf5Image(image, displayPath, [&](std::int64_t file) { readWeightsLayout(file, out, spec); });
}

} // namespace cklab
