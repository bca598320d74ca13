#include "core/io/CheckpointContent.h"

#include "core/optim/OptimizerKind.h"

namespace cklab {

int variableCount(const LayerSpec& layer)
{
    if (layer.kind != LayerSpec::Kind::Dense)
        return 0;
    return layer.useBias ? 2 : 1;
}

std::vector<VariableSlot> variableSlots(const ModelSpec& spec)
{
    const std::vector<std::string> keys = spec.layerKeys();
    std::vector<VariableSlot> slots;
    int in = spec.inputDim;
    for (std::size_t i = 0; i < spec.layers.size(); ++i) {
        const LayerSpec& layer = spec.layers[i];
        if (layer.kind != LayerSpec::Kind::Dense)
            continue;
        const int layerIndex = static_cast<int>(i);
        slots.push_back({layerIndex, keys[i], 0, in, layer.units});
        if (layer.useBias)
            slots.push_back({layerIndex, keys[i], 1, 1, layer.units});
        in = layer.units;
    }
    return slots;
}

std::vector<std::uint64_t> fileShape(const VariableSlot& slot)
{
    if (slot.index == 1)
        return {static_cast<std::uint64_t>(slot.cols)};
    return {static_cast<std::uint64_t>(slot.rows), static_cast<std::uint64_t>(slot.cols)};
}

std::vector<SlotOwner> slotOwners(const OptimizerState& state, std::size_t variableCount)
{
    const std::size_t n = state.slotValues.size();
    if (variableCount == 0 || n % variableCount != 0)
        return {};
    // Keras 3 names RMSprop "rmsprop" in its config but "rm_sprop" in the files it writes.
    const auto& rmsprop = optimizerKindInfo(OptimizerKind::RmsProp);
    const bool grouped = state.name == rmsprop.name || state.name == rmsprop.kerasVarName;
    const std::size_t perVariable = n / variableCount;
    std::vector<SlotOwner> owners(n);
    for (std::size_t i = 0; i < n; ++i) {
        owners[i].variable = grouped ? i % variableCount : i / perVariable;
        owners[i].kind = static_cast<int>(grouped ? i / variableCount : i % perVariable);
    }
    return owners;
}

std::vector<std::vector<std::uint64_t>> slotFileShapes(const OptimizerState& state, const ModelSpec& spec)
{
    const std::vector<VariableSlot> vars = variableSlots(spec);
    const std::vector<SlotOwner> owners = slotOwners(state, vars.size());
    std::vector<std::vector<std::uint64_t>> shapes;
    for (std::size_t i = 0; i < state.slotValues.size(); ++i) {
        const Matrix& m = state.slotValues[i];
        const bool oneD = !owners.empty() && vars[owners[i].variable].index == 1 && m.rows() == 1;
        if (oneD)
            shapes.push_back({static_cast<std::uint64_t>(m.cols())});
        else
            shapes.push_back({static_cast<std::uint64_t>(m.rows()), static_cast<std::uint64_t>(m.cols())});
    }
    return shapes;
}

std::string shapeText(int rows, int cols)
{
    std::string text("[");
    text += std::to_string(rows);
    text += ", ";
    text += std::to_string(cols);
    return text + "]";
}

} // namespace cklab
