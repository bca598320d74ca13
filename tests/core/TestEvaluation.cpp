// core/model/Evaluation: confusion matrix, per-class recall/precision, misclassified order and
// loss, on small cases computed by hand; regression and bad shapes; a model evaluated in chunks.
#include <QtTest>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/nn/Rng.h"
#include "core/model/Evaluation.h"
#include "core/model/Model.h"

using namespace cklab;

namespace {

Matrix rows(std::initializer_list<std::initializer_list<float>> values)
{
    Matrix m(static_cast<Eigen::Index>(values.size()), static_cast<Eigen::Index>(values.begin()->size()));
    Eigen::Index r = 0;
    for (const auto& row : values) {
        Eigen::Index c = 0;
        for (const float v : row)
            m(r, c++) = v;
        ++r;
    }
    return m;
}

using Counts = std::vector<std::vector<long long>>;

// Five samples, three classes; class 2 is never predicted.
const Matrix kOutput = rows({{0.7f, 0.2f, 0.1f}, {0.6f, 0.3f, 0.1f}, {0.1f, 0.8f, 0.1f}, {0.2f, 0.7f, 0.1f},
                             {0.9f, 0.05f, 0.05f}});
const Matrix kOneHot = rows({{1, 0, 0}, {0, 1, 0}, {0, 1, 0}, {0, 0, 1}, {0, 0, 1}});
const Matrix kIndex = rows({{0}, {1}, {1}, {2}, {2}});

} // namespace

class TestEvaluation : public QObject {
    Q_OBJECT

private slots:
    void classNeverPredicted_data()
    {
        QTest::addColumn<int>("loss");
        QTest::newRow("one-hot") << int(LossKind::CategoricalCrossentropy);
        QTest::newRow("index") << int(LossKind::SparseCategoricalCrossentropy);
    }

    void classNeverPredicted()
    {
        QFETCH(int, loss);
        const auto kind = static_cast<LossKind>(loss);
        const Matrix& target = kind == LossKind::SparseCategoricalCrossentropy ? kIndex : kOneHot;
        const Evaluation e = evaluateOutputs(kOutput, target, kind, 3, {"cat", "dog", "owl"}, {"accuracy"});
        QVERIFY(e.classification);
        QCOMPARE(e.samples, 5LL);
        QCOMPARE(e.classNames, (std::vector<std::string>{"cat", "dog", "owl"}));
        QCOMPARE(e.confusion, (Counts{{1, 0, 0}, {1, 1, 0}, {1, 1, 0}}));
        QCOMPARE(e.accuracy, 0.4);
        QCOMPARE(e.logs.at("accuracy"), 0.4); // Keras' accuracy metric agrees with the trace
        const double loss5 = -(std::log(0.7) + std::log(0.3) + std::log(0.8) + std::log(0.1) + std::log(0.05)) / 5;
        QVERIFY2(std::abs(e.logs.at("loss") - loss5) < 1e-6, qPrintable(QString::number(e.logs.at("loss"))));
        // recall = diagonal / row sum, precision = diagonal / column sum.
        QCOMPARE(e.perClass[0].recall.value(), 1.0);
        QCOMPARE(e.perClass[1].recall.value(), 0.5);
        QCOMPARE(e.perClass[2].recall.value(), 0.0);
        QCOMPARE(e.perClass[0].precision.value(), 1.0 / 3.0);
        QCOMPARE(e.perClass[1].precision.value(), 0.5);
        QVERIFY(!e.perClass[2].precision.has_value()); // never predicted: undefined, not 0
        QCOMPARE(e.perClass[2].support, 2LL);
        QCOMPARE(e.perClass[2].predicted, 0LL);
        // The most confident mistakes first: row 4 (0.9 for class 0), row 3 (0.7), row 1 (0.6).
        QCOMPARE(e.misclassified.size(), std::size_t(3));
        QCOMPARE(e.misclassified[0].index, 4LL);
        QCOMPARE(e.misclassified[0].trueClass, 2);
        QCOMPARE(e.misclassified[0].predictedClass, 0);
        QVERIFY(std::abs(e.misclassified[0].confidence - 0.9) < 1e-6);
        QCOMPARE(e.misclassified[1].index, 3LL);
        QCOMPARE(e.misclassified[2].index, 1LL);
        QVERIFY(std::abs(e.misclassified[2].confidence - 0.6) < 1e-6);
    }

    void classAbsentFromData()
    {
        // No sample of class 2, but the model predicts it once: recall undefined, precision 0.
        const Matrix out = rows({{0.5f, 0.2f, 0.3f}, {0.1f, 0.3f, 0.6f}, {0.2f, 0.5f, 0.3f}});
        const Matrix y = rows({{0}, {1}, {1}});
        const Evaluation e = evaluateOutputs(out, y, LossKind::SparseCategoricalCrossentropy, 3, {});
        QCOMPARE(e.confusion, (Counts{{1, 0, 0}, {0, 1, 1}, {0, 0, 0}}));
        QVERIFY(!e.perClass[2].recall.has_value());
        QCOMPARE(e.perClass[2].precision.value(), 0.0);
        QCOMPARE(e.perClass[1].recall.value(), 0.5);
        // No class names: numbered.
        QCOMPARE(e.classNames, (std::vector<std::string>{"0", "1", "2"}));
        QCOMPARE(e.misclassified.size(), std::size_t(1));
        QCOMPARE(e.misclassified[0].predictedClass, 2);
    }

    void softmaxConfidenceIsNormalised()
    {
        // Outputs that do not sum to 1 (a linear last layer): confidence is the normalised share.
        const Matrix out = rows({{1.0f, 3.0f}});
        const Evaluation e = evaluateOutputs(out, rows({{1, 0}}), LossKind::MeanSquaredError, 2, {});
        QVERIFY(e.classification);
        QCOMPARE(e.misclassified.size(), std::size_t(1));
        QCOMPARE(e.misclassified[0].confidence, 0.75);
    }

    void binarySigmoid()
    {
        const Matrix out = rows({{0.9f}, {0.3f}, {0.6f}, {0.2f}});
        const Matrix y = rows({{1}, {1}, {0}, {0}});
        const Evaluation e = evaluateOutputs(out, y, LossKind::BinaryCrossentropy, 2, {"no", "yes"}, {"accuracy"});
        QVERIFY(e.classification);
        QCOMPARE(e.classNames, (std::vector<std::string>{"no", "yes"}));
        // true 0: row 2 -> 1, row 3 -> 0; true 1: row 0 -> 1, row 1 -> 0.
        QCOMPARE(e.confusion, (Counts{{1, 1}, {1, 1}}));
        QCOMPARE(e.accuracy, 0.5);
        QCOMPARE(e.logs.at("accuracy"), 0.5);
        const double bce = -(std::log(0.9) + std::log(0.3) + std::log(0.4) + std::log(0.8)) / 4;
        QVERIFY(std::abs(e.logs.at("loss") - bce) < 1e-6);
        // Row 1 said "no" with 0.7, row 2 said "yes" with 0.6.
        QCOMPARE(e.misclassified.size(), std::size_t(2));
        QCOMPARE(e.misclassified[0].index, 1LL);
        QCOMPARE(e.misclassified[0].predictedClass, 0);
        QVERIFY(std::abs(e.misclassified[0].confidence - 0.7) < 1e-6);
        QCOMPARE(e.misclassified[1].index, 2LL);
        QVERIFY(std::abs(e.misclassified[1].confidence - 0.6) < 1e-6);
    }

    void regressionHasNoConfusionMatrix()
    {
        const Matrix out = rows({{1.0f}, {2.0f}});
        const Matrix y = rows({{0.0f}, {4.0f}});
        const Evaluation e = evaluateOutputs(out, y, LossKind::MeanSquaredError, 0, {}, {"mae"});
        QVERIFY(!e.classification);
        QCOMPARE(QString::fromStdString(e.noConfusionReason), QString::fromStdString(regressionNotice()));
        QVERIFY(e.noConfusionReason.find("regression model has no confusion matrix") != std::string::npos);
        QVERIFY(e.confusion.empty());
        QVERIFY(e.perClass.empty());
        QVERIFY(e.misclassified.empty());
        QCOMPARE(e.logs.at("loss"), 2.5);
        QCOMPARE(e.mae, 1.5);
        QCOMPARE(e.logs.at("mae"), 1.5);
    }

    void badShapesAreNamed()
    {
        try {
            evaluateOutputs(kOutput, rows({{1, 0}, {0, 1}, {1, 0}, {0, 1}, {1, 0}}), LossKind::CategoricalCrossentropy,
                            3, {});
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains("[5, 3]") && QString(e.what()).contains("[5, 2]"), e.what());
        }
        try {
            evaluateOutputs(kOutput, rows({{0}, {1}, {7}, {0}, {1}}), LossKind::SparseCategoricalCrossentropy, 3, {});
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains("row 2"), e.what());
        }
    }

    void modelInChunksMatchesModelEvaluate()
    {
        ModelSpec spec;
        spec.inputDim = 4;
        LayerSpec hidden;
        hidden.units = 8;
        hidden.activation = Activation::Relu;
        LayerSpec out;
        out.units = 3;
        out.activation = Activation::Softmax;
        spec.layers = {hidden, out};
        Model model(spec, CompileConfig{});
        Rng rng(7);
        model.initialize(rng);
        const Eigen::Index n = 101;
        Matrix x(n, 4);
        Matrix y = Matrix::Zero(n, 3);
        for (Eigen::Index r = 0; r < n; ++r) {
            for (Eigen::Index c = 0; c < 4; ++c)
                x(r, c) = std::sin(0.37f * static_cast<float>(r * 4 + c));
            y(r, r % 3) = 1.0f;
        }
        const Evaluation e = evaluateModel(model, x, y, 3, {}, 16); // 7 chunks, the last one short
        const Logs reference = model.evaluate(x, y).means(model.metricNames());
        QVERIFY(std::abs(e.logs.at("loss") - reference.at("loss")) < 1e-6);
        QCOMPARE(e.accuracy, reference.at("accuracy"));
        long long total = 0;
        for (const auto& row : e.confusion)
            for (const long long v : row)
                total += v;
        QCOMPARE(total, static_cast<long long>(n));
        QCOMPARE(static_cast<long long>(e.misclassified.size()), n - std::llround(e.accuracy * double(n)));
    }

    // A diverged run's checkpoint: every weight NaN, so every output is NaN. The old code took
    // Eigen's argmax over NaN (class 0) and reported a bogus accuracy with a confusion matrix.
    void modelWithNaNWeights()
    {
        ModelSpec spec;
        spec.inputDim = 4;
        LayerSpec out;
        out.units = 3;
        out.activation = Activation::Softmax;
        spec.layers = {out};
        Model model(spec, CompileConfig{});
        for (Matrix* v : model.network().variables())
            v->setConstant(std::numeric_limits<float>::quiet_NaN());
        const Eigen::Index n = 9;
        Matrix x = Matrix::Ones(n, 4);
        Matrix y = Matrix::Zero(n, 3);
        for (Eigen::Index r = 0; r < n; ++r)
            y(r, r % 3) = 1.0f;
        const Evaluation e = evaluateModel(model, x, y, 3, {}, 4);
        QVERIFY(e.classification);
        QCOMPARE(e.nonFiniteSamples, 9LL);
        QCOMPARE(e.nonFiniteRows.size(), std::size_t(9));
        QCOMPARE(e.nonFiniteRows.back(), 8LL);
        QVERIFY(!std::isfinite(e.logs.at("loss")));
        QCOMPARE(e.accuracy, 0.0);
        QCOMPARE(e.logs.at("accuracy"), 0.0);
        QCOMPARE(e.confusion, (Counts{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}}));
        QVERIFY(e.misclassified.empty());
        for (const ClassStats& s : e.perClass) {
            QCOMPARE(s.support, 3LL);
            QCOMPARE(s.unclassifiable, 3LL);
            QCOMPARE(s.predicted, 0LL);
            QCOMPARE(*s.recall, 0.0);
            QVERIFY(!s.precision);
        }
        QVERIFY2(QString::fromStdString(e.nonFiniteNotice()).startsWith("9 of 9 samples have non-finite"),
                 e.nonFiniteNotice().c_str());
    }

    // Some rows NaN or Inf among finite ones: those rows are unclassifiable, the rest is evaluated
    // as usual (an Inf / Inf confidence would have been NaN in the sort of the mistakes).
    void someOutputsNotFinite_data()
    {
        QTest::addColumn<int>("loss");
        QTest::newRow("one-hot") << int(LossKind::CategoricalCrossentropy);
        QTest::newRow("index") << int(LossKind::SparseCategoricalCrossentropy);
    }

    void someOutputsNotFinite()
    {
        QFETCH(int, loss);
        const auto kind = static_cast<LossKind>(loss);
        const float inf = std::numeric_limits<float>::infinity();
        const float nan = std::numeric_limits<float>::quiet_NaN();
        Matrix output = kOutput;
        output.row(1) << inf, 0.0f, 0.0f;  // true class 1
        output.row(3) << 0.2f, nan, 0.1f;  // true class 2
        const Matrix& target = kind == LossKind::SparseCategoricalCrossentropy ? kIndex : kOneHot;
        const Evaluation e = evaluateOutputs(output, target, kind, 3, {"cat", "dog", "owl"}, {"accuracy"});
        QCOMPARE(e.nonFiniteSamples, 2LL);
        QCOMPARE(e.nonFiniteRows, (std::vector<long long>{1, 3}));
        QCOMPARE(e.confusion, (Counts{{1, 0, 0}, {0, 1, 0}, {1, 0, 0}}));
        QCOMPARE(e.accuracy, 0.4);
        QCOMPARE(e.logs.at("accuracy"), 0.4);
        QVERIFY(std::isnan(e.logs.at("loss")) || std::isinf(e.logs.at("loss")));
        QCOMPARE(e.perClass[1].support, 2LL);
        QCOMPARE(e.perClass[1].unclassifiable, 1LL);
        QCOMPARE(*e.perClass[1].recall, 0.5);
        QCOMPARE(e.perClass[2].support, 2LL);
        QCOMPARE(e.misclassified.size(), std::size_t(1));
        QCOMPARE(e.misclassified[0].index, 4LL);
        for (const Misclassified& m : e.misclassified)
            QVERIFY(m.predictedClass >= 0 && m.predictedClass < 3 && std::isfinite(m.confidence));
    }

    void binarySigmoidNaN()
    {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const Evaluation e = evaluateOutputs(rows({{0.9f}, {nan}, {0.2f}}), rows({{1}, {0}, {0}}),
                                             LossKind::BinaryCrossentropy, 2, {}, {"accuracy"});
        QCOMPARE(e.nonFiniteSamples, 1LL);
        QCOMPARE(e.confusion, (Counts{{1, 0}, {0, 1}}));  // the NaN row is not "class 0"
        QCOMPARE(e.accuracy, 2.0 / 3.0);
        QVERIFY(!std::isfinite(e.logs.at("loss")));
    }

    void regressionCountsNonFinite()
    {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const Evaluation e = evaluateOutputs(rows({{0.5f}, {nan}}), rows({{0.5f}, {1.0f}}),
                                             LossKind::MeanSquaredError, 0, {});
        QVERIFY(!e.classification);
        QCOMPARE(e.nonFiniteSamples, 1LL);
        QVERIFY(!std::isfinite(e.logs.at("loss")));
    }
};

QTEST_APPLESS_MAIN(TestEvaluation)
#include "TestEvaluation.moc"
