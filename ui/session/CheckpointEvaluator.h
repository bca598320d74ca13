#pragma once
/// "Load checkpoint and evaluate": reads a saved checkpoint into a model built from the project
/// and evaluates it on the project's validation data (or, without validation data, on the
/// training data). Runs on the calling thread (MLPs on in-memory data: milliseconds).
#include <QString>

#include "core/project/ProjectRun.h"
#include "core/model/Logs.h"

namespace cklab {

struct EvaluationResult {
    bool ok = false;
    QString error;            ///< what went wrong (file, key and value named)
    QString dataName;         ///< "validation" or "training"
    long long samples = 0;
    Logs logs;                ///< "loss" and the metrics, unprefixed
    QString format;           ///< "keras", "weights.h5", "h5"
};

/// Never throws: errors come back in EvaluationResult::error.
EvaluationResult evaluateCheckpoint(const Project& project, const QString& checkpointPath,
                                    const RunOptions& options = {});

} // namespace cklab
