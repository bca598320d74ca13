// Image data in the data form, as a user meets it: the sources it offers and their fields, an
// unknown source kept instead of silently replaced, the field a problem names marked, a missing
// Fashion-MNIST package named; and one session: Fashion-MNIST chosen in the form (limited to a
// few batches), its preview a grid of images captioned with class names, a Dense model trained
// on it, then a CSV project opened and the form and preview following it.
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdlib>

#include "core/data/FashionMnist.h"
#include "core/project/ProjectJson.h"
#include "tests/support/MainWindowDriving.h"
#include "ui/forms/DataForm.h"
#include "ui/forms/FieldProblems.h"
#include "ui/main/ProjectForms.h"
#include "ui/session/RunHistory.h"
#include "ui/widgets/ImageGrid.h"

using namespace cklab;
using namespace cklab::ui;
using cklab::test::child;
using cklab::test::typeInto;

namespace {

bool fashionInstalled()
{
    return QFileInfo::exists(QString::fromLatin1(kFashionMnistDir) + QStringLiteral("/train-images-idx3-ubyte.gz"));
}

/// A Dense model whose input size comes from the data (784 for Fashion-MNIST).
Project fashionProject()
{
    Project p = parseProjectText(R"({"format_version": 1, "name": "fashion mlp",
      "model": {"layers": [{"type": "dense", "units": 32, "activation": "relu"},
                           {"type": "dense", "units": 10, "activation": "softmax"}]},
      "data": {"source": "generator", "generator": "blobs", "samples": 100, "features": 4, "classes": 10},
      "training": {"epochs": 1, "seed": 3, "loss": "categorical_crossentropy", "metrics": ["accuracy"],
                   "optimizer": {"type": "adam", "learning_rate": 0.001}},
      "checkpoints": [], "output_dir": "out"})", "fashion.json");
    return p;
}

} // namespace

class TestImageData : public QObject {
    Q_OBJECT
    test::SilentDialogs m_dialogs;
private slots:
    void initTestCase() { DialogProvider::setInstance(&m_dialogs); }
    void cleanupTestCase() { DialogProvider::setInstance(nullptr); }
    void unknownSourceIsKeptNotReplaced();
    void numpyFieldsFollowThePath();
    void missingFashionPackageIsNamed();
    void fashionSessionTrainsThenFollowsACsvProject();
};

void TestImageData::unknownSourceIsKeptNotReplaced()
{
    DataForm form;
    form.show();
    DataConfig c;
    c.source = "parquet";
    c.path = "x.parquet";
    form.setConfig(c);
    auto* source = child<QComboBox>(&form, "dataSource");
    // Before: the form showed (and saved) "generator" for any source it did not know.
    QCOMPARE(source->currentText(), QStringLiteral("parquet"));
    QCOMPARE(form.config().source, std::string("parquet"));
    QCOMPARE(form.config().path, std::string("x.parquet"));
    QVERIFY(!form.isValid());
    QVERIFY2(form.problems().join('\n').contains(QStringLiteral("data.source: must be one of")),
             qPrintable(form.problems().join('\n')));
    QVERIFY(isFieldMarked(source));
    // Choosing a real source drops the extra entry on the next project.
    source->setCurrentText(QStringLiteral("fashion_mnist"));
    QVERIFY(!isFieldMarked(source) || !fashionInstalled());
    form.setConfig(DataConfig{});
    QCOMPARE(source->count(), 7);
    QCOMPARE(source->currentText(), QStringLiteral("generator"));
    for (const char* s : {"idx", "numpy", "fashion_mnist"})
        QVERIFY2(source->findText(QLatin1String(s)) >= 0, s);
}

void TestImageData::numpyFieldsFollowThePath()
{
    DataForm form;
    form.show();
    auto* source = child<QComboBox>(&form, "dataSource");
    source->setCurrentText(QStringLiteral("numpy"));
    auto* path = child<QLineEdit>(&form, "dataPath");
    typeInto(path, QStringLiteral("mnist.npz"));
    // An archive: its array keys, with Keras' mnist.npz names; no labels file.
    QVERIFY(child<QLineEdit>(&form, "dataXKey")->isVisible());
    QCOMPARE(child<QLineEdit>(&form, "dataXKey")->text(), QStringLiteral("x_train"));
    QCOMPARE(child<QLineEdit>(&form, "dataValidationYKey")->text(), QStringLiteral("y_test"));
    QVERIFY(!child<QLineEdit>(&form, "dataLabelsPath")->isVisible());
    QVERIFY(child<QSpinBox>(&form, "dataLimit")->isVisible());
    QVERIFY(child<QCheckBox>(&form, "dataScale")->isVisible());
    QVERIFY(form.hasValidation());
    // One validation key without the other: the message names the field, and the field is marked.
    auto* valY = child<QLineEdit>(&form, "dataValidationYKey");
    valY->clear();
    QVERIFY(form.problems().join('\n').contains(QStringLiteral("data.validation_y_key: required with data.validation_x_key")));
    QVERIFY(isFieldMarked(valY));
    QVERIFY(!isFieldMarked(path));
    typeInto(valY, QStringLiteral("y_test"));
    QVERIFY(!isFieldMarked(valY));
    // A .npy: samples and labels files, no keys; the missing labels file is the marked field.
    typeInto(path, QStringLiteral("x.npy"));
    QVERIFY(!child<QLineEdit>(&form, "dataXKey")->isVisible());
    auto* labels = child<QLineEdit>(&form, "dataLabelsPath");
    QVERIFY(labels->isVisible());
    QVERIFY(child<QLineEdit>(&form, "dataValidationLabelsPath")->isVisible());
    QVERIFY(isFieldMarked(labels));
    QVERIFY(form.problems().join('\n').contains(QStringLiteral("data.labels_path: required for source \"numpy\"")));
    typeInto(labels, QStringLiteral("y.npy"));
    // Now only the files on disk are missing: each named by its own field.
    QVERIFY(isFieldMarked(path));
    QVERIFY(form.problems().join('\n').contains(QStringLiteral("data.path: no such file")));
    QVERIFY(form.problems().join('\n').contains(QStringLiteral("data.labels_path: no such file")));
    QVERIFY(isFieldMarked(labels));
}

void TestImageData::missingFashionPackageIsNamed()
{
    QTemporaryDir dir;
    const QByteArray nowhere = QDir(dir.path()).filePath(QStringLiteral("no-fashion")).toUtf8();
    qputenv("CKLAB_FASHION_MNIST_DIR", nowhere);
    const auto restore = qScopeGuard([] { qunsetenv("CKLAB_FASHION_MNIST_DIR"); });
    DataForm form;
    form.show();
    DataConfig c;
    c.source = "fashion_mnist";
    form.setConfig(c);
    QVERIFY(!form.isValid());
    const QString problems = form.problems().join('\n');
    QVERIFY2(problems.contains(QString::fromUtf8(nowhere)) &&
                 problems.contains(QStringLiteral("sudo apt-get install dataset-fashion-mnist")),
             qPrintable(problems));
    QVERIFY(isFieldMarked(child<QComboBox>(&form, "dataSource")));
    auto* note = child<QLabel>(&form, "dataSourceNote");
    QVERIFY(note->isVisible());
    QVERIFY2(note->text().contains(QStringLiteral("Install the Debian package dataset-fashion-mnist")), qPrintable(note->text()));
    // The split is not asked for: the test set is the validation data.
    QVERIFY(!child<QDoubleSpinBox>(&form, "dataValidationSplit")->isVisible());
    QVERIFY(form.hasValidation());
}

void TestImageData::fashionSessionTrainsThenFollowsACsvProject()
{
    if (!fashionInstalled())
        QSKIP("Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const QString fashionPath = dir.filePath(QStringLiteral("fashion.json"));
    saveProjectFile(fashionPath.toStdString(), fashionProject());
    QVERIFY(w.openProject(fashionPath));
    DataForm* data = w.forms()->dataForm();
    QSignalSpy updated(data, &DataForm::previewUpdated);

    // The user picks Fashion-MNIST and limits it to 4 batches of 128.
    child<QComboBox>(&w, "dataSource")->setCurrentText(QStringLiteral("fashion_mnist"));
    typeInto(child<QSpinBox>(&w, "dataLimit"), QStringLiteral("512"));
    typeInto(child<QSpinBox>(&w, "dataBatchSize"), QStringLiteral("128"));
    auto* grid = child<ImageGrid>(&w, "dataPreviewImages");
    QTRY_VERIFY2_WITH_TIMEOUT(!grid->isHidden() && grid->imageCount() == 32,
                              qPrintable(child<QLabel>(&w, "dataClassCounts")->text() + grid->message()), 60000);
    QVERIFY(child<QTableWidget>(&w, "dataPreviewTable")->isHidden());
    QCOMPARE(data->sampleShape(), (std::vector<int>{28, 28, 1}));
    QCOMPARE(data->featureCount(), 784);
    QCOMPARE(grid->image(0).size(), QSize(28, 28));
    // The first training image of Fashion-MNIST is an ankle boot; every caption is a class name.
    QCOMPARE(grid->caption(0), QStringLiteral("Ankle boot"));
    const auto& names = fashionMnistClassNames();
    for (int i = 0; i < grid->imageCount(); ++i)
        QVERIFY(std::find(names.begin(), names.end(), grid->caption(i).toStdString()) != names.end());
    const QString counts = child<QLabel>(&w, "dataClassCounts")->text();
    QVERIFY2(counts.contains(QStringLiteral("512 images of 28 × 28 × 1")) &&
                 counts.contains(QStringLiteral("(+ 10000 validation samples)")) &&
                 counts.contains(QStringLiteral("T-shirt/top: ")),
             qPrintable(counts));
    QCOMPARE(w.project().data.limit, 512);
    QVERIFY2(child<QAction>(&w, "actionTrain")->isEnabled(), qPrintable(w.forms()->problems().join('\n')));

    QVERIFY(test::train(w));
    const RunHistory& h = *w.controller()->history();
    QCOMPARE(h.batchCount(), std::size_t(4));
    QCOMPARE(h.epochs().size(), std::size_t(1));
    const Logs& logs = h.epochs().back().logs;
    QVERIFY(logs.count("val_accuracy") == 1);
    QVERIFY2(logs.at("val_accuracy") > 0.2, "4 batches of Adam beat the 0.1 of guessing");

    // A CSV project next: the form shows its fields and the preview a table again.
    {
        QFile f(dir.filePath(QStringLiteral("points.csv")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("a,b,label\n");
        for (int i = 0; i < 40; ++i)
            f.write(QStringLiteral("%1,%2,%3\n").arg(i).arg(40 - i).arg(i % 2).toUtf8());
    }
    Project csv = fashionProject();
    csv.data = DataConfig{};
    csv.data.source = "csv";
    csv.data.path = "points.csv";
    csv.model.layers.back().units = 2;
    const QString csvPath = dir.filePath(QStringLiteral("csv.json"));
    saveProjectFile(csvPath.toStdString(), csv);
    QVERIFY(w.openProject(csvPath));
    QCOMPARE(child<QComboBox>(&w, "dataSource")->currentText(), QStringLiteral("csv"));
    QVERIFY(child<QSpinBox>(&w, "dataLimit")->isHidden());
    QVERIFY(!child<QLineEdit>(&w, "dataLabelColumn")->isHidden());
    auto* table = child<QTableWidget>(&w, "dataPreviewTable");
    QTRY_VERIFY_WITH_TIMEOUT(!table->isHidden() && table->columnCount() == 3, 30000);
    QVERIFY(grid->isHidden());
    QCOMPARE(data->featureCount(), 2);
    QVERIFY(data->sampleShape().empty());
    QTRY_VERIFY2(child<QAction>(&w, "actionTrain")->isEnabled(), qPrintable(w.forms()->problems().join('\n')));
}

QTEST_MAIN(TestImageData)
#include "TestImageData.moc"
