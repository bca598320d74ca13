#include "core/project/LayerJson.h"

#include <algorithm>
#include <array>
#include <map>

#include "core/project/JsonReader.h"

namespace cklab {

using nlohmann::json;

namespace {

struct LayerType {
    const char* name;
    LayerSpec::Kind kind;
    std::vector<std::string> keys;
};

const std::vector<LayerType>& layerTypes()
{
    using Kind = LayerSpec::Kind;
    static const std::vector<LayerType> types{
        {"dense", Kind::Dense, {"type", "units", "activation", "use_bias", "name"}},
        {"dropout", Kind::Dropout, {"type", "rate", "name"}},
        {"conv2d", Kind::Conv2D, {"type", "filters", "kernel_size", "strides", "padding", "activation", "use_bias", "name"}},
        {"max_pooling2d", Kind::MaxPooling2D, {"type", "pool_size", "strides", "padding", "name"}},
        {"average_pooling2d", Kind::AveragePooling2D, {"type", "pool_size", "strides", "padding", "name"}},
        {"global_average_pooling2d", Kind::GlobalAveragePooling2D, {"type", "name"}},
        {"flatten", Kind::Flatten, {"type", "name"}},
        {"reshape", Kind::Reshape, {"type", "target_shape", "name"}},
        {"batch_normalization", Kind::BatchNormalization, {"type", "momentum", "epsilon", "center", "scale", "name"}},
    };
    return types;
}

const LayerType& typeOf(LayerSpec::Kind kind)
{
    for (const LayerType& t : layerTypes())
        if (t.kind == kind)
            return t;
    return layerTypes().front();
}

/// kernel_size / pool_size / strides: an integer n (meaning [n, n]) or a list [h, w].
void readPair(JsonReader& r, const json& obj, const std::string& path, const char* key, std::array<int, 2>& out)
{
    const auto it = obj.find(key);
    if (it == obj.end())
        return;
    const std::string full = JsonReader::join(path, key);
    if (it->is_number_integer()) {
        const long long v = it->get<long long>();
        if (v >= -1000000 && v <= 1000000) {
            out = {int(v), int(v)};
            return;
        }
    } else if (it->is_array() && it->size() == 2 && (*it)[0].is_number_integer() && (*it)[1].is_number_integer()) {
        const long long h = (*it)[0].get<long long>(), w = (*it)[1].get<long long>();
        if (std::abs(h) <= 1000000 && std::abs(w) <= 1000000) {
            out = {int(h), int(w)};
            return;
        }
    }
    r.problem(full, "must be an integer or a list [height, width] of integers, got " + JsonReader::repr(*it));
}

json pairToJson(const std::array<int, 2>& p)
{
    return json::array({p[0], p[1]});
}

} // namespace

void readShape(JsonReader& r, const json& obj, const std::string& path, const char* key, std::vector<int>& out)
{
    const auto it = obj.find(key);
    if (it == obj.end())
        return;
    bool ok = it->is_array() && !it->empty();
    std::vector<int> shape;
    if (ok)
        for (const json& d : *it) {
            if (!d.is_number_integer() || std::abs(d.get<long long>()) > 1000000000LL) {
                ok = false;
                break;
            }
            shape.push_back(d.get<int>());
        }
    if (!ok) {
        r.problem(JsonReader::join(path, key), "must be a non-empty list of integers, got " + JsonReader::repr(*it));
        return;
    }
    out = std::move(shape);
}

LayerSpec layerFromJson(JsonReader& r, const json& j, const std::string& path)
{
    LayerSpec layer;
    if (!r.expectObject(j, path))
        return layer;
    std::vector<std::string> typeNames;
    for (const LayerType& t : layerTypes())
        typeNames.emplace_back(t.name);
    std::string type = "dense";
    if (!j.contains("type"))
        r.problem(JsonReader::join(path, "type"), "missing; must be one of \"dense\", \"dropout\", \"conv2d\", "
                                                  "\"max_pooling2d\", \"average_pooling2d\", \"global_average_pooling2d\", "
                                                  "\"flatten\", \"reshape\", \"batch_normalization\"");
    r.readChoice(j, path, "type", typeNames, type);
    const LayerType& own = *std::find_if(layerTypes().begin(), layerTypes().end(),
                                         [&](const LayerType& t) { return type == t.name; });
    layer.kind = own.kind;
    r.readString(j, path, "name", layer.name);
    // A key of another layer type is a mistake of its own, not a typo.
    json unchecked = j;
    if (j.is_object())
        for (const auto& item : j.items()) {
            const std::string& key = item.key();
            if (std::find(own.keys.begin(), own.keys.end(), key) != own.keys.end())
                continue;
            const bool otherType = std::any_of(layerTypes().begin(), layerTypes().end(), [&](const LayerType& t) {
                return std::find(t.keys.begin(), t.keys.end(), key) != t.keys.end();
            });
            if (otherType) {
                r.problem(JsonReader::join(path, key), "not used by a " + type + " layer");
                unchecked.erase(key);
            }
        }
    r.checkKeys(unchecked, path, own.keys);
    r.readInt(j, path, "units", layer.units);
    r.readFloat(j, path, "rate", layer.rate);
    r.readInt(j, path, "filters", layer.filters);
    readPair(r, j, path, "kernel_size", layer.kernelSize);
    readPair(r, j, path, "pool_size", layer.poolSize);
    readPair(r, j, path, "strides", layer.strides);
    readShape(r, j, path, "target_shape", layer.targetShape);
    r.readBool(j, path, "use_bias", layer.useBias);
    r.readFloat(j, path, "momentum", layer.momentum);
    r.readFloat(j, path, "epsilon", layer.epsilon);
    r.readBool(j, path, "center", layer.center);
    r.readBool(j, path, "scale", layer.scale);
    std::string padding{paddingName(layer.padding)};
    r.readChoice(j, path, "padding", {"valid", "same"}, padding);
    layer.padding = padding == "same" ? Padding::Same : Padding::Valid;
    std::string activation{activationName(layer.activation)};
    r.readChoice(j, path, "activation", activationNames(), activation);
    layer.activation = activationFromName(activation).value_or(Activation::Linear);
    if (layer.kind == LayerSpec::Kind::Conv2D && !j.contains("kernel_size"))
        r.problem(JsonReader::join(path, "kernel_size"), "missing; a conv2d layer needs an integer or [height, width]");
    if (layer.kind == LayerSpec::Kind::Reshape && !j.contains("target_shape"))
        r.problem(JsonReader::join(path, "target_shape"), "missing; a reshape layer needs a list of dimensions");
    return layer;
}

json layerToJson(const LayerSpec& l)
{
    using Kind = LayerSpec::Kind;
    json layer{{"type", typeOf(l.kind).name}};
    switch (l.kind) {
    case Kind::Dense:
        layer["units"] = l.units;
        layer["activation"] = std::string(activationName(l.activation));
        layer["use_bias"] = l.useBias;
        break;
    case Kind::Dropout: layer["rate"] = floatToJson(l.rate); break;
    case Kind::Conv2D:
        layer["filters"] = l.filters;
        layer["kernel_size"] = pairToJson(l.kernelSize);
        if (l.strides != std::array<int, 2>{0, 0})
            layer["strides"] = pairToJson(l.strides);
        layer["padding"] = std::string(paddingName(l.padding));
        layer["activation"] = std::string(activationName(l.activation));
        layer["use_bias"] = l.useBias;
        break;
    case Kind::MaxPooling2D:
    case Kind::AveragePooling2D:
        layer["pool_size"] = pairToJson(l.poolSize);
        if (l.strides != std::array<int, 2>{0, 0})
            layer["strides"] = pairToJson(l.strides);
        layer["padding"] = std::string(paddingName(l.padding));
        break;
    case Kind::Reshape: layer["target_shape"] = l.targetShape; break;
    case Kind::BatchNormalization:
        layer["momentum"] = floatToJson(l.momentum);
        layer["epsilon"] = floatToJson(l.epsilon);
        layer["center"] = l.center;
        layer["scale"] = l.scale;
        break;
    case Kind::GlobalAveragePooling2D:
    case Kind::Flatten: break;
    }
    if (!l.name.empty())
        layer["name"] = l.name;
    return layer;
}

} // namespace cklab
