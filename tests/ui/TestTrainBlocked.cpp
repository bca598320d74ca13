// Issue 14, item 4, as a user met it: one window, a run, then input that cannot run. Every check
// that can be made before a run is made before it: Train is disabled and the status bar says why
// (a bad format spec in a checkpoint template, a missing CSV file), and comes back when the
// problem is gone (the file made while the window was elsewhere). A start that fails anyway (the
// file turned unreadable after the check) destroys nothing: the last run's curves, markers and
// event log stay.
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QtTest>

#include "core/project/ProjectJson.h"
#include "tests/support/CompareFixtures.h"
#include "tests/support/MainWindowDriving.h"
#include "ui/main/ProjectForms.h"
#include "ui/plots/ChartPanel.h"
#include "ui/plots/MetricChart.h"
#include "ui/session/RunHistory.h"

using namespace cklab;
using namespace cklab::ui;
using cklab::test::child;

namespace {

/// What the window shows of the last run, to compare before and after a failed start.
struct Shown {
    std::size_t epochs = 0, batches = 0, events = 0;
    int lossMarkers = 0;
    std::size_t lossPoints = 0;
    bool operator==(const Shown&) const = default;
};

Shown shown(MainWindow& w)
{
    const RunHistory& h = *w.controller()->history();
    auto* panel = child<ChartPanel>(&w, QStringLiteral("chartPanel"));
    return {h.epochs().size(), h.batchCount(), h.events().size(), panel->lossChart()->markerCount(),
            panel->lossChart()->curveY(QStringLiteral("loss/epoch")).size()};
}

void writeCsv(const QString& path, int rows)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("x1,x2,label\n");
    for (int i = 0; i < rows; ++i)
        f.write(QStringLiteral("%1,%2,%3\n").arg(i * 0.1).arg(1.0 - i * 0.05).arg(i % 2).toUtf8());
}

void activate(MainWindow& w)
{
    QEvent activation(QEvent::ActivationChange);
    QApplication::sendEvent(&w, &activation);
}

} // namespace

class TestTrainBlocked : public QObject {
    Q_OBJECT
    test::SilentDialogs m_dialogs;
private slots:
    void initTestCase() { DialogProvider::setInstance(&m_dialogs); }
    void cleanupTestCase() { DialogProvider::setInstance(nullptr); }
    void invalidInputNeverStartsAndAFailedStartKeepsTheLastRun();
};

void TestTrainBlocked::invalidInputNeverStartsAndAFailedStartKeepsTheLastRun()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Project good = test::smallComparisonProject();
    good.training.epochs = 3;
    good.outputDir = "out";
    const QString goodPath = dir.filePath(QStringLiteral("good.json"));
    saveProjectFile(goodPath.toStdString(), good);
    Project csv = good;
    csv.name = "from csv";
    csv.data.source = "csv";
    csv.data.path = "moons.csv";
    csv.data.standardize = false;
    const QString csvPath = dir.filePath(QStringLiteral("csv.json"));
    saveProjectFile(csvPath.toStdString(), csv);

    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QAction* train = child<QAction>(&w, QStringLiteral("actionTrain"));
    auto* blocked = child<QLabel>(&w, QStringLiteral("trainBlockedLabel"));
    QVERIFY(w.openProject(goodPath));
    // The form shows the real folder the run writes to, and after the run that files are there.
    auto* writesTo = child<QLabel>(&w, QStringLiteral("outputDirResolved"));
    const QString out = QDir::toNativeSeparators(QDir(dir.path()).filePath(QStringLiteral("out")));
    QVERIFY2(writesTo->text().contains(out) && !writesTo->text().contains(QStringLiteral("earlier")), qPrintable(writesTo->text()));
    QVERIFY(test::train(w));
    QVERIFY2(writesTo->text().contains(out) && writesTo->text().contains(QStringLiteral("earlier runs")), qPrintable(writesTo->text()));
    const Shown lastRun = shown(w);
    QVERIFY(lastRun.epochs == 3 && lastRun.events > 0 && lastRun.lossMarkers > 0);

    // A format spec that str.format refuses: flagged, Train off, the reason in the status bar.
    auto* filepath = child<QLineEdit>(&w, QStringLiteral("checkpointFilepath"));
    const QString goodTemplate = filepath->text();
    filepath->selectAll();
    QTest::keyClicks(filepath, QStringLiteral("ckpt-{epoch:02q}.keras"));
    QTRY_VERIFY(!train->isEnabled());
    QVERIFY(blocked->isVisible());
    QTRY_VERIFY2(blocked->text().contains(QStringLiteral("filepath")) && blocked->text().contains(QStringLiteral("02q")),
                 qPrintable(blocked->text()));
    train->trigger();
    w.train(); // what the shortcut would reach, were it enabled
    QVERIFY(!w.controller()->isRunning());
    QCOMPARE(shown(w), lastRun);
    filepath->setText(goodTemplate);
    QTRY_VERIFY(train->isEnabled());
    QVERIFY(!blocked->isVisible());

    // A CSV project whose file does not exist: the field and the file named, nothing starts.
    QVERIFY(w.openProject(csvPath));
    QTRY_VERIFY(!train->isEnabled());
    QTRY_VERIFY2(blocked->text().contains(QStringLiteral("data.path")) && blocked->text().contains(QStringLiteral("moons.csv")),
                 qPrintable(blocked->text()));
    w.train();
    QVERIFY(!w.controller()->isRunning());
    QCOMPARE(shown(w), lastRun);

    // The user makes the file elsewhere and comes back: Train is on again.
    writeCsv(dir.filePath(QStringLiteral("moons.csv")), 40);
    activate(w);
    QTRY_VERIFY(train->isEnabled());

    // The file turns unreadable after the check: the run fails at its start and the window
    // still shows the last run.
    {
        QFile f(dir.filePath(QStringLiteral("moons.csv")));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("x1,x2,label\n1,2\n");
    }
    QSignalSpy failed(w.controller(), &TrainingController::failed);
    w.train();
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty() || !w.controller()->isRunning(), 30000);
    QTRY_VERIFY(!w.controller()->isRunning());
    QCOMPARE(failed.count(), 1);
    QCOMPARE(shown(w), lastRun);
    QVERIFY(!m_dialogs.warnings.isEmpty());
    QVERIFY2(m_dialogs.warnings.last().contains(QStringLiteral("moons.csv")), qPrintable(m_dialogs.warnings.last()));
}

QTEST_MAIN(TestTrainBlocked)
#include "TestTrainBlocked.moc"
