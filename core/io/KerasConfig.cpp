#include "core/io/KerasConfig.h"

#include <stdexcept>

#include "core/base/Numbers.h"
#include "core/io/KerasFunctional.h"
#include "core/io/KerasLayerConfig.h"
#include "core/loss/Loss.h"
#include "core/optim/OptimizerKind.h"

namespace cklab {

using nlohmann::json;

namespace {

/// Keras 3 optimizer config keys common to every optimizer.
void baseOptimizerConfig(json& c, const OptimizerConfig& o)
{
    c["name"] = o.type;
    c["learning_rate"] = shortestDouble(o.learningRate);
    c["weight_decay"] = nullptr;
    c["clipnorm"] = nullptr;
    c["global_clipnorm"] = nullptr;
    c["clipvalue"] = nullptr;
    c["use_ema"] = false;
    c["ema_momentum"] = 0.99;
    c["ema_overwrite_frequency"] = nullptr;
    c["loss_scale_factor"] = nullptr;
    c["gradient_accumulation_steps"] = nullptr;
}

[[noreturn]] void fail(const std::string& where, const std::string& what)
{
    throw std::invalid_argument(where + ": " + what);
}

const json& require(const json& obj, const char* key, const std::string& where)
{
    if (!obj.is_object() || !obj.contains(key))
        fail(where, std::string("missing key \"") + key + "\"");
    return obj.at(key);
}

/// Keras 3 objects are {"class_name", "config", "module"}; Keras 2 ones lack "module".
std::string className(const json& obj, const std::string& where)
{
    const json& c = require(obj, "class_name", where);
    if (!c.is_string())
        fail(where + ".class_name", "expected a string");
    return c.get<std::string>();
}

template <typename T>
T numberOr(const json& config, const char* key, T fallback, const std::string& where)
{
    if (!config.contains(key) || config.at(key).is_null())
        return fallback;
    if (!config.at(key).is_number())
        fail(where + "." + key, "expected a number, got " + config.at(key).dump());
    return config.at(key).get<T>();
}

/// "categorical_crossentropy" or a Keras object {"class_name": "CategoricalCrossentropy", ...}.
std::string nameOf(const json& value, const std::string& where)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_object()) {
        if (value.contains("config") && value["config"].is_object() && value["config"].contains("name")
            && value["config"]["name"].is_string())
            return value["config"]["name"].get<std::string>();
        return className(value, where);
    }
    fail(where, "expected a name or a Keras object, got " + value.dump());
}

/// A scalar or a flat list of numbers (a Normalization config's mean / variance).
std::vector<float> floatsOf(const json& value, const std::string& where)
{
    std::vector<float> out;
    if (value.is_number()) {
        out.push_back(value.get<float>());
        return out;
    }
    if (!value.is_array())
        fail(where, "expected a number or a list of numbers, got " + value.dump());
    for (const json& v : value) {
        if (!v.is_number())
            fail(where, "expected a flat list of numbers, got " + value.dump());
        out.push_back(v.get<float>());
    }
    return out;
}

/// Normalization(axis=-1, invert=False): statistics from the config when given there, otherwise
/// left empty for the weights to fill.
InputNormalization normalizationFromConfig(const json& c, const std::string& where)
{
    const json axis = c.value("axis", json(-1));
    const bool lastAxis = axis == json(-1) || axis == json(1) || axis == json::array({-1}) || axis == json::array({1});
    if (!lastAxis)
        fail(where + ".axis", "only axis -1 (one mean and variance per feature) is supported, got " + axis.dump());
    if (c.contains("invert") && c["invert"].is_boolean() && c["invert"].get<bool>())
        fail(where + ".invert", "invert=True (denormalisation) is not supported");
    InputNormalization n;
    const json mean = c.value("mean", json());
    const json variance = c.value("variance", json());
    if (mean.is_null() != variance.is_null())
        fail(where, "mean and variance must both be set or both be null");
    if (!mean.is_null()) {
        n.mean = floatsOf(mean, where + ".mean");
        n.variance = floatsOf(variance, where + ".variance");
        if (n.mean.size() != n.variance.size())
            fail(where, "mean has " + std::to_string(n.mean.size()) + " values, variance "
                            + std::to_string(n.variance.size()));
    }
    return n;
}

} // namespace

json optimizerJson(const OptimizerConfig& o, KerasFlavour flavour)
{
    json c = json::object();
    const auto kind = optimizerKindFromName(o.type);
    const std::string cls = kind ? std::string(optimizerKindInfo(*kind).kerasClass) : o.type;
    baseOptimizerConfig(c, o);
    if (kind == OptimizerKind::Adam || kind == OptimizerKind::AdamW) {
        c["beta_1"] = shortestDouble(o.beta1);
        c["beta_2"] = shortestDouble(o.beta2);
        c["epsilon"] = shortestDouble(o.epsilon);
        c["amsgrad"] = false;
        if (kind == OptimizerKind::AdamW)
            c["weight_decay"] = shortestDouble(o.weightDecay);
    } else if (kind == OptimizerKind::Sgd) {
        c["momentum"] = shortestDouble(o.momentum);
        c["nesterov"] = o.nesterov;
    } else if (kind == OptimizerKind::RmsProp) {
        c["rho"] = shortestDouble(o.rho);
        c["momentum"] = shortestDouble(o.momentum);
        c["epsilon"] = shortestDouble(o.epsilon);
        c["centered"] = false;
    }
    json obj = {{"class_name", cls}, {"config", c}};
    if (flavour == KerasFlavour::Keras3) {
        obj["module"] = "keras.optimizers";
        obj["registered_name"] = nullptr;
    }
    return obj;
}

json modelConfigJson(const ModelSpec& spec, KerasFlavour flavour)
{
    const bool k3 = flavour == KerasFlavour::Keras3;
    const std::vector<std::string> keys = spec.layerKeys();
    json batchShape = json::array({nullptr});
    for (int d : spec.sampleShape())
        batchShape.push_back(d);
    json layers = json::array();
    json input = {{"class_name", "InputLayer"}, {"config", {{"dtype", "float32"}, {"sparse", false}, {"name", "input_layer"}}}};
    input["config"][k3 ? "batch_shape" : "batch_input_shape"] = batchShape;
    if (k3) {
        input["module"] = "keras.layers";
        input["registered_name"] = nullptr;
    }
    layers.push_back(input);
    if (spec.normalization) {
        // As Keras 3 writes a Normalization(axis=-1) after adapt(): the statistics are variables
        // (mean, variance, count), the config's mean/variance null.
        json c = {{"name", "normalization"}, {"trainable", true}, {"dtype", "float32"}, {"axis", json::array({-1})},
                  {"invert", false}, {"mean", nullptr}, {"variance", nullptr}};
        json layer = {{"class_name", "Normalization"}, {"config", c}};
        if (k3) {
            layer["module"] = "keras.layers";
            layer["registered_name"] = nullptr;
            layer["build_config"] = {{"input_shape", json::array({nullptr, spec.inputDim})}};
        }
        layers.push_back(layer);
    }
    for (std::size_t i = 0; i < spec.layers.size(); ++i) {
        const LayerSpec& l = spec.layers[i];
        json layer = kerasLayerJson(l, l.name.empty() ? keys[i] : l.name);
        if (k3) {
            layer["module"] = "keras.layers";
            layer["registered_name"] = nullptr;
        }
        layers.push_back(layer);
    }
    json model = {{"class_name", "Sequential"},
                  {"config", {{"name", spec.name}, {"trainable", true}, {"dtype", "float32"}, {"layers", layers}}}};
    if (k3) {
        model["module"] = "keras";
        model["registered_name"] = nullptr;
        model["build_config"] = {{"input_shape", batchShape}};
    }
    return model;
}

json compileConfigJson(const CompileConfig& compile)
{
    return {{"optimizer", optimizerJson(compile.optimizer, KerasFlavour::Keras3)},
            {"loss", std::string(lossName(compile.loss))},
            {"loss_weights", nullptr},
            {"metrics", compile.metrics},
            {"weighted_metrics", nullptr},
            {"run_eagerly", false},
            {"steps_per_execution", 1},
            {"jit_compile", false}};
}

json trainingConfigJson(const CompileConfig& compile)
{
    return {{"optimizer_config", optimizerJson(compile.optimizer, KerasFlavour::Keras2)},
            {"loss", std::string(lossName(compile.loss))},
            {"metrics", compile.metrics},
            {"weighted_metrics", nullptr},
            {"loss_weights", nullptr}};
}

ModelSpec modelSpecFromJson(const json& model)
{
    const std::string modelClass = className(model, "model");
    const bool functional = modelClass == "Functional" || modelClass == "Model";
    if (modelClass != "Sequential" && !functional)
        fail("model.class_name", "only Sequential and Functional models are supported, got \"" + modelClass + "\"");
    const json& config = require(model, "config", "model");
    ModelSpec spec;
    if (config.contains("name") && config["name"].is_string())
        spec.name = config["name"].get<std::string>();
    const json& listed = require(config, "layers", "model.config");
    if (!listed.is_array())
        fail("model.config.layers", "expected a list");
    // A Functional chain reads like a Sequential model once its layers are in chain order.
    const json layers = functional ? functionalChainLayers(config) : listed;
    auto inputFrom = [&](const json& shape, const std::string& where) {
        const std::vector<int> sample = sampleShapeFromBatchShape(shape, where);
        long long size = 1;
        for (int d : sample)
            size = size > (1LL << 31) ? size : size * d;
        if (size > (1LL << 31) - 1)
            fail(where, "the input has more than 2^31 values per sample, got " + shape.dump());
        spec.inputDim = static_cast<int>(size);
        spec.inputShape = sample.size() == 3 ? sample : std::vector<int>{};
    };
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const std::string where = "model.config.layers[" + std::to_string(i) + "]";
        const std::string cls = className(layers[i], where);
        const json& c = require(layers[i], "config", where);
        if (cls == "InputLayer") {
            for (const char* key : {"batch_shape", "batch_input_shape"})
                if (c.contains(key))
                    inputFrom(c[key], where + ".config." + key);
            continue;
        }
        if (i == 0 && c.contains("batch_input_shape")) // Keras 2 puts the input shape on the first layer
            inputFrom(c["batch_input_shape"], where + ".config.batch_input_shape");
        if (cls == "Normalization") {
            if (!spec.layers.empty() || spec.normalization)
                fail(where + ".class_name", "a Normalization layer is supported only as the first layer, before any "
                                            "Dense or Dropout layer");
            spec.normalization = normalizationFromConfig(c, where + ".config");
            continue;
        }
        if (!isSupportedKerasLayer(cls))
            fail(where + ".class_name", "unsupported layer \"" + cls + "\" (supported: Dense, Dropout, Conv2D, "
                                        "MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, Flatten, Reshape, "
                                        "BatchNormalization)");
        spec.layers.push_back(kerasLayerFromConfig(cls, c, where + ".config"));
    }
    if (spec.inputDim == 0 && model.contains("build_config"))
        inputFrom(model["build_config"].value("input_shape", json()), "model.build_config.input_shape");
    if (spec.inputDim == 0)
        fail("model.config.layers", "no input shape (InputLayer batch_shape or build_config)");
    if (spec.normalization && !spec.normalization->mean.empty()) {
        // mean/variance given in the config: a scalar applies to every feature.
        InputNormalization& n = *spec.normalization;
        const auto d = static_cast<std::size_t>(spec.inputDim);
        if (n.mean.size() == 1 && d > 1) {
            n.mean.assign(d, n.mean[0]);
            n.variance.assign(d, n.variance[0]);
        }
        if (n.mean.size() != d)
            fail("model.config.layers: Normalization.config.mean", "has " + std::to_string(n.mean.size())
                                                                      + " values, the input has " + std::to_string(d) + " features");
    }
    // A name equal to the Keras default key is the default: keep the spec as it was written.
    const std::vector<std::string> keys = spec.layerKeys();
    for (std::size_t i = 0; i < spec.layers.size(); ++i)
        if (spec.layers[i].name == keys[i])
            spec.layers[i].name.clear();
    return spec;
}

CompileConfig compileConfigFromJson(const json& config)
{
    CompileConfig compile;
    const std::string where = "compile_config";
    const json& loss = require(config, "loss", where);
    const std::string lossText = nameOf(loss, where + ".loss");
    const auto kind = lossFromName(lossText);
    if (!kind)
        fail(where + ".loss", "unsupported loss \"" + lossText + "\"");
    compile.loss = *kind;
    compile.metrics.clear();
    if (config.contains("metrics") && config["metrics"].is_array())
        for (std::size_t i = 0; i < config["metrics"].size(); ++i)
            compile.metrics.push_back(nameOf(config["metrics"][i], where + ".metrics[" + std::to_string(i) + "]"));
    const char* optKey = config.contains("optimizer_config") ? "optimizer_config" : "optimizer";
    const json& opt = require(config, optKey, where);
    const std::string optWhere = where + "." + optKey;
    std::string type = opt.is_string() ? opt.get<std::string>() : className(opt, optWhere);
    if (const auto kind = optimizerKindFromKerasClass(type))
        type = std::string(optimizerKindName(*kind));
    compile.optimizer = OptimizerConfig::defaultsFor(type);
    compile.optimizer.type = type;
    if (opt.is_object() && opt.contains("config")) {
        const json& c = opt["config"];
        const std::string cw = optWhere + ".config";
        if (c.contains("learning_rate") && c["learning_rate"].is_object())
            fail(cw + ".learning_rate", "learning-rate schedules are not supported");
        OptimizerConfig& o = compile.optimizer;
        o.learningRate = numberOr<float>(c, "learning_rate", o.learningRate, cw);
        o.beta1 = numberOr<float>(c, "beta_1", o.beta1, cw);
        o.beta2 = numberOr<float>(c, "beta_2", o.beta2, cw);
        o.epsilon = numberOr<float>(c, "epsilon", o.epsilon, cw);
        o.momentum = numberOr<float>(c, "momentum", o.momentum, cw);
        o.rho = numberOr<float>(c, "rho", o.rho, cw);
        if (c.contains("nesterov") && c["nesterov"].is_boolean())
            o.nesterov = c["nesterov"].get<bool>();
        if (optimizerKindFromName(type) == OptimizerKind::AdamW)
            o.weightDecay = numberOr<float>(c, "weight_decay", o.weightDecay, cw);
    }
    return compile;
}

} // namespace cklab
