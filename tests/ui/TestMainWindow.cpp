// The main window driven through its actions and forms: example 1 by default, Train disabled by
// invalid input, the project file round trip of every field, undo/redo, and a short run.
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStyle>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QFileInfo>
#include <QListWidget>
#include <QMenu>
#include <QtTest>
#include <deque>

#include "tests/support/WidgetDriving.h"
#include "core/project/ProjectJson.h"
#include "core/project/ShippedExamples.h"
#include "ui/forms/CheckpointPolicyList.h"
#include "ui/main/DialogProvider.h"
#include "ui/forms/FieldProblems.h"
#include "ui/main/MainWindow.h"
#include "ui/main/ProjectForms.h"
#include "ui/session/RunHistory.h"
#include "ui/session/TrainingController.h"

using namespace cklab::ui;

namespace {

/// Answers dialogs from queues; records warnings instead of showing them.
class ScriptedDialogs : public DialogProvider {
public:
    std::deque<QString> files;
    std::deque<Answer> answers;
    QStringList warnings;

    QString openFileName(QWidget*, const QString&, const QString&, const QString&) override { return next(); }
    QString saveFileName(QWidget*, const QString&, const QString&, const QString&) override { return next(); }
    Answer question(QWidget*, const QString&, const QString&, bool) override
    {
        if (answers.empty())
            return Answer::No;
        const Answer a = answers.front();
        answers.pop_front();
        return a;
    }
    void warning(QWidget*, const QString&, const QString& text) override { warnings << text; }

private:
    QString next()
    {
        if (files.empty())
            return {};
        QString f = files.front();
        files.pop_front();
        return f;
    }
};

using cklab::test::child;
using cklab::test::typeInto;

std::string text(const cklab::Project& p)
{
    return cklab::projectToText(p);
}

/// A project with a non-default value in every field.
cklab::Project everyFieldProject()
{
    cklab::Project p;
    p.name = "every_field";
    p.outputDir = "out/runs";
    p.model.inputDim = 0;
    p.model.name = "mlp";
    p.model.layers = {cklab::LayerSpec{cklab::LayerSpec::Kind::Dense, 12, cklab::Activation::Tanh, false, 0.f, {}},
                      cklab::LayerSpec{cklab::LayerSpec::Kind::Dropout, 0, cklab::Activation::Linear, true, 0.3f, {}},
                      cklab::LayerSpec{cklab::LayerSpec::Kind::Dense, 3, cklab::Activation::Softmax, true, 0.f, {}}};
    auto& d = p.data;
    d.source = "generator";
    d.generator = "blobs";
    d.samples = 90;
    d.features = 4;
    d.classes = 3;
    d.noise = 0.2f;
    d.labelColumn = "label";
    d.xDataset = "feat";
    d.yDataset = "lab";
    d.validationSplit = 0.25;
    d.batchSize = 16;
    d.shuffle = false;
    d.standardize = true;
    auto& t = p.training;
    t.epochs = 7;
    t.seed = 1234567890123ULL;
    t.compile.loss = cklab::LossKind::SparseCategoricalCrossentropy;
    t.compile.metrics = {"accuracy", "mae"};
    t.compile.optimizer = cklab::OptimizerConfig::defaultsFor("rmsprop");
    t.compile.optimizer.learningRate = 0.005f;
    t.compile.optimizer.rho = 0.8f;
    t.compile.optimizer.momentum = 0.1f;
    t.compile.optimizer.epsilon = 1e-6f;
    t.terminateOnNaN = false;
    t.earlyStopping = {true, "val_accuracy", 0.01, 3, 1, "max", 0.4, true, 2};
    t.csvLogger = {true, "log.csv", ";", true};
    t.backup = {true, "bk", "5", false};
    cklab::CheckpointConfig a;
    a.name = "best";
    a.filepath = "ck/best-{epoch:02d}-{val_loss:.3f}.weights.h5";
    a.monitor = "val_loss";
    a.verbose = 1;
    a.saveBestOnly = true;
    a.saveWeightsOnly = true;
    a.mode = "min";
    a.saveFreq = "epoch";
    a.initialValueThreshold = 2.5;
    a.maxToKeep = 2;
    a.saveLast = true;
    a.continueOnError = true;
    a.includeOptimizer = false;
    cklab::CheckpointConfig b;
    b.name = "batches";
    b.filepath = "ck/e{epoch}-b{batch}.keras";
    b.monitor = "loss";
    b.saveFreq = "3";
    p.checkpoints = {a, b};
    return p;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void opensExampleOneByDefault();
    void examplesMenuOpensEveryShippedExample();
    void invalidInputDisablesTrain();
    void weightsSuffixFixReenablesTrain();
    void projectRoundTripsEveryField();
    void openReportsInvalidFile();
    void undoRedoRestoresField();
    void trainRunsToTheEnd();

private:
    ScriptedDialogs m_dialogs;
    QTemporaryDir m_tmp;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("CheckpointLabTest"));
    QCoreApplication::setApplicationName(QStringLiteral("TestMainWindow"));
    QSettings().clear();
    QVERIFY(m_tmp.isValid());
}

void TestMainWindow::init()
{
    m_dialogs = ScriptedDialogs{};
    DialogProvider::setInstance(&m_dialogs);
}

void TestMainWindow::cleanup()
{
    DialogProvider::setInstance(nullptr);
}

void TestMainWindow::opensExampleOneByDefault()
{
    MainWindow w;
    const cklab::ShippedExample* ex = cklab::shippedExample(1);
    QVERIFY(ex != nullptr);
    const cklab::Project expected = cklab::parseProjectText(std::string(ex->json), "example1");
    QCOMPARE(text(w.project()), text(expected));
    QVERIFY(!w.isModified());
    QVERIFY2(child<QAction>(&w, "actionTrain")->isEnabled(), qPrintable(w.forms()->problems().join('\n')));
    QVERIFY(!child<QAction>(&w, "actionStop")->isEnabled());
    QVERIFY(!child<QAction>(&w, "actionPause")->isEnabled());
    QCOMPARE(child<QAction>(&w, "actionTrain")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_R));
    QCOMPARE(child<QAction>(&w, "actionStop")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Period));
}

// File > Open Example lists the core's table (the CLI's too; nothing embedded twice), and each
// entry opens its own example, one after another in one window, unsaved and unmodified.
void TestMainWindow::examplesMenuOpensEveryShippedExample()
{
    MainWindow w;
    auto* menu = child<QMenu>(&w, "examplesMenu");
    QStringList listed;
    for (QAction* a : menu->actions())
        listed << a->text();
    QStringList expected;
    for (const cklab::ShippedExample& ex : cklab::shippedExamples())
        expected << QFileInfo(QString::fromUtf8(ex.fileName.data(), qsizetype(ex.fileName.size()))).completeBaseName();
    expected.sort();
    QCOMPARE(listed, expected);
    for (const cklab::ShippedExample& ex : cklab::shippedExamples()) {
        const QString base = QFileInfo(QString::fromUtf8(ex.fileName.data(), qsizetype(ex.fileName.size()))).completeBaseName();
        child<QAction>(menu, "example_" + base)->trigger();
        QCOMPARE(text(w.project()), text(cklab::parseProjectText(std::string(ex.json), std::string(ex.fileName))));
        QVERIFY(w.projectFile().isEmpty());
        QVERIFY(!w.isModified());
    }
    QVERIFY(m_dialogs.warnings.isEmpty());
}

void TestMainWindow::invalidInputDisablesTrain()
{
    MainWindow w;
    w.show();
    auto* train = child<QAction>(&w, "actionTrain");
    QVERIFY(train->isEnabled());
    auto* units = child<QSpinBox>(&w, "layerUnits_0");
    typeInto(units, QStringLiteral("0"));
    QVERIFY(!train->isEnabled());
    // The label shows the core's text for this model.
    cklab::ModelSpec spec = w.project().model;
    spec.inputDim = std::max(1, spec.inputDim);
    const auto expected = spec.validate();
    QVERIFY(!expected.empty());
    QVERIFY2(child<QLabel>(&w, "modelErrorsLabel")->text().contains(cklab::ui::readableProblem(QString::fromStdString(expected.front()))),
             qPrintable(child<QLabel>(&w, "modelErrorsLabel")->text()));
    QVERIFY(!child<QLabel>(&w, "modelErrorsLabel")->isHidden());
    // Ctrl+R does nothing while invalid.
    QTest::keyClick(&w, Qt::Key_R, Qt::ControlModifier);
    QVERIFY(!w.controller()->isRunning());
    typeInto(units, QStringLiteral("4"));
    QVERIFY(train->isEnabled());
}

void TestMainWindow::weightsSuffixFixReenablesTrain()
{
    MainWindow w;
    w.show();
    cklab::Project p = w.project();
    cklab::CheckpointConfig c;
    c.name = "weights";
    c.filepath = "model_checkpoint_ex1/best_weights";
    c.monitor = "loss";
    c.saveWeightsOnly = true;
    c.saveBestOnly = true;
    p.checkpoints = {c};
    w.setProject(p);
    auto* train = child<QAction>(&w, "actionTrain");
    QVERIFY(!train->isEnabled());
    auto* errors = child<QLabel>(&w, "checkpointErrorsLabel");
    QVERIFY(errors->text().contains(QStringLiteral("must end in `.weights.h5` (Keras weights format). Received: "
                                                   "filepath=model_checkpoint_ex1/best_weights")));
    child<QTabWidget>(&w, "formTabs")->setCurrentIndex(3);
    QTest::mouseClick(child<QPushButton>(&w, "appendWeightsSuffixButton"), Qt::LeftButton);
    QCOMPARE(w.project().checkpoints[0].filepath, std::string("model_checkpoint_ex1/best_weights.weights.h5"));
    QVERIFY2(train->isEnabled(), qPrintable(w.forms()->problems().join('\n')));
}

void TestMainWindow::projectRoundTripsEveryField()
{
    const QString path = m_tmp.filePath(QStringLiteral("every.json"));
    const cklab::Project p = everyFieldProject();
    {
        MainWindow w;
        w.setProject(p);
        // Every field survives the forms.
        QCOMPARE(text(w.project()), text(p));
        // Plus edits made through the widgets.
        typeInto(child<QSpinBox>(&w, "trainingEpochs"), QStringLiteral("9"));
        typeInto(child<QLineEdit>(&w, "checkpointFilepath"), QStringLiteral("ck/b-{epoch:03d}.weights.h5"));
        QVERIFY(w.isModified());
        m_dialogs.files.push_back(path);
        child<QAction>(&w, "actionSaveAs")->trigger();
        QVERIFY(!w.isModified());
        QCOMPARE(w.projectFile(), QFileInfo(path).absoluteFilePath());
    }
    cklab::Project expected = p;
    expected.training.epochs = 9;
    expected.checkpoints[0].filepath = "ck/b-{epoch:03d}.weights.h5";
    QCOMPARE(text(cklab::loadProjectFile(path.toStdString())), text(expected));

    MainWindow fresh;
    m_dialogs.files.push_back(path);
    child<QAction>(&fresh, "actionOpen")->trigger();
    QVERIFY2(m_dialogs.warnings.isEmpty(), qPrintable(m_dialogs.warnings.join('\n')));
    QCOMPARE(text(fresh.project()), text(expected));
    QVERIFY(!fresh.isModified());
    QVERIFY(fresh.windowTitle().contains(QStringLiteral("every.json")));
}

void TestMainWindow::openReportsInvalidFile()
{
    const QString path = m_tmp.filePath(QStringLiteral("broken.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{ \"format_version\": 1, \"model\": ");
    f.close();
    MainWindow w;
    const std::string before = text(w.project());
    QVERIFY(!w.openProject(path));
    QCOMPARE(m_dialogs.warnings.size(), 1);
    QVERIFY2(m_dialogs.warnings[0].contains(QStringLiteral("malformed JSON")), qPrintable(m_dialogs.warnings[0]));
    QCOMPARE(text(w.project()), before);
}

void TestMainWindow::undoRedoRestoresField()
{
    MainWindow w;
    w.show();
    const int original = w.project().training.epochs;
    const int changed = original + 5;
    typeInto(child<QSpinBox>(&w, "trainingEpochs"), QString::number(changed));
    QCOMPARE(w.project().training.epochs, changed);
    QVERIFY(w.isModified());
    auto* undo = child<QAction>(&w, "actionUndo");
    auto* redo = child<QAction>(&w, "actionRedo");
    QVERIFY(undo->isEnabled());
    undo->trigger();
    QCOMPARE(w.project().training.epochs, original);
    QCOMPARE(child<QSpinBox>(&w, "trainingEpochs")->value(), original);
    QVERIFY(!w.isModified());
    QVERIFY(redo->isEnabled());
    redo->trigger();
    QCOMPARE(child<QSpinBox>(&w, "trainingEpochs")->value(), changed);

    // A checkbox edit of another field is its own step.
    auto* standardize = child<QCheckBox>(&w, "dataStandardize");
    const bool before = w.project().data.standardize;
    QTest::mouseClick(standardize, Qt::LeftButton, {},
                      QPoint(standardize->style()->pixelMetric(QStyle::PM_IndicatorWidth) / 2 + 1, standardize->height() / 2));
    QCOMPARE(w.project().data.standardize, !before);
    undo->trigger();
    QCOMPARE(w.project().data.standardize, before);
    QCOMPARE(standardize->isChecked(), before);
    QCOMPARE(w.project().training.epochs, changed);
}

void TestMainWindow::trainRunsToTheEnd()
{
    MainWindow w;
    w.show();
    cklab::Project p = w.project();
    p.outputDir = m_tmp.filePath(QStringLiteral("run")).toStdString();
    p.training.epochs = 3;
    w.setProject(p);
    auto* train = child<QAction>(&w, "actionTrain");
    QVERIFY2(train->isEnabled(), qPrintable(w.forms()->problems().join('\n')));
    QSignalSpy finished(w.controller(), &cklab::ui::TrainingController::finished);
    QSignalSpy failed(w.controller(), &cklab::ui::TrainingController::failed);
    train->trigger();
    QVERIFY(w.controller()->isRunning());
    QVERIFY(!train->isEnabled());
    QVERIFY(child<QAction>(&w, "actionStop")->isEnabled());
    // The forms can be looked at during the run, not edited (issue 14): every tab, every policy.
    QVERIFY(w.forms()->isLocked());
    QVERIFY(child<QWidget>(&w, "formsLockedNote")->isVisible());
    auto* tabs = child<QTabWidget>(&w, "formTabs");
    QVERIFY(tabs->isEnabled());
    tabs->setCurrentIndex(3);
    QVERIFY(child<QListWidget>(&w, "checkpointList")->isEnabled());
    QVERIFY(!child<QLineEdit>(&w, "checkpointFilepath")->isEnabled());
    QVERIFY(!child<QWidget>(&w, "modelForm")->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() > 0, 120000);
    QVERIFY(!w.forms()->isLocked());
    QVERIFY(child<QLineEdit>(&w, "checkpointFilepath")->isEnabled());
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(int(w.controller()->history()->epochs().size()), 3);
    QVERIFY(train->isEnabled());
    QVERIFY(!child<QAction>(&w, "actionStop")->isEnabled());
    QVERIFY(child<QAction>(&w, "actionExportMetricsCsv")->isEnabled());

    // Export goes through the dialog seam and writes one row per epoch plus the header.
    const QString csv = m_tmp.filePath(QStringLiteral("metrics.csv"));
    m_dialogs.files.push_back(csv);
    child<QAction>(&w, "actionExportMetricsCsv")->trigger();
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll().trimmed().split('\n').size(), 4);
}

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
