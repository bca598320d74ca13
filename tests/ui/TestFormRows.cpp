// The one-line-per-field form builder: every widget it makes carries its object name and tooltip,
// sits on a row with its label, and reports a user's change as exactly its own project key;
// optional values follow their box; a null key connects nothing. And the two forms built with it
// report each field's key when the user changes that field; so do the model table's cells
// (ui/forms/LayerCells), Conv2D's filters under their own key.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include "ui/forms/CheckpointPolicyForm.h"
#include "ui/forms/FormRows.h"
#include "ui/forms/ModelForm.h"
#include "ui/forms/SciSpinBox.h"
#include "ui/forms/TrainingForm.h"

using namespace cklab::ui;

using cklab::ui::FormRows;

class TestFormRows : public QObject {
    Q_OBJECT
private slots:
    void eachFieldReportsItsOwnKey();
    void optionalValueFollowsItsBox();
    void nullKeyConnectsNothing();
    void checkableGroupReportsItsKey();
    void trainingFormReportsEachFieldsKey();
    void policyFormReportsEachFieldsKey();
    void modelTableCellsReportTheirLayerKey();
};

void TestFormRows::eachFieldReportsItsOwnKey()
{
    QWidget owner;
    QStringList keys;
    auto* layout = new QFormLayout(&owner);
    FormRows rows(layout, [&keys](const QString& key) { keys << key; });
    QSpinBox* epochs = rows.integer("Epochs", "epochs", "training.epochs", 1, 10, "how many");
    QDoubleSpinBox* beta = rows.decimal("Beta", "beta", "optimizer.beta_1", -1, 1, 3, 0.1, "b");
    SciSpinBox* lr = rows.scientific("LR", "lr", "optimizer.learning_rate", "rate");
    QCheckBox* box = rows.check("Append", "append", "csv_logger.append", "a");
    QComboBox* mode = rows.choice("Mode", "mode", "early_stopping.mode", {"auto", "min", "max"}, "m");
    QComboBox* freq = rows.editableChoice("Freq", "freq", "backup.save_freq", {"epoch"}, "f");
    QLineEdit* file = rows.text("File", "file", "csv_logger.filename", "name");
    QCOMPARE(keys, QStringList());  // building reports nothing

    QCOMPARE(epochs->objectName(), QString("epochs"));
    QCOMPARE(epochs->toolTip(), QString("how many"));
    QCOMPARE(epochs->maximum(), 10);
    QCOMPARE(beta->decimals(), 3);
    QCOMPARE(mode->count(), 3);
    QVERIFY(freq->isEditable());
    QVERIFY(!mode->isEditable());
    QCOMPARE(qobject_cast<QLabel*>(layout->labelForField(file))->text(), QString("File"));
    QCOMPARE(box->text(), QString("Append"));
    QVERIFY(owner.isAncestorOf(epochs));

    epochs->setValue(3);
    beta->setValue(0.5);
    lr->setValue(0.01);
    box->setChecked(true);
    mode->setCurrentIndex(2);
    freq->setEditText("25");
    file->setText("log.csv");
    QCOMPARE(keys, (QStringList{"training.epochs", "optimizer.beta_1", "optimizer.learning_rate", "csv_logger.append",
                                "early_stopping.mode", "backup.save_freq", "csv_logger.filename"}));
}

void TestFormRows::optionalValueFollowsItsBox()
{
    QWidget owner;
    QStringList keys;
    FormRows rows(new QFormLayout(&owner), [&keys](const QString& key) { keys << key; });
    auto [hasKeep, keep] = rows.optionalInteger("Keep", "hasKeep", "keep", "max_to_keep", 0, 100, "x", "y");
    auto [hasBase, base] = rows.optionalScientific("Base", "hasBase", "base", "early_stopping.baseline", "x", "y");
    QCOMPARE(keep->parentWidget(), hasKeep->parentWidget()); // one row
    hasKeep->setChecked(true);
    QVERIFY(keep->isEnabled());
    hasKeep->setChecked(false);
    QVERIFY(!keep->isEnabled());
    keep->setValue(7);
    base->setValue(0.5);
    hasBase->setChecked(true);
    QCOMPARE(keys, (QStringList{"max_to_keep", "max_to_keep", "max_to_keep", "early_stopping.baseline",
                                "early_stopping.baseline"}));
}

void TestFormRows::nullKeyConnectsNothing()
{
    QWidget owner;
    int calls = 0;
    FormRows rows(new QFormLayout(&owner), [&calls](const QString&) { ++calls; });
    rows.choice("Type", "type", nullptr, {"a", "b"}, "t")->setCurrentIndex(1);
    rows.text("Name", "name", nullptr, "n")->setText("x");
    QCOMPARE(calls, 0);
}

void TestFormRows::checkableGroupReportsItsKey()
{
    QStringList keys;
    const FormRows::Edited edited = [&keys](const QString& key) { keys << key; };
    std::unique_ptr<QGroupBox> group(FormRows::checkableGroup("CSV", "csvGroup", "csv_logger.enabled", "tip", edited));
    QVERIFY(group->isCheckable());
    QVERIFY(FormRows::groupLayout(group.get()));
    FormRows inside(FormRows::groupLayout(group.get()), edited);
    QLineEdit* file = inside.text("File", "file", "csv_logger.filename", "f");
    QVERIFY(group->isAncestorOf(file));
    group->setChecked(false);
    file->setText("a.csv");
    QCOMPARE(keys, (QStringList{"csv_logger.enabled", "csv_logger.filename"}));
}

void TestFormRows::trainingFormReportsEachFieldsKey()
{
    TrainingForm form;
    QSignalSpy spy(&form, &TrainingForm::edited);
    auto last = [&spy] { return spy.isEmpty() ? QString() : spy.last().at(0).toString(); };
    form.findChild<QSpinBox*>("trainingEpochs")->setValue(17);
    QCOMPARE(last(), QString("training.epochs"));
    form.findChild<QDoubleSpinBox*>("optimizerLearningRate")->setValue(0.05);
    QCOMPARE(last(), QString("optimizer.learning_rate"));
    form.findChild<QComboBox*>("optimizerType")->setCurrentText("sgd");
    QCOMPARE(last(), QString("optimizer.type"));
    form.findChild<QGroupBox*>("earlyStoppingGroup")->setChecked(true);
    QCOMPARE(last(), QString("early_stopping.enabled"));
    form.findChild<QCheckBox*>("earlyStoppingHasBaseline")->setChecked(true);
    QCOMPARE(last(), QString("early_stopping.baseline"));
    QVERIFY(form.findChild<QDoubleSpinBox*>("earlyStoppingBaseline")->isEnabled());
    form.findChild<QLineEdit*>("csvLoggerSeparator")->setText(";");
    QCOMPARE(last(), QString("csv_logger.separator"));
    form.findChild<QComboBox*>("backupSaveFreq")->setEditText("10");
    QCOMPARE(last(), QString("backup.save_freq"));
    form.findChild<QCheckBox*>("metric_accuracy")->toggle();
    QCOMPARE(last(), QString("training.metrics"));
    QCOMPARE(form.config().epochs, 17);
    QCOMPARE(form.config().compile.optimizer.type, std::string("sgd"));
    QCOMPARE(form.config().backup.saveFreq, std::string("10"));
}

void TestFormRows::policyFormReportsEachFieldsKey()
{
    CheckpointPolicyForm form;
    QSignalSpy spy(&form, &CheckpointPolicyForm::edited);
    auto last = [&spy] { return spy.isEmpty() ? QString() : spy.last().at(0).toString(); };
    form.findChild<QLineEdit*>("checkpointFilepath")->setText("best.weights.h5");
    QCOMPARE(last(), QString("filepath"));
    form.findChild<QCheckBox*>("checkpointHasMaxToKeep")->setChecked(true);
    QCOMPARE(last(), QString("max_to_keep"));
    form.findChild<QSpinBox*>("checkpointMaxToKeep")->setValue(4);
    QCOMPARE(last(), QString("max_to_keep"));
    form.findChild<QCheckBox*>("checkpointSaveLast")->setChecked(true);
    QCOMPARE(last(), QString("save_last"));
    QTest::keyClicks(form.findChild<QLineEdit*>("checkpointName"), "p");
    QCOMPARE(last(), QString("name"));
    QCOMPARE(form.config().maxToKeep.value_or(-1), 4);
    QVERIFY(form.config().saveLast);
}

void TestFormRows::modelTableCellsReportTheirLayerKey()
{
    ModelForm form;
    QSignalSpy spy(&form, &ModelForm::edited);
    auto last = [&spy] { return spy.isEmpty() ? QString() : spy.last().at(0).toString(); };
    form.findChild<QSpinBox*>("layerUnits_0")->setValue(12);
    QCOMPARE(last(), QString("layers[0].units"));
    form.findChild<QComboBox*>("layerActivation_1")->setCurrentText("sigmoid");
    QCOMPARE(last(), QString("layers[1].activation"));
    form.findChild<QCheckBox*>("layerBias_1")->setChecked(false);
    QCOMPARE(last(), QString("layers[1].use_bias"));
    QVERIFY(!form.findChild<QDoubleSpinBox*>("layerRate_0")->isEnabled());
    QCOMPARE(form.config().layers[0].units, 12);
    QCOMPARE(form.config().layers[1].activation, cklab::Activation::Sigmoid);
    QVERIFY(!form.config().layers[1].useBias);

    form.findChild<QComboBox*>("layerType_0")->setCurrentText("Conv2D");
    QCOMPARE(last(), QString("layers[0].type"));
    QCOMPARE(form.findChild<QSpinBox*>("layerUnits_0")->value(), 32); // Conv2D's default filters
    form.findChild<QSpinBox*>("layerUnits_0")->setValue(8);
    QCOMPARE(last(), QString("layers[0].filters"));
    QCOMPARE(form.config().layers[0].filters, 8);

    form.findChild<QComboBox*>("layerType_1")->setCurrentText("Dropout");
    QVERIFY(form.findChild<QDoubleSpinBox*>("layerRate_1")->isEnabled());
    QVERIFY(!form.findChild<QSpinBox*>("layerUnits_1")->isEnabled());
    form.findChild<QDoubleSpinBox*>("layerRate_1")->setValue(0.25);
    QCOMPARE(last(), QString("layers[1].rate"));
    QCOMPARE(form.config().layers[1].rate, 0.25f);
}

QTEST_MAIN(TestFormRows)
#include "TestFormRows.moc"
