#pragma once
// Short builders of LayerSpecs for the image-layer tests.
#include <array>
#include <vector>

#include "core/nn/ModelSpec.h"

namespace cklab::testspecs {

inline ModelSpec imageSpec(std::vector<int> shape)
{
    ModelSpec spec;
    spec.inputShape = shape;
    spec.inputDim = 1;
    for (int d : shape)
        spec.inputDim *= d;
    return spec;
}

inline LayerSpec dense(int units, Activation a = Activation::Linear)
{
    LayerSpec l;
    l.units = units;
    l.activation = a;
    return l;
}

inline LayerSpec conv(int filters, std::array<int, 2> kernel, Activation a = Activation::Linear,
                      Padding padding = Padding::Valid, std::array<int, 2> strides = {0, 0})
{
    LayerSpec l;
    l.kind = LayerSpec::Kind::Conv2D;
    l.filters = filters;
    l.kernelSize = kernel;
    l.activation = a;
    l.padding = padding;
    l.strides = strides;
    return l;
}

inline LayerSpec pool(LayerSpec::Kind kind, std::array<int, 2> size, Padding padding, std::array<int, 2> strides)
{
    LayerSpec l;
    l.kind = kind;
    l.poolSize = size;
    l.padding = padding;
    l.strides = strides;
    return l;
}

inline LayerSpec maxPool(std::array<int, 2> size, Padding padding = Padding::Valid, std::array<int, 2> strides = {0, 0})
{
    return pool(LayerSpec::Kind::MaxPooling2D, size, padding, strides);
}

inline LayerSpec avgPool(std::array<int, 2> size, Padding padding = Padding::Valid, std::array<int, 2> strides = {0, 0})
{
    return pool(LayerSpec::Kind::AveragePooling2D, size, padding, strides);
}

inline LayerSpec simple(LayerSpec::Kind kind)
{
    LayerSpec l;
    l.kind = kind;
    return l;
}

inline LayerSpec flatten() { return simple(LayerSpec::Kind::Flatten); }
inline LayerSpec globalAvgPool() { return simple(LayerSpec::Kind::GlobalAveragePooling2D); }

inline LayerSpec reshape(std::vector<int> target)
{
    LayerSpec l = simple(LayerSpec::Kind::Reshape);
    l.targetShape = std::move(target);
    return l;
}

inline LayerSpec batchNorm(bool center = true, bool scale = true)
{
    LayerSpec l = simple(LayerSpec::Kind::BatchNormalization);
    l.center = center;
    l.scale = scale;
    return l;
}

inline LayerSpec dropout(float rate)
{
    LayerSpec l = simple(LayerSpec::Kind::Dropout);
    l.rate = rate;
    return l;
}

/// The Keras "simple MNIST convnet" example.
inline ModelSpec mnistConvnet()
{
    ModelSpec spec = imageSpec({28, 28, 1});
    spec.layers = {conv(32, {3, 3}, Activation::Relu), maxPool({2, 2}), conv(64, {3, 3}, Activation::Relu),
                   maxPool({2, 2}), flatten(), dropout(0.5f), dense(10, Activation::Softmax)};
    return spec;
}

} // namespace cklab::testspecs
