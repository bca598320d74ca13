#pragma once
/// Losses and metrics, with Keras names. Targets are stored as a float matrix:
/// one-hot [n, k] for categorical_crossentropy, class index [n, 1] for the sparse variant,
/// 0/1 [n, k] for binary_crossentropy, values [n, k] for mse/mae.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/nn/Activation.h"
#include "core/nn/Tensor.h"

namespace cklab {

enum class LossKind { CategoricalCrossentropy, SparseCategoricalCrossentropy, BinaryCrossentropy, MeanSquaredError, MeanAbsoluteError };

std::string_view lossName(LossKind k); ///< "categorical_crossentropy", ..., "mean_squared_error", "mean_absolute_error"
std::optional<LossKind> lossFromName(std::string_view name); ///< also accepts "mse", "mae"
const std::vector<std::string>& lossNames();

/// Metric names accepted in a project: "accuracy", "mse", "mae" (log keys as Keras logs them).
const std::vector<std::string>& metricNames();

/// Per-sample losses are averaged over the batch (Keras' sum_over_batch_size).
/// Returns the mean loss; if grad != nullptr fills dL/d(output) of the batch mean, or - when
/// `fusedWith` is Softmax (categorical) / Sigmoid (binary) - dL/dz directly and sets *fused = true.
double computeLoss(LossKind kind, const Matrix& output, const Matrix& target, Matrix* grad,
                   Activation lastActivation, bool* fused);

/// Sum over the batch of a metric's per-sample value ("accuracy" resolves from the loss as Keras:
/// binary for binary_crossentropy or a single output, sparse categorical for the sparse loss,
/// categorical otherwise).
double metricSum(std::string_view metric, LossKind loss, const Matrix& output, const Matrix& target);

} // namespace cklab
