#include "core/project/ProjectJson.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/base/Errors.h"
#include "core/loss/Loss.h"
#include "core/project/JsonReader.h"
#include "core/project/ProjectValidation.h"

namespace cklab {

using nlohmann::json;

namespace {

const std::vector<std::string> kTopKeys{"format_version", "name", "model", "data", "training", "checkpoints", "output_dir"};
const std::vector<std::string> kModelKeys{"name", "input_dim", "layers"};
const std::vector<std::string> kDenseKeys{"type", "units", "activation", "use_bias", "name"};
const std::vector<std::string> kDropoutKeys{"type", "rate", "name"};
const std::vector<std::string> kDataKeys{"source", "generator", "samples", "features", "classes", "noise", "path",
                                         "label_column", "x_dataset", "y_dataset", "validation_path",
                                         "validation_split", "batch_size", "shuffle", "standardize"};
const std::vector<std::string> kTrainingKeys{"epochs", "seed", "loss", "metrics", "optimizer", "terminate_on_nan",
                                             "early_stopping", "csv_logger", "backup"};
const std::vector<std::string> kOptimizerKeys{"type", "learning_rate", "beta_1", "beta_2", "epsilon",
                                              "momentum", "nesterov", "rho", "weight_decay"};
const std::vector<std::string> kEarlyStoppingKeys{"enabled", "monitor", "min_delta", "patience", "verbose", "mode",
                                                  "baseline", "restore_best_weights", "start_from_epoch"};
const std::vector<std::string> kCsvLoggerKeys{"enabled", "filename", "separator", "append"};
const std::vector<std::string> kBackupKeys{"enabled", "backup_dir", "save_freq", "delete_checkpoint"};
const std::vector<std::string> kCheckpointKeys{"name", "filepath", "monitor", "mode", "save_best_only",
                                               "save_weights_only", "save_freq", "initial_value_threshold",
                                               "verbose", "max_to_keep", "save_last", "continue_on_error",
                                               "include_optimizer"};
const std::vector<std::string> kOptimizerTypes{"sgd", "adam", "adamw", "rmsprop"};

/// "epoch"/"batch" stay text, integers become their decimal text; other types are reported.
void readSaveFreq(JsonReader& r, const json& obj, const std::string& path, std::string& out)
{
    const auto it = obj.find("save_freq");
    if (it == obj.end())
        return;
    if (it->is_string())
        out = it->get<std::string>();
    else if (it->is_number_integer())
        out = it->dump();
    else
        r.problem(JsonReader::join(path, "save_freq"),
                  "must be \"epoch\", \"batch\" or a positive integer, got " + JsonReader::repr(*it));
}

json saveFreqToJson(const std::string& text)
{
    if (!text.empty() && text.find_first_not_of("-0123456789") == std::string::npos && text.size() < 18)
        return std::stoll(text);
    return text;
}

json optionalToJson(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

LayerSpec layerFromJson(JsonReader& r, const json& j, const std::string& path)
{
    LayerSpec layer;
    if (!r.expectObject(j, path))
        return layer;
    std::string type = "dense";
    if (!j.contains("type"))
        r.problem(JsonReader::join(path, "type"), "missing; must be \"dense\" or \"dropout\"");
    r.readChoice(j, path, "type", {"dense", "dropout"}, type);
    r.readString(j, path, "name", layer.name);
    // A key of the other layer type is a mistake of its own, not a typo.
    const auto& own = type == "dropout" ? kDropoutKeys : kDenseKeys;
    const auto& other = type == "dropout" ? kDenseKeys : kDropoutKeys;
    json unchecked = j;
    for (const auto& key : other) {
        if (j.contains(key) && std::find(own.begin(), own.end(), key) == own.end()) {
            r.problem(JsonReader::join(path, key), "not used by a " + type + " layer");
            unchecked.erase(key);
        }
    }
    if (type == "dropout") {
        layer.kind = LayerSpec::Kind::Dropout;
        r.checkKeys(unchecked, path, kDropoutKeys);
        r.readFloat(j, path, "rate", layer.rate);
        return layer;
    }
    r.checkKeys(unchecked, path, kDenseKeys);
    r.readInt(j, path, "units", layer.units);
    r.readBool(j, path, "use_bias", layer.useBias);
    std::string activation{activationName(layer.activation)};
    r.readChoice(j, path, "activation", activationNames(), activation);
    layer.activation = activationFromName(activation).value_or(Activation::Linear);
    return layer;
}

ModelSpec modelFromJson(JsonReader& r, const json& j)
{
    ModelSpec model;
    if (!r.expectObject(j, "model"))
        return model;
    r.checkKeys(j, "model", kModelKeys);
    r.readString(j, "model", "name", model.name);
    r.readInt(j, "model", "input_dim", model.inputDim);
    const auto it = j.find("layers");
    if (it == j.end())
        r.problem("model.layers", "missing; must be a list of layers");
    else if (!it->is_array())
        r.problem("model.layers", "must be a list, got " + JsonReader::repr(*it));
    else
        for (std::size_t i = 0; i < it->size(); ++i)
            model.layers.push_back(layerFromJson(r, (*it)[i], "model.layers[" + std::to_string(i) + "]"));
    return model;
}

DataConfig dataFromJson(JsonReader& r, const json& j)
{
    DataConfig d;
    const std::string p = "data";
    if (!r.expectObject(j, p))
        return d;
    r.checkKeys(j, p, kDataKeys);
    r.readString(j, p, "source", d.source);
    r.readString(j, p, "generator", d.generator);
    r.readInt(j, p, "samples", d.samples);
    r.readInt(j, p, "features", d.features);
    r.readInt(j, p, "classes", d.classes);
    r.readFloat(j, p, "noise", d.noise);
    r.readString(j, p, "path", d.path);
    if (const auto it = j.find("label_column"); it != j.end()) {
        if (it->is_string())
            d.labelColumn = it->get<std::string>();
        else if (it->is_number_integer() && it->get<long long>() >= 0)
            d.labelColumn = it->dump();
        else
            r.problem("data.label_column", "must be a column name or a 0-based column index, got " + JsonReader::repr(*it));
    }
    r.readString(j, p, "x_dataset", d.xDataset);
    r.readString(j, p, "y_dataset", d.yDataset);
    r.readString(j, p, "validation_path", d.validationPath);
    r.readDouble(j, p, "validation_split", d.validationSplit);
    if (const auto it = j.find("batch_size"); it != j.end()) {
        if (it->is_string() && it->get<std::string>() == "full")
            d.batchSize = 0;
        else if (it->is_number_integer() && it->get<long long>() > 0 && it->get<long long>() < (1LL << 31))
            d.batchSize = it->get<int>();
        else
            r.problem("data.batch_size", "must be \"full\" or a positive integer, got " + JsonReader::repr(*it));
    }
    r.readBool(j, p, "shuffle", d.shuffle);
    r.readBool(j, p, "standardize", d.standardize);
    return d;
}

OptimizerConfig optimizerFromJson(JsonReader& r, const json& j)
{
    const std::string p = "training.optimizer";
    if (!r.expectObject(j, p))
        return {};
    r.checkKeys(j, p, kOptimizerKeys);
    std::string type = OptimizerConfig{}.type;
    r.readChoice(j, p, "type", kOptimizerTypes, type);
    // Keras' defaults of the chosen type first, then whatever the file sets.
    OptimizerConfig o = OptimizerConfig::defaultsFor(type);
    r.readFloat(j, p, "learning_rate", o.learningRate);
    r.readFloat(j, p, "beta_1", o.beta1);
    r.readFloat(j, p, "beta_2", o.beta2);
    r.readFloat(j, p, "epsilon", o.epsilon);
    r.readFloat(j, p, "momentum", o.momentum);
    r.readBool(j, p, "nesterov", o.nesterov);
    r.readFloat(j, p, "rho", o.rho);
    r.readFloat(j, p, "weight_decay", o.weightDecay);
    return o;
}

void trainingFromJson(JsonReader& r, const json& j, TrainingConfig& t)
{
    const std::string p = "training";
    if (!r.expectObject(j, p))
        return;
    r.checkKeys(j, p, kTrainingKeys);
    r.readInt(j, p, "epochs", t.epochs);
    r.readU64(j, p, "seed", t.seed);
    std::string loss{lossName(t.compile.loss)};
    r.readChoice(j, p, "loss", lossNames(), loss);
    t.compile.loss = lossFromName(loss).value_or(t.compile.loss);
    if (const auto it = j.find("metrics"); it != j.end()) {
        if (!it->is_array()) {
            r.problem("training.metrics", "must be a list of metric names, got " + JsonReader::repr(*it));
        } else {
            // Names are checked by CompileConfig::validate (one rule, one place).
            t.compile.metrics.clear();
            for (std::size_t i = 0; i < it->size(); ++i) {
                if ((*it)[i].is_string())
                    t.compile.metrics.push_back((*it)[i].get<std::string>());
                else
                    r.problem("training.metrics[" + std::to_string(i) + "]",
                              "must be a metric name (string), got " + JsonReader::repr((*it)[i]));
            }
        }
    }
    if (const auto it = j.find("optimizer"); it != j.end())
        t.compile.optimizer = optimizerFromJson(r, *it);
    r.readBool(j, p, "terminate_on_nan", t.terminateOnNaN);

    if (const auto it = j.find("early_stopping"); it != j.end() && r.expectObject(*it, "training.early_stopping")) {
        const std::string q = "training.early_stopping";
        auto& e = t.earlyStopping;
        r.checkKeys(*it, q, kEarlyStoppingKeys);
        r.readBool(*it, q, "enabled", e.enabled);
        r.readString(*it, q, "monitor", e.monitor);
        r.readDouble(*it, q, "min_delta", e.minDelta);
        r.readInt(*it, q, "patience", e.patience);
        r.readInt(*it, q, "verbose", e.verbose);
        r.readString(*it, q, "mode", e.mode);
        r.readOptionalDouble(*it, q, "baseline", e.baseline);
        r.readBool(*it, q, "restore_best_weights", e.restoreBestWeights);
        r.readInt(*it, q, "start_from_epoch", e.startFromEpoch);
    }
    if (const auto it = j.find("csv_logger"); it != j.end() && r.expectObject(*it, "training.csv_logger")) {
        const std::string q = "training.csv_logger";
        r.checkKeys(*it, q, kCsvLoggerKeys);
        r.readBool(*it, q, "enabled", t.csvLogger.enabled);
        r.readString(*it, q, "filename", t.csvLogger.filename);
        r.readString(*it, q, "separator", t.csvLogger.separator);
        r.readBool(*it, q, "append", t.csvLogger.append);
    }
    if (const auto it = j.find("backup"); it != j.end() && r.expectObject(*it, "training.backup")) {
        const std::string q = "training.backup";
        r.checkKeys(*it, q, kBackupKeys);
        r.readBool(*it, q, "enabled", t.backup.enabled);
        r.readString(*it, q, "backup_dir", t.backup.backupDir);
        readSaveFreq(r, *it, q, t.backup.saveFreq);
        r.readBool(*it, q, "delete_checkpoint", t.backup.deleteCheckpoint);
    }
}

CheckpointConfig checkpointFromReader(JsonReader& r, const json& j, const std::string& path)
{
    CheckpointConfig c;
    if (!r.expectObject(j, path.empty() ? std::string("policy") : path))
        return c;
    r.checkKeys(j, path, kCheckpointKeys);
    if (!j.contains("filepath"))
        r.problem(JsonReader::join(path, "filepath"), "missing; a file name template such as \"best.keras\" is required");
    r.readString(j, path, "name", c.name);
    r.readString(j, path, "filepath", c.filepath);
    r.readString(j, path, "monitor", c.monitor);
    r.readString(j, path, "mode", c.mode);
    r.readBool(j, path, "save_best_only", c.saveBestOnly);
    r.readBool(j, path, "save_weights_only", c.saveWeightsOnly);
    readSaveFreq(r, j, path, c.saveFreq);
    r.readOptionalDouble(j, path, "initial_value_threshold", c.initialValueThreshold);
    r.readInt(j, path, "verbose", c.verbose);
    r.readOptionalInt(j, path, "max_to_keep", c.maxToKeep);
    r.readBool(j, path, "save_last", c.saveLast);
    r.readBool(j, path, "include_optimizer", c.includeOptimizer);
    r.readBool(j, path, "continue_on_error", c.continueOnError);
    return c;
}

std::string lineColumn(const std::string& text, std::size_t byte)
{
    // nlohmann reports the byte after the offending character; point at the character itself.
    const std::size_t end = std::min(byte > 0 ? byte - 1 : 0, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

} // namespace

json checkpointToJson(const CheckpointConfig& c)
{
    return json{{"name", c.name},
                {"filepath", c.filepath},
                {"monitor", c.monitor},
                {"mode", c.mode},
                {"save_best_only", c.saveBestOnly},
                {"save_weights_only", c.saveWeightsOnly},
                {"save_freq", saveFreqToJson(c.saveFreq)},
                {"initial_value_threshold", optionalToJson(c.initialValueThreshold)},
                {"verbose", c.verbose},
                {"max_to_keep", c.maxToKeep ? json(*c.maxToKeep) : json(nullptr)},
                {"save_last", c.saveLast},
                {"include_optimizer", c.includeOptimizer},
                {"continue_on_error", c.continueOnError}};
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
    for (const auto& l : p.model.layers) {
        json layer;
        if (l.kind == LayerSpec::Kind::Dropout) {
            layer = {{"type", "dropout"}, {"rate", floatToJson(l.rate)}};
        } else {
            layer = {{"type", "dense"},
                     {"units", l.units},
                     {"activation", std::string(activationName(l.activation))},
                     {"use_bias", l.useBias}};
        }
        if (!l.name.empty())
            layer["name"] = l.name;
        layers.push_back(layer);
    }
    const auto& d = p.data;
    const auto& t = p.training;
    const auto& o = t.compile.optimizer;
    const auto& e = t.earlyStopping;
    json checkpoints = json::array();
    for (const auto& c : p.checkpoints)
        checkpoints.push_back(checkpointToJson(c));
    json out;
    out["format_version"] = Project::kFormatVersion;
    out["name"] = p.name;
    out["model"] = {{"name", p.model.name}, {"input_dim", p.model.inputDim}, {"layers", layers}};
    out["data"] = {{"source", d.source},
                   {"generator", d.generator},
                   {"samples", d.samples},
                   {"features", d.features},
                   {"classes", d.classes},
                   {"noise", floatToJson(d.noise)},
                   {"path", d.path},
                   {"label_column", d.labelColumn},
                   {"x_dataset", d.xDataset},
                   {"y_dataset", d.yDataset},
                   {"validation_path", d.validationPath},
                   {"validation_split", d.validationSplit},
                   {"batch_size", d.batchSize == 0 ? json("full") : json(d.batchSize)},
                   {"shuffle", d.shuffle},
                   {"standardize", d.standardize}};
    out["training"] = {
        {"epochs", t.epochs},
        {"seed", t.seed},
        {"loss", std::string(lossName(t.compile.loss))},
        {"metrics", t.compile.metrics},
        {"optimizer",
         {{"type", o.type},
          {"learning_rate", floatToJson(o.learningRate)},
          {"beta_1", floatToJson(o.beta1)},
          {"beta_2", floatToJson(o.beta2)},
          {"epsilon", floatToJson(o.epsilon)},
          {"momentum", floatToJson(o.momentum)},
          {"nesterov", o.nesterov},
          {"rho", floatToJson(o.rho)},
          {"weight_decay", floatToJson(o.weightDecay)}}},
        {"terminate_on_nan", t.terminateOnNaN},
        {"early_stopping",
         {{"enabled", e.enabled},
          {"monitor", e.monitor},
          {"min_delta", e.minDelta},
          {"patience", e.patience},
          {"verbose", e.verbose},
          {"mode", e.mode},
          {"baseline", optionalToJson(e.baseline)},
          {"restore_best_weights", e.restoreBestWeights},
          {"start_from_epoch", e.startFromEpoch}}},
        {"csv_logger",
         {{"enabled", t.csvLogger.enabled},
          {"filename", t.csvLogger.filename},
          {"separator", t.csvLogger.separator},
          {"append", t.csvLogger.append}}},
        {"backup",
         {{"enabled", t.backup.enabled},
          {"backup_dir", t.backup.backupDir},
          {"save_freq", saveFreqToJson(t.backup.saveFreq)},
          {"delete_checkpoint", t.backup.deleteCheckpoint}}}};
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
        p.data = dataFromJson(r, *it);
    if (const auto it = j.find("training"); it != j.end())
        trainingFromJson(r, *it, p.training);
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

json parseJsonText(const std::string& text, const std::string& origin)
{
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        // nlohmann's text is "[json.exception.parse_error.101] parse error at line 1, column 2: <reason>".
        std::string reason = e.what();
        if (const auto colon = reason.find(": "); colon != std::string::npos && reason.find("parse error") < colon)
            reason = reason.substr(colon + 2);
        throw ConfigError({origin + ": malformed JSON at " + lineColumn(text, e.byte) + ": " + reason});
    } catch (const json::exception& e) {
        // e.g. out_of_range.406 "number overflow parsing '-5e1615'" (a fuzz finding): not a parse_error.
        const std::string reason = e.what();
        const auto bracket = reason.find("] ");
        throw ConfigError({origin + ": malformed JSON: " + (bracket == std::string::npos ? reason : reason.substr(bracket + 2))});
    }
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
    const std::filesystem::path temp = path.string() + ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw IoError(path.string(), std::strerror(errno));
        out << projectToText(project);
        out.flush();
        if (!out) {
            std::error_code ignored;
            std::filesystem::remove(temp, ignored);
            throw IoError(path.string(), "write failed");
        }
    }
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        std::filesystem::remove(temp, ec);
        throw IoError(path.string(), ec.message());
    }
}

} // namespace cklab
