// The image layers in project JSON (issue 17): Keras' names, round trip of every field,
// kernel_size as an integer or [h, w], input_shape, and the texts of bad entries.
#include <QtTest>

#include "core/project/ProjectJson.h"
#include "tests/support/ConvSpecs.h"

using namespace cklab;
using namespace cklab::testspecs;
using nlohmann::json;

class TestLayerJson : public QObject {
    Q_OBJECT

private slots:
    void roundTripOfEveryLayerField()
    {
        Project p;
        p.model = imageSpec({28, 28, 1});
        LayerSpec c = conv(8, {3, 5}, Activation::Relu, Padding::Same, {2, 1});
        c.useBias = false;
        c.name = "stem";
        LayerSpec bn = batchNorm(false, true);
        bn.momentum = 0.9f;
        bn.epsilon = 1e-5f;
        p.model.layers = {c, maxPool({3, 3}, Padding::Same, {2, 2}), avgPool({2, 2}), bn, reshape({-1, 8}),
                          reshape({3, 7, 8}), globalAvgPool(), flatten(), dropout(0.5f), dense(10, Activation::Softmax)};
        QVERIFY(p.model.validate().empty());
        const json j = projectToJson(p);
        QCOMPARE(j["model"]["input_shape"], json::array({28, 28, 1}));
        QVERIFY(!j["model"].contains("input_dim"));
        QCOMPARE(j["model"]["layers"][0]["type"], json("conv2d"));
        QCOMPARE(j["model"]["layers"][0]["kernel_size"], json::array({3, 5}));
        QCOMPARE(j["model"]["layers"][1]["type"], json("max_pooling2d"));
        QVERIFY(!j["model"]["layers"][2].contains("strides")); // Keras' default: pool_size
        std::vector<std::string> problems;
        const Project q = projectFromJson(j, problems);
        QVERIFY2(problems.empty(), problems.empty() ? "" : problems.front().c_str());
        QCOMPARE(q.model.inputShape, p.model.inputShape);
        QCOMPARE(q.model.inputDim, 784);
        QCOMPARE(q.model.layers.size(), p.model.layers.size());
        for (std::size_t i = 0; i < p.model.layers.size(); ++i) {
            const LayerSpec& a = p.model.layers[i];
            const LayerSpec& b = q.model.layers[i];
            QVERIFY(a.kind == b.kind);
            QCOMPARE(b.filters, a.filters);
            QCOMPARE(b.kernelSize, a.kernelSize);
            QCOMPARE(b.poolSize, a.poolSize);
            QCOMPARE(b.strides, a.strides);
            QVERIFY(b.padding == a.padding);
            QVERIFY(b.activation == a.activation);
            QCOMPARE(b.useBias, a.useBias);
            QCOMPARE(b.targetShape, a.targetShape);
            QCOMPARE(b.momentum, a.momentum);
            QCOMPARE(b.epsilon, a.epsilon);
            QCOMPARE(b.center, a.center);
            QCOMPARE(b.scale, a.scale);
            QCOMPARE(b.rate, a.rate);
            QCOMPARE(b.name, a.name);
        }
        QCOMPARE(projectToJson(q), j);
    }

    void kernelSizeAsInteger()
    {
        const json j = json::parse(R"({"format_version": 1, "model": {"input_shape": [8, 8, 3], "layers": [
            {"type": "conv2d", "filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"},
            {"type": "flatten"}, {"type": "dense", "units": 2}]}})");
        std::vector<std::string> problems;
        const Project q = projectFromJson(j, problems);
        QVERIFY(problems.empty());
        QCOMPARE(q.model.layers[0].kernelSize, (std::array<int, 2>{3, 3}));
        QCOMPARE(q.model.layers[0].strides, (std::array<int, 2>{2, 2}));
        QCOMPARE(q.model.summary()[0].outputShape, (std::vector<int>{4, 4, 4}));
    }

    void badEntriesNameTheField_data()
    {
        QTest::addColumn<QString>("layer");
        QTest::addColumn<QString>("expected");
        QTest::newRow("key of another type") << R"({"type": "max_pooling2d", "filters": 3})"
                                             << "model.layers[0].filters: not used by a max_pooling2d layer";
        QTest::newRow("typo") << R"({"type": "conv2d", "filters": 3, "kernel_size": 3, "kernel_sise": 3})"
                              << R"(model.layers[0].kernel_sise: unknown key; did you mean "kernel_size"?)";
        QTest::newRow("kernel_size type") << R"({"type": "conv2d", "filters": 3, "kernel_size": [3, "a"]})"
                                          << R"(model.layers[0].kernel_size: must be an integer or a list [height, width] of integers, got [3,"a"])";
        QTest::newRow("kernel_size missing") << R"({"type": "conv2d", "filters": 3})"
                                             << "model.layers[0].kernel_size: missing; a conv2d layer needs an integer or [height, width]";
        QTest::newRow("padding") << R"({"type": "average_pooling2d", "padding": "full"})"
                                 << R"(model.layers[0].padding: must be one of "valid", "same", got "full")";
        QTest::newRow("target_shape") << R"({"type": "reshape", "target_shape": "3x3"})"
                                      << R"(model.layers[0].target_shape: must be a non-empty list of integers, got "3x3")";
    }

    void badEntriesNameTheField()
    {
        QFETCH(QString, layer);
        QFETCH(QString, expected);
        const json j = json::parse(R"({"model": {"input_shape": [8, 8, 3], "layers": [)" + layer.toStdString() + "]}}");
        std::vector<std::string> problems;
        projectFromJson(j, problems);
        QVERIFY2(std::find(problems.begin(), problems.end(), expected.toStdString()) != problems.end(),
                 qPrintable(QString::fromStdString(problems.empty() ? std::string("no problem") : problems.front())));
    }
};

QTEST_APPLESS_MAIN(TestLayerJson)

#include "TestLayerJson.moc"
