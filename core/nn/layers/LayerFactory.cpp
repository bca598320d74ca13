#include "core/nn/layers/LayerFactory.h"

#include "core/nn/layers/BatchNormalizationLayer.h"
#include "core/nn/layers/Conv2DLayer.h"
#include "core/nn/layers/DenseLayer.h"
#include "core/nn/layers/DropoutLayer.h"
#include "core/nn/layers/Pooling2DLayer.h"

namespace cklab {

std::unique_ptr<Layer> makeLayer(const LayerSpec& spec, std::vector<int> in, std::vector<int> out)
{
    using Kind = LayerSpec::Kind;
    switch (spec.kind) {
    case Kind::Dense: return std::make_unique<DenseLayer>(spec, std::move(in), std::move(out));
    case Kind::Dropout: return std::make_unique<DropoutLayer>(spec, std::move(in), std::move(out));
    case Kind::Conv2D: return std::make_unique<Conv2DLayer>(spec, std::move(in), std::move(out));
    case Kind::MaxPooling2D:
    case Kind::AveragePooling2D: return std::make_unique<Pooling2DLayer>(spec, std::move(in), std::move(out));
    case Kind::GlobalAveragePooling2D:
        return std::make_unique<GlobalAveragePooling2DLayer>(spec, std::move(in), std::move(out));
    case Kind::Flatten:
    case Kind::Reshape: return std::make_unique<ReshapeLayer>(spec, std::move(in), std::move(out));
    case Kind::BatchNormalization:
        return std::make_unique<BatchNormalizationLayer>(spec, std::move(in), std::move(out));
    }
    return nullptr;
}

} // namespace cklab
