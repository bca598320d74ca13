#include "core/loss/Loss.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

namespace cklab {

namespace {

// Keras' backend epsilon: probabilities are clipped to [eps, 1 - eps] before the log.
constexpr float kEpsilon = 1e-7f;

constexpr std::array<std::string_view, 5> kLossNames{
    "categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy",
    "mean_squared_error", "mean_absolute_error"};

[[noreturn]] void shapeError(std::string_view what, const Matrix& output, const Matrix& target)
{
    throw std::invalid_argument(std::string(what) + ": output is [" + std::to_string(output.rows()) + ", "
                                + std::to_string(output.cols()) + "], target is [" + std::to_string(target.rows())
                                + ", " + std::to_string(target.cols()) + "]");
}

void requireSameShape(std::string_view what, const Matrix& output, const Matrix& target)
{
    if (output.rows() != target.rows() || output.cols() != target.cols())
        shapeError(what, output, target);
}

int classOf(const Matrix& target, Eigen::Index row, Eigen::Index classes)
{
    const float v = target(row, 0);
    const int c = static_cast<int>(std::lround(v));
    if (c < 0 || c >= classes)
        throw std::invalid_argument("sparse target " + std::to_string(v) + " in row " + std::to_string(row)
                                    + " is not a class index in [0, " + std::to_string(classes) + ")");
    return c;
}

Eigen::Index argmaxRow(const Matrix& m, Eigen::Index row)
{
    Eigen::Index best = 0;
    m.row(row).maxCoeff(&best);
    return best;
}

// Categorical cross-entropy (one-hot or sparse targets) as Keras computes it from probabilities:
// normalise each row to sum 1, clip to [eps, 1 - eps], -sum y log p.
double crossentropy(bool sparse, const Matrix& output, const Matrix& target, Matrix* grad, bool fusedSoftmax)
{
    const Eigen::Index n = output.rows();
    const Eigen::Index k = output.cols();
    if (sparse ? (target.rows() != n || target.cols() != 1) : (target.rows() != n || target.cols() != k))
        shapeError(sparse ? "sparse_categorical_crossentropy" : "categorical_crossentropy", output, target);
    const float invN = 1.0f / static_cast<float>(n);
    double total = 0.0;
    if (grad)
        grad->resize(n, k);
    for (Eigen::Index r = 0; r < n; ++r) {
        const float rowSum = output.row(r).sum();
        const int cls = sparse ? classOf(target, r, k) : -1;
        for (Eigen::Index c = 0; c < k; ++c) {
            const float y = sparse ? (c == cls ? 1.0f : 0.0f) : target(r, c);
            if (y != 0.0f) {
                const float p = std::clamp(output(r, c) / rowSum, kEpsilon, 1.0f - kEpsilon);
                total -= static_cast<double>(y) * std::log(static_cast<double>(p));
            }
        }
        if (!grad)
            continue;
        if (fusedSoftmax) {
            // dL/dz_c = p_c * sum(y) - y_c, which is p - y for targets that sum to 1.
            const float ySum = sparse ? 1.0f : target.row(r).sum();
            for (Eigen::Index c = 0; c < k; ++c) {
                const float y = sparse ? (c == cls ? 1.0f : 0.0f) : target(r, c);
                (*grad)(r, c) = (output(r, c) * ySum - y) * invN;
            }
            continue;
        }
        // dL/dp_c = -y_c / p_c (zero where the clip is active), then through p = o / sum(o).
        float dot = 0.0f;
        for (Eigen::Index c = 0; c < k; ++c) {
            const float y = sparse ? (c == cls ? 1.0f : 0.0f) : target(r, c);
            const float p = output(r, c) / rowSum;
            const float g = (p > kEpsilon && p < 1.0f - kEpsilon) ? -y / p : 0.0f;
            (*grad)(r, c) = g;
            dot += g * p;
        }
        for (Eigen::Index c = 0; c < k; ++c)
            (*grad)(r, c) = ((*grad)(r, c) - dot) / rowSum * invN;
    }
    return total / static_cast<double>(n);
}

double binaryCrossentropy(const Matrix& output, const Matrix& target, Matrix* grad, bool fusedSigmoid)
{
    requireSameShape("binary_crossentropy", output, target);
    const Eigen::Index n = output.rows();
    const Eigen::Index k = output.cols();
    // Mean over the last axis per sample, then over the batch.
    const float scale = 1.0f / static_cast<float>(n * k);
    double total = 0.0;
    if (grad)
        grad->resize(n, k);
    for (Eigen::Index r = 0; r < n; ++r) {
        for (Eigen::Index c = 0; c < k; ++c) {
            const float y = target(r, c);
            const float o = output(r, c);
            const float p = std::clamp(o, kEpsilon, 1.0f - kEpsilon);
            total -= static_cast<double>(y) * std::log(static_cast<double>(p))
                     + static_cast<double>(1.0f - y) * std::log(1.0 - static_cast<double>(p));
            if (!grad)
                continue;
            if (fusedSigmoid)
                (*grad)(r, c) = (o - y) * scale;
            else
                (*grad)(r, c) = (o > kEpsilon && o < 1.0f - kEpsilon) ? (-y / o + (1.0f - y) / (1.0f - o)) * scale : 0.0f;
        }
    }
    return total / static_cast<double>(n * k);
}

double meanError(bool squared, const Matrix& output, const Matrix& target, Matrix* grad)
{
    requireSameShape(squared ? "mean_squared_error" : "mean_absolute_error", output, target);
    const Eigen::Index n = output.rows();
    const Eigen::Index k = output.cols();
    const float scale = 1.0f / static_cast<float>(n * k);
    double total = 0.0;
    if (grad)
        grad->resize(n, k);
    for (Eigen::Index r = 0; r < n; ++r) {
        for (Eigen::Index c = 0; c < k; ++c) {
            const float d = output(r, c) - target(r, c);
            total += squared ? static_cast<double>(d) * d : std::abs(static_cast<double>(d));
            if (grad)
                (*grad)(r, c) = squared ? 2.0f * d * scale : (d > 0.0f ? scale : (d < 0.0f ? -scale : 0.0f));
        }
    }
    return total / static_cast<double>(n * k);
}

// Per-sample error metric summed over the batch; sparse targets are compared one-hot.
double errorMetricSum(bool squared, LossKind loss, const Matrix& output, const Matrix& target)
{
    const Eigen::Index n = output.rows();
    const Eigen::Index k = output.cols();
    const bool sparse = loss == LossKind::SparseCategoricalCrossentropy && target.cols() == 1 && k > 1;
    if (!sparse)
        requireSameShape(squared ? "mse" : "mae", output, target);
    double total = 0.0;
    for (Eigen::Index r = 0; r < n; ++r) {
        const int cls = sparse ? classOf(target, r, k) : -1;
        double rowSum = 0.0;
        for (Eigen::Index c = 0; c < k; ++c) {
            const float y = sparse ? (c == cls ? 1.0f : 0.0f) : target(r, c);
            const double d = static_cast<double>(output(r, c) - y);
            rowSum += squared ? d * d : std::abs(d);
        }
        total += rowSum / static_cast<double>(k);
    }
    return total;
}

double accuracySum(LossKind loss, const Matrix& output, const Matrix& target)
{
    const Eigen::Index n = output.rows();
    const Eigen::Index k = output.cols();
    double total = 0.0;
    if (loss == LossKind::BinaryCrossentropy || k == 1) {
        requireSameShape("accuracy", output, target);
        for (Eigen::Index r = 0; r < n; ++r) {
            int hits = 0;
            for (Eigen::Index c = 0; c < k; ++c)
                hits += ((output(r, c) > 0.5f ? 1.0f : 0.0f) == target(r, c)) ? 1 : 0;
            total += static_cast<double>(hits) / static_cast<double>(k);
        }
    } else if (loss == LossKind::SparseCategoricalCrossentropy) {
        if (target.rows() != n || target.cols() != 1)
            shapeError("accuracy", output, target);
        for (Eigen::Index r = 0; r < n; ++r)
            total += argmaxRow(output, r) == classOf(target, r, k) ? 1.0 : 0.0;
    } else {
        requireSameShape("accuracy", output, target);
        for (Eigen::Index r = 0; r < n; ++r)
            total += argmaxRow(output, r) == argmaxRow(target, r) ? 1.0 : 0.0;
    }
    return total;
}

} // namespace

std::string_view lossName(LossKind k)
{
    return kLossNames[static_cast<std::size_t>(k)];
}

std::optional<LossKind> lossFromName(std::string_view name)
{
    if (name == "mse")
        return LossKind::MeanSquaredError;
    if (name == "mae")
        return LossKind::MeanAbsoluteError;
    for (std::size_t i = 0; i < kLossNames.size(); ++i) {
        if (kLossNames[i] == name)
            return static_cast<LossKind>(i);
    }
    return std::nullopt;
}

const std::vector<std::string>& lossNames()
{
    static const std::vector<std::string> names(kLossNames.begin(), kLossNames.end());
    return names;
}

const std::vector<std::string>& metricNames()
{
    static const std::vector<std::string> names{"accuracy", "mse", "mae"};
    return names;
}

double computeLoss(LossKind kind, const Matrix& output, const Matrix& target, Matrix* grad,
                   Activation lastActivation, bool* fused)
{
    if (fused)
        *fused = false;
    if (output.rows() == 0)
        throw std::invalid_argument("computeLoss: empty batch");
    switch (kind) {
    case LossKind::CategoricalCrossentropy:
    case LossKind::SparseCategoricalCrossentropy: {
        const bool fuse = grad && lastActivation == Activation::Softmax && fused;
        if (fuse)
            *fused = true;
        return crossentropy(kind == LossKind::SparseCategoricalCrossentropy, output, target, grad, fuse);
    }
    case LossKind::BinaryCrossentropy: {
        const bool fuse = grad && lastActivation == Activation::Sigmoid && fused;
        if (fuse)
            *fused = true;
        return binaryCrossentropy(output, target, grad, fuse);
    }
    case LossKind::MeanSquaredError: return meanError(true, output, target, grad);
    case LossKind::MeanAbsoluteError: return meanError(false, output, target, grad);
    }
    throw std::invalid_argument("computeLoss: unknown loss");
}

double metricSum(std::string_view metric, LossKind loss, const Matrix& output, const Matrix& target)
{
    if (metric == "accuracy")
        return accuracySum(loss, output, target);
    if (metric == "mse")
        return errorMetricSum(true, loss, output, target);
    if (metric == "mae")
        return errorMetricSum(false, loss, output, target);
    throw std::invalid_argument("unknown metric '" + std::string(metric) + "'");
}

} // namespace cklab
