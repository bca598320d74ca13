#include "core/io/KerasLayerConfig.h"

#include <stdexcept>

#include "core/base/Numbers.h"

namespace cklab {

using nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string& where, const std::string& what)
{
    throw std::invalid_argument(where + ": " + what);
}

json pair(const std::array<int, 2>& p)
{
    return json::array({p[0], p[1]});
}

/// kernel_size / pool_size / strides: an integer or a list of two integers.
std::array<int, 2> pairOf(const json& c, const char* key, std::array<int, 2> fallback, const std::string& where)
{
    if (!c.contains(key) || c[key].is_null())
        return fallback;
    const json& v = c[key];
    if (v.is_number_integer())
        return {v.get<int>(), v.get<int>()};
    if (v.is_array() && v.size() == 2 && v[0].is_number_integer() && v[1].is_number_integer())
        return {v[0].get<int>(), v[1].get<int>()};
    fail(where + "." + key, "expected an integer or two integers, got " + v.dump());
}

template <typename T>
T numberOr(const json& c, const char* key, T fallback, const std::string& where)
{
    if (!c.contains(key) || c[key].is_null())
        return fallback;
    if (!c[key].is_number())
        fail(where + "." + key, "expected a number, got " + c[key].dump());
    return c[key].get<T>();
}

bool boolOr(const json& c, const char* key, bool fallback, const std::string& where)
{
    if (!c.contains(key) || c[key].is_null())
        return fallback;
    if (!c[key].is_boolean())
        fail(where + "." + key, "expected true or false, got " + c[key].dump());
    return c[key].get<bool>();
}

Activation activationOf(const json& c, const std::string& where)
{
    std::string name = "linear";
    if (c.contains("activation")) {
        const json& a = c["activation"];
        if (a.is_string())
            name = a.get<std::string>();
        else if (a.is_object() && a.contains("config") && a["config"].is_object() && a["config"].contains("name")
                 && a["config"]["name"].is_string())
            name = a["config"]["name"].get<std::string>();
        else if (!a.is_null())
            fail(where + ".activation", "expected a name, got " + a.dump());
    }
    const auto act = activationFromName(name);
    if (!act)
        fail(where + ".activation", "unsupported activation \"" + name + "\"");
    return *act;
}

Padding paddingOf(const json& c, const std::string& where)
{
    const std::string p = c.value("padding", std::string("valid"));
    if (p == "valid")
        return Padding::Valid;
    if (p == "same")
        return Padding::Same;
    fail(where + ".padding", "only \"valid\" and \"same\" are supported, got \"" + p + "\"");
}

void requireChannelsLast(const json& c, const std::string& where)
{
    if (c.contains("data_format") && !c["data_format"].is_null() && c["data_format"] != "channels_last")
        fail(where + ".data_format", "only \"channels_last\" is supported, got " + c["data_format"].dump());
}

} // namespace

std::vector<int> sampleShapeFromBatchShape(const json& shape, const std::string& where)
{
    std::vector<int> out;
    if (shape.is_array() && shape.size() >= 2)
        for (std::size_t i = 1; i < shape.size(); ++i) {
            if (!shape[i].is_number_integer() || shape[i].get<long long>() <= 0 || shape[i].get<long long>() > 1000000000LL) {
                out.clear();
                break;
            }
            out.push_back(shape[i].get<int>());
        }
    if (out.empty() || (out.size() != 1 && out.size() != 3))
        fail(where, "expected [null, features] or [null, height, width, channels], got " + shape.dump());
    return out;
}

json kerasLayerJson(const LayerSpec& l, const std::string& name)
{
    using Kind = LayerSpec::Kind;
    json c = {{"name", name}, {"trainable", true}, {"dtype", "float32"}};
    switch (l.kind) {
    case Kind::Dense:
        c["units"] = l.units;
        c["activation"] = std::string(activationName(l.activation));
        c["use_bias"] = l.useBias;
        break;
    case Kind::Dropout:
        c["rate"] = shortestDouble(l.rate);
        c["seed"] = nullptr;
        c["noise_shape"] = nullptr;
        break;
    case Kind::Conv2D:
        c["filters"] = l.filters;
        c["kernel_size"] = pair(l.kernelSize);
        c["strides"] = pair(l.effectiveStrides());
        c["padding"] = std::string(paddingName(l.padding));
        c["data_format"] = "channels_last";
        c["dilation_rate"] = json::array({1, 1});
        c["groups"] = 1;
        c["activation"] = std::string(activationName(l.activation));
        c["use_bias"] = l.useBias;
        break;
    case Kind::MaxPooling2D:
    case Kind::AveragePooling2D:
        c["pool_size"] = pair(l.poolSize);
        c["padding"] = std::string(paddingName(l.padding));
        c["strides"] = pair(l.effectiveStrides());
        c["data_format"] = "channels_last";
        break;
    case Kind::GlobalAveragePooling2D:
        c["data_format"] = "channels_last";
        c["keepdims"] = false;
        break;
    case Kind::Flatten: c["data_format"] = "channels_last"; break;
    case Kind::Reshape: c["target_shape"] = l.targetShape; break;
    case Kind::BatchNormalization:
        c["axis"] = -1;
        c["momentum"] = shortestDouble(l.momentum);
        c["epsilon"] = shortestDouble(l.epsilon);
        c["center"] = l.center;
        c["scale"] = l.scale;
        c["synchronized"] = false;
        c["renorm"] = false;
        break;
    }
    return {{"class_name", std::string(layerClassName(l.kind))}, {"config", c}};
}

bool isSupportedKerasLayer(const std::string& cls)
{
    for (int k = 0; k <= int(LayerSpec::Kind::BatchNormalization); ++k)
        if (cls == layerClassName(LayerSpec::Kind(k)))
            return true;
    return cls == "MaxPool2D" || cls == "AvgPool2D" || cls == "GlobalAvgPool2D";
}

LayerSpec kerasLayerFromConfig(const std::string& cls, const json& c, const std::string& where)
{
    using Kind = LayerSpec::Kind;
    LayerSpec layer;
    if (cls == "Dense") {
        layer.units = numberOr<int>(c, "units", 0, where);
        layer.activation = activationOf(c, where);
        layer.useBias = !c.contains("use_bias") || c["use_bias"].get<bool>();
    } else if (cls == "Dropout") {
        layer.kind = Kind::Dropout;
        layer.rate = numberOr<float>(c, "rate", 0.0f, where);
    } else if (cls == "Conv2D") {
        layer.kind = Kind::Conv2D;
        requireChannelsLast(c, where);
        if (pairOf(c, "dilation_rate", {1, 1}, where) != std::array<int, 2>{1, 1})
            fail(where + ".dilation_rate", "only [1, 1] is supported, got " + c["dilation_rate"].dump());
        if (numberOr<int>(c, "groups", 1, where) != 1)
            fail(where + ".groups", "only 1 is supported, got " + c["groups"].dump());
        layer.filters = numberOr<int>(c, "filters", 0, where);
        layer.kernelSize = pairOf(c, "kernel_size", {0, 0}, where);
        layer.strides = pairOf(c, "strides", {1, 1}, where);
        layer.padding = paddingOf(c, where);
        layer.activation = activationOf(c, where);
        layer.useBias = boolOr(c, "use_bias", true, where);
    } else if (cls == "MaxPooling2D" || cls == "MaxPool2D" || cls == "AveragePooling2D" || cls == "AvgPool2D") {
        layer.kind = cls[0] == 'M' ? Kind::MaxPooling2D : Kind::AveragePooling2D;
        requireChannelsLast(c, where);
        layer.poolSize = pairOf(c, "pool_size", {2, 2}, where);
        layer.strides = pairOf(c, "strides", layer.poolSize, where);
        layer.padding = paddingOf(c, where);
    } else if (cls == "GlobalAveragePooling2D" || cls == "GlobalAvgPool2D") {
        layer.kind = Kind::GlobalAveragePooling2D;
        requireChannelsLast(c, where);
        if (boolOr(c, "keepdims", false, where))
            fail(where + ".keepdims", "only false is supported");
    } else if (cls == "Flatten") {
        layer.kind = Kind::Flatten;
        requireChannelsLast(c, where);
    } else if (cls == "Reshape") {
        layer.kind = Kind::Reshape;
        const json t = c.value("target_shape", json());
        if (!t.is_array())
            fail(where + ".target_shape", "expected a list of integers, got " + t.dump());
        for (const json& d : t) {
            if (!d.is_number_integer())
                fail(where + ".target_shape", "expected a list of integers, got " + t.dump());
            layer.targetShape.push_back(d.get<int>());
        }
    } else if (cls == "BatchNormalization") {
        layer.kind = Kind::BatchNormalization;
        const json axis = c.value("axis", json(-1));
        if (!(axis == json(-1) || axis == json::array({-1})))
            fail(where + ".axis", "only axis -1 (the last: features or channels) is supported, got " + axis.dump());
        if (boolOr(c, "renorm", false, where))
            fail(where + ".renorm", "renorm=True is not supported");
        layer.momentum = numberOr<float>(c, "momentum", 0.99f, where);
        layer.epsilon = numberOr<float>(c, "epsilon", 1e-3f, where);
        layer.center = boolOr(c, "center", true, where);
        layer.scale = boolOr(c, "scale", true, where);
    } else {
        fail(where, "unsupported layer \"" + cls + "\"");
    }
    if (c.contains("name") && c["name"].is_string())
        layer.name = c["name"].get<std::string>();
    return layer;
}

} // namespace cklab
