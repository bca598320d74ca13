#pragma once
/// "Load a checkpoint and evaluate it on the project's data", the one implementation behind
/// `checkpointlab-cli evaluate` and the GUI's Run > Evaluate checkpoint: the data is built exactly
/// as a run of the project builds it (ProjectRun: same split, same raw features, same target
/// encoding), the weights come from the file.
#include <filesystem>
#include <string>

#include "core/data/Dataset.h"
#include "core/project/ProjectRun.h"
#include "core/model/Evaluation.h"

namespace cklab {

/// Which part of the project's data to evaluate on. Default: validation when the project has
/// validation data, else training.
enum class EvaluationData { Default, Validation, Train };

struct CheckpointEvaluationRequest {
    std::filesystem::path checkpoint;
    EvaluationData data = EvaluationData::Default;
    /// false: the project's architecture with the file's weights (any format, as `predict
    /// --weights`); true: architecture and compile config from the file (.keras/.h5, as
    /// `predict --model`) - the project then only supplies the data.
    bool architectureFromFile = false;
};

struct CheckpointEvaluation {
    Evaluation evaluation;
    std::string dataName;   ///< "validation" or "training"
    std::string format;     ///< "keras", "weights.h5", "h5"
    Dataset data;           ///< the evaluated data (raw features), for showing misclassified samples
};

/// Throws IoError/ConfigError naming the file (or the project field) at fault, and ConfigError
/// "...: the project has no validation data" when Validation is asked for and there is none.
/// Thread: any (nothing shared; the GUI calls it on a pool thread).
CheckpointEvaluation evaluateCheckpointFile(const Project& project, const CheckpointEvaluationRequest& request,
                                            const RunOptions& options = {});

} // namespace cklab
