#pragma once
/// The differences between two project configs, field by field, over their JSON form
/// (projectToJson), so every field the project file has is covered without a list of fields.
/// Paths name the field as a reader would: "training.optimizer.learning_rate",
/// "checkpoints[1].save_best_only"; values are compact JSON text ("0.01", "true", "\"val_loss\"").
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/project/Project.h"

namespace cklab {

struct ConfigDifference {
    std::string path;                ///< "" when the two roots themselves differ in type
    std::optional<std::string> a;    ///< none: the field is absent in A (added in B)
    std::optional<std::string> b;    ///< none: the field is absent in B (removed in B)
};

/// Every leaf where `a` and `b` differ, in document order (object keys sorted, array elements by
/// index; extra elements are reported whole). A field whose type differs (object vs number, ...)
/// is one difference carrying both values. Numbers compare by value (1 == 1.0).
std::vector<ConfigDifference> diffJson(const nlohmann::json& a, const nlohmann::json& b);

/// diffJson of projectToJson(a) and projectToJson(b).
std::vector<ConfigDifference> diffProjects(const Project& a, const Project& b);

/// "path: A → B" with "(absent)" for a missing side; for logs and tooltips.
std::string formatDifference(const ConfigDifference& difference);

} // namespace cklab
