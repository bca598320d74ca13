#pragma once
/// The one rule for what a model takes as input when the project does not say: the run, the
/// model form and validation all use it.
#include <vector>

#include "core/nn/ModelSpec.h"

namespace cklab {

/// Whether a layer of `spec` needs a sample with a shape ([H, W, C]) rather than a flat row:
/// Conv2D, pooling, Flatten, Reshape. Dense, Dropout and BatchNormalization work on rows.
bool needsShapedInput(const ModelSpec& spec);

/// `spec` with its input set as a run sets it: model.input_shape when the project gives one
/// (inputDim = its product); otherwise the data's sample shape when the model needs a shaped
/// input and the data has one; otherwise inputDim (when 0) = the data's features per sample.
ModelSpec withDataInput(ModelSpec spec, int dataFeatures, const std::vector<int>& dataSampleShape);

} // namespace cklab
