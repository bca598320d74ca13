#include "core/io/KerasFunctional.h"

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace cklab {

using nlohmann::json;

namespace {

constexpr const char* kChainOnly = "only chains of layers are supported, not branching graphs";

[[noreturn]] void fail(const std::string& where, const std::string& what)
{
    throw std::invalid_argument(where + ": " + what);
}

std::string quoted(const std::vector<std::string>& names)
{
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i)
        text += (i ? ", \"" : "\"") + names[i] + "\"";
    return text;
}

/// Keras 3: every {"class_name": "__keras_tensor__", "config": {"keras_history": [layer, ...]}}
/// anywhere in a node's args/kwargs. Keras 2: the node is a list of [layer, node, tensor, kwargs].
void collectInbound(const json& value, std::vector<std::string>& out)
{
    if (value.is_object()) {
        if (value.value("class_name", json()) == "__keras_tensor__") {
            const json history = value.value("config", json::object()).value("keras_history", json());
            if (history.is_array() && !history.empty() && history[0].is_string())
                out.push_back(history[0].get<std::string>());
            return;
        }
        for (const auto& item : value.items())
            collectInbound(item.value(), out);
    } else if (value.is_array()) {
        if (!value.empty() && value[0].is_string()) { // Keras 2 ["layer", node_index, tensor_index, {}]
            out.push_back(value[0].get<std::string>());
            return;
        }
        for (const auto& item : value)
            collectInbound(item, out);
    }
}

/// input_layers / output_layers: ["name", 0, 0] (Keras 3, one tensor) or [["name", 0, 0], ...].
std::vector<std::string> endpointNames(const json& config, const char* key)
{
    const std::string where = std::string("model.config.") + key;
    if (!config.contains(key) || !config[key].is_array())
        fail(where, "missing or not a list");
    const json& list = config[key];
    std::vector<std::string> names;
    if (!list.empty() && list[0].is_string())
        names.push_back(list[0].get<std::string>());
    else
        for (const auto& entry : list)
            if (entry.is_array() && !entry.empty() && entry[0].is_string())
                names.push_back(entry[0].get<std::string>());
    if (names.empty())
        fail(where, "names no layer");
    return names;
}

std::string layerName(const json& layer, const std::string& where)
{
    if (layer.contains("name") && layer["name"].is_string())
        return layer["name"].get<std::string>();
    const json config = layer.value("config", json::object());
    if (config.contains("name") && config["name"].is_string())
        return config["name"].get<std::string>();
    fail(where, "a layer of a Functional model needs a name");
}

} // namespace

json functionalChainLayers(const json& config)
{
    if (!config.contains("layers") || !config["layers"].is_array())
        fail("model.config.layers", "expected a list");
    const json& layers = config["layers"];
    std::map<std::string, std::size_t> byName;
    std::map<std::string, std::vector<std::string>> consumers;
    std::vector<std::vector<std::string>> inbound(layers.size());
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const std::string where = "model.config.layers[" + std::to_string(i) + "]";
        const std::string name = layerName(layers[i], where);
        if (!byName.emplace(name, i).second)
            fail(where, "layer name \"" + name + "\" appears twice");
        const json nodes = layers[i].value("inbound_nodes", json::array());
        if (!nodes.is_array())
            fail(where + ".inbound_nodes", "expected a list");
        if (nodes.size() > 1)
            fail(where, "layer \"" + name + "\" has " + std::to_string(nodes.size())
                            + " inbound nodes (it is called more than once): " + kChainOnly);
        if (!nodes.empty())
            collectInbound(nodes[0], inbound[i]);
        for (const auto& source : inbound[i])
            consumers[source].push_back(name);
    }
    // Where the graph forks is reported before where it joins again: that layer is upstream.
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const std::string name = layerName(layers[i], "model.config.layers[" + std::to_string(i) + "]");
        const auto users = consumers.find(name);
        if (users != consumers.end() && users->second.size() > 1)
            fail("model.config.layers[" + std::to_string(i) + "]",
                 "layer \"" + name + "\" has " + std::to_string(users->second.size()) + " outbound nodes ("
                     + quoted(users->second) + "): " + kChainOnly);
    }
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const std::string where = "model.config.layers[" + std::to_string(i) + "]";
        const std::string name = layerName(layers[i], where);
        if (inbound[i].size() > 1)
            fail(where, "layer \"" + name + "\" has " + std::to_string(inbound[i].size()) + " inbound tensors ("
                            + quoted(inbound[i]) + "): " + kChainOnly);
        for (const auto& source : inbound[i])
            if (!byName.count(source))
                fail(where, "layer \"" + name + "\" is called on unknown layer \"" + source + "\"");
    }
    const std::vector<std::string> inputs = endpointNames(config, "input_layers");
    const std::vector<std::string> outputs = endpointNames(config, "output_layers");
    if (inputs.size() != 1)
        fail("model.config.input_layers", "the model has " + std::to_string(inputs.size()) + " inputs (" + quoted(inputs)
                                              + "): " + kChainOnly);
    if (outputs.size() != 1)
        fail("model.config.output_layers", "the model has " + std::to_string(outputs.size()) + " outputs ("
                                               + quoted(outputs) + "): " + kChainOnly);
    // Walk from the input along the single consumer of each layer to the output.
    json chain = json::array();
    std::string current = inputs[0];
    while (true) {
        const auto it = byName.find(current);
        if (it == byName.end())
            fail("model.config.input_layers", "names unknown layer \"" + current + "\"");
        chain.push_back(layers[it->second]);
        if (current == outputs[0] || chain.size() > layers.size())
            break;
        const auto next = consumers.find(current);
        if (next == consumers.end())
            fail("model.config.output_layers", "layer \"" + outputs[0] + "\" is not reached from the input \""
                                                   + inputs[0] + "\"");
        current = next->second.front();
    }
    if (chain.size() != layers.size())
        fail("model.config.layers", "the model has " + std::to_string(layers.size()) + " layers, the chain from \""
                                        + inputs[0] + "\" to \"" + outputs[0] + "\" "
                                        + std::to_string(chain.size()) + ": " + kChainOnly);
    if (chain[0].value("class_name", json()) != "InputLayer")
        fail("model.config.input_layers", "\"" + inputs[0] + "\" is not an InputLayer");
    return chain;
}

} // namespace cklab
