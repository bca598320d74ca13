#include "core/project/ProjectJson.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/base/Errors.h"
#include "core/base/JsonText.h"
#include "core/io/AtomicFile.h"
#include "core/loss/Loss.h"
#include "core/optim/OptimizerKind.h"
#include "core/project/JsonFields.h"
#include "core/project/JsonReader.h"
#include "core/project/LayerJson.h"
#include "core/project/ProjectValidation.h"

namespace cklab {

using nlohmann::json;

namespace {

const std::vector<std::string> kTopKeys{"format_version", "name", "model", "data", "training", "checkpoints", "output_dir"};
const std::vector<std::string> kModelKeys{"name", "input_dim", "input_shape", "layers", "from_file"};
const std::vector<std::string> kOptimizerTypes = optimizerKindNames();

/// save_freq: "epoch"/"batch" stay text, integers become their decimal text; other types are reported.
void readSaveFreq(JsonReader& r, const json& value, const std::string& path, std::string& out)
{
    if (value.is_string())
        out = value.get<std::string>();
    else if (value.is_number_integer())
        out = value.dump();
    else
        r.problem(path, "must be \"epoch\", \"batch\" or a positive integer, got " + JsonReader::repr(value));
}

json saveFreqToJson(const std::string& text)
{
    if (!text.empty() && text.find_first_not_of("-0123456789") == std::string::npos && text.size() < 18)
        return std::stoll(text);
    return text;
}

ModelSpec modelFromJson(JsonReader& r, const json& j)
{
    ModelSpec model;
    if (!r.expectObject(j, "model"))
        return model;
    r.checkKeys(j, "model", kModelKeys);
    r.readString(j, "model", "name", model.name);
    r.readInt(j, "model", "input_dim", model.inputDim);
    readShape(r, j, "model", "input_shape", model.inputShape);
    if (!model.inputShape.empty() && !j.contains("input_dim")) {
        long long size = 1;
        for (int d : model.inputShape)
            size = size > (1LL << 31) ? size : size * (d > 0 ? d : 0); // stays far from overflow
        model.inputDim = size <= (1LL << 31) - 1 ? static_cast<int>(size) : 0;
    }
    r.readString(j, "model", "from_file", model.fromFile);
    const auto it = j.find("layers");
    if (it == j.end()) {
        if (model.fromFile.empty()) // with from_file the layers may come from the file
            r.problem("model.layers", "missing; must be a list of layers");
    } else if (!it->is_array()) {
        r.problem("model.layers", "must be a list, got " + JsonReader::repr(*it));
    } else {
        for (std::size_t i = 0; i < it->size(); ++i)
            model.layers.push_back(layerFromJson(r, (*it)[i], "model.layers[" + std::to_string(i) + "]"));
    }
    return model;
}

// ---- field tables: one line per key, for reading, writing and the list of known keys --------

const JsonFields<DataConfig> kDataFields{
    {"source", &DataConfig::source},
    {"generator", &DataConfig::generator},
    {"samples", &DataConfig::samples},
    {"features", &DataConfig::features},
    {"classes", &DataConfig::classes},
    {"noise", &DataConfig::noise},
    {"path", &DataConfig::path},
    {"labels_path", &DataConfig::labelsPath},
    {"label_column", JsonField<DataConfig>::Custom{
                         [](JsonReader& r, const json& value, const std::string& path, DataConfig& d) {
                             if (value.is_string())
                                 d.labelColumn = value.get<std::string>();
                             else if (value.is_number_integer() && value.get<long long>() >= 0)
                                 d.labelColumn = value.dump();
                             else
                                 r.problem(path, "must be a column name or a 0-based column index, got " + JsonReader::repr(value));
                         },
                         [](const DataConfig& d) { return json(d.labelColumn); }}},
    {"x_dataset", &DataConfig::xDataset},
    {"y_dataset", &DataConfig::yDataset},
    {"validation_path", &DataConfig::validationPath},
    {"validation_labels_path", &DataConfig::validationLabelsPath},
    {"x_key", &DataConfig::xKey},
    {"y_key", &DataConfig::yKey},
    {"validation_x_key", &DataConfig::validationXKey},
    {"validation_y_key", &DataConfig::validationYKey},
    {"limit", &DataConfig::limit},
    {"scale", &DataConfig::scale},
    {"validation_split", &DataConfig::validationSplit},
    {"batch_size", JsonField<DataConfig>::Custom{
                       [](JsonReader& r, const json& value, const std::string& path, DataConfig& d) {
                           if (value.is_string() && value.get<std::string>() == "full")
                               d.batchSize = 0;
                           else if (value.is_number_integer() && value.get<long long>() > 0 && value.get<long long>() < (1LL << 31))
                               d.batchSize = value.get<int>();
                           else
                               r.problem(path, "must be \"full\" or a positive integer, got " + JsonReader::repr(value));
                       },
                       [](const DataConfig& d) { return d.batchSize == 0 ? json("full") : json(d.batchSize); }}},
    {"shuffle", &DataConfig::shuffle},
    {"standardize", &DataConfig::standardize},
};

// "type" is read first, on its own: the chosen type's Keras defaults come before these fields.
const JsonFields<OptimizerConfig> kOptimizerFields{
    {"learning_rate", &OptimizerConfig::learningRate},
    {"beta_1", &OptimizerConfig::beta1},
    {"beta_2", &OptimizerConfig::beta2},
    {"epsilon", &OptimizerConfig::epsilon},
    {"momentum", &OptimizerConfig::momentum},
    {"nesterov", &OptimizerConfig::nesterov},
    {"rho", &OptimizerConfig::rho},
    {"weight_decay", &OptimizerConfig::weightDecay},
};

const JsonFields<EarlyStoppingConfig> kEarlyStoppingFields{
    {"enabled", &EarlyStoppingConfig::enabled},
    {"monitor", &EarlyStoppingConfig::monitor},
    {"min_delta", &EarlyStoppingConfig::minDelta},
    {"patience", &EarlyStoppingConfig::patience},
    {"verbose", &EarlyStoppingConfig::verbose},
    {"mode", &EarlyStoppingConfig::mode},
    {"baseline", &EarlyStoppingConfig::baseline},
    {"restore_best_weights", &EarlyStoppingConfig::restoreBestWeights},
    {"start_from_epoch", &EarlyStoppingConfig::startFromEpoch},
};

const JsonFields<CsvLoggerConfig> kCsvLoggerFields{
    {"enabled", &CsvLoggerConfig::enabled},
    {"filename", &CsvLoggerConfig::filename},
    {"separator", &CsvLoggerConfig::separator},
    {"append", &CsvLoggerConfig::append},
};

template <class T, std::string T::*member>
constexpr typename JsonField<T>::Custom kSaveFreq{
    [](JsonReader& r, const json& value, const std::string& path, T& out) { readSaveFreq(r, value, path, out.*member); },
    [](const T& in) { return saveFreqToJson(in.*member); }};

const JsonFields<BackupConfig> kBackupFields{
    {"enabled", &BackupConfig::enabled},
    {"backup_dir", &BackupConfig::backupDir},
    {"save_freq", kSaveFreq<BackupConfig, &BackupConfig::saveFreq>},
    {"delete_checkpoint", &BackupConfig::deleteCheckpoint},
};

const JsonFields<CheckpointConfig> kCheckpointFields{
    {"name", &CheckpointConfig::name},
    {"filepath", &CheckpointConfig::filepath},
    {"monitor", &CheckpointConfig::monitor},
    {"mode", &CheckpointConfig::mode},
    {"save_best_only", &CheckpointConfig::saveBestOnly},
    {"save_weights_only", &CheckpointConfig::saveWeightsOnly},
    {"save_freq", kSaveFreq<CheckpointConfig, &CheckpointConfig::saveFreq>},
    {"initial_value_threshold", &CheckpointConfig::initialValueThreshold},
    {"verbose", &CheckpointConfig::verbose},
    {"max_to_keep", &CheckpointConfig::maxToKeep},
    {"save_last", &CheckpointConfig::saveLast},
    {"include_optimizer", &CheckpointConfig::includeOptimizer},
    {"continue_on_error", &CheckpointConfig::continueOnError},
};

std::vector<std::string> optimizerKeys()
{
    auto keys = fieldKeys(kOptimizerFields);
    keys.insert(keys.begin(), "type");
    return keys;
}

OptimizerConfig optimizerFromJson(JsonReader& r, const json& j, const std::string& p)
{
    if (!r.expectObject(j, p))
        return {};
    r.checkKeys(j, p, optimizerKeys());
    std::string type = OptimizerConfig{}.type;
    r.readChoice(j, p, "type", kOptimizerTypes, type);
    // Keras' defaults of the chosen type first, then whatever the file sets.
    OptimizerConfig o = OptimizerConfig::defaultsFor(type);
    readFields(r, j, p, kOptimizerFields, o);
    return o;
}

json optimizerToJson(const OptimizerConfig& o)
{
    json out = writeFields(kOptimizerFields, o);
    out["type"] = o.type;
    return out;
}

const JsonFields<TrainingConfig> kTrainingFields{
    {"epochs", &TrainingConfig::epochs},
    {"seed", &TrainingConfig::seed},
    {"loss", JsonField<TrainingConfig>::Custom{
                 [](JsonReader& r, const json& value, const std::string& path, TrainingConfig& t) {
                     std::string loss{lossName(t.compile.loss)};
                     r.readChoiceValue(value, path, lossNames(), loss);
                     t.compile.loss = lossFromName(loss).value_or(t.compile.loss);
                 },
                 [](const TrainingConfig& t) { return json(std::string(lossName(t.compile.loss))); }}},
    {"metrics", JsonField<TrainingConfig>::Custom{
                    [](JsonReader& r, const json& value, const std::string& path, TrainingConfig& t) {
                        if (!value.is_array()) {
                            r.problem(path, "must be a list of metric names, got " + JsonReader::repr(value));
                            return;
                        }
                        // Names are checked by CompileConfig::validate (one rule, one place).
                        t.compile.metrics.clear();
                        for (std::size_t i = 0; i < value.size(); ++i) {
                            if (value[i].is_string())
                                t.compile.metrics.push_back(value[i].get<std::string>());
                            else
                                r.problem(path + "[" + std::to_string(i) + "]",
                                          "must be a metric name (string), got " + JsonReader::repr(value[i]));
                        }
                    },
                    [](const TrainingConfig& t) { return json(t.compile.metrics); }}},
    {"optimizer", JsonField<TrainingConfig>::Custom{
                      [](JsonReader& r, const json& value, const std::string& path, TrainingConfig& t) {
                          t.compile.optimizer = optimizerFromJson(r, value, path);
                      },
                      [](const TrainingConfig& t) { return optimizerToJson(t.compile.optimizer); }}},
    {"terminate_on_nan", &TrainingConfig::terminateOnNaN},
    {"early_stopping", JsonField<TrainingConfig>::Custom{
                           [](JsonReader& r, const json& value, const std::string& path, TrainingConfig& t) {
                               readSection(r, value, path, kEarlyStoppingFields, t.earlyStopping);
                           },
                           [](const TrainingConfig& t) { return writeFields(kEarlyStoppingFields, t.earlyStopping); }}},
    {"csv_logger", JsonField<TrainingConfig>::Custom{
                       [](JsonReader& r, const json& value, const std::string& path, TrainingConfig& t) {
                           readSection(r, value, path, kCsvLoggerFields, t.csvLogger);
                       },
                       [](const TrainingConfig& t) { return writeFields(kCsvLoggerFields, t.csvLogger); }}},
    {"backup", JsonField<TrainingConfig>::Custom{
                   [](JsonReader& r, const json& value, const std::string& path, TrainingConfig& t) {
                       readSection(r, value, path, kBackupFields, t.backup);
                   },
                   [](const TrainingConfig& t) { return writeFields(kBackupFields, t.backup); }}},
};

CheckpointConfig checkpointFromReader(JsonReader& r, const json& j, const std::string& path)
{
    CheckpointConfig c;
    if (!r.expectObject(j, path.empty() ? std::string("policy") : path))
        return c;
    r.checkKeys(j, path, fieldKeys(kCheckpointFields));
    if (!j.contains("filepath"))
        r.problem(JsonReader::join(path, "filepath"), "missing; a file name template such as \"best.keras\" is required");
    readFields(r, j, path, kCheckpointFields, c);
    return c;
}

} // namespace

json checkpointToJson(const CheckpointConfig& c)
{
    return writeFields(kCheckpointFields, c);
}

CheckpointConfig checkpointFromJson(const json& j, const std::string& path, std::vector<std::string>& problems)
{
    JsonReader r;
    CheckpointConfig c = checkpointFromReader(r, j, path);
    problems.insert(problems.end(), r.problems().begin(), r.problems().end());
    return c;
}

std::vector<CheckpointConfig> checkpointsFromJson(const json& j, std::vector<std::string>& problems)
{
    std::vector<CheckpointConfig> out;
    if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i)
            out.push_back(checkpointFromJson(j[i], fmt::format("[{}]", i), problems));
    } else {
        out.push_back(checkpointFromJson(j, "", problems));
    }
    return out;
}

json projectToJson(const Project& p)
{
    json layers = json::array();
    for (const auto& l : p.model.layers)
        layers.push_back(layerToJson(l));
    json checkpoints = json::array();
    for (const auto& c : p.checkpoints)
        checkpoints.push_back(checkpointToJson(c));
    json out;
    out["format_version"] = Project::kFormatVersion;
    out["name"] = p.name;
    out["model"] = {{"name", p.model.name}, {"input_dim", p.model.inputDim}, {"layers", layers}};
    if (!p.model.inputShape.empty()) { // image projects: the shape, from which input_dim follows
        out["model"].erase("input_dim");
        out["model"]["input_shape"] = p.model.inputShape;
    }
    if (!p.model.fromFile.empty())
        out["model"]["from_file"] = p.model.fromFile;
    out["data"] = writeFields(kDataFields, p.data);
    out["training"] = writeFields(kTrainingFields, p.training);
    out["checkpoints"] = checkpoints;
    out["output_dir"] = p.outputDir;
    return out;
}

std::string projectToText(const Project& project)
{
    return projectToJson(project).dump(2) + "\n";
}

Project projectFromJson(const json& j, std::vector<std::string>& problems)
{
    JsonReader r;
    Project p;
    if (!j.is_object()) {
        problems.push_back("project: must be a JSON object, got " + JsonReader::repr(j));
        return p;
    }
    r.checkKeys(j, "", kTopKeys);
    if (const auto it = j.find("format_version"); it == j.end())
        r.problem("format_version", "missing; must be 1");
    else if (*it != json(Project::kFormatVersion))
        r.problem("format_version", "must be 1 (the only version this program reads), got " + JsonReader::repr(*it));
    r.readString(j, "", "name", p.name);
    if (const auto it = j.find("model"); it != j.end())
        p.model = modelFromJson(r, *it);
    else
        r.problem("model", "missing; must be an object with \"layers\"");
    if (const auto it = j.find("data"); it != j.end())
        readSection(r, *it, "data", kDataFields, p.data);
    if (const auto it = j.find("training"); it != j.end())
        readSection(r, *it, "training", kTrainingFields, p.training);
    if (const auto it = j.find("checkpoints"); it != j.end()) {
        if (!it->is_array())
            r.problem("checkpoints", "must be a list of policies, got " + JsonReader::repr(*it));
        else
            for (std::size_t i = 0; i < it->size(); ++i)
                p.checkpoints.push_back(checkpointFromReader(r, (*it)[i], "checkpoints[" + std::to_string(i) + "]"));
    }
    r.readString(j, "", "output_dir", p.outputDir);
    problems.insert(problems.end(), r.problems().begin(), r.problems().end());
    return p;
}

Project parseProject(const json& j)
{
    std::vector<std::string> problems;
    Project p = projectFromJson(j, problems);
    const auto semantic = validateProject(p);
    problems.insert(problems.end(), semantic.begin(), semantic.end());
    throwIfInvalid(problems);
    return p;
}

Project parseProjectText(const std::string& text, const std::string& origin)
{
    const json j = parseJsonText(text, origin);
    try {
        return parseProject(j);
    } catch (const ConfigError& e) {
        std::vector<std::string> problems;
        for (const auto& problem : e.problems())
            problems.push_back(origin + ": " + problem);
        throw ConfigError(problems);
    }
}

std::string readTextFile(const std::filesystem::path& path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw IoError(path.string(), "is a directory, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError(path.string(), std::strerror(errno));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad())
        throw IoError(path.string(), "read failed");
    return buffer.str();
}

Project loadProjectFile(const std::filesystem::path& path)
{
    return parseProjectText(readTextFile(path), path.string());
}

void saveProjectFile(const std::filesystem::path& path, const Project& project)
{
    // The atomic write of every checkpoint (temp, fsync, rename, fsync of the folder): a crash or
    // a full disk during a save leaves the previous project file as it was.
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw IoError(path.string(), "is a directory, not a file");
    const std::string text = projectToText(project);
    writeBytesAtomically(path, text.data(), text.size());
}

} // namespace cklab
