// EventLogModel / EventLogView / EventLogConsole and RunHistory exports, with synthetic events.
#include <QComboBox>
#include <QFile>
#include <QJsonDocument>
#include <QLocale>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include "ui/main/EventLogConsole.h"
#include "ui/main/EventLogModel.h"
#include "ui/main/EventLogView.h"
#include "ui/session/RunHistory.h"

using namespace cklab;
using namespace cklab::ui;

namespace {
CheckpointEvent makeEvent(const std::string& policy, int epoch, CheckpointAction action, const std::string& path,
                          std::optional<int> batch = std::nullopt)
{
    CheckpointEvent e;
    e.policy = policy;
    e.epoch = epoch;
    e.batch = batch;
    e.monitor = "val_loss";
    e.value = 0.5 - 0.1 * epoch;
    e.bestBefore = 0.6 - 0.1 * epoch;
    e.action = action;
    e.reason = action == CheckpointAction::Skip     ? CheckpointReason::NotImproved
               : action == CheckpointAction::Save   ? CheckpointReason::Improved
               : action == CheckpointAction::Delete ? CheckpointReason::MaxToKeep
                                                    : CheckpointReason::WriteFailed;
    e.path = path;
    e.bytes = action == CheckpointAction::Save ? 1000 + epoch : 0;
    e.durationMs = 2.5;
    return e;
}

/// Events: best(save e0) every(save e0) best(skip e1) every(save e1) every(delete e1) best(error e2).
void fill(RunHistory& h)
{
    h.appendEvent(makeEvent("best", 0, CheckpointAction::Save, "/data/run/best.keras"));
    h.appendEvent(makeEvent("every", 0, CheckpointAction::Save, "/data/run/ck/e01.keras", 3));
    h.appendEvent(makeEvent("best", 1, CheckpointAction::Skip, ""));
    h.appendEvent(makeEvent("every", 1, CheckpointAction::Save, "/data/run/ck/e02.keras"));
    h.appendEvent(makeEvent("every", 1, CheckpointAction::Delete, "/data/run/ck/e01.keras"));
    auto err = makeEvent("best", 2, CheckpointAction::Error, "/data/run/best.keras");
    err.message = "disk full";
    h.appendEvent(err);
}
} // namespace

class TestEventLog : public QObject {
    Q_OBJECT
private slots:
    void modelHasOneRowPerEvent();
    void actionText_data();
    void actionText();
    void filterByPolicyAndAction_data();
    void filterByPolicyAndAction();
    void doubleClickOpensFolder();
    void selectionEmitsHistoryIndex();
    void consoleIsBounded();
    void exportsMetricsCsvAndEventsJsonl();
};

void TestEventLog::modelHasOneRowPerEvent()
{
    RunHistory h;
    EventLogModel model;
    model.setHistory(&h);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    fill(h);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(inserted.count(), 6);
    QCOMPARE(model.columnCount(), 11);
    QCOMPARE(model.headerData(EventLogModel::BestBefore, Qt::Horizontal).toString(), QString("Best before"));
    const auto cell = [&](int row, int col) { return model.index(row, col).data().toString(); };
    QCOMPARE(cell(0, EventLogModel::Policy), QString("best"));
    QCOMPARE(cell(0, EventLogModel::Epoch), QString("1"));   // shown 1-based like the messages
    QCOMPARE(cell(0, EventLogModel::Batch), QString());      // epoch-level save
    QCOMPARE(cell(1, EventLogModel::Batch), QString("4"));
    QCOMPARE(cell(0, EventLogModel::Value), QString("0.5"));
    QCOMPARE(cell(0, EventLogModel::BestBefore), QString("0.6"));
    QCOMPARE(cell(0, EventLogModel::Action), QString("saved"));
    QCOMPARE(cell(2, EventLogModel::Action), QString("skipped: not improved"));
    QCOMPARE(cell(4, EventLogModel::Action), QString("deleted"));
    QCOMPARE(cell(5, EventLogModel::Action), QString("write failed"));
    QCOMPARE(cell(3, EventLogModel::Path), QString("/data/run/ck/e02.keras"));
    QCOMPARE(model.index(3, 0).data(EventLogModel::BytesRole).toLongLong(), 1001LL);
    // In the user's locale: "1000 bytes" in C/English, "1.000 Bytes" under de_DE.
    QString size = cell(0, EventLogModel::Size);
    QVERIFY2(size.remove(QLocale().groupSeparator()).contains("1000") || size.contains("KB")
                 || size.contains("bytes", Qt::CaseInsensitive),
             qPrintable(size));
    QCOMPARE(cell(0, EventLogModel::Duration), QString("2.5 ms"));
    QVERIFY(!cell(0, EventLogModel::Time).isEmpty());
    h.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestEventLog::actionText_data()
{
    QTest::addColumn<int>("reason");
    QTest::addColumn<QString>("text");
    // One row per reason: the action comes from the reason's own table (actionOf).
    QTest::newRow("periodic") << int(CheckpointReason::Periodic) << "saved";
    QTest::newRow("improved") << int(CheckpointReason::Improved) << "saved";
    QTest::newRow("save_last") << int(CheckpointReason::SaveLast) << "saved";
    QTest::newRow("not_improved") << int(CheckpointReason::NotImproved) << "skipped: not improved";
    QTest::newRow("monitor_missing") << int(CheckpointReason::MonitorMissing) << "skipped: monitor missing";
    QTest::newRow("max_to_keep") << int(CheckpointReason::MaxToKeep) << "deleted";
    QTest::newRow("format_failed") << int(CheckpointReason::FormatFailed) << "path template failed";
    QTest::newRow("write_failed") << int(CheckpointReason::WriteFailed) << "write failed";
    QTest::newRow("delete_failed") << int(CheckpointReason::DeleteFailed) << "delete failed";
}

void TestEventLog::actionText()
{
    QFETCH(int, reason);
    QFETCH(QString, text);
    const auto r = CheckpointReason(reason);
    QCOMPARE(EventLogModel::actionText(actionOf(r), r), text);
    // The names are the file format: each round-trips, and nothing else is a reason.
    QCOMPARE(reasonFromName(reasonName(r)), std::optional<CheckpointReason>(r));
    QCOMPARE(QString::fromUtf8(reasonName(r).data(), qsizetype(reasonName(r).size())), QString(QTest::currentDataTag()));
}

void TestEventLog::filterByPolicyAndAction_data()
{
    QTest::addColumn<QString>("policy");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QList<int>>("rows"); // expected history indices, in order
    QTest::newRow("all") << "" << "" << QList<int>{0, 1, 2, 3, 4, 5};
    QTest::newRow("best") << "best" << "" << QList<int>{0, 2, 5};
    QTest::newRow("every") << "every" << "" << QList<int>{1, 3, 4};
    QTest::newRow("saved") << "" << "save" << QList<int>{0, 1, 3};
    QTest::newRow("every, saved") << "every" << "save" << QList<int>{1, 3};
    QTest::newRow("best, deleted") << "best" << "delete" << QList<int>{};
    QTest::newRow("failed") << "" << "error" << QList<int>{5};
}

void TestEventLog::filterByPolicyAndAction()
{
    QFETCH(QString, policy);
    QFETCH(QString, action);
    QFETCH(QList<int>, rows);
    RunHistory h;
    EventLogView view;
    view.setHistory(&h);
    fill(h);
    // Drive the combos as a user would: by object name and item data.
    auto* policyCombo = view.findChild<QComboBox*>("policyFilter");
    auto* actionCombo = view.findChild<QComboBox*>("actionFilter");
    QVERIFY(policyCombo && actionCombo);
    QCOMPARE(policyCombo->count(), 3); // All, best, every
    policyCombo->setCurrentIndex(policyCombo->findData(policy));
    actionCombo->setCurrentIndex(actionCombo->findData(action));
    QSortFilterProxyModel* proxy = view.proxy();
    QList<int> shown;
    for (int r = 0; r < proxy->rowCount(); ++r)
        shown << proxy->index(r, 0).data(EventLogModel::EventIndexRole).toInt();
    QCOMPARE(shown, rows);
    // New events respect the active filter.
    h.appendEvent(makeEvent("every", 3, CheckpointAction::Save, "/x/e04.keras"));
    const bool accepted = (policy.isEmpty() || policy == "every") && (action.isEmpty() || action == "save");
    QCOMPARE(proxy->rowCount(), int(rows.size()) + (accepted ? 1 : 0));
}

void TestEventLog::doubleClickOpensFolder()
{
    RunHistory h;
    EventLogView view;
    view.resize(900, 300);
    view.setHistory(&h);
    fill(h);
    QList<QUrl> opened;
    view.setFolderOpener([&](const QUrl& url) {
        opened << url;
        return true;
    });
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto* table = view.findChild<QTableView*>("eventTable");
    const QRect rect = table->visualRect(table->model()->index(3, EventLogModel::Path));
    // Qt 6's item views want the press of a double click on the same index: click first.
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(opened.size(), 1);
    QCOMPARE(opened.front(), QUrl::fromLocalFile("/data/run/ck"));
    // A skip row has no file: nothing is opened.
    QVERIFY(!view.openFolderOf(2));
    QCOMPARE(opened.size(), 1);
}

void TestEventLog::selectionEmitsHistoryIndex()
{
    RunHistory h;
    EventLogView view;
    view.setHistory(&h);
    fill(h);
    view.setPolicyFilter("every"); // proxy rows 0,1,2 = history 1,3,4
    QSignalSpy selected(&view, &EventLogView::eventSelected);
    auto* table = view.findChild<QTableView*>("eventTable");
    table->selectRow(1);
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected.at(0).at(0).toInt(), 3);
    view.selectEvent(4);
    QCOMPARE(selected.last().at(0).toInt(), 4);
    QCOMPARE(table->currentIndex().row(), 2);
}

void TestEventLog::consoleIsBounded()
{
    RunHistory h;
    h.appendMessage("Epoch 1: saving model to best.keras");
    EventLogConsole console;
    console.setHistory(&h);
    QCOMPARE(console.toPlainText(), QString("Epoch 1: saving model to best.keras"));
    h.appendMessage("Epoch 2: val_loss did not improve from 0.50000");
    QCOMPARE(console.blockCount(), 2);
    for (int i = 0; i < EventLogConsole::kMaxLines + 500; ++i)
        console.appendLine(QString("line %1").arg(i));
    QCOMPARE(console.blockCount(), EventLogConsole::kMaxLines);
    QVERIFY(console.toPlainText().endsWith(QString("line %1").arg(EventLogConsole::kMaxLines + 499)));
    h.clear();
    QVERIFY(console.toPlainText().isEmpty());
}

void TestEventLog::exportsMetricsCsvAndEventsJsonl()
{
    QTemporaryDir dir;
    RunHistory h;
    h.appendEpoch({0, {{"loss", 0.5}, {"accuracy", 0.75}}, 1.0});
    h.appendEpoch({1, {{"loss", 0.25}, {"accuracy", 0.875}, {"val_loss", 0.125}}, 2.0});
    fill(h);
    const QString csv = dir.filePath("metrics.csv");
    QVERIFY(h.exportMetricsCsv(csv));
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    // CSVLogger layout: epoch, then the keys sorted; a key missing in an epoch stays empty.
    QCOMPARE(QString::fromUtf8(f.readAll()), QString("epoch,accuracy,loss,val_loss\n0,0.75,0.5,\n1,0.875,0.25,0.125\n"));

    const QString jsonl = dir.filePath("events.jsonl");
    QVERIFY(h.exportEventsJsonl(jsonl));
    QFile g(jsonl);
    QVERIFY(g.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = g.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 6);
    const QJsonObject second = QJsonDocument::fromJson(lines[1]).object();
    QCOMPARE(second.value("event").toString(), QString("checkpoint"));
    QCOMPARE(second.value("policy").toString(), QString("every"));
    QCOMPARE(second.value("batch").toInt(), 3);
    QCOMPARE(second.value("action").toString(), QString("save"));
    QCOMPARE(second.value("path").toString(), QString("/data/run/ck/e01.keras"));
    QVERIFY(QJsonDocument::fromJson(lines[0]).object().value("batch").isNull());

    QString error;
    QVERIFY(!h.exportMetricsCsv(dir.filePath("no/such/dir/m.csv"), &error));
    QVERIFY(error.contains("no/such/dir"));
}

QTEST_MAIN(TestEventLog)
#include "TestEventLog.moc"
