#include "core/nn/ModelInput.h"

#include <algorithm>

namespace cklab {

bool needsShapedInput(const ModelSpec& spec)
{
    using Kind = LayerSpec::Kind;
    return std::any_of(spec.layers.begin(), spec.layers.end(), [](const LayerSpec& layer) {
        return layer.kind != Kind::Dense && layer.kind != Kind::Dropout && layer.kind != Kind::BatchNormalization;
    });
}

ModelSpec withDataInput(ModelSpec spec, int dataFeatures, const std::vector<int>& dataSampleShape)
{
    auto product = [](const std::vector<int>& shape) {
        long long n = 1;
        for (int d : shape)
            n *= d;
        return n;
    };
    if (!spec.inputShape.empty()) {
        const long long n = product(spec.inputShape);
        if (n > 0 && n <= (1LL << 31) - 1)
            spec.inputDim = static_cast<int>(n);
        return spec;
    }
    if (needsShapedInput(spec) && !dataSampleShape.empty()) {
        spec.inputShape = dataSampleShape;
        spec.inputDim = static_cast<int>(product(dataSampleShape));
        return spec;
    }
    if (spec.inputDim == 0)
        spec.inputDim = dataFeatures;
    return spec;
}

} // namespace cklab
