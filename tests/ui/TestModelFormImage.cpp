// The model form with image layers, used as a user does: Keras' "simple MNIST convnet" is built
// row by row from a fresh form (types picked in the combo boxes, filters typed, kernel size in the
// selected layer's settings), and the summary shows exactly what Keras' model.summary() prints
// for it; a kernel larger than its input is marked at the field; then a tabular project is loaded
// into the same form and nothing of the convnet stays behind.
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QtTest>

#include "tests/support/WidgetDriving.h"
#include "ui/forms/FieldProblems.h"
#include "ui/forms/LayerDetailsForm.h"
#include "ui/forms/ModelForm.h"
#include "ui/forms/ModelSummaryView.h"

using namespace cklab::ui;

using cklab::test::child;
using cklab::test::typeInto;

class TestModelFormImage : public QObject {
    Q_OBJECT
private slots:
    void buildsTheSimpleMnistConvnet();
    void badKernelIsMarkedAtItsField();
    void reshapeTakesATypedShape();
    void aTabularProjectReplacesTheConvnet();

private:
    void pickType(ModelForm& form, int row, const QString& type);
    void buildConvnet(ModelForm& form);
};

void TestModelFormImage::pickType(ModelForm& form, int row, const QString& type)
{
    auto* combo = child<QComboBox>(&form, QStringLiteral("layerType_%1").arg(row));
    const int index = combo->findText(type);
    QVERIFY2(index >= 0, qPrintable(type));
    combo->setCurrentIndex(index);
}

void TestModelFormImage::buildConvnet(ModelForm& form)
{
    form.setDataInputDim(784);
    form.setDataSampleShape({28, 28, 1});
    // A fresh form has two Dense rows; grow it to seven and set each row's type, top to bottom.
    auto* table = child<QTableWidget>(&form, "layerTable");
    table->setCurrentCell(1, 0);
    for (int i = 0; i < 5; ++i)
        QTest::mouseClick(child<QPushButton>(&form, "addLayerButton"), Qt::LeftButton);
    QCOMPARE(table->rowCount(), 7);
    const QStringList types{"Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dropout", "Dense"};
    for (int row = 0; row < 7; ++row)
        pickType(form, row, types[row]);
    typeInto(child<QSpinBox>(&form, "layerUnits_2"), "64");
    typeInto(child<QSpinBox>(&form, "layerUnits_6"), "10");
    child<QComboBox>(&form, "layerActivation_6")->setCurrentText("softmax");
}

void TestModelFormImage::buildsTheSimpleMnistConvnet()
{
    ModelForm form;
    form.resize(520, 900);
    form.show();
    buildConvnet(form);
    QVERIFY2(form.isValid(), qPrintable(form.problems().join("\n")));

    // What Keras 3 prints for this model (keras.io "Simple MNIST convnet").
    const QStringList expected[] = {{"conv2d (Conv2D)", "(None, 26, 26, 32)", "320"},
                                    {"max_pooling2d (MaxPooling2D)", "(None, 13, 13, 32)", "0"},
                                    {"conv2d_1 (Conv2D)", "(None, 11, 11, 64)", "18,496"},
                                    {"max_pooling2d_1 (MaxPooling2D)", "(None, 5, 5, 64)", "0"},
                                    {"flatten (Flatten)", "(None, 1600)", "0"},
                                    {"dropout (Dropout)", "(None, 1600)", "0"},
                                    {"dense (Dense)", "(None, 10)", "16,010"}};
    auto* summary = child<cklab::ui::ModelSummaryView>(&form, "modelSummary");
    QCOMPARE(summary->rowCount(), 7);
    const QLocale locale;
    for (int row = 0; row < 7; ++row)
        for (int col = 0; col < 3; ++col) {
            QString want = expected[row][col];
            if (col == 2)
                want = locale.toString(want.remove(',').toLongLong());
            QCOMPARE(summary->text(row, col), want);
        }
    QCOMPARE(form.parameterCount(), 34826LL);
    QVERIFY(summary->totals().contains(locale.toString(34826)));
    QVERIFY2(child<QLabel>(&form, "inputSizeLabel")->text().contains(QStringLiteral("28 × 28 × 1")),
             qPrintable(child<QLabel>(&form, "inputSizeLabel")->text()));

    // The project the form gives: Keras' keys, the image shape from the data, Dropout as set.
    const cklab::ModelSpec spec = form.effectiveSpec();
    QCOMPARE(spec.inputShape, (std::vector<int>{28, 28, 1}));
    QCOMPARE(spec.layers[0].kind, cklab::LayerSpec::Kind::Conv2D);
    QCOMPARE(spec.layers[0].filters, 32);
    QCOMPARE(spec.layers[2].filters, 64);
    QCOMPARE(spec.layers[5].rate, 0.5f);
    QCOMPARE(spec.layers[6].units, 10);
    // Only a Dense or Conv2D row edits units/activation; only Dropout a rate.
    QVERIFY(child<QSpinBox>(&form, "layerUnits_0")->isEnabled());
    QVERIFY(!child<QSpinBox>(&form, "layerUnits_1")->isEnabled());
    QVERIFY(!child<QDoubleSpinBox>(&form, "layerRate_0")->isEnabled());
    QVERIFY(child<QDoubleSpinBox>(&form, "layerRate_5")->isEnabled());
}

void TestModelFormImage::badKernelIsMarkedAtItsField()
{
    ModelForm form;
    form.show();
    buildConvnet(form);
    auto* table = child<QTableWidget>(&form, "layerTable");
    table->setCurrentCell(2, 0); // the second Conv2D: 13 x 13 input
    auto* kernelH = child<QSpinBox>(&form, "layerKernelH");
    QTRY_VERIFY(kernelH->isVisible());
    QVERIFY(!child<QLineEdit>(&form, "layerTargetShape")->isVisible());
    QCOMPARE(kernelH->value(), 3);
    typeInto(kernelH, "15");
    QVERIFY(!form.isValid());
    const QString problems = form.problems().join("\n");
    QVERIFY2(problems.contains("kernel_size") || problems.contains("Layer 3"), qPrintable(problems));
    QVERIFY(cklab::ui::isFieldMarked(kernelH->parentWidget()));
    QCOMPARE(child<cklab::ui::ModelSummaryView>(&form, "modelSummary")->text(2, 1), QString("?"));
    // Back to 3: valid again, the mark gone, the summary whole.
    typeInto(kernelH, "3");
    QVERIFY2(form.isValid(), qPrintable(form.problems().join("\n")));
    QVERIFY(!cklab::ui::isFieldMarked(kernelH->parentWidget()));
    QCOMPARE(child<cklab::ui::ModelSummaryView>(&form, "modelSummary")->text(2, 1), QString("(None, 11, 11, 64)"));
    // A 5 x 5 kernel with same padding keeps 13 x 13.
    typeInto(kernelH, "5");
    typeInto(child<QSpinBox>(&form, "layerKernelW"), "5");
    child<QComboBox>(&form, "layerPadding")->setCurrentText("same");
    QCOMPARE(form.effectiveSpec().layers[2].kernelSize, (std::array<int, 2>{5, 5}));
    QCOMPARE(child<cklab::ui::ModelSummaryView>(&form, "modelSummary")->text(2, 1), QString("(None, 13, 13, 64)"));
}

void TestModelFormImage::reshapeTakesATypedShape()
{
    ModelForm form;
    form.show();
    form.setDataInputDim(784);
    form.setDataSampleShape({28, 28, 1});
    pickType(form, 0, "Reshape");
    child<QTableWidget>(&form, "layerTable")->setCurrentCell(0, 0);
    auto* target = child<QLineEdit>(&form, "layerTargetShape");
    QTRY_VERIFY(target->isVisible());
    typeInto(target, "14, 56, -1");
    // Typing on goes on in the field: a reload would have rewritten it.
    QCOMPARE(target->text(), QString("14, 56, -1"));
    QCOMPARE(form.effectiveSpec().layers[0].targetShape, (std::vector<int>{14, 56, -1}));
    QCOMPARE(child<cklab::ui::ModelSummaryView>(&form, "modelSummary")->text(0, 1), QString("(None, 14, 56, 1)"));
    typeInto(target, "14, x");
    QVERIFY(!form.isValid());
}

void TestModelFormImage::aTabularProjectReplacesTheConvnet()
{
    ModelForm form;
    form.show();
    buildConvnet(form);
    cklab::ModelSpec tabular;
    tabular.layers = {cklab::LayerSpec{cklab::LayerSpec::Kind::Dense, 8, cklab::Activation::Relu, true, 0.0f, {}},
                      cklab::LayerSpec{cklab::LayerSpec::Kind::Dense, 3, cklab::Activation::Softmax, true, 0.0f, {}}};
    form.setConfig(tabular);
    form.setDataSampleShape({});
    form.setDataInputDim(4);
    QCOMPARE(child<QTableWidget>(&form, "layerTable")->rowCount(), 2);
    auto* summary = child<cklab::ui::ModelSummaryView>(&form, "modelSummary");
    QCOMPARE(summary->rowCount(), 2);
    QCOMPARE(summary->text(0, 1), QString("(None, 8)"));
    QCOMPARE(form.parameterCount(), 4LL * 8 + 8 + 8 * 3 + 3);
    QVERIFY(form.effectiveSpec().inputShape.empty());
    QVERIFY(child<QLabel>(&form, "inputSizeLabel")->text().contains("4 features"));
    child<QTableWidget>(&form, "layerTable")->setCurrentCell(0, 0);
    QVERIFY(!child<QSpinBox>(&form, "layerKernelH")->isVisible());
    QVERIFY(form.isValid());
}

QTEST_MAIN(TestModelFormImage)
#include "TestModelFormImage.moc"
