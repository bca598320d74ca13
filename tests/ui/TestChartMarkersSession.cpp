// Issue 14, item 3, as a user met it: one window, example 3 (a save after every batch), then the
// policy-comparison example (epoch saves of three policies and a save every 25 batches). After
// each run every save has exactly one marker, and it sits exactly on the point it saved: the
// batch or epoch value of its monitored key (or of the loss when the key is not in those logs),
// looked up here in the run's own history. Saves of several policies at one point are stacked,
// each visible, and hovering any of them lists all.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <string>

#include <QDir>
#include <QFileInfo>
#include <QTableWidget>

#include "core/data/FashionMnist.h"
#include "core/project/ProjectJson.h"
#include "core/project/ShippedExamples.h"
#include "tests/support/MainWindowDriving.h"
#include "ui/forms/ModelSummaryView.h"
#include "ui/plots/ChartPanel.h"
#include "ui/plots/MetricChart.h"
#include "ui/session/RunHistory.h"

using namespace cklab;
using namespace cklab::ui;
using cklab::test::child;

namespace {

/// A shipped example saved as a project that writes into `dir`, with `epochs` epochs (0: as is).
QString exampleProject(const QTemporaryDir& dir, const std::string& fileName, int epochs)
{
    for (const ShippedExample& ex : shippedExamples())
        if (ex.fileName == fileName) {
            Project p = parseProjectText(std::string(ex.json), fileName);
            p.outputDir = dir.filePath(QString::fromStdString(fileName + ".out")).toStdString();
            if (epochs > 0)
                p.training.epochs = epochs;
            const QString path = dir.filePath(QString::fromStdString(fileName));
            saveProjectFile(path.toStdString(), p);
            return path;
        }
    return {};
}

/// The value the history holds for `key` at the point event `e` saved (NaN if none).
double loggedValue(const RunHistory& h, const CheckpointEvent& e, const std::string& key)
{
    if (!e.batch) {
        for (const EpochPoint& p : h.epochs())
            if (p.epoch == e.epoch && p.logs.count(key))
                return p.logs.at(key);
        return std::nan("");
    }
    const BatchTable& t = h.batchTable();
    const BatchTable::Column* c = t.column(key);
    for (std::size_t i = 0; c && i < t.size(); ++i)
        if (t.epochs()[i] == e.epoch && t.batches()[i] == *e.batch && c->has(i))
            return c->values[i];
    return std::nan("");
}

/// Checks every save of the current run against its marker; returns the number of saves.
int verifyMarkers(MainWindow& w)
{
    auto* panel = child<ChartPanel>(&w, QStringLiteral("chartPanel"));
    const RunHistory& h = *w.controller()->history();
    int saves = 0;
    for (int i = 0; i < int(h.events().size()); ++i) {
        const CheckpointEvent& e = h.events()[std::size_t(i)].event;
        if (e.action != CheckpointAction::Save)
            continue;
        ++saves;
        const auto [chart, id] = panel->markerOf(i);
        const QString what = QStringLiteral("%1 at epoch %2 batch %3")
                                 .arg(QString::fromStdString(e.policy)).arg(e.epoch).arg(e.batch ? *e.batch : -1);
        if (!chart || id < 0) {
            qWarning("no marker for the save of %s", qPrintable(what));
            return -1;
        }
        // The monitored key where those logs have it, else the loss.
        std::string key = e.monitor;
        double y = loggedValue(h, e, key);
        if (std::isnan(y)) {
            key = "loss";
            y = loggedValue(h, e, key);
        }
        const double x = e.batch ? batchX(e.epoch, *e.batch, h.info().stepsPerEpoch) : epochX(e.epoch);
        const QPointF pos = chart->markerPosition(id);
        if (pos != QPointF(x, y) || chart != panel->chartFor(QString::fromStdString(key))) {
            qWarning("the marker of %s is at (%g, %.9g), its point (%s) at (%g, %.9g)", qPrintable(what),
                     pos.x(), pos.y(), key.c_str(), x, y);
            return -1;
        }
        // ... and that point is on the drawn curve.
        const QString curve = QString::fromStdString(key) + QLatin1String(e.batch ? "/batch" : "/epoch");
        const auto& xs = chart->curveX(curve);
        const auto& ys = chart->curveY(curve);
        bool onCurve = false;
        for (std::size_t k = 0; k < xs.size() && !onCurve; ++k)
            onCurve = xs[k] == x && ys[k] == y;
        if (!onCurve) {
            qWarning("the point of %s is not on the curve %s", qPrintable(what), qPrintable(curve));
            return -1;
        }
    }
    const int markers = panel->lossChart()->markerCount() + panel->accuracyChart()->markerCount();
    if (markers != saves) {
        qWarning("%d markers for %d saves", markers, saves);
        return -1;
    }
    return saves;
}

} // namespace

class TestChartMarkersSession : public QObject {
    Q_OBJECT
    test::SilentDialogs m_dialogs;
private slots:
    void initTestCase() { DialogProvider::setInstance(&m_dialogs); }
    void cleanupTestCase() { DialogProvider::setInstance(nullptr); }
    void everySaveHasOneMarkerOnItsPoint();
    void convnetSavesAreMarkedThenADenseRunFollows();
};

void TestChartMarkersSession::everySaveHasOneMarkerOnItsPoint()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString every = exampleProject(dir, "example3_save_every_batch.json", 0);
    const QString compare = exampleProject(dir, "compare_policies.json", 6);
    QVERIFY(!every.isEmpty() && !compare.isEmpty());

    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* panel = child<ChartPanel>(&w, QStringLiteral("chartPanel"));

    // Example 3: 3 epochs of 4 batches, a save after each; the monitor (val_loss) is in no batch
    // log, so each marker sits on that batch's loss.
    QVERIFY(w.openProject(every));
    QVERIFY(test::train(w));
    QCOMPARE(verifyMarkers(w), 12);
    QCOMPARE(panel->lossChart()->markerCount(), 12);

    // The comparison example, then example 3 again: markers of the earlier run never remain.
    QVERIFY(w.openProject(compare));
    QVERIFY(test::train(w));
    const int saves = verifyMarkers(w);
    QVERIFY(saves > 6);

    // Saves of two policies at one point (every epoch and best val_loss, both on val_loss at an
    // improving epoch) are stacked: both visible, one above the other, both in the tooltip.
    MetricChart* loss = panel->lossChart();
    loss->redraw();
    int stacked = -1;
    for (int id = 0; id < loss->markerCount() && stacked < 0; ++id)
        if (loss->markerStackIndex(id) > 0)
            stacked = id;
    QVERIFY2(stacked >= 0, "no two saves at one point in the comparison example");
    int base = -1;
    for (int id = 0; id < loss->markerCount() && base < 0; ++id)
        if (loss->markerPosition(id) == loss->markerPosition(stacked) && loss->markerStackIndex(id) == 0)
            base = id;
    QVERIFY(base >= 0);
    QCOMPARE(loss->markerDrawnPosition(base), loss->markerPosition(base));
    QVERIFY(loss->markerDrawnPosition(stacked).y() > loss->markerPosition(stacked).y());
    QCOMPARE(loss->markerDrawnPosition(stacked).x(), loss->markerPosition(stacked).x());
    const QString tip = loss->markerStackToolTip(stacked);
    QVERIFY2(tip.contains(loss->markerToolTip(base)) && tip.contains(loss->markerToolTip(stacked)), qPrintable(tip));

    QVERIFY(w.openProject(every));
    QVERIFY(test::train(w));
    QCOMPARE(verifyMarkers(w), 12);
}

void TestChartMarkersSession::convnetSavesAreMarkedThenADenseRunFollows()
{
    // Issue 17: the shipped convnet on real Fashion-MNIST (3 batches of 128 per epoch, 3 epochs),
    // then example 3 in the same window.
    if (!QFileInfo::exists(QString::fromStdString((fashionMnistDir() / "train-images-idx3-ubyte.gz").string())))
        QSKIP("Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString convnet = exampleProject(dir, "fashion_convnet.json", 3);
    QVERIFY(!convnet.isEmpty());
    Project p = loadProjectFile(convnet.toStdString());
    p.data.limit = 384;
    saveProjectFile(convnet.toStdString(), p);
    const QString every = exampleProject(dir, "example3_save_every_batch.json", 0);

    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openProject(convnet));
    auto* summary = child<ModelSummaryView>(&w, QStringLiteral("modelSummary"));
    QCOMPARE(summary->text(0, 0), QStringLiteral("conv2d (Conv2D)"));
    QCOMPARE(summary->text(0, 1), QStringLiteral("(None, 26, 26, 32)"));
    QVERIFY(test::train(w));
    const RunHistory& h = *w.controller()->history();
    QCOMPARE(h.epochs().size(), std::size_t(3));
    QCOMPARE(h.batchCount(), std::size_t(9));
    // Every save is marked on its point; the every-epoch policy saved 3 times, the best one at
    // least at epoch 1; each saved file is on disk.
    const int saves = verifyMarkers(w);
    QVERIFY2(saves >= 4, qPrintable(QString::number(saves)));
    int everyEpoch = 0;
    for (const auto& entry : h.events()) {
        const CheckpointEvent& e = entry.event;
        if (e.action != CheckpointAction::Save)
            continue;
        everyEpoch += e.policy == "every_epoch_keep_3";
        // Event paths are relative to the output folder (absolute here: the test's folder).
        const QString file = QDir(QString::fromStdString(p.outputDir)).filePath(QString::fromStdString(e.path));
        QVERIFY2(QFileInfo(file).size() > 0, qPrintable(file));
    }
    QCOMPARE(everyEpoch, 3);

    // Example 3 next: the form shows its Dense layers and the markers are its own 12.
    QVERIFY(w.openProject(every));
    QCOMPARE(summary->text(0, 0), QStringLiteral("dense (Dense)"));
    QVERIFY(test::train(w));
    QCOMPARE(verifyMarkers(w), 12);
    QCOMPARE(child<ChartPanel>(&w, QStringLiteral("chartPanel"))->lossChart()->markerCount(), 12);
}

QTEST_MAIN(TestChartMarkersSession)
#include "TestChartMarkersSession.moc"
