// ModelSpec validation texts, Keras layer keys, parameter counts, and Sequential's initialisation.
#include <QtTest>

#include <cmath>

#include "core/base/Errors.h"
#include "core/nn/ModelSpec.h"
#include "core/nn/Sequential.h"

using namespace cklab;

namespace {

LayerSpec dense(int units, Activation a = Activation::Linear, bool bias = true)
{
    LayerSpec l;
    l.units = units;
    l.activation = a;
    l.useBias = bias;
    return l;
}

LayerSpec dropout(float rate)
{
    LayerSpec l;
    l.kind = LayerSpec::Kind::Dropout;
    l.rate = rate;
    return l;
}

} // namespace

class TestModelSpec : public QObject {
    Q_OBJECT

private slots:
    void validateMessages()
    {
        ModelSpec spec;
        spec.inputDim = 0;
        spec.layers = {dense(4), dense(0), dropout(1.5f)};
        const auto problems = spec.validate();
        QCOMPARE(problems.size(), std::size_t(3));
        QCOMPARE(problems[0], std::string("model.input_dim: must be a positive integer, got 0"));
        QCOMPARE(problems[1], std::string("model.layers[1].units: must be a positive integer, got 0"));
        QCOMPARE(problems[2], std::string("model.layers[2].rate: must be in [0, 1), got 1.5"));
        try {
            Sequential net(spec);
            QFAIL("invalid spec accepted");
        } catch (const ConfigError& e) {
            QCOMPARE(e.problems(), problems);
        }
        ModelSpec empty;
        empty.inputDim = 3;
        QCOMPARE(empty.validate().size(), std::size_t(1));
    }

    // Issue 16, item 9: names that break a legacy .h5 save or make a file inspect cannot read
    // are refused before the run, as Keras refuses them.
    void layerNamesAsKeras()
    {
        ModelSpec spec;
        spec.inputDim = 3;
        spec.layers = {dense(4), dense(4), dense(2)};
        QVERIFY(spec.validate().empty());
        spec.layers[0].name = "a/b";
        spec.layers[1].name = std::string("x\0y", 3);
        spec.layers[2].name = "a/b";
        const auto problems = spec.validate();
        QCOMPARE(problems.size(), std::size_t(4));
        QCOMPARE(problems[0], std::string("model.layers[0].name: must not contain '/', got 'a/b'"));
        QVERIFY(problems[1].find("model.layers[1].name: must not contain control characters") == 0);
        QVERIFY(problems[3].find("model.layers[2].name: 'a/b' is already the name of model.layers[0]") == 0);
        // An explicit name equal to another layer's default key is a clash too.
        spec.layers = {dense(4), dense(4), dense(2)};
        spec.layers[0].name = "dense_1";
        const auto clash = spec.validate();
        QCOMPARE(clash.size(), std::size_t(1));
        QVERIFY(clash[0].find("model.layers[1].name: 'dense_1' is already the name of model.layers[0]") == 0);
    }

    void keysAndCounts()
    {
        ModelSpec spec;
        spec.inputDim = 5;
        spec.layers = {dense(10, Activation::Relu), dropout(0.5f), dense(7, Activation::Tanh, false), dropout(0.1f), dense(2, Activation::Softmax)};
        QVERIFY(spec.validate().empty());
        QCOMPARE(spec.layerKeys(), (std::vector<std::string>{"dense", "dropout", "dense_1", "dropout_1", "dense_2"}));
        QCOMPARE(spec.outputDim(), 2);
        QCOMPARE(spec.parameterCount(), 5LL * 10 + 10 + 10 * 7 + 7 * 2 + 2);
        Sequential net(spec);
        const auto info = net.variableInfo();
        QCOMPARE(info.size(), std::size_t(5));
        QCOMPARE(info[2].layerKey, std::string("dense_1"));
        QCOMPARE(info[2].slot, 0);
        QCOMPARE(info[3].layerKey, std::string("dense_2"));
        QCOMPARE(info[4].slot, 1);
        QCOMPARE(info[4].rows, 1);
        QCOMPARE(info[4].cols, 2);
    }

    void glorotUniformInit()
    {
        ModelSpec spec;
        spec.inputDim = 30;
        spec.layers = {dense(50, Activation::Relu), dense(3)};
        Sequential net(spec);
        Rng rng(7);
        net.initialize(rng);
        auto vars = net.variables();
        // Draw order: kernel of layer 0 row-major, then kernel of layer 1 (biases are zeros, no draws).
        Rng replay(7);
        const float limit0 = std::sqrt(6.0f / 80.0f);
        for (int r = 0; r < 30; ++r)
            for (int c = 0; c < 50; ++c)
                QCOMPARE((*vars[0])(r, c), replay.uniform(-limit0, limit0));
        QVERIFY(vars[1]->isZero(0.0f));
        const float limit1 = std::sqrt(6.0f / 53.0f);
        QCOMPARE((*vars[2])(0, 0), replay.uniform(-limit1, limit1));
        QVERIFY(vars[0]->cwiseAbs().maxCoeff() <= limit0);
        QVERIFY(vars[0]->cwiseAbs().maxCoeff() > 0.9f * limit0); // 1500 draws reach near the limit
    }

    void dropoutOnlyInTraining()
    {
        ModelSpec spec;
        spec.inputDim = 4;
        spec.layers = {dense(200), dropout(0.25f)};
        Sequential net(spec);
        Rng rng(1);
        net.initialize(rng);
        Matrix x = Matrix::Ones(50, 4);
        const Matrix inference = net.forward(x, false, nullptr);
        QCOMPARE(inference, net.predict(x));
        const Matrix training = net.forward(x, true, &rng);
        int dropped = 0, kept = 0;
        for (Eigen::Index i = 0; i < training.size(); ++i) {
            if (inference.data()[i] == 0.0f)
                continue;
            if (training.data()[i] == 0.0f) {
                ++dropped;
            } else {
                ++kept;
                QVERIFY(std::abs(training.data()[i] - inference.data()[i] / 0.75f) <= 1e-5f * std::abs(inference.data()[i]) + 1e-7f);
            }
        }
        const double rate = double(dropped) / double(dropped + kept);
        QVERIFY2(rate > 0.22 && rate < 0.28, qPrintable(QString::number(rate)));
    }
};

QTEST_APPLESS_MAIN(TestModelSpec)
#include "TestModelSpec.moc"
