#pragma once
/// Functional Keras models (keras.Model(inputs, outputs)) whose graph is a plain chain: one
/// input, every layer called once on the output of the layer before it, one output.
/// Both flavours of inbound_nodes are read: Keras 3 ({"args": [keras tensors], "kwargs"}) and
/// Keras 2 ([[["layer", node, tensor, {}]]]).
#include <nlohmann/json.hpp>

namespace cklab {

/// The layers of a Functional model's "config" in chain order, InputLayer first. Throws
/// std::invalid_argument("<key path>: <problem>") for anything but a chain, naming the layer
/// that branches or joins ("layer \"d\" has 2 inbound tensors (\"a\", \"b\"): only chains ...").
nlohmann::json functionalChainLayers(const nlohmann::json& config);

} // namespace cklab
