#pragma once
/// What "evaluate a checkpoint" shows: loss, accuracy, a confusion matrix with class names,
/// per-class recall and precision, and the misclassified samples - computed from a model's
/// outputs and the targets in any of the loss encodings (core/loss/Loss.h). Qt-free; the CLI's
/// `evaluate` command and the GUI's Evaluate dialog both show this.
#include <optional>
#include <string>
#include <vector>

#include "core/loss/Loss.h"
#include "core/nn/Tensor.h"
#include "core/model/Logs.h"

namespace cklab {

class Model;

/// One class's row of the per-class table. recall/precision are empty when undefined
/// (a class absent from the data has no recall; a class never predicted has no precision).
struct ClassStats {
    long long support = 0;     ///< samples whose true class this is (row sum + unclassifiable)
    long long predicted = 0;   ///< samples predicted as this class (column sum)
    long long correct = 0;     ///< the diagonal cell
    long long unclassifiable = 0; ///< samples of this class whose outputs were not finite (in support, no cell)
    std::optional<double> recall;     ///< correct / support: Keras users' "per-class accuracy"
    std::optional<double> precision;  ///< correct / predicted
};

/// A sample the model got wrong. confidence: the probability the model gave its prediction
/// (softmax output normalised to sum 1; for one sigmoid output p or 1 - p).
struct Misclassified {
    long long index = 0;       ///< row in the evaluated data
    int trueClass = 0;
    int predictedClass = 0;
    double confidence = 0.0;
};

struct Evaluation {
    LossKind loss = LossKind::CategoricalCrossentropy;
    long long samples = 0;
    Logs logs;                 ///< "loss" and the compiled metrics, as Model::evaluate logs them
    /// False for regression (and multi-label sigmoid outputs): then only loss and MAE are
    /// defined, `noConfusionReason` says why, and the class fields below are empty.
    bool classification = false;
    std::string noConfusionReason;
    double mae = 0.0;          ///< mean absolute error of outputs against targets (regression)
    double accuracy = 0.0;     ///< trace / samples (classification)
    std::vector<std::string> classNames;            ///< k names: the data's, else "0".."k-1"
    /// [true][predicted], k x k, sums to samples - nonFiniteSamples (those have no predicted class)
    std::vector<std::vector<long long>> confusion;
    std::vector<ClassStats> perClass;               ///< k rows
    /// Every misclassified sample with finite outputs, the most confident mistakes first (ties:
    /// lower index first). Samples with non-finite outputs are in nonFiniteRows instead.
    std::vector<Misclassified> misclassified;
    /// Samples whose output row holds NaN or +-Inf (a diverged model): they have no predicted
    /// class, count as wrong in accuracy and recall, and make the loss NaN ("loss" in logs is then
    /// never a finite number). Counted for regression too.
    long long nonFiniteSamples = 0;
    std::vector<long long> nonFiniteRows;           ///< their row indices, ascending

    int classCount() const { return static_cast<int>(classNames.size()); }
    /// Empty when every output was finite; else e.g. "3 of 10 samples have non-finite (NaN/Inf)
    /// outputs: counted as wrong, no predicted class; the loss is not a number".
    std::string nonFiniteNotice() const;
};

/// Evaluates `output` [n, k] against `target` in the encoding `loss` uses: one-hot [n, k]
/// (categorical crossentropy, and mse/mae on class data), class index [n, 1] (sparse), 0/1
/// [n, 1] for one sigmoid output (binary: class 1 when p > 0.5, as Keras' accuracy).
/// `numClasses` is the data's (0 = regression: loss and MAE only); `classNames` are used when
/// there is one per class. `metrics` are the compiled metric names to put in `logs`.
/// Throws std::invalid_argument (shapes named) when output and target do not fit.
Evaluation evaluateOutputs(const Matrix& output, const Matrix& target, LossKind loss, int numClasses,
                           const std::vector<std::string>& classNames,
                           const std::vector<std::string>& metrics = {});

/// Runs the model over x in chunks of `batchSize` rows (bounded memory for convnets) and
/// evaluates its outputs. Thread: any; the model is only read.
Evaluation evaluateModel(const Model& model, const Matrix& x, const Matrix& y, int numClasses,
                         const std::vector<std::string>& classNames, int batchSize = 256);

/// "evaluation of a regression model has no confusion matrix: showing loss and MAE only".
std::string regressionNotice();

} // namespace cklab
