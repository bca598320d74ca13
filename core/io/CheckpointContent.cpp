#include "core/io/CheckpointContent.h"

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

std::vector<std::vector<std::uint64_t>> slotFileShapes(const OptimizerState& state, const ModelSpec& spec)
{
    const std::vector<VariableSlot> vars = variableSlots(spec);
    const std::size_t n = state.slotValues.size();
    const bool mapped = !vars.empty() && n % vars.size() == 0;
    const std::size_t perVariable = mapped ? n / vars.size() : 0;
    std::vector<std::vector<std::uint64_t>> shapes;
    for (std::size_t i = 0; i < n; ++i) {
        const Matrix& m = state.slotValues[i];
        const bool oneD = mapped && vars[i / perVariable].index == 1 && m.rows() == 1;
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
