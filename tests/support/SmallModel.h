#pragma once
// A small initialized MLP for tests that need a real model to save or load, shaped by the caller
// so a test can pick dimensions that are easy to find in the file. Header-only.
#include <cstdint>
#include <initializer_list>
#include <memory>

#include "core/model/Model.h"

namespace cklab::test {

/// `inputDim` inputs -> one Dense layer per entry of `units` (default activation), named "mlp",
/// default compile config, weights drawn from Rng(seed).
inline std::unique_ptr<Model> smallDenseModel(int inputDim, std::initializer_list<int> units, std::uint64_t seed)
{
    ModelSpec spec;
    spec.inputDim = inputDim;
    spec.name = "mlp";
    for (int u : units) {
        LayerSpec dense;
        dense.units = u;
        spec.layers.push_back(dense);
    }
    auto model = std::make_unique<Model>(spec, CompileConfig{});
    Rng rng(seed);
    model->initialize(rng);
    return model;
}

} // namespace cklab::test
