// BatchTable (RunHistory's column store of batch points) and what is built from it: rows read
// back as they were appended, keys missing from some rows, the batch CSV export, the run record's
// hook sequence, the memory a row costs.
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

#include "ui/compare/SessionRunRecord.h"
#include "ui/session/BatchTable.h"
#include "ui/session/RunHistory.h"

using namespace cklab;
using namespace cklab::ui;

namespace {
BatchPoint point(int epoch, int batch, long long step, Logs logs)
{
    BatchPoint p;
    p.epoch = epoch;
    p.batch = batch;
    p.globalStep = step;
    p.logs = std::move(logs);
    return p;
}

bool sameLogs(const Logs& a, const Logs& b)
{
    if (a.size() != b.size())
        return false;
    for (const auto& [k, v] : a) {
        const auto it = b.find(k);
        if (it == b.end() || !(it->second == v || (std::isnan(it->second) && std::isnan(v))))
            return false;
    }
    return true;
}
} // namespace

class TestBatchTable : public QObject {
    Q_OBJECT
private slots:
    void rowsReadBackAsAppended_data();
    void rowsReadBackAsAppended();
    void columnsHoldTheValuesInRowOrder();
    void batchCsvLeavesMissingKeysEmpty();
    void runRecordMergesBatchesAndEpochs();
    void rowCostIsAFewWords();
};

void TestBatchTable::rowsReadBackAsAppended_data()
{
    QTest::addColumn<std::vector<BatchPoint>>("points");
    QTest::newRow("same keys") << std::vector<BatchPoint>{point(0, 0, 1, {{"accuracy", 0.5}, {"loss", 2.0}}),
                                                         point(0, 1, 2, {{"accuracy", 0.75}, {"loss", 1.5}})};
    QTest::newRow("a key appears late") << std::vector<BatchPoint>{point(0, 0, 1, {{"loss", 2.0}}),
                                                                  point(0, 1, 2, {{"loss", 1.0}}),
                                                                  point(1, 0, 3, {{"aaa", 7.0}, {"loss", 0.5}})};
    QTest::newRow("a key goes missing") << std::vector<BatchPoint>{point(0, 0, 1, {{"acc", 0.1}, {"loss", 2.0}}),
                                                                  point(0, 1, 2, {{"loss", 1.0}}),
                                                                  point(0, 2, 3, {{"acc", 0.3}, {"loss", 0.5}})};
    QTest::newRow("no logs, NaN and inf values")
        << std::vector<BatchPoint>{point(0, 0, 1, {}), point(0, 1, 2, {{"loss", std::nan("")}}),
                                   point(0, 2, 3, {{"loss", INFINITY}})};
}

void TestBatchTable::rowsReadBackAsAppended()
{
    QFETCH(std::vector<BatchPoint>, points);
    BatchTable table;
    for (const BatchPoint& p : points)
        table.append(p);
    QCOMPARE(table.size(), points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        const BatchPoint r = table.row(i);
        QCOMPARE(r.epoch, points[i].epoch);
        QCOMPARE(r.batch, points[i].batch);
        QCOMPARE(r.globalStep, points[i].globalStep);
        QVERIFY2(sameLogs(r.logs, points[i].logs), qPrintable(QStringLiteral("row %1").arg(i)));
    }
    table.clear();
    QVERIFY(table.empty());
    QVERIFY(table.columns().empty());
}

void TestBatchTable::columnsHoldTheValuesInRowOrder()
{
    BatchTable table;
    table.append(point(0, 0, 1, {{"acc", 0.1}, {"loss", 2.0}}));
    table.append(point(0, 1, 2, {{"loss", 1.0}}));
    table.append(point(1, 0, 3, {{"acc", 0.3}, {"loss", 0.5}}));
    const BatchTable::Column* loss = table.column("loss");
    const BatchTable::Column* acc = table.column("acc");
    QVERIFY(loss && acc);
    QVERIFY(table.column("val_loss") == nullptr);
    QCOMPARE(loss->values, (std::vector<double>{2.0, 1.0, 0.5}));
    QVERIFY(loss->present.empty()); // every row has it
    QCOMPARE(acc->values.size(), std::size_t(3));
    QVERIFY(acc->has(0) && !acc->has(1) && acc->has(2));
    QCOMPARE(acc->values[2], 0.3);
    QCOMPARE(table.epochs(), (std::vector<int>{0, 0, 1}));
    QCOMPARE(table.batches(), (std::vector<int>{0, 1, 0}));
    QCOMPARE(table.globalSteps(), (std::vector<long long>{1, 2, 3}));
}

void TestBatchTable::batchCsvLeavesMissingKeysEmpty()
{
    RunHistory history;
    history.appendBatches({point(0, 0, 1, {{"loss", 2.0}, {"acc", 0.25}}), point(0, 1, 2, {{"loss", 1.5}})});
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("batches.csv"));
    QVERIFY(history.exportBatchMetricsCsv(path));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(f.readAll()), QStringLiteral("epoch,batch,step,acc,loss\n0,0,1,0.25,2\n0,1,2,,1.5\n"));
}

void TestBatchTable::runRecordMergesBatchesAndEpochs()
{
    // Two epochs of two batches, then a third epoch stopped after one batch (no epoch end).
    RunHistory history;
    RunInfo info;
    info.stepsPerEpoch = 2;
    history.setInfo(info);
    history.appendBatches({point(0, 0, 1, {{"loss", 4.0}}), point(0, 1, 2, {{"loss", 3.0}})});
    history.appendEpoch({0, {{"loss", 3.5}, {"val_loss", 3.6}}, 1.0});
    history.appendBatches({point(1, 0, 3, {{"loss", 2.0}}), point(1, 1, 4, {{"loss", 1.0}})});
    history.appendEpoch({1, {{"loss", 1.5}, {"val_loss", 1.7}}, 2.0});
    history.appendBatches({point(2, 0, 5, {{"loss", 0.5}})});
    TrainResult result;
    result.reason = StopReason::Requested;
    result.finalLogs = {{"loss", 1.5}, {"val_loss", 1.7}};
    const RunRecord record = runRecordFromHistory(history, Project{}, result);

    using H = HookCall::Hook;
    const std::vector<std::pair<H, int>> expected{
        {H::TrainBegin, 0}, {H::EpochBegin, 0}, {H::BatchEnd, 0}, {H::BatchEnd, 1}, {H::EpochEnd, 0},
        {H::EpochBegin, 1}, {H::BatchEnd, 0}, {H::BatchEnd, 1}, {H::EpochEnd, 1},
        {H::EpochBegin, 2}, {H::BatchEnd, 0}, {H::TrainEnd, 0}};
    QCOMPARE(record.history.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        QCOMPARE(int(record.history[i].hook), int(expected[i].first));
        if (expected[i].first != H::TrainBegin && expected[i].first != H::TrainEnd)
            QCOMPARE(record.history[i].index, expected[i].second);
    }
    QCOMPARE(record.history[3].logs.at("loss"), 3.0);
    QCOMPARE(record.history[8].logs.at("val_loss"), 1.7);
    QCOMPARE(record.history[10].logs.at("loss"), 0.5);
    QCOMPARE(record.history.back().logs.at("loss"), 1.5);
    QCOMPARE(record.stepsPerEpoch, 2);
    QVERIFY(record.hasBatchLogs());
}

void TestBatchTable::rowCostIsAFewWords()
{
    // Two keys: epoch + batch (4 + 4 bytes), step (8), two doubles (16) = 32 bytes a row; a
    // vector's doubling may leave up to as much again unused.
    BatchTable table;
    constexpr int kRows = 100000;
    for (int i = 0; i < kRows; ++i)
        table.append(point(i / 1000, i % 1000, i + 1, {{"accuracy", 0.5}, {"loss", 1.0 / (i + 1)}}));
    const double perRow = double(table.bytesAllocated()) / kRows;
    QVERIFY2(perRow >= 32.0 && perRow <= 64.5, qPrintable(QString::number(perRow)));
}

QTEST_MAIN(TestBatchTable)
#include "TestBatchTable.moc"
