// The project forms driven through their widgets: values, live validation with the core's
// texts, the one-click suffix fix, the path preview and the policy list.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStyle>
#include <QTableWidget>
#include <QLocale>
#include <QScrollArea>
#include <QScrollBar>
#include <QWheelEvent>
#include <QtTest>

#include "tests/support/WidgetDriving.h"
#include "core/checkpoint/CheckpointConfig.h"
#include "core/data/DataConfig.h"
#include "core/nn/ModelSpec.h"
#include "core/optim/Optimizer.h"
#include "ui/forms/CheckpointPolicyForm.h"
#include "ui/forms/CheckpointPolicyList.h"
#include "ui/forms/DataForm.h"
#include "ui/forms/FieldProblems.h"
#include "ui/forms/ModelForm.h"
#include "ui/forms/TrainingForm.h"
#include "ui/forms/WheelGuard.h"

using namespace cklab::ui;

namespace {

using cklab::test::child;
using cklab::test::typeInto;

/// Clicks a check box on its indicator (the widget's centre may be empty space).
void clickCheck(QCheckBox* box)
{
    const int x = box->style()->pixelMetric(QStyle::PM_IndicatorWidth, nullptr, box) / 2 + 1;
    QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(x, box->height() / 2));
}

} // namespace

class TestForms : public QObject {
    Q_OBJECT

private slots:
    void modelFormBuildsModelAndCountsParameters();
    void modelFormInvalidUnitsShowsCoreMessage();
    void modelFormMovesAndRemovesLayers();
    void checkpointWeightsOnlySuffixFix();
    void checkpointPathPreview_data();
    void checkpointPathPreview();
    void checkpointMonitorOffersRunKeys();
    void checkpointSaveFreqMessage();
    void policyListAddDuplicateRemoveRename();
    void trainingFormShowsParametersPerOptimizer();
    void trainingFormInvalidLearningRate();
    void dataFormValidationSplitMessage();
    void dataFormPreviewOfGenerator();
    void formsRoundTripConfig();
    void wheelChangesOnlyFocusedFields();
};

void TestForms::modelFormBuildsModelAndCountsParameters()
{
    ModelForm form;
    form.show();
    form.setConfig(cklab::ModelSpec{.inputDim = 0, .layers = {}, .name = "m"});
    form.setDataInputDim(4);
    QCOMPARE(child<QLabel>(&form, "inputSizeLabel")->text(), QStringLiteral("4 features"));

    QTest::mouseClick(child<QPushButton>(&form, "addLayerButton"), Qt::LeftButton);
    QTest::mouseClick(child<QPushButton>(&form, "addLayerButton"), Qt::LeftButton);
    QCOMPARE(child<QTableWidget>(&form, "layerTable")->rowCount(), 2);
    typeInto(child<QSpinBox>(&form, "layerUnits_0"), QStringLiteral("8"));
    typeInto(child<QSpinBox>(&form, "layerUnits_1"), QStringLiteral("3"));
    child<QComboBox>(&form, "layerActivation_1")->setCurrentText(QStringLiteral("softmax"));

    const cklab::ModelSpec spec = form.config();
    QCOMPARE(spec.layers.size(), size_t(2));
    QCOMPARE(spec.layers[0].units, 8);
    QCOMPARE(spec.layers[1].units, 3);
    QCOMPARE(spec.layers[1].activation, cklab::Activation::Softmax);
    // By hand: 4*8 + 8 (first Dense) + 8*3 + 3 (second) = 67.
    QCOMPARE(form.parameterCount(), 67LL);
    QVERIFY2(child<QLabel>(&form, "parameterCountLabel")->text().contains(QStringLiteral("67")),
             qPrintable(child<QLabel>(&form, "parameterCountLabel")->text()));

    // Without bias on the first layer: 67 - 8 = 59.
    clickCheck(child<QCheckBox>(&form, "layerBias_0"));
    QCOMPARE(form.parameterCount(), 59LL);
    QVERIFY(child<QLabel>(&form, "parameterCountLabel")->text().contains(QStringLiteral("59")));
    QVERIFY(form.isValid());
}

void TestForms::modelFormInvalidUnitsShowsCoreMessage()
{
    ModelForm form;
    form.show();
    form.setDataInputDim(5);
    QVERIFY(form.isValid());
    QSignalSpy validity(&form, &ModelForm::validityChanged);
    typeInto(child<QSpinBox>(&form, "layerUnits_1"), QStringLiteral("0"));

    QVERIFY(!form.isValid());
    QCOMPARE(validity.count(), 1);
    QCOMPARE(validity.at(0).at(0).toBool(), false);
    cklab::ModelSpec spec = form.config();
    spec.inputDim = 5;
    const auto expected = spec.validate();
    QVERIFY(!expected.empty());
    auto* errors = child<QLabel>(&form, "modelErrorsLabel");
    QVERIFY(errors->isVisible());
    // Rows counted as the table shows them, the JSON path kept, the field itself marked.
    QCOMPARE(errors->text(), cklab::ui::readableProblem(QString::fromStdString(expected.front())));
    QVERIFY2(errors->text().startsWith(QStringLiteral("Layer 2, units: ")), qPrintable(errors->text()));
    QVERIFY(errors->text().endsWith(QStringLiteral("(model.layers[1].units)")));
    QVERIFY(cklab::ui::isFieldMarked(child<QSpinBox>(&form, "layerUnits_1")));
    QCOMPARE(child<QSpinBox>(&form, "layerUnits_1")->toolTip(), errors->text());
    QVERIFY(!cklab::ui::isFieldMarked(child<QSpinBox>(&form, "layerUnits_0")));

    typeInto(child<QSpinBox>(&form, "layerUnits_1"), QStringLiteral("2"));
    QVERIFY(form.isValid());
    QVERIFY(!errors->isVisible());
    QVERIFY(!cklab::ui::isFieldMarked(child<QSpinBox>(&form, "layerUnits_1")));
    QCOMPARE(validity.count(), 2);
}

void TestForms::modelFormMovesAndRemovesLayers()
{
    ModelForm form;
    form.show();
    cklab::ModelSpec spec;
    spec.layers = {cklab::LayerSpec{cklab::LayerSpec::Kind::Dense, 10, cklab::Activation::Relu, true, 0.f, {}},
                   cklab::LayerSpec{cklab::LayerSpec::Kind::Dropout, 0, cklab::Activation::Linear, true, 0.25f, {}},
                   cklab::LayerSpec{cklab::LayerSpec::Kind::Dense, 3, cklab::Activation::Softmax, true, 0.f, {}}};
    form.setConfig(spec);
    auto* table = child<QTableWidget>(&form, "layerTable");
    table->setCurrentCell(1, 0);
    QTest::mouseClick(child<QPushButton>(&form, "moveLayerUpButton"), Qt::LeftButton);
    auto moved = form.config();
    QCOMPARE(moved.layers[0].kind, cklab::LayerSpec::Kind::Dropout);
    QCOMPARE(moved.layers[0].rate, 0.25f);
    QCOMPARE(moved.layers[1].units, 10);
    QCOMPARE(table->currentRow(), 0);
    QTest::mouseClick(child<QPushButton>(&form, "moveLayerDownButton"), Qt::LeftButton);
    QTest::mouseClick(child<QPushButton>(&form, "moveLayerDownButton"), Qt::LeftButton);
    moved = form.config();
    QCOMPARE(moved.layers[2].kind, cklab::LayerSpec::Kind::Dropout);
    QCOMPARE(moved.layers[1].units, 3);
    QTest::mouseClick(child<QPushButton>(&form, "removeLayerButton"), Qt::LeftButton);
    QCOMPARE(form.config().layers.size(), size_t(2));
    QCOMPARE(form.config().layers[1].units, 3);
    // Dropout disables the Dense fields.
    auto* type = child<QComboBox>(&form, "layerType_0");
    type->setCurrentIndex(1);
    QVERIFY(!child<QSpinBox>(&form, "layerUnits_0")->isEnabled());
    QVERIFY(child<QDoubleSpinBox>(&form, "layerRate_0")->isEnabled());
}

void TestForms::checkpointWeightsOnlySuffixFix()
{
    CheckpointPolicyForm form;
    form.show();
    form.setLogKeys({QStringLiteral("loss")}, {QStringLiteral("loss")});
    auto* path = child<QLineEdit>(&form, "checkpointFilepath");
    typeInto(path, QStringLiteral("model_checkpoint_ex1/best_weights"));
    child<QComboBox>(&form, "checkpointMonitor")->setEditText(QStringLiteral("loss"));
    auto* fix = child<QPushButton>(&form, "appendWeightsSuffixButton");
    QVERIFY(!fix->isVisible());
    // A full-model save needs .keras (or .h5): the core's text of spec §1.
    QVERIFY(!form.isValid());
    QVERIFY(child<QLabel>(&form, "checkpointErrorsLabel")->text().contains(QStringLiteral(
        "The filepath provided must end in `.keras` (Keras model format). Received: filepath=model_checkpoint_ex1/best_weights")));
    QSignalSpy validity(&form, &CheckpointPolicyForm::validityChanged);
    clickCheck(child<QCheckBox>(&form, "checkpointSaveWeightsOnly"));
    QVERIFY(form.config().saveWeightsOnly);

    // The exact text of spec §1.
    const QString expected = QStringLiteral(
        "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must end in `.weights.h5` "
        "(Keras weights format). Received: filepath=model_checkpoint_ex1/best_weights");
    auto* errors = child<QLabel>(&form, "checkpointErrorsLabel");
    QVERIFY2(errors->text().contains(expected), qPrintable(errors->text()));
    QVERIFY(!form.isValid());
    QVERIFY(fix->isVisible());

    QTest::mouseClick(fix, Qt::LeftButton);
    QCOMPARE(path->text(), QStringLiteral("model_checkpoint_ex1/best_weights.weights.h5"));
    QCOMPARE(form.config().filepath, std::string("model_checkpoint_ex1/best_weights.weights.h5"));
    QVERIFY2(form.isValid(), qPrintable(form.problems().join('\n')));
    QVERIFY(!errors->isVisible());
    QVERIFY(!fix->isVisible());
    QCOMPARE(validity.count(), 1);
    QCOMPARE(validity.at(0).at(0).toBool(), true);
}

void TestForms::checkpointPathPreview_data()
{
    QTest::addColumn<QString>("templ");
    QTest::addColumn<QString>("freq");
    QTest::addColumn<QString>("expected");
    // Sample values: epoch 1, batch 1; every log key 0.1234 (accuracy-like 0.8765).
    QTest::newRow("epoch 03d") << "ck/{epoch:03d}.keras" << "epoch" << "ck/001.keras";
    QTest::newRow("loss 4f") << "ck/{epoch:02d}-{loss:.4f}.keras" << "epoch" << "ck/01-0.1234.keras";
    QTest::newRow("batch") << "e{epoch}-b{batch}.keras" << "2" << "e1-b1.keras";
    QTest::newRow("missing batch at epoch level")
        << "m-{epoch}-{batch}.keras" << "epoch" << "Failed to format this callback filepath: \"m-{epoch}-{batch}.keras\". Reason: 'batch'";
}

void TestForms::checkpointPathPreview()
{
    QFETCH(QString, templ);
    QFETCH(QString, freq);
    QFETCH(QString, expected);
    CheckpointPolicyForm form;
    form.setLogKeys({QStringLiteral("loss"), QStringLiteral("accuracy")}, {QStringLiteral("loss"), QStringLiteral("accuracy")});
    child<QComboBox>(&form, "checkpointSaveFreq")->setEditText(freq);
    typeInto(child<QLineEdit>(&form, "checkpointFilepath"), templ);
    QCOMPARE(child<QLabel>(&form, "checkpointPathPreview")->text(), expected);
}

void TestForms::checkpointMonitorOffersRunKeys()
{
    CheckpointPolicyForm form;
    const QStringList keys{QStringLiteral("accuracy"), QStringLiteral("loss"), QStringLiteral("val_accuracy"),
                           QStringLiteral("val_loss")};
    form.setLogKeys(keys, {QStringLiteral("accuracy"), QStringLiteral("loss")});
    auto* monitor = child<QComboBox>(&form, "checkpointMonitor");
    QStringList offered;
    for (int i = 0; i < monitor->count(); ++i)
        offered << monitor->itemText(i);
    QCOMPARE(offered, keys);
    QVERIFY(monitor->isEditable());

    // With save_best_only, a monitor the run does not log is reported (core cross check).
    clickCheck(child<QCheckBox>(&form, "checkpointSaveBestOnly"));
    monitor->setEditText(QStringLiteral("val_mae"));
    QVERIFY(!form.isValid());
    QVERIFY(child<QLabel>(&form, "checkpointErrorsLabel")->text().contains(QStringLiteral("val_mae")));
    monitor->setEditText(QStringLiteral("val_loss"));
    QVERIFY2(form.isValid(), qPrintable(form.problems().join('\n')));
}

void TestForms::checkpointSaveFreqMessage()
{
    CheckpointPolicyForm form;
    form.setLogKeys({QStringLiteral("loss")}, {QStringLiteral("loss")});
    child<QComboBox>(&form, "checkpointMonitor")->setEditText(QStringLiteral("loss"));
    child<QComboBox>(&form, "checkpointSaveFreq")->setEditText(QStringLiteral("often"));
    QVERIFY(!form.isValid());
    cklab::CheckpointConfig c = form.config();
    const auto expected = CheckpointPolicyForm::validate(c, QStringLiteral("checkpoints[0]"), {QStringLiteral("loss")},
                                                         {QStringLiteral("loss")});
    QVERIFY(!expected.empty());
    const QString shown = child<QLabel>(&form, "checkpointErrorsLabel")->text();
    QVERIFY2(shown.contains(cklab::ui::readableProblem(QString::fromStdString(expected.front()))), qPrintable(shown));
    QVERIFY2(shown.startsWith(QStringLiteral("Policy 1, save_freq: ")), qPrintable(shown)); // 1-based, as listed
    QVERIFY(shown.contains(QStringLiteral("often")));
    child<QComboBox>(&form, "checkpointSaveFreq")->setEditText(QStringLiteral("5"));
    QVERIFY(form.isValid());
    QCOMPARE(form.config().saveFreq, std::string("5"));
}

void TestForms::policyListAddDuplicateRemoveRename()
{
    CheckpointPolicyList list;
    list.show();
    auto* items = child<QListWidget>(&list, "checkpointList");
    QCOMPARE(items->count(), 0);
    QTest::mouseClick(child<QPushButton>(&list, "addPolicyButton"), Qt::LeftButton);
    QTest::mouseClick(child<QPushButton>(&list, "addPolicyButton"), Qt::LeftButton);
    QCOMPARE(items->count(), 2);
    QCOMPARE(list.config().size(), size_t(2));
    QVERIFY(list.config()[0].name != list.config()[1].name);

    // Edit the second policy, duplicate it: the copy has every parameter and a new name.
    clickCheck(child<QCheckBox>(&list, "checkpointSaveBestOnly"));
    QTest::mouseClick(child<QPushButton>(&list, "duplicatePolicyButton"), Qt::LeftButton);
    auto policies = list.config();
    QCOMPARE(policies.size(), size_t(3));
    QVERIFY(policies[2].saveBestOnly);
    QCOMPARE(policies[2].filepath, policies[1].filepath);
    QVERIFY(policies[2].name != policies[1].name);
    QCOMPARE(list.currentIndex(), 2);

    // Rename through the name field: the list follows.
    typeInto(child<QLineEdit>(&list, "checkpointName"), QStringLiteral("best"));
    QCOMPARE(items->item(2)->text(), QStringLiteral("best"));
    QCOMPARE(list.config()[2].name, std::string("best"));
    // Rename in the list: the form follows.
    items->item(0)->setText(QStringLiteral("every_epoch"));
    QCOMPARE(list.config()[0].name, std::string("every_epoch"));

    list.setCurrentIndex(1);
    QTest::mouseClick(child<QPushButton>(&list, "removePolicyButton"), Qt::LeftButton);
    policies = list.config();
    QCOMPARE(policies.size(), size_t(2));
    QCOMPARE(policies[0].name, std::string("every_epoch"));
    QCOMPARE(policies[1].name, std::string("best"));
}

void TestForms::trainingFormShowsParametersPerOptimizer()
{
    TrainingForm form;
    form.show();
    auto* type = child<QComboBox>(&form, "optimizerType");
    type->setCurrentText(QStringLiteral("sgd"));
    QVERIFY(child<QDoubleSpinBox>(&form, "optimizerMomentum")->isVisible());
    QVERIFY(child<QCheckBox>(&form, "optimizerNesterov")->isVisible());
    QVERIFY(!child<QDoubleSpinBox>(&form, "optimizerBeta1")->isVisible());
    QVERIFY(!child<QDoubleSpinBox>(&form, "optimizerWeightDecay")->isVisible());
    QCOMPARE(form.config().compile.optimizer.type, std::string("sgd"));
    QCOMPARE(form.config().compile.optimizer.learningRate, cklab::OptimizerConfig::defaultsFor("sgd").learningRate);

    type->setCurrentText(QStringLiteral("adamw"));
    QVERIFY(child<QDoubleSpinBox>(&form, "optimizerBeta1")->isVisible());
    QVERIFY(child<QDoubleSpinBox>(&form, "optimizerWeightDecay")->isVisible());
    QVERIFY(!child<QDoubleSpinBox>(&form, "optimizerMomentum")->isVisible());
    QCOMPARE(form.config().compile.optimizer.weightDecay, cklab::OptimizerConfig::defaultsFor("adamw").weightDecay);

    type->setCurrentText(QStringLiteral("rmsprop"));
    QVERIFY(child<QDoubleSpinBox>(&form, "optimizerRho")->isVisible());
    QVERIFY(!child<QCheckBox>(&form, "optimizerNesterov")->isVisible());
}

void TestForms::trainingFormInvalidLearningRate()
{
    TrainingForm form;
    form.show();
    QVERIFY(form.isValid());
    typeInto(child<QDoubleSpinBox>(&form, "optimizerLearningRate"), QStringLiteral("0"));
    QVERIFY(!form.isValid());
    const auto expected = form.config().compile.optimizer.validate();
    QVERIFY(!expected.empty());
    QVERIFY2(child<QLabel>(&form, "trainingErrorsLabel")->text().contains(QString::fromStdString(expected.front())),
             qPrintable(child<QLabel>(&form, "trainingErrorsLabel")->text()));
    typeInto(child<QDoubleSpinBox>(&form, "optimizerLearningRate"), QStringLiteral("1e-3"));
    QCOMPARE(form.config().compile.optimizer.learningRate, 1e-3f);
    QVERIFY(form.isValid());
}

void TestForms::dataFormValidationSplitMessage()
{
    DataForm form;
    form.show();
    QVERIFY(form.isValid());
    QSignalSpy validation(&form, &DataForm::validationChanged);
    typeInto(child<QDoubleSpinBox>(&form, "dataValidationSplit"), QStringLiteral("1"));
    QVERIFY(!form.isValid());
    const auto expected = form.config().validate();
    QVERIFY(!expected.empty());
    QCOMPARE(child<QLabel>(&form, "dataErrorsLabel")->text(), QString::fromStdString(expected.front()));
    // What the user types, in their locale (a decimal comma under de_DE).
    typeInto(child<QDoubleSpinBox>(&form, "dataValidationSplit"), QLocale().toString(0.2));
    QVERIFY(form.isValid());
    QVERIFY(form.hasValidation());
    QVERIFY(validation.count() >= 1);
    QCOMPARE(validation.last().at(0).toBool(), true);
}

void TestForms::dataFormPreviewOfGenerator()
{
    DataForm form;
    form.show();
    cklab::DataConfig c;
    c.source = "generator";
    c.generator = "blobs";
    c.samples = 30;
    c.features = 3;
    c.classes = 3;
    form.setConfig(c);
    QSignalSpy features(&form, &DataForm::featureCountChanged);
    QSignalSpy updated(&form, &DataForm::previewUpdated);
    form.updatePreview();
    // The data is read on a pool thread: the call returns at once and says so.
    QCOMPARE(child<QLabel>(&form, "dataClassCounts")->text(), QStringLiteral("Loading preview…"));
    QVERIFY(updated.wait(10000));
    auto* table = child<QTableWidget>(&form, "dataPreviewTable");
    QCOMPARE(table->columnCount(), 4); // 3 features + label
    QVERIFY(table->rowCount() > 0 && table->rowCount() <= 30);
    QCOMPARE(form.featureCount(), 3);
    const QString counts = child<QLabel>(&form, "dataClassCounts")->text();
    QVERIFY2(counts.contains(QStringLiteral("30 samples")), qPrintable(counts));
    // Class counts add up to the sample count: "0: a, 1: b, 2: c".
    int sum = 0;
    const QRegularExpression re(QStringLiteral("(\\w+): (\\d+)"));
    for (auto it = re.globalMatch(counts.section(QStringLiteral("classes "), 1)); it.hasNext();)
        sum += it.next().captured(2).toInt();
    QCOMPARE(sum, 30);

    // Generator rows hide file rows; choosing CSV shows the file and label fields.
    QVERIFY(!child<QLineEdit>(&form, "dataPath")->isVisible());
    child<QComboBox>(&form, "dataSource")->setCurrentText(QStringLiteral("csv"));
    QVERIFY(child<QLineEdit>(&form, "dataPath")->isVisible());
    QVERIFY(child<QLineEdit>(&form, "dataLabelColumn")->isVisible());
    QVERIFY(!child<QSpinBox>(&form, "dataSamples")->isVisible());
}

void TestForms::formsRoundTripConfig()
{
    // Non-default values in every field survive setConfig -> widgets -> config().
    cklab::DataConfig d;
    d.source = "hdf5";
    d.generator = "spirals";
    d.samples = 77;
    d.features = 9;
    d.classes = 4;
    d.noise = 0.25f;
    d.path = "data/x.h5";
    d.labelColumn = "species";
    d.xDataset = "features";
    d.yDataset = "labels";
    d.validationPath = "data/val.h5";
    d.validationSplit = 0.125;
    d.batchSize = 0;
    d.shuffle = false;
    d.standardize = true;
    DataForm data;
    data.setConfig(d);
    const auto d2 = data.config();
    QCOMPARE(d2.source, d.source);
    QCOMPARE(d2.generator, d.generator);
    QCOMPARE(d2.samples, d.samples);
    QCOMPARE(d2.features, d.features);
    QCOMPARE(d2.classes, d.classes);
    QCOMPARE(d2.noise, d.noise);
    QCOMPARE(d2.path, d.path);
    QCOMPARE(d2.labelColumn, d.labelColumn);
    QCOMPARE(d2.xDataset, d.xDataset);
    QCOMPARE(d2.yDataset, d.yDataset);
    QCOMPARE(d2.validationPath, d.validationPath);
    QCOMPARE(d2.validationSplit, d.validationSplit);
    QCOMPARE(d2.batchSize, 0);
    QCOMPARE(d2.shuffle, false);
    QCOMPARE(d2.standardize, true);

    cklab::CheckpointConfig c;
    c.name = "p";
    c.filepath = "w/{epoch}.weights.h5";
    c.monitor = "val_accuracy";
    c.verbose = 1;
    c.saveBestOnly = true;
    c.saveWeightsOnly = true;
    c.mode = "max";
    c.saveFreq = "7";
    c.initialValueThreshold = 0.5;
    c.maxToKeep = 3;
    c.saveLast = true;
    c.continueOnError = true;
    c.includeOptimizer = false;
    CheckpointPolicyForm policy;
    policy.setConfig(c);
    const auto c2 = policy.config();
    QCOMPARE(c2.name, c.name);
    QCOMPARE(c2.filepath, c.filepath);
    QCOMPARE(c2.monitor, c.monitor);
    QCOMPARE(c2.verbose, c.verbose);
    QCOMPARE(c2.saveBestOnly, true);
    QCOMPARE(c2.saveWeightsOnly, true);
    QCOMPARE(c2.mode, c.mode);
    QCOMPARE(c2.saveFreq, c.saveFreq);
    QCOMPARE(c2.initialValueThreshold, c.initialValueThreshold);
    QCOMPARE(c2.maxToKeep, c.maxToKeep);
    QCOMPARE(c2.saveLast, true);
    QCOMPARE(c2.continueOnError, true);
    QCOMPARE(c2.includeOptimizer, false);
}

// Issue 14: scrolling a form over a combo box or spin box does not change it unless it has the
// keyboard focus; the form scrolls instead.
void TestForms::wheelChangesOnlyFocusedFields()
{
    cklab::ui::WheelGuard guard;
    qApp->installEventFilter(&guard);
    QScrollArea area;
    auto* form = new TrainingForm;
    area.setWidget(form);
    area.setWidgetResizable(true);
    area.resize(400, 200);
    area.show();
    QVERIFY(QTest::qWaitForWindowExposed(&area));
    auto* combo = child<QComboBox>(form, "optimizerType");
    const int before = combo->currentIndex();
    const auto wheel = [](QWidget* w) {
        const QPointF at(w->width() / 2.0, w->height() / 2.0);
        QWheelEvent e(at, w->mapToGlobal(at), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(w, &e);
    };
    area.setFocus();
    wheel(combo);
    QCOMPARE(combo->currentIndex(), before);
    QVERIFY(area.verticalScrollBar()->value() > 0); // the form scrolled instead
    combo->setFocus();
    QTRY_VERIFY(combo->hasFocus());
    wheel(combo);
    QVERIFY(combo->currentIndex() != before);
    qApp->removeEventFilter(&guard);
}

QTEST_MAIN(TestForms)
#include "TestForms.moc"
