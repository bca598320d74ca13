// The model form's "Start from file" field (model.from_file) driven through its widgets: the
// file chooser seam, the imported layers with shapes and parameter counts, the spec the form
// then gives, and the message for a file that cannot be used.
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/support/WidgetDriving.h"
#include "ui/forms/ModelForm.h"
#include "ui/forms/StartFromFileField.h"

using namespace cklab::ui;

using cklab::test::child;
using cklab::test::typeInto;

namespace {
const QString kFixtures = QStringLiteral(CKLAB_SOURCE_DIR "/tests/data/keras/");
}

class TestStartFromFile : public QObject {
    Q_OBJECT

private slots:
    void chosenKerasFileShowsItsLayers();
    void weightsFileKeepsTheTable();
    void unreadableFileIsAProblem();
};

void TestStartFromFile::chosenKerasFileShowsItsLayers()
{
    ModelForm form;
    form.show();
    auto* field = child<StartFromFileField>(&form, "startFromFileField");
    const QString path = kFixtures + "seq_norm_adam.keras";
    field->setFileChooser([&](const QString&) { return path; });
    QSignalSpy edited(&form, &ModelForm::edited);
    QTest::mouseClick(child<QPushButton>(&form, "modelFromFileBrowse"), Qt::LeftButton);
    QCOMPARE(edited.count(), 1);
    QCOMPARE(edited.first().first().toString(), QString("model.from_file"));
    QCOMPARE(child<QLineEdit>(&form, "modelFromFile")->text(), path);

    // Keras wrote: Normalization(4), Dense(6, relu), Dropout(0.25), Dense(5, tanh, no bias), Dense(3, softmax).
    auto* table = child<QTableWidget>(&form, "importedLayersTable");
    QTRY_VERIFY(table->isVisible());
    QCOMPARE(table->rowCount(), 5);
    const auto text = [&](int r, int c) { return table->item(r, c)->text(); };
    QCOMPARE(text(0, 0), QString("normalization"));
    QCOMPARE(text(0, 3), QString("9")); // mean, variance (4 each) and count
    QCOMPARE(text(1, 1), QString("Dense(6, relu)"));
    QCOMPARE(text(1, 2), QString("[None, 6]"));
    QCOMPARE(text(1, 3), QString("30"));
    QCOMPARE(text(2, 1), QString("Dropout(0.25)"));
    QCOMPARE(text(3, 1), QString("Dense(5, tanh, no bias)"));
    QCOMPARE(text(3, 3), QString("30"));
    QCOMPARE(text(4, 2), QString("[None, 3]"));
    QCOMPARE(text(4, 3), QString("18"));
    QVERIFY(table->editTriggers() == QAbstractItemView::NoEditTriggers);
    QVERIFY(child<QLabel>(&form, "modelFromFileStatus")->text().contains("adam"));

    // The form's spec names the file and leaves the layers to it; the table is not edited.
    const cklab::ModelSpec spec = form.config();
    QCOMPARE(QString::fromStdString(spec.fromFile), path);
    QVERIFY(spec.layers.empty());
    QVERIFY(form.isValid());
    QVERIFY(!child<QTableWidget>(&form, "layerTable")->isEnabled());
    QCOMPARE(form.parameterCount(), 30 + 30 + 18);

    // Clearing the path gives the table back.
    auto* edit = child<QLineEdit>(&form, "modelFromFile");
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClick(edit, Qt::Key_Return);
    QTRY_VERIFY(!table->isVisible());
    QVERIFY(child<QTableWidget>(&form, "layerTable")->isEnabled());
    QVERIFY(!form.config().layers.empty());
    QVERIFY(form.config().fromFile.empty());
}

void TestStartFromFile::weightsFileKeepsTheTable()
{
    ModelForm form;
    form.show();
    auto* field = child<StartFromFileField>(&form, "startFromFileField");
    field->setFileChooser([](const QString&) { return kFixtures + "seq_adam.weights.h5"; });
    QTest::mouseClick(child<QPushButton>(&form, "modelFromFileBrowse"), Qt::LeftButton);
    QTRY_VERIFY(child<QLabel>(&form, "modelFromFileStatus")->isVisible());
    QVERIFY(child<QLabel>(&form, "modelFromFileStatus")->text().contains("Weights only"));
    QVERIFY(!child<QTableWidget>(&form, "importedLayersTable")->isVisible());
    QVERIFY(child<QTableWidget>(&form, "layerTable")->isEnabled());
    QVERIFY(!form.config().layers.empty());
    QVERIFY(form.isValid());
}

void TestStartFromFile::unreadableFileIsAProblem()
{
    QTemporaryDir dir;
    const QString bad = dir.filePath("notes.keras");
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("not a model");
    f.close();
    ModelForm form;
    form.show();
    QSignalSpy validity(&form, &ModelForm::validityChanged);
    auto* path = child<QLineEdit>(&form, "modelFromFile");
    typeInto(path, bad);
    QTest::keyClick(path, Qt::Key_Return);
    QTRY_COMPARE(form.isValid(), false);
    QVERIFY(!validity.isEmpty());
    const QString problems = form.problems().join('\n');
    QVERIFY2(problems.contains("model.from_file: " + bad), qPrintable(problems));
    QVERIFY2(problems.contains("not a checkpoint file"), qPrintable(problems));

    typeInto(path, dir.filePath("missing.keras"));
    QTest::keyClick(path, Qt::Key_Return);
    QTRY_VERIFY(form.problems().join('\n').contains("does not exist"));

    typeInto(path, dir.filePath("model.txt"));
    QTest::keyClick(path, Qt::Key_Return);
    QTRY_VERIFY(form.problems().join('\n').contains("must name a .keras, .h5 or .weights.h5 file"));
}

QTEST_MAIN(TestStartFromFile)
#include "TestStartFromFile.moc"
