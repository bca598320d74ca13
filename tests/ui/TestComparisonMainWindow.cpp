// The comparison features driven through the real main window (offscreen, real worker thread):
// a project with three policies is trained, the Comparison tab's timeline and table are checked
// against the run's own event stream and files on disk, a policy edited afterwards changes the
// replayed comparison but not the recorded run, a second run with another learning rate is
// overlaid with the first and their config difference is shown; Run > Evaluate checkpoint.
#include <QAction>
#include <QApplication>
#include <QDoubleSpinBox>
#include <QDir>
#include <QFileInfo>
#include <QLegend>
#include <QLegendMarker>
#include <QScatterSeries>
#include <QSlider>
#include <QLabel>
#include <QProgressBar>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QXYSeries>
#include <QtTest>
#include <map>
#include <set>

#include "core/compare/RunRecord.h"
#include "core/project/ProjectJson.h"
#include "tests/support/CompareFixtures.h"
#include "tests/support/MainWindowDriving.h"
#include "tests/support/WidgetDriving.h"
#include "ui/compare/ComparisonTableModel.h"
#include "ui/compare/ComparisonView.h"
#include "ui/compare/ConfigDiffDialog.h"
#include "ui/compare/RunsPanel.h"
#include "ui/compare/TimelineWidget.h"
#include "ui/forms/CheckpointPolicyList.h"
#include "ui/main/DialogProvider.h"
#include "ui/main/MainWindow.h"
#include "ui/plots/ChartPanel.h"
#include "ui/plots/MetricChart.h"
#include "ui/plots/Palette.h"
#include "ui/session/EvaluateDialog.h"
#include "ui/session/RunHistory.h"
#include "ui/session/TrainingController.h"

using namespace cklab;
using namespace cklab::ui;
using cklab::test::child;
using cklab::test::SilentDialogs;
using cklab::test::train;

namespace {

/// What the event stream says one policy did: saves, deletes, bytes, and the files left.
struct Expected {
    int saves = 0, skips = 0, deletes = 0;
    qint64 bytesWritten = 0;
    std::set<std::string> kept;
};

std::map<std::string, Expected> expectedFrom(const std::vector<EventRecord>& events)
{
    std::map<std::string, Expected> out;
    for (const EventRecord& r : events) {
        Expected& x = out[r.event.policy];
        switch (r.event.action) {
        case CheckpointAction::Save:
            ++x.saves;
            x.bytesWritten += r.event.bytes;
            x.kept.insert(r.event.path);
            break;
        case CheckpointAction::Skip: ++x.skips; break;
        case CheckpointAction::Delete:
            ++x.deletes;
            x.kept.erase(r.event.path);
            break;
        case CheckpointAction::Error: break;
        }
    }
    return out;
}

QVariant cell(QAbstractItemModel* model, const QString& policy, int column, int role = Qt::DisplayRole)
{
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, ComparisonTableModel::Policy).data().toString() == policy)
            return model->index(r, column).data(role);
    return {};
}

ComparisonView* view(MainWindow& w) { return child<ComparisonView>(&w, QStringLiteral("comparisonView")); }

} // namespace

class TestComparisonMainWindow : public QObject {
    Q_OBJECT
    SilentDialogs m_dialogs;
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("CheckpointLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("TestComparisonMainWindow"));
        QSettings().clear();
        DialogProvider::setInstance(&m_dialogs);
    }
    void cleanupTestCase() { DialogProvider::setInstance(nullptr); }
    void trainCompareEditOverlayDiff();
    void sessionOfProjectsComparesEachRunWithItsOwnPolicies();
    void stoppedRunsAreNotReportedAsFinished();
    void legendsAndMarkersBelongToTheCurrentRun();
};

void TestComparisonMainWindow::trainCompareEditOverlayDiff()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Project project = test::smallComparisonProject();
    project.outputDir = "out";
    project.training.compile.optimizer.learningRate = 0.01f;
    const QString projectPath = dir.filePath(QStringLiteral("compare.json"));
    saveProjectFile(projectPath.toStdString(), project);

    MainWindow w;
    w.resize(1500, 950);
    QVERIFY(w.openProject(projectPath));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(int(w.project().checkpoints.size()), 3);
    const QString outDir = dir.filePath(QStringLiteral("out"));

    // ---- first run ------------------------------------------------------------------------
    QVERIFY(train(w));
    RunHistory* history = w.controller()->history();
    const std::vector<EventRecord> stream = history->events(); // the run's own event stream
    QVERIFY(stream.size() > 10);
    const int steps = history->info().stepsPerEpoch;
    QCOMPARE(steps, 4);

    // The charts and the event log colour each policy by its place in the project's list.
    for (int i = 0; i < 3; ++i) {
        const QString name = QString::fromStdString(project.checkpoints[std::size_t(i)].name);
        QCOMPARE(history->policyIndex(name), i);
    }

    auto* tabs = child<QTabWidget>(&w, QStringLiteral("logTabs"));
    auto* view = child<ComparisonView>(&w, QStringLiteral("comparisonView"));
    tabs->setCurrentWidget(view);
    QTRY_VERIFY(view->isVisible());
    QVERIFY(view->run() != nullptr);
    QCOMPARE(QString::fromStdString(view->run()->name), QStringLiteral("run-001"));
    auto* timeline = child<TimelineWidget>(view, QStringLiteral("timeline"));

    // Timeline: per lane (project order), exactly the policy's events of the stream, in order.
    std::vector<const CheckpointEvent*> byLane;
    for (const auto& policy : project.checkpoints)
        for (const EventRecord& r : stream)
            if (r.event.policy == policy.name)
                byLane.push_back(&r.event);
    const auto& marks = timeline->marks();
    QCOMPARE(marks.size(), stream.size());
    for (std::size_t i = 0; i < marks.size(); ++i) {
        const CheckpointEvent& e = *byLane[i];
        QCOMPARE(marks[i].policy.toStdString(), e.policy);
        QCOMPARE(project.checkpoints[std::size_t(marks[i].lane)].name, e.policy);
        QCOMPARE(marks[i].action, e.action);
        QCOMPARE(marks[i].epoch, e.epoch);
        QCOMPARE(marks[i].batch, e.batch ? *e.batch : -1);
        QCOMPARE(marks[i].x, e.batch ? e.epoch + double(*e.batch + 1) / steps : e.epoch + 1.0);
        QCOMPARE(marks[i].color, palette::policyColor(marks[i].lane));
        QVERIFY(timeline->rect().contains(timeline->markPosition(marks[i]).toPoint()));
    }
    // The true best val_loss epoch, from the epoch logs the window received.
    int bestEpoch = -1;
    double bestValLoss = 1e300;
    for (const EpochPoint& p : history->epochs())
        if (const auto it = p.logs.find("val_loss"); it != p.logs.end() && it->second < bestValLoss) {
            bestValLoss = it->second;
            bestEpoch = p.epoch;
        }
    QVERIFY(bestEpoch >= 0);
    bool sawBestLine = false;
    for (const TimelineBestLine& b : timeline->bestLines())
        if (b.monitor == QStringLiteral("val_loss")) {
            sawBestLine = true;
            QCOMPARE(b.epoch, bestEpoch);
        }
    QVERIFY(sawBestLine);

    // Table: counts and bytes from the stream, files kept as found on disk.
    QAbstractItemModel* table = child<QTableView>(view, QStringLiteral("comparisonTable"))->model();
    QCOMPARE(table->rowCount(), 3);
    const auto expected = expectedFrom(stream);
    for (const auto& policy : project.checkpoints) {
        const QString name = QString::fromStdString(policy.name);
        const Expected& x = expected.at(policy.name);
        QCOMPARE(cell(table, name, ComparisonTableModel::Source).toString(), QStringLiteral("recorded"));
        QCOMPARE(cell(table, name, ComparisonTableModel::Saves).toInt(), x.saves);
        QCOMPARE(cell(table, name, ComparisonTableModel::Skips).toInt(), x.skips);
        QCOMPARE(cell(table, name, ComparisonTableModel::Deletes).toInt(), x.deletes);
        QCOMPARE(cell(table, name, ComparisonTableModel::BytesWritten, ComparisonTableModel::kSortRole).toLongLong(),
                 x.bytesWritten);
        QCOMPARE(cell(table, name, ComparisonTableModel::FilesKept).toInt(), int(x.kept.size()));
        for (const std::string& path : x.kept)
            QVERIFY2(QFileInfo::exists(QDir(outDir).filePath(QString::fromStdString(path))), path.c_str());
    }
    const QString bestPolicy = QString::fromStdString(project.checkpoints[1].name); // save_best_only val_loss
    QCOMPARE(cell(table, bestPolicy, ComparisonTableModel::BestKeptEpoch).toInt(), bestEpoch + 1);
    QCOMPARE(cell(table, bestPolicy, ComparisonTableModel::KeptBest).toString(), QStringLiteral("yes"));
    QCOMPARE(cell(table, QString::fromStdString(project.checkpoints[0].name), ComparisonTableModel::FilesKept).toInt(), 2);

    // ---- Run > Evaluate checkpoint: the best file evaluates to the best val_loss -----------
    const QString bestFile = QDir(outDir).filePath(QString::fromStdString(project.checkpoints[1].filepath));
    QVERIFY(QFileInfo::exists(bestFile));
    QString evaluation, prefilled, browseStart;
    QTimer::singleShot(0, this, [&] {
        QWidget* dialog = QApplication::activeModalWidget();
        if (!dialog)
            return;
        // It opens on the run's newest checkpoint, and Browse starts in the run's folder.
        prefilled = child<QLineEdit>(dialog, QStringLiteral("checkpointPath"))->text();
        qobject_cast<cklab::ui::EvaluateDialog*>(dialog)->setFileProvider([&](const QString& start) {
            browseStart = start;
            return QString();
        });
        QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("browseButton")), Qt::LeftButton);
        child<QLineEdit>(dialog, QStringLiteral("checkpointPath"))->clear();
        cklab::test::typeInto(child<QLineEdit>(dialog, QStringLiteral("checkpointPath")), bestFile);
        // The evaluation runs on a pool thread: wait for its result.
        QSignalSpy evaluated(qobject_cast<cklab::ui::EvaluateDialog*>(dialog), &cklab::ui::EvaluateDialog::evaluated);
        QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("evaluateButton")), Qt::LeftButton);
        if (evaluated.wait(60000))
            evaluation = child<QPlainTextEdit>(dialog, QStringLiteral("resultText"))->toPlainText();
        dialog->close();
    });
    child<QAction>(&w, QStringLiteral("actionEvaluateCheckpoint"))->trigger();
    // (the folder of the file in the field, inside the run's folder)
    QVERIFY2(QDir::cleanPath(browseStart).startsWith(QDir::cleanPath(outDir)), qPrintable(browseStart));
    QString newest;
    for (const EventRecord& r : history->events())
        if (r.event.action == CheckpointAction::Save && QFileInfo::exists(history->absolutePath(r.event.path)))
            newest = history->absolutePath(r.event.path);
    QVERIFY(!prefilled.isEmpty());
    QCOMPARE(prefilled, newest);
    const auto loss = QRegularExpression(QStringLiteral("\\bloss = ([0-9.eE+-]+)")).match(evaluation);
    QVERIFY2(loss.hasMatch(), qPrintable(evaluation));
    QVERIFY2(std::abs(loss.captured(1).toDouble() - bestValLoss) <= 1e-4 * std::max(1.0, bestValLoss),
             qPrintable(evaluation + QStringLiteral(" vs best val_loss %1").arg(bestValLoss)));

    // ---- a policy edited after the run: replay changes, the recorded run does not ----------
    const QString firstPolicy = QString::fromStdString(project.checkpoints[0].name);
    const int savesFirst = expected.at(project.checkpoints[0].name).saves;
    QSignalSpy changed(view, &ComparisonView::comparisonChanged);
    view->policyEditor()->setCurrentIndex(0);
    auto* keep = child<QSpinBox>(view, QStringLiteral("compare_checkpointMaxToKeep"));
    cklab::test::typeInto(keep, QStringLiteral("1"));
    QVERIFY(changed.wait(3000));
    QCOMPARE(cell(table, firstPolicy, ComparisonTableModel::Source).toString(), QStringLiteral("replay"));
    QCOMPARE(cell(table, firstPolicy, ComparisonTableModel::FilesKept).toInt(), 1);
    QCOMPARE(cell(table, firstPolicy, ComparisonTableModel::Deletes).toInt(), savesFirst - 1);
    int laneDeletes = 0;
    for (const TimelineMark& m : timeline->marks())
        laneDeletes += m.lane == 0 && m.action == CheckpointAction::Delete;
    QCOMPARE(laneDeletes, savesFirst - 1);
    QCOMPARE(cell(table, bestPolicy, ComparisonTableModel::Source).toString(), QStringLiteral("recorded"));
    // Recorded run: in the view and in its folder, still max_to_keep 2 and the same events.
    QCOMPARE(*view->run()->policies()[0].maxToKeep, 2);
    QCOMPARE(view->run()->events.size(), stream.size());
    const RunRecord saved = loadRunRecord((outDir + QStringLiteral("/recorded-runs/run-001")).toStdString());
    QCOMPARE(*saved.policies()[0].maxToKeep, 2);
    QCOMPARE(saved.events.size(), stream.size());
    QCOMPARE(w.project().checkpoints[0].maxToKeep.value(), 2); // nor the project

    // ---- second run with another learning rate; overlay both; config diff ---------------------
    auto* lr = child<QDoubleSpinBox>(&w, QStringLiteral("optimizerLearningRate"));
    lr->setValue(0.001);
    QCOMPARE(w.project().training.compile.optimizer.learningRate, 0.001f);
    QVERIFY(train(w));
    QCOMPARE(QString::fromStdString(view->run()->name), QStringLiteral("run-002"));

    auto* runs = child<RunsPanel>(view, QStringLiteral("runsPanel"));
    QCOMPARE(runs->runIds(), QStringList({"run-001", "run-002"}));
    auto* list = child<QListWidget>(runs, QStringLiteral("runList"));
    list->item(0)->setCheckState(Qt::Checked);
    list->item(1)->setCheckState(Qt::Checked);
    auto* charts = w.findChild<ChartPanel*>();
    QVERIFY(charts);
    QCOMPARE(charts->overlayIds(), QStringList({"run-001", "run-002"}));
    MetricChart* lossChart = charts->lossChart();
    const QString key1 = ChartPanel::overlayKey(QStringLiteral("run-001"), QStringLiteral("val_loss"));
    const QString key2 = ChartPanel::overlayKey(QStringLiteral("run-002"), QStringLiteral("val_loss"));
    QCOMPARE(lossChart->curveY(key1).size(), std::size_t(project.training.epochs));
    QCOMPARE(lossChart->curveY(key2).size(), std::size_t(project.training.epochs));
    QCOMPARE(lossChart->curveY(key1).front(), saved.epochLogs().front().second.at("val_loss"));
    QCOMPARE(lossChart->curveY(key2).back(), history->epochs().back().logs.at("val_loss")); // run 2 is the live one
    QVERIFY(lossChart->rawSeries(key1)->pen().color() != lossChart->rawSeries(key2)->pen().color());
    // The live run's curves are still there and unchanged in number.
    QCOMPARE(lossChart->curveY(QStringLiteral("val_loss/epoch")).size(), std::size_t(project.training.epochs));

    QTest::mouseClick(child<QPushButton>(runs, QStringLiteral("configDiffButton")), Qt::LeftButton);
    auto* dialog = child<ConfigDiffDialog>(&w, QStringLiteral("configDiffDialog"));
    QVERIFY(dialog->isVisible());
    auto* diff = child<QTableWidget>(dialog, QStringLiteral("configDiffTable"));
    QCOMPARE(diff->rowCount(), 1);
    QCOMPARE(diff->item(0, 0)->text(), QStringLiteral("training.optimizer.learning_rate"));
    QCOMPARE(diff->item(0, 1)->text(), QStringLiteral("0.01"));
    QCOMPARE(diff->item(0, 2)->text(), QStringLiteral("0.001"));

    // Unticking a run hides it from the charts.
    list->item(0)->setCheckState(Qt::Unchecked);
    QVERIFY(!lossChart->rawSeries(key1)->isVisible());
    QVERIFY(lossChart->rawSeries(key2)->isVisible());
    QVERIFY(m_dialogs.warnings.isEmpty());
}


namespace {

QStringList policyNames(const std::vector<CheckpointConfig>& policies)
{
    QStringList names;
    for (const auto& p : policies)
        names << QString::fromStdString(p.name);
    return names;
}

QStringList tableRows(QAbstractItemModel* model)
{
    QStringList names;
    for (int r = 0; r < model->rowCount(); ++r)
        names << model->index(r, ComparisonTableModel::Policy).data().toString();
    return names;
}

/// The folders of the runs the Runs list shows (not those added by hand).
QStringList listedRuns(RunsPanel* panel)
{
    auto* list = child<QListWidget>(panel, QStringLiteral("runList"));
    QStringList ids;
    for (int r = 0; r < list->count(); ++r)
        ids << QDir::cleanPath(list->item(r)->data(RunsPanel::kFolderRole).toString());
    return ids;
}

} // namespace

// Issue 14, items 1 and 5, as a user met them: one window, several projects and runs. Each new run
// is compared with its own policies (not with the first run's), and after Save As into another
// folder the Runs list reads that folder's runs.
void TestComparisonMainWindow::sessionOfProjectsComparesEachRunWithItsOwnPolicies()
{
    QTemporaryDir dirA, dirB;
    QVERIFY(dirA.isValid() && dirB.isValid());
    Project three = test::smallComparisonProject();
    three.training.epochs = 2;
    three.outputDir = "out";
    Project one = three;
    one.checkpoints.resize(1);
    one.checkpoints[0].name = "only_policy";
    const QString threePath = dirB.filePath(QStringLiteral("three.json"));
    const QString onePath = dirA.filePath(QStringLiteral("one.json"));
    saveProjectFile(threePath.toStdString(), three);
    saveProjectFile(onePath.toStdString(), one);

    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* view = child<ComparisonView>(&w, QStringLiteral("comparisonView"));
    auto* table = child<QTableView>(view, QStringLiteral("comparisonTable"));
    RunsPanel* runs = view->runsPanel();

    // Project with three policies, one run in dirB/out.
    QVERIFY(w.openProject(threePath));
    QVERIFY(train(w));
    QCOMPARE(policyNames(view->policies()), policyNames(three.checkpoints));
    QTRY_COMPARE(tableRows(table->model()), policyNames(three.checkpoints));
    QTRY_COMPARE(listedRuns(runs).size(), 1);

    // Then a project with one policy: two runs, each compared with that one policy only.
    QVERIFY(w.openProject(onePath));
    for (int run = 1; run <= 2; ++run) {
        QVERIFY(train(w));
        QCOMPARE(policyNames(view->policies()), QStringList{QStringLiteral("only_policy")});
        QTRY_COMPARE(tableRows(table->model()), QStringList{QStringLiteral("only_policy")});
        QCOMPARE(QString::fromStdString(view->run()->name), QStringLiteral("run-%1").arg(run, 3, 10, QLatin1Char('0')));
    }
    QTRY_COMPARE(listedRuns(runs).size(), 2);
    for (const QString& id : listedRuns(runs))
        QVERIFY2(id.startsWith(QDir::cleanPath(dirA.path())), qPrintable(id));

    // Save As into dirB: the Runs list now shows dirB/out's run (the three-policy project's), not
    // the two of dirA; the next run lands there too and is compared with its own policy.
    QVERIFY(w.saveProject(dirB.filePath(QStringLiteral("one-moved.json"))));
    QTRY_COMPARE(listedRuns(runs).size(), 1);
    QVERIFY2(listedRuns(runs).at(0).startsWith(QDir::cleanPath(dirB.path())), qPrintable(listedRuns(runs).at(0)));
    QVERIFY(train(w));
    QTRY_COMPARE(listedRuns(runs).size(), 2);
    QCOMPARE(QString::fromStdString(view->run()->name), QStringLiteral("run-002"));
    QCOMPARE(policyNames(view->policies()), QStringList{QStringLiteral("only_policy")});

    // A folder without run.json is refused; the project and the compared run stay.
    QTemporaryDir notARun;
    QVERIFY(!w.openRunFolder(notARun.path()));
    QCOMPARE(policyNames(w.project().checkpoints), QStringList{QStringLiteral("only_policy")});
    QCOMPARE(QString::fromStdString(view->run()->name), QStringLiteral("run-002"));

    // The three-policy project's first run opened as a folder (`checkpointlab PATH`): its config
    // is the project now, it is ticked on the charts, and the comparison tab replays its policies.
    const QString firstRun = dirB.filePath(QStringLiteral("out/recorded-runs/run-001"));
    QVERIFY(w.openRunFolder(firstRun));
    QCOMPARE(policyNames(w.project().checkpoints), policyNames(three.checkpoints));
    QCOMPARE(child<QTabWidget>(&w, QStringLiteral("logTabs"))->currentWidget(), static_cast<QWidget*>(view));
    QCOMPARE(QString::fromStdString(view->run()->name), QStringLiteral("run-001"));
    QCOMPARE(policyNames(view->policies()), policyNames(three.checkpoints));
    QTRY_COMPARE(tableRows(table->model()), policyNames(three.checkpoints));
    QCOMPARE(runs->overlaidIds().size(), 1);
    QVERIFY2(runs->overlaidIds().at(0).endsWith(QStringLiteral("run-001")), qPrintable(runs->overlaidIds().join(',')));
}


namespace {

/// Starts a long run, lets one epoch end, then triggers `stopAction`; true once its record is saved.
bool trainAndStop(MainWindow& w, const QString& stopAction)
{
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    QSignalSpy saved(&w, &MainWindow::runRecordSaved);
    child<QAction>(&w, QStringLiteral("actionTrain"))->trigger();
    if (!w.controller()->isRunning())
        return false;
    if (!QTest::qWaitFor([&] { return !w.controller()->history()->epochs().empty(); }, 60000))
        return false;
    child<QAction>(&w, stopAction)->trigger();
    return QTest::qWaitFor([&] { return finished.count() == 1 && saved.count() == 1; }, 60000);
}

} // namespace

// Issue 14, item 7: one window, a completed run, a run stopped at epoch end and one stopped at
// once; the status bar, the progress bar and the comparison's run label say how each ended.
void TestComparisonMainWindow::stoppedRunsAreNotReportedAsFinished()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Project project = test::smallComparisonProject();
    project.training.epochs = 2;
    project.outputDir = "out";
    const QString path = dir.filePath(QStringLiteral("p.json"));
    saveProjectFile(path.toStdString(), project);

    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openProject(path));
    auto* status = child<QLabel>(&w, QStringLiteral("trainingStatus"));
    auto* progress = child<QProgressBar>(&w, QStringLiteral("trainingProgress"));
    auto* runLabel = child<QLabel>(&w, QStringLiteral("runLabel"));

    QVERIFY(train(w));
    QVERIFY2(status->text().startsWith(QStringLiteral("Completed: 2 epochs")), qPrintable(status->text()));
    QCOMPARE(progress->value(), progress->maximum());
    QVERIFY2(runLabel->text().contains(QStringLiteral("completed")), qPrintable(runLabel->text()));

    // A long run stopped at the end of an epoch: not "finished", and the record says so too.
    project.training.epochs = 100000;
    saveProjectFile(path.toStdString(), project);
    QVERIFY(w.openProject(path));
    QVERIFY(trainAndStop(w, QStringLiteral("actionStopAtEpochEnd")));
    QVERIFY2(status->text().startsWith(QStringLiteral("Stopped by you at epoch end:")), qPrintable(status->text()));
    QVERIFY(progress->value() < progress->maximum());
    QVERIFY2(progress->text().endsWith(QStringLiteral("— stopped")), qPrintable(progress->text()));
    QVERIFY2(runLabel->text().contains(QStringLiteral("stopped by you at epoch end")), qPrintable(runLabel->text()));
    QCOMPARE(QString::fromStdString(view(w)->run()->stopReason), QStringLiteral("requested_at_epoch_end"));

    QVERIFY(trainAndStop(w, QStringLiteral("actionStop")));
    QVERIFY2(status->text().startsWith(QStringLiteral("Stopped by you:")), qPrintable(status->text()));
    QVERIFY2(runLabel->text().contains(QStringLiteral("stopped by you")), qPrintable(runLabel->text()));
    QVERIFY(!runLabel->text().contains(QStringLiteral("epoch end")));

    // A following completed run resets the progress text.
    project.training.epochs = 2;
    saveProjectFile(path.toStdString(), project);
    QVERIFY(w.openProject(path));
    QVERIFY(train(w));
    QVERIFY2(status->text().startsWith(QStringLiteral("Completed:")), qPrintable(status->text()));
    QVERIFY2(!progress->text().contains(QStringLiteral("stopped")), qPrintable(progress->text()));

    // The Runs list says how each of the four runs ended, as its run.json has it.
    auto* runs = child<RunsPanel>(&w, QStringLiteral("runsPanel"));
    QTRY_COMPARE(runs->list()->count(), 4);
    const auto ended = [&] {
        QStringList texts;
        for (int r = 0; r < runs->list()->count(); ++r)
            texts << runs->list()->item(r)->text();
        return texts;
    };
    QTRY_VERIFY2(ended().join(QLatin1Char('|')).count(QStringLiteral(" — ")) == 4, qPrintable(ended().join(QLatin1Char('|'))));
    const QStringList expected{QStringLiteral("Completed"), QStringLiteral("Stopped by you at epoch end"),
                               QStringLiteral("Stopped by you"), QStringLiteral("Completed")};
    for (int r = 0; r < 4; ++r) {
        const QString id = runs->list()->item(r)->data(Qt::UserRole).toString();
        QCOMPARE(ended()[r], QStringLiteral("%1 — %2").arg(id, expected[r]));
        const RunRecord record = loadRunRecord(runs->list()->item(r)->data(RunsPanel::kFolderRole).toString().toStdString());
        QCOMPARE(runs->list()->item(r)->data(RunsPanel::kEndRole).toString(), QString::fromStdString(record.stopReason));
    }
}


namespace {

/// The labels the legend of `chart` shows.
QStringList legendLabels(MetricChart* chart)
{
    QStringList labels;
    for (QLegendMarker* m : chart->chart()->legend()->markers())
        if (m->isVisible())
            labels << m->label();
    return labels;
}

} // namespace

// Issue 14, item 2: one window, a project with three policies and validation, then a project
// with one policy (named like the first project's third) and no validation. The second run's
// legend lists only its own policy and curves, and its policy has the colour of its place in
// the second project, the same in chart, event log and comparison.
void TestComparisonMainWindow::legendsAndMarkersBelongToTheCurrentRun()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Project three = test::smallComparisonProject();
    three.training.epochs = 3;
    three.outputDir = "out";
    Project one = three;
    one.data.validationSplit = 0.0;
    one.checkpoints = {three.checkpoints[2]};   // "every_5_batches", third in `three`, first here
    one.checkpoints[0].monitor = "loss";
    const QString threePath = dir.filePath(QStringLiteral("three.json"));
    const QString onePath = dir.filePath(QStringLiteral("one.json"));
    saveProjectFile(threePath.toStdString(), three);
    saveProjectFile(onePath.toStdString(), one);
    const QString shared = QString::fromStdString(one.checkpoints[0].name);

    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* loss = child<MetricChart>(&w, QStringLiteral("lossChart"));
    QVERIFY(w.openProject(threePath));
    QVERIFY(train(w));
    QTRY_VERIFY(legendLabels(loss).contains(QStringLiteral("best_val_loss")));
    QVERIFY(legendLabels(loss).contains(QStringLiteral("val_loss")));
    QCOMPARE(loss->markerSeries(shared)->color(), palette::policyColor(2));

    QVERIFY(w.openProject(onePath));
    QVERIFY(train(w));
    RunHistory* history = w.controller()->history();
    QCOMPARE(history->policyIndex(shared), 0);
    QTRY_VERIFY(legendLabels(loss).contains(shared));
    const QStringList labels = legendLabels(loss);
    for (const QString& gone : {QStringLiteral("best_val_loss"), QStringLiteral("every_epoch_keep_3"),
                                QStringLiteral("val_loss"), QStringLiteral("val_loss (batch)")})
        QVERIFY2(!labels.contains(gone), qPrintable(labels.join(QStringLiteral(", "))));
    QVERIFY2(labels.contains(QStringLiteral("loss")) && labels.contains(QStringLiteral("loss (batch)")),
             qPrintable(labels.join(QStringLiteral(", "))));
    QCOMPARE(loss->markerSeries(shared)->color(), palette::policyColor(0));
    QCOMPARE(loss->markerSeries(QStringLiteral("best_val_loss")), nullptr);

    // Smoothing does not add legend entries.
    child<QSlider>(&w, QStringLiteral("smoothingSlider"))->setValue(60);
    QCOMPARE(legendLabels(loss), labels);
}

QTEST_MAIN(TestComparisonMainWindow)
#include "TestComparisonMainWindow.moc"
