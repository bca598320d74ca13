// The image layers of issue 17: finite-difference gradient checks of Conv2D (valid/same,
// strides, 1x1), Max/AveragePooling2D (valid/same), GlobalAveragePooling2D, Flatten, Reshape,
// Dropout after conv and BatchNormalization (training and inference, after Dense and conv),
// plus forward values against direct loops, BatchNormalization's moving statistics and
// bit-identical results at 1 and 2 threads.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>

#include <QTemporaryDir>

#include "core/io/CheckpointFile.h"
#include "core/nn/Parallelism.h"
#include "core/model/Model.h"
#include "core/nn/Rng.h"
#include "core/nn/Sequential.h"
#include "core/nn/WorkerPool.h"
#include "tests/support/ConvSpecs.h"

using namespace cklab;
using namespace cklab::testspecs;

namespace {

constexpr float kStep = 1e-3f;

Matrix randomMatrix(Rng& rng, Eigen::Index rows, Eigen::Index cols, float lo, float hi)
{
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = rng.uniform(lo, hi);
    return m;
}

bool close(double numeric, double analytic)
{
    return std::abs(numeric - analytic) <= 3e-3 + 3e-2 * std::abs(analytic);
}

} // namespace

class TestConvLayers : public QObject {
    Q_OBJECT

private slots:
    // model.summary() of Keras' "simple MNIST convnet": shapes, parameters, keys.
    void summaryAsKeras()
    {
        const ModelSpec spec = mnistConvnet();
        QVERIFY(spec.validate().empty());
        const std::vector<LayerSummary> rows = spec.summary();
        QCOMPARE(rows.size(), std::size_t(7));
        const std::vector<std::vector<int>> shapes{{26, 26, 32}, {13, 13, 32}, {11, 11, 64}, {5, 5, 64}, {1600}, {1600}, {10}};
        const std::vector<long long> params{320, 0, 18496, 0, 0, 0, 16010};
        const std::vector<std::string> keys{"conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "flatten", "dropout", "dense"};
        for (std::size_t i = 0; i < rows.size(); ++i) {
            QCOMPARE(rows[i].outputShape, shapes[i]);
            QCOMPARE(rows[i].parameters, params[i]);
            QCOMPARE(rows[i].key, keys[i]);
        }
        QCOMPARE(rows[0].className, std::string("Conv2D"));
        QCOMPARE(spec.layerKeys(), keys);
        QCOMPARE(spec.parameterCount(), 34826LL);
        QCOMPARE(spec.outputDim(), 10);
        const Sequential net(spec);
        const auto info = net.variableInfo();
        QCOMPARE(info[0].fileShape, (std::vector<int>{3, 3, 1, 32}));
        QCOMPARE(info[0].rows, 9);
        QCOMPARE(info[2].fileShape, (std::vector<int>{3, 3, 32, 64}));
        QCOMPARE(info[3].fileShape, (std::vector<int>{64}));
        QCOMPARE(info[4].fileShape, (std::vector<int>{1600, 10}));
    }

    void validationNamesTheField_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<QString>("expected");
        QTest::newRow("dense on image") << 0 << "model.layers[0]: Dense needs a flat input, got [6, 6, 1]; put a Flatten or GlobalAveragePooling2D layer before it";
        QTest::newRow("kernel too big") << 1 << "model.layers[0].kernel_size: [7, 3] does not fit the input [6, 6, 1] with padding 'valid'; use a smaller window or padding 'same'";
        QTest::newRow("kernel zero") << 2 << "model.layers[0].kernel_size: must be positive integers, got [0, 3]";
        QTest::newRow("filters") << 3 << "model.layers[0].filters: must be a positive integer, got 0";
        QTest::newRow("strides") << 4 << "model.layers[1].strides: must be positive integers, got [-1, 2]";
        QTest::newRow("reshape size") << 5 << "model.layers[1].target_shape: [5, -1] does not hold the 36 values of the input [6, 6, 1]";
        QTest::newRow("reshape two unknowns") << 6 << "model.layers[1].target_shape: dimensions must be positive integers (one may be -1), got [-1, -1]";
        QTest::newRow("conv on flat") << 7 << "model.layers[1]: Conv2D needs an image input [height, width, channels], got [36]";
        QTest::newRow("input_dim mismatch") << 8 << "model.input_dim: must be 36 (the values of input_shape [6, 6, 1]), got 35";
        QTest::newRow("bn momentum") << 9 << "model.layers[0].momentum: must be in [0, 1], got 1.5";
        QTest::newRow("bn epsilon") << 10 << "model.layers[0].epsilon: must be a finite number > 0, got 0";
        QTest::newRow("later layer after a bad one") << 11 << "model.layers[2].units: must be a positive integer, got 0";
    }

    void validationNamesTheField()
    {
        QFETCH(int, row);
        QFETCH(QString, expected);
        ModelSpec spec = imageSpec({6, 6, 1});
        LayerSpec bn = batchNorm();
        switch (row) {
        case 0: spec.layers = {dense(3)}; break;
        case 1: spec.layers = {conv(2, {7, 3}), flatten(), dense(2)}; break;
        case 2: spec.layers = {conv(2, {0, 3}), flatten(), dense(2)}; break;
        case 3: spec.layers = {conv(0, {3, 3}), flatten(), dense(2)}; break;
        case 4: spec.layers = {conv(2, {3, 3}), maxPool({2, 2}, Padding::Valid, {-1, 2}), flatten(), dense(2)}; break;
        case 5: spec.layers = {conv(1, {1, 1}), reshape({5, -1}), flatten(), dense(2)}; break;
        case 6: spec.layers = {conv(1, {1, 1}), reshape({-1, -1}), flatten(), dense(2)}; break;
        case 7: spec.layers = {flatten(), conv(2, {3, 3})}; break;
        case 8: spec.inputDim = 35; spec.layers = {flatten(), dense(2)}; break;
        case 9: bn.momentum = 1.5f; spec.layers = {bn, flatten(), dense(2)}; break;
        case 10: bn.epsilon = 0.0f; spec.layers = {bn, flatten(), dense(2)}; break;
        default: spec.layers = {dense(3), flatten(), dense(0)}; break;
        }
        const std::vector<std::string> problems = spec.validate();
        QVERIFY2(std::find(problems.begin(), problems.end(), expected.toStdString()) != problems.end(),
                 qPrintable(QString::fromStdString(problems.empty() ? std::string("no problem") : problems.front())));
    }

    void gradients_data()
    {
        QTest::addColumn<int>("row");
        const char* names[] = {"conv valid tanh", "conv same strides 2 kernel 2x3, conv 1x1", "maxpool valid",
                               "maxpool same pool 3 strides 2", "avgpool valid", "avgpool same pool 3 strides 2",
                               "global average pooling", "conv bn training", "dense bn training",
                               "conv bn inference", "bn without center and scale", "bn without scale",
                               "reshape between convs", "dropout after conv"};
        for (int i = 0; i < int(std::size(names)); ++i)
            QTest::newRow(names[i]) << i;
    }

    void gradients()
    {
        QFETCH(int, row);
        ModelSpec spec = imageSpec({5, 6, 2});
        bool training = true;
        switch (row) {
        case 0: spec.layers = {conv(3, {3, 3}, Activation::Tanh), flatten(), dense(4)}; break;
        case 1: spec.layers = {conv(3, {2, 3}, Activation::Tanh, Padding::Same, {2, 2}), conv(2, {1, 1}, Activation::Elu), flatten(), dense(3)}; break;
        case 2: spec.layers = {conv(3, {2, 2}, Activation::Tanh), maxPool({2, 2}), flatten(), dense(3)}; break;
        case 3: spec.layers = {conv(3, {2, 2}, Activation::Tanh), maxPool({3, 3}, Padding::Same, {2, 2}), flatten(), dense(3)}; break;
        case 4: spec.layers = {conv(3, {2, 2}, Activation::Tanh), avgPool({2, 2}), flatten(), dense(3)}; break;
        case 5: spec.layers = {conv(3, {2, 2}, Activation::Tanh), avgPool({3, 3}, Padding::Same, {2, 2}), flatten(), dense(3)}; break;
        case 6: spec.layers = {conv(4, {3, 3}, Activation::Tanh, Padding::Same), globalAvgPool(), dense(3)}; break;
        case 7: spec.layers = {conv(3, {3, 3}), batchNorm(), flatten(), dense(3, Activation::Tanh)}; break;
        case 8: spec.layers = {flatten(), dense(5), batchNorm(), dense(3, Activation::Tanh)}; break;
        case 9: spec.layers = {conv(3, {3, 3}), batchNorm(), flatten(), dense(3)}; training = false; break;
        case 10: spec.layers = {conv(3, {3, 3}), batchNorm(false, false), flatten(), dense(3)}; break;
        case 11: spec.layers = {conv(3, {3, 3}), batchNorm(true, false), flatten(), dense(3)}; break;
        case 12: spec.layers = {conv(3, {2, 2}, Activation::Tanh), reshape({4, -1, 3}), conv(2, {2, 2}), flatten(), dense(2)}; break;
        default: spec.layers = {conv(3, {3, 3}, Activation::Tanh), dropout(0.4f), flatten(), dense(3)}; break;
        }
        QVERIFY2(spec.validate().empty(), spec.validate().empty() ? "" : spec.validate().front().c_str());
        Sequential net(spec);
        Rng init(3);
        net.initialize(init);
        // Non-trivial biases, gamma, beta and moving statistics so that every path matters.
        const auto info = net.variableInfo();
        auto vars = net.variables();
        for (std::size_t i = 0; i < vars.size(); ++i)
            if (info[i].name != "kernel")
                *vars[i] = randomMatrix(init, 1, vars[i]->cols(), info[i].name == "moving_variance" ? 0.5f : -0.5f, 1.0f);
        Rng data(9);
        const Matrix x = randomMatrix(data, 4, spec.inputDim, -1.0f, 1.0f);
        const Matrix weights = randomMatrix(data, 4, spec.outputDim(), -1.0f, 1.0f);
        auto objective = [&] {
            Rng mask(21);
            const Matrix& out = net.forward(x, training, &mask);
            return (out.cast<double>().array() * weights.cast<double>().array()).sum();
        };
        objective();
        net.backward(weights);
        const std::vector<Matrix> analytic = net.gradients();
        const std::vector<Matrix*> trainable = net.trainableVariables();
        QCOMPARE(analytic.size(), trainable.size());
        for (std::size_t v = 0; v < trainable.size(); ++v) {
            Matrix& m = *trainable[v];
            for (Eigen::Index i = 0; i < m.size(); ++i) {
                const float saved = m.data()[i];
                m.data()[i] = saved + kStep;
                const double up = objective();
                m.data()[i] = saved - kStep;
                const double down = objective();
                m.data()[i] = saved;
                const double numeric = (up - down) / (2.0 * double(kStep));
                QVERIFY2(close(numeric, analytic[v].data()[i]),
                         qPrintable(QString("variable %1 element %2: numeric %3, analytic %4")
                                        .arg(v).arg(i).arg(numeric).arg(analytic[v].data()[i])));
            }
        }
    }

    // Conv2D against a direct loop, with TensorFlow's same padding: for a 4x4 input, kernel 2
    // and stride 1, out is 4 and the one padding row/column goes to the bottom/right.
    void convSamePaddingAtBottomRight()
    {
        ModelSpec spec = imageSpec({4, 5, 2});
        spec.layers = {conv(3, {2, 3}, Activation::Linear, Padding::Same, {1, 2})};
        Sequential net(spec);
        Rng rng(5);
        net.initialize(rng);
        *net.variables()[1] = randomMatrix(rng, 1, 3, -1.0f, 1.0f);
        const Matrix x = randomMatrix(rng, 2, spec.inputDim, -1.0f, 1.0f);
        const Matrix out = net.predict(x);
        QCOMPARE(spec.summary().front().outputShape, (std::vector<int>{4, 3, 3}));
        const Matrix& k = *net.variables()[0]; // (kh, kw, in, out) row-major
        const Matrix& b = *net.variables()[1];
        // pad along H: (4-1)*1 + 2 - 4 = 1 -> top 0, bottom 1; along W: out 3, (3-1)*2 + 3 - 5 = 2 -> left 1, right 1.
        for (int s = 0; s < 2; ++s)
            for (int oy = 0; oy < 4; ++oy)
                for (int ox = 0; ox < 3; ++ox)
                    for (int f = 0; f < 3; ++f) {
                        double acc = b(0, f);
                        for (int ky = 0; ky < 2; ++ky)
                            for (int kx = 0; kx < 3; ++kx)
                                for (int c = 0; c < 2; ++c) {
                                    const int iy = oy + ky, ix = ox * 2 - 1 + kx;
                                    if (iy >= 4 || ix < 0 || ix >= 5)
                                        continue;
                                    acc += double(x(s, (iy * 5 + ix) * 2 + c)) * k((ky * 3 + kx) * 2 + c, f);
                                }
                        QVERIFY(std::abs(acc - out(s, (oy * 3 + ox) * 3 + f)) < 1e-5);
                    }
    }

    // Keras: average pooling with padding "same" divides by the values inside the window.
    void averagePoolingSameCountsValidValues()
    {
        ModelSpec spec = imageSpec({3, 3, 1});
        // A 1x1 identity convolution in front: a model needs a layer with weights.
        spec.layers = {conv(1, {1, 1}), avgPool({2, 2}, Padding::Same, {2, 2}), flatten()};
        Sequential net(spec);
        net.variables()[0]->setOnes();
        Matrix x(1, 9);
        x << 1, 2, 3, 4, 5, 6, 7, 8, 9;
        const Matrix out = net.predict(x);
        QCOMPARE(out.cols(), Eigen::Index(4));
        QCOMPARE(out(0, 0), 3.0f);   // (1 + 2 + 4 + 5) / 4
        QCOMPARE(out(0, 1), 4.5f);   // (3 + 6) / 2
        QCOMPARE(out(0, 2), 7.5f);   // (7 + 8) / 2
        QCOMPARE(out(0, 3), 9.0f);   // 9 alone
        ModelSpec maxSpec = spec;
        maxSpec.layers[1] = maxPool({2, 2}, Padding::Same, {2, 2});
        Sequential maxNet(maxSpec);
        maxNet.variables()[0]->setOnes();
        const Matrix maxOut = maxNet.predict(x);
        QCOMPARE(maxOut(0, 0), 5.0f);
        QCOMPARE(maxOut(0, 3), 9.0f);
    }

    // Keras 3: moving = moving * momentum + batch * (1 - momentum), with the biased variance;
    // inference uses the moving statistics, gamma/beta are the only trainable variables.
    void batchNormMovingStatistics()
    {
        ModelSpec spec;
        spec.inputDim = 2;
        spec.layers = {batchNorm(), dense(1)};
        spec.layers[0].momentum = 0.5f;
        Sequential net(spec);
        Rng rng(1);
        net.initialize(rng);
        QCOMPARE(net.variables().size(), std::size_t(6));
        QCOMPARE(net.trainableVariables().size(), std::size_t(4));
        const auto info = net.variableInfo();
        QCOMPARE(info[2].name, std::string("moving_mean"));
        QVERIFY(!info[2].trainable && !info[3].trainable && info[0].trainable);
        Matrix x(4, 2);
        x << 1, 10, 2, 20, 3, 30, 6, 40;
        net.forward(x, true, nullptr);
        const Matrix& movingMean = *net.variables()[2];
        const Matrix& movingVar = *net.variables()[3];
        QCOMPARE(movingMean(0, 0), 0.5f * 3.0f);                // batch mean 3
        QCOMPARE(movingVar(0, 0), 0.5f * 1.0f + 0.5f * 3.5f);   // biased variance (4+1+0+9)/4
        QCOMPARE(movingMean(0, 1), 0.5f * 25.0f);
        // Inference: (x - moving_mean) / sqrt(moving_variance + eps) * gamma + beta.
        Matrix probe(1, 2);
        probe << 1.5f, 12.5f;
        *net.variables()[4] = Matrix::Ones(2, 1);
        net.variables()[5]->setZero();
        const Matrix y = net.predict(probe);
        QVERIFY(std::abs(y(0, 0)) < 1e-6f);
        QCOMPARE(spec.parameterCount(), 2LL * 4 + 3);
        QCOMPARE(spec.trainableParameterCount(), 2LL * 2 + 3);
    }

    // Resume equivalence with a convnet: two Adam steps straight equal one step, a save in each
    // format, a load into fresh objects and one more step - BatchNormalization's moving
    // statistics and the optimizer slots included.
    void resumeEquivalence_data()
    {
        QTest::addColumn<QString>("suffix");
        for (const char* suffix : {".weights.h5", ".keras", ".h5"})
            QTest::newRow(suffix) << QString(suffix);
    }

    void resumeEquivalence()
    {
        QFETCH(QString, suffix);
        ModelSpec spec = imageSpec({6, 6, 2});
        spec.layers = {conv(4, {3, 3}, Activation::Relu, Padding::Same), batchNorm(), maxPool({2, 2}), flatten(),
                       dropout(0.2f), dense(3, Activation::Softmax)};
        Rng data(4);
        const Matrix x = randomMatrix(data, 8, spec.inputDim, 0.0f, 1.0f);
        Matrix y = Matrix::Zero(8, 3);
        for (int r = 0; r < 8; ++r)
            y(r, r % 3) = 1.0f;
        Model straight(spec, CompileConfig{});
        Rng init(7);
        straight.initialize(init);
        Rng rngA(11);
        straight.trainStep(x, y, rngA);
        QTemporaryDir dir;
        const std::string path = dir.filePath("mid" + suffix).toStdString();
        saveCheckpoint(path, straight);
        const Rng afterOne = rngA;
        straight.trainStep(x, y, rngA);

        Model resumed(spec, CompileConfig{});
        loadIntoModel(readCheckpoint(path), resumed, true);
        Rng rngB = afterOne;
        resumed.trainStep(x, y, rngB);
        const auto a = straight.network().variables();
        const auto b = resumed.network().variables();
        QCOMPARE(a.size(), std::size_t(8)); // conv 2, BN 4, dense 2
        for (std::size_t i = 0; i < a.size(); ++i)
            QVERIFY2(*a[i] == *b[i], qPrintable(QString("variable %1 differs after resuming").arg(i)));
        QVERIFY(straight.optimizer().state().slotValues.size() == resumed.optimizer().state().slotValues.size());
    }

    // Results do not depend on the thread count (im2col, pooling, products).
    void bitIdenticalAcrossThreads()
    {
        ModelSpec spec = imageSpec({12, 12, 3});
        spec.layers = {conv(8, {3, 3}, Activation::Relu), maxPool({2, 2}), conv(8, {3, 3}, Activation::Relu, Padding::Same),
                       batchNorm(), avgPool({2, 2}), flatten(), dropout(0.3f), dense(4, Activation::Softmax)};
        auto run = [&](int threads) {
            setThreadCount(threads);
            Sequential net(spec);
            Rng rng(2);
            net.initialize(rng);
            const Matrix x = randomMatrix(rng, 64, spec.inputDim, 0.0f, 1.0f);
            const Matrix out = net.forward(x, true, &rng);
            net.backward(out);
            std::vector<Matrix> result = net.gradients();
            result.push_back(out);
            result.push_back(net.predict(x));
            return result;
        };
        const std::vector<Matrix> one = run(1);
        const std::vector<Matrix> two = run(2);
        setThreadCount(1);
        QCOMPARE(one.size(), two.size());
        for (std::size_t i = 0; i < one.size(); ++i)
            QVERIFY2(one[i] == two[i], qPrintable(QString("result %1 differs between 1 and 2 threads").arg(i)));
    }
};

QTEST_APPLESS_MAIN(TestConvLayers)

#include "TestConvLayers.moc"
