#include "core/io/CheckpointFile.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>

#include "core/base/Errors.h"
#include "core/base/OutOfMemory.h"
#include "core/io/AtomicFile.h"
#include "core/io/CheckpointContent.h"
#include "core/io/H5Guard.h"
#include "core/io/H5Util.h"
#include "core/io/KerasArchive.h"
#include "core/io/KerasNormalization.h"
#include "core/io/LegacyH5.h"
#include "core/io/SaveScratch.h"
#include "core/io/WeightsH5.h"

namespace cklab {

namespace {

bool endsWith(const std::string& s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// What `model` puts into a file, in `content`: matrices of the same shapes as last time keep
/// their storage (SaveScratch), so a save copies the weights into memory already paged in.
void fillContent(CheckpointContent& content, const Model& model, CheckpointFormat format, const SaveOptions& options)
{
    content.spec = model.network().spec();
    content.compile.reset();
    // As Keras: include_optimizer=False saves the model uncompiled (no compile_config /
    // training_config), which Keras loads without building an optimizer it has no state for.
    if (format != CheckpointFormat::WeightsH5 && options.includeOptimizer)
        content.compile = model.compileConfig();
    const std::vector<const Matrix*> variables = model.network().variables();
    content.variables.resize(variables.size());
    for (std::size_t i = 0; i < variables.size(); ++i)
        content.variables[i] = *variables[i];
    content.optimizer.reset();
    if (options.includeOptimizer)
        content.optimizer = model.optimizer().state();
    content.trainingState = options.trainingState;
}

/// The first bytes of a file, to tell HDF5 from zip from anything else.
std::string leadingBytes(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError(path.string(), std::strerror(errno != 0 ? errno : ENOENT));
    std::string head(8, '\0');
    in.read(head.data(), 8);
    head.resize(static_cast<std::size_t>(in.gcount()));
    return head;
}

std::string dimsText(const std::vector<std::int64_t>& dims)
{
    std::string s = "[";
    for (std::size_t i = 0; i < dims.size(); ++i)
        s += (i ? ", " : "") + std::to_string(dims[i]);
    return s + "]";
}

std::vector<std::int64_t> toInt64(const std::vector<std::uint64_t>& dims)
{
    return {dims.begin(), dims.end()};
}

std::vector<std::int64_t> shapeInFile(const LoadedCheckpoint& c, std::size_t i)
{
    if (i < c.variableShapes.size())
        return c.variableShapes[i];
    return {c.variables[i].rows(), c.variables[i].cols()};
}

/// Keras names the optimizer variables after the optimizer's name: "adam", "rm_sprop" (Keras 3's
/// RMSprop), "Adam" (Keras 2) or whatever the user called it. Ours are the type names.
void useOurOptimizerName(LoadedCheckpoint& c)
{
    if (!c.optimizer)
        return;
    std::string plain;
    for (const char ch : c.optimizer->name)
        if (ch != '_')
            plain += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (const char* type : {"sgd", "adam", "adamw", "rmsprop"})
        if (plain == type) {
            c.optimizer->name = type;
            return;
        }
    if (c.compile)
        c.optimizer->name = c.compile->optimizer.type;
}

/// The statistics read from the weights complete the architecture read from the config.
void attachNormalization(LoadedCheckpoint& c)
{
    if (c.spec && c.spec->normalization && c.normalization)
        c.spec->normalization = c.normalization;
}

} // namespace

std::string_view formatName(CheckpointFormat f)
{
    switch (f) {
    case CheckpointFormat::WeightsH5: return "weights.h5";
    case CheckpointFormat::Keras: return "keras";
    case CheckpointFormat::LegacyH5: return "h5";
    }
    return "?";
}

std::optional<CheckpointFormat> formatForPath(const std::string& path)
{
    if (endsWith(path, ".weights.h5"))
        return CheckpointFormat::WeightsH5;
    if (endsWith(path, ".keras"))
        return CheckpointFormat::Keras;
    if (endsWith(path, ".h5"))
        return CheckpointFormat::LegacyH5;
    return std::nullopt;
}

namespace {

/// The file's bytes into scratch.bytes.
void buildFile(const std::string& path, CheckpointFormat format, const Model& model, const SaveOptions& options,
               SaveScratch& scratch)
{
    fillContent(scratch.content, model, format, options);
    switch (format) {
    case CheckpointFormat::WeightsH5: weightsH5Image(scratch.content, path, scratch); break;
    case CheckpointFormat::Keras: scratch.bytes = kerasArchiveBytes(scratch.content, path); break;
    case CheckpointFormat::LegacyH5: legacyH5Image(scratch.content, path, scratch); break;
    }
}

} // namespace

std::int64_t saveCheckpoint(const std::filesystem::path& path, const Model& model, const SaveOptions& options)
{
    SaveScratch scratch;
    return saveCheckpoint(path, model, options, scratch);
}

std::int64_t saveCheckpoint(const std::filesystem::path& path, const Model& model, const SaveOptions& options,
                            SaveScratch& scratch)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw DirectoryPathError(path.string());
    const auto format = formatForPath(path.string());
    if (!format)
        throw IoError(path.string(), "unsupported checkpoint suffix (expected .weights.h5, .keras or .h5)");
    buildFile(path.string(), *format, model, options, scratch);
    const std::int64_t size = writeBytesAtomically(path, scratch.bytes.data(), scratch.bytes.size());
    scratch.trim();
    return size;
}

std::int64_t warmUpCheckpointWriter(const std::string& path, const Model& model, const SaveOptions& options)
{
    SaveScratch scratch;
    return warmUpCheckpointWriter(path, model, options, scratch);
}

std::int64_t warmUpCheckpointWriter(const std::string& path, const Model& model, const SaveOptions& options,
                                    SaveScratch& scratch)
{
    const auto format = formatForPath(path);
    if (!format)
        return 0;
    buildFile(path, *format, model, options, scratch);
    const auto size = static_cast<std::int64_t>(scratch.bytes.size());
    scratch.trim();
    return size;
}

namespace {

LoadedCheckpoint readCheckpointFile(const std::filesystem::path& path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw IoError(path.string(), "is a directory, not a checkpoint file");
    LoadedCheckpoint out;
    out.file = path;
    const h5::ReadBudget budget; // all datasets of this file together (a .keras: its weights)
    const std::string head = leadingBytes(path);
    if (head.rfind("PK\x03\x04", 0) == 0) {
        out.format = CheckpointFormat::Keras;
        readKerasArchive(path, out);
        useOurOptimizerName(out);
        attachNormalization(out);
        return out;
    }
    if (head != std::string("\x89HDF\r\n\x1a\n", 8))
        throw IoError(path.string(), "not a checkpoint file: neither HDF5 (.weights.h5, .h5) nor a zip archive (.keras)");
    withHdf5File(path, [&](std::int64_t file) {
        // Keras 2 full models have /model_weights; its save_weights() files list layer_names at the root.
        if (h5::exists(file, "model_weights") || h5::hasAttr(file, "layer_names")) {
            out.format = CheckpointFormat::LegacyH5;
            readLegacyLayout(file, out);
        } else {
            out.format = CheckpointFormat::WeightsH5;
            readWeightsLayout(file, out, std::nullopt);
        }
    });
    useOurOptimizerName(out);
    attachNormalization(out);
    return out;
}

} // namespace

LoadedCheckpoint readCheckpoint(const std::filesystem::path& path)
{
    // Every load of a checkpoint comes here (Evaluate, inspect, predict, resume, from_file):
    // not a bare "std::bad_alloc" (core/base/OutOfMemory.h).
    try {
        return readCheckpointFile(path);
    } catch (const std::bad_alloc&) {
        throw IoError(path.string(), std::string(OutOfMemoryError("reading it").what()));
    }
}

void loadIntoModel(const LoadedCheckpoint& checkpoint, Model& model, bool withOptimizer)
{
    const ModelSpec& spec = model.network().spec();
    const std::vector<VariableSlot> slots = variableSlots(spec);
    std::vector<std::string> problems;
    std::vector<std::size_t> source(slots.size(), 0); // checkpoint index per model variable

    if (checkpoint.format == CheckpointFormat::LegacyH5) {
        // Keras 2 loading is positional: the i-th weight of the file goes to the i-th variable.
        if (checkpoint.variables.size() != slots.size())
            problems.push_back("model_weights: expected " + std::to_string(slots.size()) + " weights, file has "
                               + std::to_string(checkpoint.variables.size()));
        for (std::size_t i = 0; i < slots.size(); ++i)
            source[i] = i;
    } else {
        std::map<std::string, std::size_t> byPath;
        for (std::size_t j = 0; j < checkpoint.variablePaths.size(); ++j)
            byPath[checkpoint.variablePaths[j]] = j;
        for (std::size_t i = 0; i < slots.size(); ++i) {
            auto it = byPath.find(slots[i].path());
            if (it == byPath.end()) {
                problems.push_back(slots[i].path() + ": missing in the file (expected shape "
                                   + dimsText(toInt64(fileShape(slots[i]))) + ")");
                continue;
            }
            source[i] = it->second;
            byPath.erase(it);
        }
        for (const auto& [path, j] : byPath)
            problems.push_back(path + ": not a variable of the model");
    }
    if (problems.empty()) {
        for (std::size_t i = 0; i < slots.size(); ++i) {
            const std::vector<std::int64_t> expected = toInt64(fileShape(slots[i]));
            const std::vector<std::int64_t> actual = shapeInFile(checkpoint, source[i]);
            if (actual != expected) {
                const std::string where = source[i] < checkpoint.variablePaths.size() ? checkpoint.variablePaths[source[i]]
                                                                                       : slots[i].path();
                problems.push_back(where + ": expected shape " + dimsText(expected) + ", file has " + dimsText(actual));
            }
        }
    }
    const std::string prefix = checkpoint.file.empty() ? std::string() : checkpoint.file.string() + ": ";
    const bool modelNormalizes = spec.normalization.has_value();
    if (checkpoint.normalization && !modelNormalizes)
        problems.push_back(std::string("layers/") + kNormalizationKey
                           + ": the file standardises its inputs (a Keras Normalization layer), the model does not "
                             "(set data.standardize, or load the file with its own architecture)");
    if (checkpoint.normalization && modelNormalizes && checkpoint.normalization->mean.size() != std::size_t(spec.inputDim))
        problems.push_back(std::string("layers/") + kNormalizationKey + ": expected " + std::to_string(spec.inputDim)
                           + " features, file has " + std::to_string(checkpoint.normalization->mean.size()));
    if (!problems.empty()) {
        for (auto& p : problems)
            p = prefix + p;
        throw ConfigError(problems);
    }
    if (withOptimizer && checkpoint.optimizer) {
        try {
            model.optimizer().setState(*checkpoint.optimizer);
        } catch (const ConfigError& e) {
            std::vector<std::string> lines;
            for (const auto& p : e.problems())
                lines.push_back(prefix + "optimizer/vars: " + p);
            throw ConfigError(lines);
        }
    }
    if (checkpoint.normalization) {
        try {
            model.network().setNormalization(*checkpoint.normalization);
        } catch (const ConfigError& e) {
            std::vector<std::string> lines;
            for (const auto& p : e.problems())
                lines.push_back(prefix + std::string("layers/") + kNormalizationKey + ": " + p);
            throw ConfigError(lines);
        }
    }
    std::vector<Matrix*> variables = model.network().variables();
    for (std::size_t i = 0; i < slots.size(); ++i)
        *variables[i] = checkpoint.variables[source[i]];
}

} // namespace cklab
