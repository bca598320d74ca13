#pragma once
/// The optimizers CheckpointLab implements, and their names in one table: the project file's
/// "type" (and OptimizerConfig::type), Keras' class name ("RMSprop"), and the name Keras 3
/// gives the optimizer variables in its files ("rm_sprop"). Every place that reads or writes an
/// optimizer's name (project JSON, Keras config, .weights.h5 and legacy .h5, the training form)
/// goes through this table; logic switches on the kind, never on the text.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cklab {

enum class OptimizerKind { Sgd, Adam, AdamW, RmsProp };

struct OptimizerKindInfo {
    OptimizerKind kind;
    std::string_view name;        ///< ours and the project file's: "rmsprop"
    std::string_view kerasClass;  ///< Keras' class name: "RMSprop"
    std::string_view kerasVarName;///< Keras 3's variable prefix in .weights.h5: "rm_sprop"
};

/// Every kind, in the order forms and messages list them (sgd, adam, adamw, rmsprop).
std::span<const OptimizerKindInfo> optimizerKinds();
const OptimizerKindInfo& optimizerKindInfo(OptimizerKind kind);
std::string_view optimizerKindName(OptimizerKind kind); ///< "sgd", "adam", "adamw", "rmsprop"
/// Exact match of our name ("adam"); nullopt for anything else.
std::optional<OptimizerKind> optimizerKindFromName(std::string_view name);
/// Keras' class name ("Adam", "RMSprop"); nullopt for anything else.
std::optional<OptimizerKind> optimizerKindFromKerasClass(std::string_view className);
/// Our names in table order, e.g. for a choice list or a combo box.
std::vector<std::string> optimizerKindNames();

} // namespace cklab
