#pragma once
/// Builds the Layer object of one LayerSpec.
#include <memory>
#include <vector>

#include "core/nn/layers/Layer.h"

namespace cklab {

/// The layer for `spec` with the (validated) input and output shapes of a sample.
std::unique_ptr<Layer> makeLayer(const LayerSpec& spec, std::vector<int> inputShape, std::vector<int> outputShape);

} // namespace cklab
