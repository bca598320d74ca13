// TrainingController / TrainingWorker / RunHistory on a real small project on the real thread,
// plus "load checkpoint and evaluate".
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <map>
#include <memory>

#include "core/io/CheckpointFile.h"
#include "ui/main/EventLogModel.h"
#include "ui/plots/ChartPanel.h"
#include "ui/plots/MetricChart.h"
#include "ui/session/CheckpointEvaluator.h"
#include "ui/session/RunHistory.h"
#include "ui/session/TrainingController.h"
#include "ui/session/TrainingWorker.h"

using namespace cklab;
using namespace cklab::ui;

namespace {

/// Blobs, 4 features, 3 classes, a quarter held out for validation; three checkpoint policies.
Project smallProject(int epochs, int samples = 400, int batchSize = 10)
{
    Project p;
    p.name = "session-test";
    p.model.inputDim = 4;
    p.model.layers = {LayerSpec{LayerSpec::Kind::Dense, 8, Activation::Relu},
                      LayerSpec{LayerSpec::Kind::Dense, 3, Activation::Softmax}};
    p.data.source = "generator";
    p.data.generator = "blobs";
    p.data.samples = samples;
    p.data.features = 4;
    p.data.classes = 3;
    p.data.validationSplit = 0.25;
    p.data.batchSize = batchSize;
    p.training.epochs = epochs;
    p.training.seed = 7;
    p.training.compile.loss = LossKind::CategoricalCrossentropy;
    p.training.compile.metrics = {"accuracy"};
    p.training.compile.optimizer.type = "adam";
    p.training.compile.optimizer.learningRate = 0.01f;

    CheckpointConfig best;
    best.name = "best";
    best.filepath = "ck/best.keras";
    best.monitor = "val_loss";
    best.saveBestOnly = true;
    best.verbose = 1;
    CheckpointConfig every;
    every.name = "every";
    every.filepath = "ck/e{epoch:02d}.weights.h5";
    every.saveWeightsOnly = true;
    every.monitor = "val_accuracy";
    every.maxToKeep = 2;
    CheckpointConfig batches;
    batches.name = "batches";
    batches.filepath = "ck/b-{epoch}-{batch}.keras";
    batches.monitor = "loss";
    batches.saveFreq = "7";
    p.checkpoints = {best, every, batches};
    p.outputDir = ".";
    return p;
}

RunOptions optionsIn(const QTemporaryDir& dir)
{
    RunOptions o;
    o.outputDir = dir.path().toStdString();
    o.baseDir = dir.path().toStdString();
    return o;
}

} // namespace

class TestSession : public QObject {
    Q_OBJECT
private slots:
    void workerQueuesAtMostOneNotification();
    void runsProjectToTheEnd();
    void pauseStopsProgressAndResumeContinues();
    void stopNowLeavesValidFiles();
    void stopAtEpochEndFinishesTheEpoch();
    void invalidProjectFails();
    void destructorStopsWithinBound();
    void evaluateBestCheckpoint();
    void drainsAreRateLimited();
};

void TestSession::workerQueuesAtMostOneNotification()
{
    TrainingWorker worker;
    RunObserver& observer = worker;
    QSignalSpy available(&worker, &TrainingWorker::eventsAvailable);
    for (int b = 0; b < 1000; ++b)
        observer.batchEnd(0, b, {{"loss", 1.0}});
    observer.epochEnd(0, {{"loss", 1.0}});
    QCOMPARE(available.count(), 1);
    const std::vector<RunEvent> events = worker.takeEvents();
    QCOMPARE(events.size(), std::size_t(1001));
    const auto* last = std::get_if<BatchPoint>(&events[999]);
    QVERIFY(last);
    QCOMPARE(last->batch, 999);
    QCOMPARE(last->globalStep, 1000LL);
    QVERIFY(std::holds_alternative<EpochPoint>(events.back())); // in the order of the calls
    observer.batchEnd(0, 1000, {{"loss", 1.0}});
    QCOMPARE(available.count(), 2); // re-armed by takeEvents()
}

void TestSession::runsProjectToTheEnd()
{
    QTemporaryDir dir;
    const int epochs = 6;
    TrainingController controller;
    ChartPanel charts;
    charts.setHistory(controller.history());
    EventLogModel eventModel;
    eventModel.setHistory(controller.history());

    QSignalSpy started(&controller, &TrainingController::started);
    QSignalSpy epochSpy(&controller, &TrainingController::epochFinished);
    QSignalSpy eventSpy(&controller, &TrainingController::checkpointEvent);
    QSignalSpy finished(&controller, &TrainingController::finished);
    QSignalSpy failed(&controller, &TrainingController::failed);
    QSignalSpy running(&controller, &TrainingController::runningChanged);
    QSignalSpy progress(&controller, &TrainingController::progressChanged);

    QVERIFY(controller.start(smallProject(epochs), optionsIn(dir)));
    QVERIFY(controller.isRunning());
    QVERIFY(!controller.start(smallProject(epochs), optionsIn(dir))); // one run at a time
    QVERIFY(finished.wait(60000));
    QCOMPARE(failed.count(), 0);
    QVERIFY(!controller.isRunning());
    QCOMPARE(running.count(), 2);
    QCOMPARE(started.count(), 1);

    const TrainResult result = finished.at(0).at(0).value<TrainResult>();
    QCOMPARE(result.reason, StopReason::Completed);
    QCOMPARE(result.epochsCompleted, epochs);

    RunHistory* h = controller.history();
    const RunInfo& info = h->info();
    QCOMPARE(info.stepsPerEpoch, 30); // 300 training samples in batches of 10
    QCOMPARE(int(h->epochs().size()), epochs);
    QCOMPARE(epochSpy.count(), epochs);
    QCOMPARE(int(h->batchCount()), epochs * info.stepsPerEpoch);
    for (int i = 0; i < int(h->batchCount()); ++i) {
        const BatchPoint& b = h->batch(std::size_t(i));
        QCOMPARE(b.globalStep, i + 1LL);
        QCOMPARE(b.epoch, i / info.stepsPerEpoch);
        QCOMPARE(b.batch, i % info.stepsPerEpoch);
        QVERIFY(b.logs.count("loss") && !b.logs.count("val_loss"));
    }
    // The epoch series of the charts hold every epoch, at x = epoch + 1.
    MetricChart* loss = charts.findChild<MetricChart*>("lossChart");
    MetricChart* acc = charts.findChild<MetricChart*>("accuracyChart");
    std::vector<double> expectedX;
    for (int e = 0; e < epochs; ++e) {
        QCOMPARE(h->epochs()[std::size_t(e)].epoch, e);
        expectedX.push_back(e + 1.0);
    }
    QCOMPARE(loss->curveX("loss/epoch"), expectedX);
    QCOMPARE(loss->curveX("val_loss/epoch"), expectedX);
    QCOMPARE(acc->curveX("val_accuracy/epoch"), expectedX);
    for (int e = 0; e < epochs; ++e)
        QCOMPARE(loss->curveY("val_loss/epoch")[std::size_t(e)], h->epochs()[std::size_t(e)].logs.at("val_loss"));
    QCOMPARE(loss->curveX("loss/batch").size(), h->batchCount());

    // The event table has exactly one row per CheckpointEvent, in order.
    QVERIFY(eventSpy.count() > 0);
    QCOMPARE(eventModel.rowCount(), eventSpy.count());
    QCOMPARE(int(h->events().size()), eventSpy.count());
    // Expected saves by the rules: "every" once per epoch, "batches" every 7th batch overall.
    std::map<std::string, int> saves, deletes;
    for (const auto& r : h->events()) {
        saves[r.event.policy] += r.event.action == CheckpointAction::Save;
        deletes[r.event.policy] += r.event.action == CheckpointAction::Delete;
    }
    QCOMPARE(saves["every"], epochs);
    QCOMPARE(deletes["every"], epochs - 2); // max_to_keep = 2
    QCOMPARE(saves["batches"], epochs * info.stepsPerEpoch / 7);
    QVERIFY(saves["best"] >= 1);

    // Each saved row's file exists with the stated size, unless a later event replaced or deleted it.
    int checked = 0;
    for (int row = 0; row < eventModel.rowCount(); ++row) {
        const QModelIndex idx = eventModel.index(row, 0);
        if (idx.data(EventLogModel::ActionRole).toString() != "save")
            continue;
        const QString path = idx.data(EventLogModel::PathRole).toString();
        bool later = false;
        for (int r2 = row + 1; r2 < eventModel.rowCount(); ++r2) {
            const QModelIndex j = eventModel.index(r2, 0);
            const QString a = j.data(EventLogModel::ActionRole).toString();
            later = later || ((a == "save" || a == "delete") && j.data(EventLogModel::PathRole).toString() == path);
        }
        QVERIFY2(QFileInfo(path).isAbsolute(), qPrintable(path));
        if (later)
            continue;
        QVERIFY2(QFileInfo::exists(path), qPrintable(path));
        QCOMPARE(QFileInfo(path).size(), idx.data(EventLogModel::BytesRole).toLongLong());
        ++checked;
    }
    QVERIFY(checked >= 3);
    // Deleted files are gone.
    for (const auto& r : h->events())
        if (r.event.action == CheckpointAction::Delete)
            QVERIFY(!QFileInfo::exists(h->absolutePath(r.event.path)));

    // Markers: one per save, on the chart of the policy's monitor.
    int markers = 0;
    for (int i = 0; i < int(h->events().size()); ++i)
        markers += charts.markerOf(i).second >= 0;
    QCOMPARE(markers, saves["best"] + saves["every"] + saves["batches"]);
    QCOMPARE(acc->markerCount(), saves["every"]);

    // Verbose policy "best": one console line per epoch (improved / did not improve).
    int bestLines = 0;
    for (const QString& m : h->messages())
        bestLines += m.contains("val_loss improved from") || m.contains("val_loss did not improve from");
    QCOMPARE(bestLines, epochs);

    // Progress reached the end.
    const TrainingProgress last = controller.progress();
    QCOMPARE(last.globalStep, static_cast<long long>(epochs) * info.stepsPerEpoch);
    QCOMPARE(last.totalSteps, last.globalStep);
    QVERIFY(progress.count() >= 2);
}

void TestSession::pauseStopsProgressAndResumeContinues()
{
    QTemporaryDir dir;
    TrainingController controller;
    QSignalSpy finished(&controller, &TrainingController::finished);
    QSignalSpy paused(&controller, &TrainingController::pausedChanged);
    QVERIFY(controller.start(smallProject(2000), optionsIn(dir)));
    RunHistory* h = controller.history();
    QTRY_VERIFY_WITH_TIMEOUT(h->batchCount() > 20, 30000);

    controller.pause();
    QVERIFY(controller.isPaused());
    QCOMPARE(paused.count(), 1);
    // Let the batch in flight land, then watch: nothing may move for a while.
    QTest::qWait(150);
    const std::size_t atPause = h->batchCount();
    QTest::qWait(600);
    QCOMPARE(h->batchCount(), atPause);
    QVERIFY(controller.isRunning());
    QVERIFY(controller.progress().paused);

    controller.resume();
    QVERIFY(!controller.isPaused());
    QTRY_VERIFY_WITH_TIMEOUT(h->batchCount() > atPause + 20, 30000);

    // Stop while paused must not hang.
    controller.pause();
    controller.stopNow();
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.at(0).at(0).value<TrainResult>().reason, StopReason::Requested);
    QVERIFY(h->epochs().size() < 2000);
}

void TestSession::stopNowLeavesValidFiles()
{
    QTemporaryDir dir;
    TrainingController controller;
    QSignalSpy finished(&controller, &TrainingController::finished);
    QVERIFY(controller.start(smallProject(2000), optionsIn(dir)));
    RunHistory* h = controller.history();
    QTRY_VERIFY_WITH_TIMEOUT(h->events().size() > 10, 30000);
    controller.stopNow();
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.at(0).at(0).value<TrainResult>().reason, StopReason::Requested);

    // Every file left in the checkpoint folder is a complete, readable checkpoint (no temp files).
    const QFileInfoList files = QDir(dir.filePath("ck")).entryInfoList(QDir::Files);
    QVERIFY(files.size() >= 3);
    for (const QFileInfo& f : files) {
        QVERIFY2(f.fileName().endsWith(".keras") || f.fileName().endsWith(".weights.h5"), qPrintable(f.fileName()));
        try {
            const LoadedCheckpoint c = readCheckpoint(f.absoluteFilePath().toStdString());
            QCOMPARE(int(c.variables.size()), 4); // two Dense layers: kernel + bias each
        } catch (const std::exception& e) {
            QFAIL(qPrintable(f.fileName() + ": " + e.what()));
        }
    }
}

void TestSession::stopAtEpochEndFinishesTheEpoch()
{
    QTemporaryDir dir;
    TrainingController controller;
    QSignalSpy finished(&controller, &TrainingController::finished);
    QVERIFY(controller.start(smallProject(2000), optionsIn(dir)));
    RunHistory* h = controller.history();
    QTRY_VERIFY_WITH_TIMEOUT(h->batchCount() > 35, 30000); // inside the second epoch or later
    controller.stopAtEpochEnd();
    QVERIFY(finished.wait(30000));
    const TrainResult r = finished.at(0).at(0).value<TrainResult>();
    QCOMPARE(r.reason, StopReason::RequestedAtEpochEnd);
    QCOMPARE(int(h->epochs().size()), r.epochsCompleted);
    QVERIFY(r.epochsCompleted >= 2);
    QCOMPARE(int(h->batchCount()), r.epochsCompleted * h->info().stepsPerEpoch); // whole epochs only
}

void TestSession::invalidProjectFails()
{
    QTemporaryDir dir;
    Project p = smallProject(3);
    p.model.layers[0].units = 0;
    TrainingController controller;
    QSignalSpy failed(&controller, &TrainingController::failed);
    QSignalSpy finished(&controller, &TrainingController::finished);
    QSignalSpy running(&controller, &TrainingController::runningChanged);
    QVERIFY(controller.start(p, optionsIn(dir)));
    QVERIFY(failed.wait(30000));
    QVERIFY2(failed.at(0).at(0).toString().contains("units"), qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(finished.count(), 0);
    QVERIFY(!controller.isRunning());
    QCOMPARE(running.count(), 2);
    QVERIFY(controller.start(smallProject(1), optionsIn(dir))); // usable again
    QVERIFY(finished.wait(30000));
}

void TestSession::destructorStopsWithinBound()
{
    QTemporaryDir dir;
    auto controller = std::make_unique<TrainingController>();
    QVERIFY(controller->start(smallProject(100000), optionsIn(dir)));
    QTRY_VERIFY_WITH_TIMEOUT(controller->history()->batchCount() > 5, 30000);
    controller->pause(); // a paused run must stop too
    QElapsedTimer t;
    t.start();
    controller.reset();
    QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
}

void TestSession::evaluateBestCheckpoint()
{
    QTemporaryDir dir;
    TrainingController controller;
    QSignalSpy finished(&controller, &TrainingController::finished);
    QVERIFY(controller.start(smallProject(4), optionsIn(dir)));
    QVERIFY(finished.wait(60000));
    // The last "best" save holds the weights that produced its val_loss.
    const RunHistory* h = controller.history();
    double bestValue = 0;
    for (const auto& r : h->events())
        if (r.event.policy == "best" && r.event.action == CheckpointAction::Save)
            bestValue = *r.event.value;
    const EvaluationResult r = evaluateCheckpoint(smallProject(4), dir.filePath("ck/best.keras"), optionsIn(dir));
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.dataName, QString("validation"));
    QCOMPARE(r.samples, 100LL);
    QCOMPARE(r.format, QString("keras"));
    QVERIFY2(std::abs(r.logs.at("loss") - bestValue) < 1e-5,
             qPrintable(QString("%1 vs %2").arg(r.logs.at("loss")).arg(bestValue)));
    QVERIFY(r.logs.count("accuracy"));

    const EvaluationResult missing = evaluateCheckpoint(smallProject(4), dir.filePath("ck/nope.keras"), optionsIn(dir));
    QVERIFY(!missing.ok);
    QVERIFY2(missing.error.contains("nope.keras"), qPrintable(missing.error));
}

void TestSession::drainsAreRateLimited()
{
    // Batches of one sample: tens of thousands of batch ends per second reach the UI in drains
    // of ~33 ms (plus one drain before each epoch end), never one notification per batch.
    QTemporaryDir dir;
    Project p = smallProject(10, 4000, 1);
    p.checkpoints.clear();
    TrainingController controller;
    QSignalSpy drains(&controller, &TrainingController::batchesAvailable);
    QSignalSpy finished(&controller, &TrainingController::finished);
    QElapsedTimer t;
    t.start();
    QVERIFY(controller.start(p, optionsIn(dir)));
    QVERIFY(finished.wait(120000));
    const qint64 ms = t.elapsed();
    const long long batches = static_cast<long long>(controller.history()->batchCount());
    QCOMPARE(batches, 10LL * 3000);
    qInfo("%lld batches in %lld ms, %d drains", batches, ms, int(drains.count()));
    QVERIFY(drains.count() <= ms / TrainingController::kDrainIntervalMs + 10 + 5);
    QVERIFY(drains.count() < batches / 10);
}

QTEST_MAIN(TestSession)
#include "TestSession.moc"
