#include "core/io/CheckpointContent.h"

#include "core/nn/LayerShapes.h"
#include "core/optim/OptimizerKind.h"

namespace cklab {

int variableCount(const LayerSpec& layer)
{
    switch (layer.kind) {
    case LayerSpec::Kind::Dense:
    case LayerSpec::Kind::Conv2D: return layer.useBias ? 2 : 1;
    case LayerSpec::Kind::BatchNormalization: return 2 + int(layer.center) + int(layer.scale);
    default: return 0;
    }
}

std::vector<VariableSlot> variableSlots(const ModelSpec& spec)
{
    const std::vector<std::string> keys = spec.layerKeys();
    std::vector<VariableSlot> slots;
    for (const VariableLayout& v : variableLayout(spec))
        slots.push_back({v.layerIndex, keys[std::size_t(v.layerIndex)], v.index, v.rows, v.cols, v.name, v.fileShape,
                         v.trainable});
    return slots;
}

std::vector<std::uint64_t> fileShape(const VariableSlot& slot)
{
    return {slot.dims.begin(), slot.dims.end()};
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
    std::vector<VariableSlot> vars; // optimizer slots exist for the trainable variables only
    for (VariableSlot& v : variableSlots(spec))
        if (v.trainable)
            vars.push_back(std::move(v));
    const std::vector<SlotOwner> owners = slotOwners(state, vars.size());
    std::vector<std::vector<std::uint64_t>> shapes;
    for (std::size_t i = 0; i < state.slotValues.size(); ++i) {
        const Matrix& m = state.slotValues[i];
        const VariableSlot* owner = owners.empty() ? nullptr : &vars[owners[i].variable];
        if (owner != nullptr && m.rows() == owner->rows && m.cols() == owner->cols)
            shapes.push_back(fileShape(*owner));
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
