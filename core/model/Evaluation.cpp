#include "core/model/Evaluation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "core/model/Model.h"

namespace cklab {

namespace {

std::string shapeText(const Matrix& m)
{
    return "[" + std::to_string(m.rows()) + ", " + std::to_string(m.cols()) + "]";
}

[[noreturn]] void mismatch(const Matrix& output, const Matrix& target, const std::string& expected)
{
    throw std::invalid_argument("evaluation: output is " + shapeText(output) + ", target is " + shapeText(target) +
                                "; expected " + expected);
}

int argmaxRow(const Matrix& m, Eigen::Index row)
{
    Eigen::Index best = 0;
    m.row(row).maxCoeff(&best);
    return static_cast<int>(best);
}

constexpr int kNoClass = -1; // the predicted class of a row with non-finite outputs

bool rowFinite(const Matrix& m, Eigen::Index row)
{
    return m.row(row).allFinite();
}

/// True class, predicted class (kNoClass for a non-finite row) and confidence of every row;
/// throws on shapes that do not fit.
struct Decisions {
    int classes = 0;
    std::vector<int> truth, predicted;
    std::vector<double> confidence;
};

Decisions decide(const Matrix& output, const Matrix& target, LossKind loss)
{
    const Eigen::Index n = output.rows();
    const Eigen::Index k = output.cols();
    if (target.rows() != n)
        mismatch(output, target, "as many target rows as output rows");
    Decisions d;
    d.truth.resize(static_cast<std::size_t>(n));
    d.predicted.resize(static_cast<std::size_t>(n));
    d.confidence.resize(static_cast<std::size_t>(n));
    const bool sigmoid = k == 1;
    if (sigmoid) {
        // One sigmoid output: class 1 when p > 0.5 (Keras' binary accuracy threshold).
        if (target.cols() != 1)
            mismatch(output, target, "a [n, 1] 0/1 target for one output");
        d.classes = 2;
        for (Eigen::Index r = 0; r < n; ++r) {
            const double p = output(r, 0);
            const auto i = static_cast<std::size_t>(r);
            d.truth[i] = target(r, 0) > 0.5f ? 1 : 0;
            // NaN > 0.5 is false: without this a NaN output would be "class 0".
            d.predicted[i] = !std::isfinite(p) ? kNoClass : p > 0.5 ? 1 : 0;
            d.confidence[i] = d.predicted[i] == 1 ? p : d.predicted[i] == 0 ? 1.0 - p : 0.0;
        }
        return d;
    }
    const bool index = target.cols() == 1 && loss != LossKind::BinaryCrossentropy;
    if (!index && target.cols() != k)
        mismatch(output, target, "a one-hot target [n, " + std::to_string(k) + "] or a class index [n, 1]");
    d.classes = static_cast<int>(k);
    for (Eigen::Index r = 0; r < n; ++r) {
        const auto i = static_cast<std::size_t>(r);
        if (index) {
            const float v = target(r, 0);
            const long c = std::lround(v);
            if (c < 0 || c >= k)
                throw std::invalid_argument("evaluation: target " + std::to_string(v) + " in row " + std::to_string(r) +
                                            " is not a class index in [0, " + std::to_string(k) + ")");
            d.truth[i] = static_cast<int>(c);
        } else {
            d.truth[i] = argmaxRow(target, r);
        }
        if (!rowFinite(output, r)) {
            // Eigen's maxCoeff over NaN picks an arbitrary index, and Inf / Inf confidences are
            // NaN, which would break the sort of the mistakes: no class at all.
            d.predicted[i] = kNoClass;
            d.confidence[i] = 0.0;
            continue;
        }
        const int p = argmaxRow(output, r);
        const double sum = output.row(r).sum();
        d.predicted[i] = p;
        d.confidence[i] = sum > 0.0 ? output(r, p) / sum : 0.0;
    }
    return d;
}

double meanAbsoluteError(const Matrix& output, const Matrix& target)
{
    if (output.rows() != target.rows() || output.cols() != target.cols())
        mismatch(output, target, "the same shape");
    if (output.size() == 0)
        return 0.0;
    return (output - target).cwiseAbs().cast<double>().sum() / static_cast<double>(output.size());
}

} // namespace

std::string Evaluation::nonFiniteNotice() const
{
    if (nonFiniteSamples == 0)
        return {};
    return fmt::format("{} of {} samples have non-finite (NaN/Inf) outputs: counted as wrong, no predicted class; "
                       "the loss is not a number",
                       nonFiniteSamples, samples);
}

std::string regressionNotice()
{
    return "evaluation of a regression model has no confusion matrix: showing loss and MAE only";
}

Evaluation evaluateOutputs(const Matrix& output, const Matrix& target, LossKind loss, int numClasses,
                           const std::vector<std::string>& classNames, const std::vector<std::string>& metrics)
{
    Evaluation e;
    e.loss = loss;
    e.samples = output.rows();
    if (e.samples == 0)
        throw std::invalid_argument("evaluation: no samples to evaluate");
    e.logs["loss"] = computeLoss(loss, output, target, nullptr, Activation::Linear, nullptr);
    for (const std::string& m : metrics)
        e.logs[m] = metricSum(m, loss, output, target) / static_cast<double>(e.samples);
    for (Eigen::Index r = 0; r < output.rows(); ++r)
        if (!rowFinite(output, r))
            e.nonFiniteRows.push_back(static_cast<long long>(r));
    e.nonFiniteSamples = static_cast<long long>(e.nonFiniteRows.size());
    // The loss clips probabilities; whatever a clipped NaN gives, a mean over outputs that are not
    // numbers is not a number either.
    if (e.nonFiniteSamples > 0 && std::isfinite(e.logs["loss"]))
        e.logs["loss"] = std::numeric_limits<double>::quiet_NaN();

    const bool multiLabel = loss == LossKind::BinaryCrossentropy && output.cols() > 1;
    if (numClasses <= 0 || multiLabel) {
        e.noConfusionReason = multiLabel ? "evaluation of a multi-label sigmoid model has no confusion matrix: "
                                           "showing loss and MAE only"
                                         : regressionNotice();
        e.mae = meanAbsoluteError(output, target);
        return e;
    }
    const Decisions d = decide(output, target, loss);
    e.classification = true;
    const auto k = static_cast<std::size_t>(d.classes);
    for (std::size_t c = 0; c < k; ++c)
        e.classNames.push_back(classNames.size() == k ? classNames[c] : std::to_string(c));
    e.confusion.assign(k, std::vector<long long>(k, 0));
    std::vector<std::size_t> wrong;
    e.perClass.resize(k);
    for (std::size_t i = 0; i < d.truth.size(); ++i) {
        const auto t = static_cast<std::size_t>(d.truth[i]);
        if (d.predicted[i] == kNoClass) {
            ++e.perClass[t].unclassifiable;
            continue;
        }
        ++e.confusion[t][static_cast<std::size_t>(d.predicted[i])];
        if (d.truth[i] != d.predicted[i])
            wrong.push_back(i);
    }
    long long trace = 0;
    for (std::size_t c = 0; c < k; ++c) {
        ClassStats& s = e.perClass[c];
        s.correct = e.confusion[c][c];
        s.support = s.unclassifiable;
        for (std::size_t j = 0; j < k; ++j) {
            s.support += e.confusion[c][j];
            s.predicted += e.confusion[j][c];
        }
        if (s.support > 0)
            s.recall = static_cast<double>(s.correct) / static_cast<double>(s.support);
        if (s.predicted > 0)
            s.precision = static_cast<double>(s.correct) / static_cast<double>(s.predicted);
        trace += s.correct;
    }
    e.accuracy = static_cast<double>(trace) / static_cast<double>(e.samples);
    // The compiled metric takes an argmax over NaN too: report the accuracy computed above.
    if (e.nonFiniteSamples > 0 && e.logs.count("accuracy") > 0)
        e.logs["accuracy"] = e.accuracy;
    std::stable_sort(wrong.begin(), wrong.end(),
                     [&](std::size_t a, std::size_t b) { return d.confidence[a] > d.confidence[b]; });
    for (const std::size_t i : wrong)
        e.misclassified.push_back({static_cast<long long>(i), d.truth[i], d.predicted[i], d.confidence[i]});
    return e;
}

Evaluation evaluateModel(const Model& model, const Matrix& x, const Matrix& y, int numClasses,
                         const std::vector<std::string>& classNames, int batchSize)
{
    const Eigen::Index n = x.rows();
    const Eigen::Index chunk = batchSize > 0 ? batchSize : std::max<Eigen::Index>(n, 1);
    Matrix output;
    for (Eigen::Index start = 0; start < n; start += chunk) {
        const Eigen::Index rows = std::min(chunk, n - start);
        const Matrix part = model.predict(x.middleRows(start, rows));
        if (start == 0)
            output.resize(n, part.cols());
        output.middleRows(start, rows) = part;
    }
    return evaluateOutputs(output, y, model.compileConfig().loss, numClasses, classNames, model.metricNames());
}

} // namespace cklab
