// Validation of image projects before any data is read: the shipped Fashion-MNIST examples are
// valid (input_shape given, input_dim left to it); a source whose sample shape is fixed
// (fashion_mnist) has its layer shapes checked now; a file source's shapes are only known once
// it is read, so only each layer's own settings are checked (and no stand-in shape produces a
// false message); tabular models keep input_dim.
#include <QtTest>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/project/ProjectJson.h"
#include "core/project/ProjectValidation.h"

using namespace cklab;

namespace {

Project convnet(const std::string& source, const std::string& inputShape, int kernel)
{
    std::ostringstream text;
    text << R"({"format_version": 1, "model": {)" << inputShape << R"("layers": [
        {"type": "conv2d", "filters": 8, "kernel_size": )" << kernel << R"(, "activation": "relu"},
        {"type": "max_pooling2d"}, {"type": "flatten"}, {"type": "dense", "units": 10, "activation": "softmax"}]},
      "data": {"source": ")" << source << R"(", "path": "x.npz"},
      "training": {"epochs": 1, "loss": "categorical_crossentropy"}, "checkpoints": []})";
    std::vector<std::string> problems;
    Project p = projectFromJson(nlohmann::json::parse(text.str()), problems);
    if (!problems.empty())
        qFatal("%s", problems.front().c_str());
    return p;
}

QString joined(const std::vector<std::string>& problems)
{
    QStringList out;
    for (const auto& p : problems)
        out << QString::fromStdString(p);
    return out.join("\n");
}

} // namespace

class TestImageProjectValidation : public QObject {
    Q_OBJECT
private slots:
    void shippedImageExamplesAreValid();
    void inputShapeGivesTheInputSize();
    void fixedSampleShapeIsCheckedNow();
    void fileSourceChecksSettingsOnly();
};

void TestImageProjectValidation::shippedImageExamplesAreValid()
{
    for (const char* name : {"fashion_convnet.json", "fashion_convnet_bn.json"}) {
        const Project p = loadProjectFile(std::string(CKLAB_SOURCE_DIR) + "/resources/examples/" + name);
        const auto problems = validateProject(p);
        QVERIFY2(problems.empty(), qPrintable(QString(name) + ": " + joined(problems)));
        QCOMPARE(p.model.inputShape, (std::vector<int>{28, 28, 1}));
    }
}

void TestImageProjectValidation::inputShapeGivesTheInputSize()
{
    const auto problems = validateProject(convnet("numpy", R"("input_shape": [12, 12, 1], )", 3));
    QVERIFY2(problems.empty(), qPrintable(joined(problems)));
    // A kernel larger than the given shape is named at its field.
    const auto bad = validateProject(convnet("numpy", R"("input_shape": [12, 12, 1], )", 13));
    QVERIFY2(joined(bad).contains("model.layers[0]"), qPrintable(joined(bad)));
}

void TestImageProjectValidation::fixedSampleShapeIsCheckedNow()
{
    QVERIFY2(validateProject(convnet("fashion_mnist", "", 3)).empty(),
             qPrintable(joined(validateProject(convnet("fashion_mnist", "", 3)))));
    const auto bad = validateProject(convnet("fashion_mnist", "", 29)); // 29 > 28
    QVERIFY2(joined(bad).contains("model.layers[0]"), qPrintable(joined(bad)));
}

void TestImageProjectValidation::fileSourceChecksSettingsOnly()
{
    // The npz's images may be any size: no message about shapes before it is read ...
    const auto unknown = validateProject(convnet("numpy", "", 5));
    QVERIFY2(std::none_of(unknown.begin(), unknown.end(),
                          [](const std::string& m) { return m.rfind("model.", 0) == 0; }),
             qPrintable(joined(unknown)));
    // ... but a setting that is wrong for any input still is.
    const auto bad = validateProject(convnet("numpy", "", 0));
    QVERIFY2(joined(bad).contains("model.layers[0].kernel_size"), qPrintable(joined(bad)));
}

QTEST_APPLESS_MAIN(TestImageProjectValidation)
#include "TestImageProjectValidation.moc"
