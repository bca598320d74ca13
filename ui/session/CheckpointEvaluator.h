#pragma once
/// "Load checkpoint and evaluate": reads a saved checkpoint into a model built from the project
/// and evaluates it on the project's validation data (or, without validation data, on the
/// training data) - core/project/CheckpointEvaluation.h, the same code as `checkpointlab-cli
/// evaluate`. Runs on the calling thread; the Evaluate dialog calls it on a pool thread (a
/// convnet over 10 000 images takes seconds). The result is a value: safe to hand across threads.
#include <QString>
#include <QStringList>
#include <vector>

#include "core/model/Evaluation.h"
#include "core/model/Logs.h"
#include "core/project/ProjectRun.h"

namespace cklab::ui {

struct EvaluationResult {
    bool ok = false;
    QString error;            ///< what went wrong (file, key and value named)
    QString dataName;         ///< "validation" or "training"
    long long samples = 0;
    Logs logs;                ///< "loss" and the metrics, unprefixed
    QString format;           ///< "keras", "weights.h5", "h5"
    Evaluation evaluation;    ///< confusion matrix, per-class table, misclassified samples
    /// Features of the first `kShownMisclassified` misclassified samples, in the order of
    /// evaluation.misclassified (raw features: pixels for image data).
    Matrix misclassifiedX;
    std::vector<int> sampleShape;   ///< the data's: [H, W, C] for images, empty for tabular data
    QStringList featureNames;
};

/// How many misclassified samples the result carries features of.
constexpr int kShownMisclassified = 64;

/// Never throws: errors come back in EvaluationResult::error.
EvaluationResult evaluateCheckpoint(const Project& project, const QString& checkpointPath,
                                    const RunOptions& options = {});

} // namespace cklab::ui
