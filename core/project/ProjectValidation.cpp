#include "core/project/ProjectValidation.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include <fmt/format.h>

#include "core/checkpoint/BackupAndRestore.h"
#include "core/checkpoint/PathGuard.h"
#include "core/checkpoint/PathOverlap.h"
#include "core/nn/LayerShapes.h"
#include "core/nn/ModelInput.h"
#include "core/project/MemoryEstimate.h"
#include "core/train/EarlyStopping.h"

namespace cklab {

namespace {

bool isPositiveIntegerText(const std::string& text)
{
    if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
        return false;
    return std::stoi(text) > 0;
}

/// "-3" -> -3 (unquoted, as it came from a JSON integer), "hourly" -> "\"hourly\"".
std::string saveFreqRepr(const std::string& text)
{
    const bool integer = !text.empty() && text.find_first_not_of("-0123456789") == std::string::npos;
    return integer ? text : "\"" + text + "\"";
}

bool startsWithKey(const std::string& message)
{
    // "key: ...", "a.b[1].c: ...": an identifier path followed by ": ".
    const auto colon = message.find(": ");
    if (colon == std::string::npos || colon == 0)
        return false;
    return std::all_of(message.begin(), message.begin() + static_cast<long>(colon), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '[' || ch == ']';
    });
}

std::string joinKeys(const std::vector<std::string>& keys)
{
    std::string out;
    for (const auto& k : keys)
        out += (out.empty() ? "" : ", ") + k;
    return out;
}

bool contains(const std::vector<std::string>& keys, const std::string& key)
{
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

/// The field of a CheckpointConfig a Keras-text message is about (they carry no key).
std::string checkpointField(const std::string& message)
{
    if (message.find("save_freq") != std::string::npos)
        return "save_freq";
    if (message.find("max_to_keep") != std::string::npos)
        return "max_to_keep";
    if (message.find("filepath") != std::string::npos)
        return "filepath";
    if (message.find("monitor") != std::string::npos)
        return "monitor";
    if (message.find("mode") != std::string::npos)
        return "mode";
    return {};
}

} // namespace

std::string withPath(const std::string& path, const std::string& message)
{
    if (path.empty() || message.rfind(path + ".", 0) == 0 || message.rfind(path + ":", 0) == 0 ||
        message.rfind(path + "[", 0) == 0)
        return message;
    if (startsWithKey(message))
        return path + "." + message;
    return path + ": " + message;
}

bool hasValidationData(const DataConfig& data)
{
    return data.validationSplit > 0.0 || !data.validationPath.empty() || data.source == "fashion_mnist" ||
           data.numpyArchiveValidation();
}

std::vector<std::string> batchLogKeys(const Project& project)
{
    std::vector<std::string> keys{"loss"};
    for (const auto& m : project.training.compile.metrics)
        keys.push_back(m);
    return keys;
}

std::vector<std::string> epochLogKeys(const Project& project)
{
    std::vector<std::string> keys = batchLogKeys(project);
    if (hasValidationData(project.data)) {
        const std::size_t n = keys.size();
        for (std::size_t i = 0; i < n; ++i)
            keys.push_back("val_" + keys[i]);
    }
    return keys;
}

std::vector<std::string> validateCheckpoint(const CheckpointConfig& c, const std::string& path,
                                            const std::vector<std::string>& epochKeys,
                                            const std::vector<std::string>& batchKeys,
                                            const std::string& whyNoValidation)
{
    std::vector<std::string> out;
    const auto at = [&](const std::string& key) { return path.empty() ? key : path + "." + key; };
    const bool saveFreqOk = c.saveFreq == "epoch" || c.saveFreq == "batch" || isPositiveIntegerText(c.saveFreq);
    if (!saveFreqOk)
        out.push_back(at("save_freq") + ": must be \"epoch\", \"batch\" or a positive integer, got " +
                      saveFreqRepr(c.saveFreq));
    if (c.verbose < 0)
        out.push_back(at("verbose") + ": must be 0 or more, got " + std::to_string(c.verbose));
    for (const auto& message : c.validate()) {
        const std::string field = checkpointField(message);
        if (field == "save_freq" && !saveFreqOk)
            continue; // reported above with the project's wording
        out.push_back(startsWithKey(message) ? withPath(path, message)
                                             : (field.empty() ? withPath(path, message) : at(field) + ": " + message));
    }
    if (epochKeys.empty() || !saveFreqOk)
        return out;
    // The rule itself lives in CheckpointConfig::checkKeys; here it gets the JSON path and,
    // for val_* keys, the reason they are missing.
    for (std::string message : c.checkKeys(epochKeys, batchKeys)) {
        const auto space = message.find(' ');
        const std::string field = message.substr(0, space);
        if (!whyNoValidation.empty() && message.find("val_") != std::string::npos)
            message += "; " + whyNoValidation;
        if (field == "filepath" || field == "monitor")
            out.push_back(at(field) + ": " + message.substr(space + 1));
        else
            out.push_back(withPath(path, message));
    }
    return out;
}

std::vector<std::string> validateProject(const Project& p)
{
    std::vector<std::string> out;
    const auto add = [&](const std::string& path, const std::vector<std::string>& messages) {
        for (const auto& m : messages)
            out.push_back(withPath(path, m));
    };

    // input_dim 0 means "from the data"; ModelSpec alone requires a positive width.
    ModelSpec model = p.model;
    if (model.inputDim < 0)
        out.push_back("model.input_dim: must be 0 (taken from the data) or a positive integer, got " +
                      std::to_string(model.inputDim));
    if (model.inputDim <= 0 && model.inputShape.empty() && needsShapedInput(model)) {
        // An image model takes its input shape from the data (core/nn/ModelInput). When the source
        // fixes it, check the shapes now; otherwise each layer's own settings now and the shapes
        // when the run has read the data (ProjectRun builds the model only then).
        model.inputShape = p.data.knownSampleShape();
        if (!model.inputShape.empty()) {
            model.inputDim = static_cast<int>(shapeSize(model.inputShape));
            add("model", model.validate());
        } else {
            std::vector<std::string> problems;
            for (std::size_t i = 0; i < model.layers.size(); ++i)
                checkLayerSettings(model.layers[i], i, problems);
            model.checkLayerNames(problems);
            add("model", problems);
        }
    } else {
        // input_dim 0 with an input_shape: the shape's size, as the run takes it (ModelInput).
        if (model.inputDim <= 0)
            model.inputDim = model.inputShape.empty() ? 1 : static_cast<int>(shapeSize(model.inputShape));
        add("model", model.validate());
    }
    add("", p.data.validate());

    const auto& t = p.training;
    if (t.epochs <= 0)
        out.push_back("training.epochs: must be a positive integer, got " + std::to_string(t.epochs));
    // CompileConfig names its fields "compile.metrics[i]"; in the file they live in "training".
    for (std::string m : t.compile.validate()) {
        if (m.rfind("compile.", 0) == 0)
            m.erase(0, std::strlen("compile."));
        out.push_back(withPath("training", m));
    }

    const auto epochKeys = epochLogKeys(p);
    const auto batchKeys = batchLogKeys(p);
    const std::string whyNoValidation =
        hasValidationData(p.data) ? "" : "this run has no validation data (set data.validation_split or data.validation_path)";

    if (t.earlyStopping.enabled) {
        const auto& e = t.earlyStopping;
        // The rule is EarlyStopping's; its Keras-style texts get the JSON path of their field.
        for (const auto& m : EarlyStopping::validate(e)) {
            std::string field = "monitor";
            for (const char* f : {"patience", "start_from_epoch", "min_delta", "baseline"})
                if (m.find(f) != std::string::npos)
                    field = f;
            out.push_back("training.early_stopping." + field + ": " + m);
        }
        if (!contains(epochKeys, e.monitor))
            out.push_back(fmt::format("training.early_stopping.monitor: '{}' is not in this run's epoch-level logs "
                                      "(available: {}){}",
                                      e.monitor, joinKeys(epochKeys),
                                      e.monitor.rfind("val_", 0) == 0 && !whyNoValidation.empty()
                                          ? "; " + whyNoValidation : ""));
    }
    if (t.csvLogger.enabled) {
        if (auto problem = runFilePathProblem("training.csv_logger.filename", t.csvLogger.filename))
            out.push_back(*problem);
        if (t.csvLogger.separator.empty())
            out.push_back("training.csv_logger.separator: must not be empty");
    }
    if (t.backup.enabled) {
        for (const auto& m : BackupAndRestore::validate(t.backup.backupDir, t.backup.saveFreq))
            out.push_back(std::string("training.backup.") +
                          (m.find("save_freq") != std::string::npos ? "save_freq: " : "backup_dir: ") + m);
        if (!t.backup.backupDir.empty())
            if (auto problem = runFilePathProblem("training.backup.backup_dir", t.backup.backupDir))
                out.push_back(*problem);
    }

    for (std::size_t i = 0; i < p.checkpoints.size(); ++i) {
        const std::string path = "checkpoints[" + std::to_string(i) + "]";
        const auto& c = p.checkpoints[i];
        const auto problems = validateCheckpoint(c, path, epochKeys, batchKeys, whyNoValidation);
        out.insert(out.end(), problems.begin(), problems.end());
        for (std::size_t k = 0; k < i; ++k)
            if (p.checkpoints[k].name == c.name)
                out.push_back(fmt::format("{}.name: \"{}\" is already the name of checkpoints[{}]; names must be unique",
                                          path, c.name, k));
    }
    // Before anything is allocated: the GUI's live validation and the CLI show this same text.
    const MemoryEstimate memory = estimateProjectMemory(p);
    if (const auto problem = memoryProblem(memory, memoryLimit()))
        out.push_back(*problem);
    const auto clashes = writerClashes(p);
    out.insert(out.end(), clashes.begin(), clashes.end());
    return out;
}

std::vector<std::string> writerClashes(const Project& p)
{
    // Two writers of one file lose checkpoints silently: one policy's max_to_keep deletes the
    // other's, a CSV log overwrites a checkpoint, the backup folder is deleted at the end.
    std::vector<std::string> out;
    const auto& cps = p.checkpoints;
    const TrainingConfig& t = p.training;
    for (std::size_t i = 0; i < cps.size(); ++i) {
        for (std::size_t k = 0; k < i; ++k)
            if (templatesCanCollide(cps[k].filepath, cps[i].filepath))
                out.push_back(fmt::format("checkpoints[{}].filepath: '{}' can name the same file as checkpoints[{}].filepath "
                                          "'{}': one policy would replace or delete the other's checkpoints; give them "
                                          "different names or folders",
                                          i, cps[i].filepath, k, cps[k].filepath));
        if (t.csvLogger.enabled && templatesCanCollide(cps[i].filepath, t.csvLogger.filename))
            out.push_back(fmt::format("training.csv_logger.filename: '{}' can be a checkpoint of checkpoints[{}] ('{}'): "
                                      "the log would overwrite it; choose another name",
                                      t.csvLogger.filename, i, cps[i].filepath));
        if (t.backup.enabled && !t.backup.backupDir.empty() && templateCanWriteInside(cps[i].filepath, t.backup.backupDir))
            out.push_back(fmt::format("training.backup.backup_dir: checkpoints[{}].filepath '{}' can write into the backup "
                                      "folder '{}', which the run deletes at its end; use another folder",
                                      i, cps[i].filepath, t.backup.backupDir));
    }
    if (t.csvLogger.enabled && t.backup.enabled && !t.backup.backupDir.empty()
        && templateCanWriteInside(t.csvLogger.filename, t.backup.backupDir))
        out.push_back(fmt::format("training.csv_logger.filename: '{}' is inside the backup folder '{}', which the run "
                                  "deletes at its end; use another name",
                                  t.csvLogger.filename, t.backup.backupDir));
    return out;
}

} // namespace cklab
