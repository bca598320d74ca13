// The comparison view: three policies on one real run; timeline marks and table values are
// checked against the run's event stream (counted here, independently of core/compare).
#include <QCheckBox>
#include <QFile>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include "core/compare/RunRecorder.h"
#include "core/project/ProjectRun.h"
#include "tests/support/CompareFixtures.h"
#include "ui/compare/ComparisonTableModel.h"
#include "ui/compare/ComparisonView.h"
#include "ui/compare/SessionRunRecord.h"
#include "ui/compare/TimelineWidget.h"
#include "ui/forms/CheckpointPolicyList.h"
#include "ui/session/RunHistory.h"

using namespace cklab;
using namespace cklab::ui;

namespace {

struct Expected {
    int saves = 0, skips = 0, deletes = 0;
    std::int64_t bytes = 0;
    std::set<std::string> kept;
};

/// What each policy did, straight from the event stream.
std::map<std::string, Expected> expectedFrom(const std::vector<CheckpointEvent>& events)
{
    std::map<std::string, Expected> out;
    for (const auto& e : events) {
        Expected& x = out[e.policy];
        if (e.action == CheckpointAction::Save) {
            ++x.saves;
            x.bytes += e.bytes;
            x.kept.insert(e.path);
        } else if (e.action == CheckpointAction::Skip) {
            ++x.skips;
        } else if (e.action == CheckpointAction::Delete) {
            ++x.deletes;
            x.kept.erase(e.path);
        }
    }
    return out;
}

int rowOf(const ComparisonTableModel* model, const QString& policy)
{
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, ComparisonTableModel::Policy).data().toString() == policy)
            return r;
    return -1;
}

} // namespace

class TestComparison : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    RunRecord m_run;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const Project project = test::smallComparisonProject();
        RunOptions options;
        options.outputDir = (m_dir.path() + QStringLiteral("/out")).toStdString();
        ProjectRun run(project, options);
        RunRecorder recorder(project);
        run.setObserver(&recorder);
        QCOMPARE(run.run().reason, StopReason::Completed);
        m_run = recorder.record();
        QCOMPARE(m_run.policies().size(), std::size_t(3));
    }

    // Issue 14: the epoch labels of the timeline never overlap, in a wide or a narrow window.
    void timelineEpochLabelsDoNotOverlap()
    {
        ComparisonView view;
        view.setRun(m_run);
        for (const QSize size : {QSize(1200, 800), QSize(620, 500)}) {
            view.resize(size);
            view.show();
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            auto* timeline = view.findChild<TimelineWidget*>(QStringLiteral("timeline"));
            QVERIFY(timeline);
            const QList<int> ticks = timeline->tickEpochs();
            QVERIFY(ticks.size() >= 2);
            const QFontMetrics fm = timeline->fontMetrics();
            for (int i = 1; i < ticks.size(); ++i) {
                const double gap = timeline->xToPixel(ticks[i]) - timeline->xToPixel(ticks[i - 1]);
                const double need = (fm.horizontalAdvance(QString::number(ticks[i])) + fm.horizontalAdvance(QString::number(ticks[i - 1]))) / 2.0;
                QVERIFY2(gap > need + 4, qPrintable(QStringLiteral("%1 px between %2 and %3").arg(gap).arg(ticks[i - 1]).arg(ticks[i])));
            }
            // The best-epoch labels stay in the plot (right of the lane and curve names), apart.
            QVERIFY(!timeline->bestLines().empty());
            for (std::size_t i = 0; i < timeline->bestLines().size(); ++i) {
                const QRectF box = timeline->bestLabelRect(i);
                QVERIFY2(box.left() >= timeline->xToPixel(0) - 0.5, qPrintable(QString::number(box.left())));
                QVERIFY(box.right() <= timeline->width());
                for (std::size_t k = 0; k < i; ++k)
                    QVERIFY(!box.intersects(timeline->bestLabelRect(k)));
            }
        }
    }

    void timelineMarksMatchEventStream()
    {
        ComparisonView view;
        view.resize(1200, 800);
        view.setRun(m_run);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto* timeline = view.findChild<TimelineWidget*>(QStringLiteral("timeline"));
        QVERIFY(timeline);
        // One mark per event, in the lane of its policy, same action and place.
        std::vector<const CheckpointEvent*> byLane;
        const auto policies = m_run.policies();
        for (const auto& p : policies)
            for (const auto& e : m_run.events)
                if (e.policy == p.name)
                    byLane.push_back(&e);
        const auto& marks = timeline->marks();
        QCOMPARE(marks.size(), m_run.events.size());
        QCOMPARE(marks.size(), byLane.size());
        for (std::size_t i = 0; i < marks.size(); ++i) {
            const CheckpointEvent& e = *byLane[i];
            QCOMPARE(marks[i].policy.toStdString(), e.policy);
            QCOMPARE(policies[std::size_t(marks[i].lane)].name, e.policy);
            QCOMPARE(marks[i].action, e.action);
            QCOMPARE(marks[i].epoch, e.epoch);
            QCOMPARE(marks[i].batch, e.batch ? *e.batch : -1);
            QCOMPARE(marks[i].path.toStdString(), e.path);
            const double x = e.batch ? e.epoch + (*e.batch + 1) / 4.0 : e.epoch + 1.0; // 4 steps per epoch
            QCOMPARE(marks[i].x, x);
            QVERIFY(timeline->rect().contains(timeline->markPosition(marks[i]).toPoint()));
        }
        // The run's true best epoch for each monitor, found here by a plain scan of the epoch logs.
        const auto bestEpoch = [&](const std::string& key, bool max) {
            int best = -1;
            double value = 0;
            for (const auto& [epoch, logs] : m_run.epochLogs()) {
                const double v = logs.at(key);
                if (best < 0 || (max ? v > value : v < value)) {
                    best = epoch;
                    value = v;
                }
            }
            return best;
        };
        std::map<QString, int> lines;
        for (const auto& line : timeline->bestLines())
            lines[line.monitor] = line.epoch;
        QCOMPARE(lines.size(), std::size_t(2)); // val_loss (policies 0, 1) and loss (policy 2)
        QCOMPARE(lines[QStringLiteral("val_loss")], bestEpoch("val_loss", false));
        QCOMPARE(lines[QStringLiteral("loss")], bestEpoch("loss", false));
        // The painted image shows a mark in its lane colour (a filled save).
        const QImage image = timeline->grab().toImage();
        for (const auto& m : marks)
            if (m.action == CheckpointAction::Save) {
                const QPoint c = timeline->markPosition(m).toPoint() * image.devicePixelRatio();
                QCOMPARE(image.pixelColor(c).rgb(), m.color.rgb());
                break;
            }
    }

    void tableValuesMatchEventStream()
    {
        ComparisonView view;
        view.setRun(m_run);
        const auto expected = expectedFrom(m_run.events);
        const auto* model = view.tableModel();
        QCOMPARE(model->rowCount(), 3);
        for (const auto& p : m_run.policies()) {
            const QString name = QString::fromStdString(p.name);
            const int row = rowOf(model, name);
            QVERIFY(row >= 0);
            const Expected& x = expected.at(p.name);
            const auto cell = [&](int column, int role = Qt::DisplayRole) { return model->index(row, column).data(role); };
            QCOMPARE(cell(ComparisonTableModel::Source).toString(), QStringLiteral("recorded"));
            QCOMPARE(cell(ComparisonTableModel::Saves).toInt(), x.saves);
            QCOMPARE(cell(ComparisonTableModel::Skips).toInt(), x.skips);
            QCOMPARE(cell(ComparisonTableModel::Deletes).toInt(), x.deletes);
            QCOMPARE(cell(ComparisonTableModel::FilesKept).toInt(), int(x.kept.size()));
            QCOMPARE(cell(ComparisonTableModel::BytesWritten, ComparisonTableModel::kSortRole).toLongLong(), x.bytes);
            QVERIFY(x.bytes > 0);
            const QString kept = cell(ComparisonTableModel::KeptBest).toString();
            QVERIFY2(kept == QStringLiteral("yes") || kept == QStringLiteral("no"), qPrintable(kept));
        }
        // Policy 1 is save_best_only on val_loss with one fixed file: it always holds the best.
        QCOMPARE(model->index(rowOf(model, QStringLiteral("best_val_loss")), ComparisonTableModel::KeptBest).data().toString(),
                 QStringLiteral("yes"));
        QCOMPARE(model->index(rowOf(model, QStringLiteral("best_val_loss")), ComparisonTableModel::MissedBy).data(
                     ComparisonTableModel::kSortRole).toDouble(), 0.0);
    }

    void sortsByClickingAHeader()
    {
        ComparisonView view;
        view.setRun(m_run);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto* table = view.findChild<QTableView*>(QStringLiteral("comparisonTable"));
        QVERIFY(table);
        table->sortByColumn(ComparisonTableModel::Saves, Qt::DescendingOrder);
        const auto* proxy = table->model();
        int previous = INT_MAX;
        for (int r = 0; r < proxy->rowCount(); ++r) {
            const int saves = proxy->index(r, ComparisonTableModel::Saves).data().toInt();
            QVERIFY(saves <= previous);
            previous = saves;
        }
        QVERIFY(proxy->index(0, ComparisonTableModel::Saves).data().toInt() >
                proxy->index(2, ComparisonTableModel::Saves).data().toInt());
    }

    // Editing a policy in the view's form replays it; the recorded run stays as it was.
    void editedPolicyChangesComparisonNotRun()
    {
        ComparisonView view;
        view.setRun(m_run);
        const int keptBefore = view.tableModel()->index(0, ComparisonTableModel::FilesKept).data().toInt();
        QCOMPARE(keptBefore, 2);
        auto* spin = view.findChild<QSpinBox*>(QStringLiteral("compare_checkpointMaxToKeep"));
        QVERIFY(spin);
        QSignalSpy changed(&view, &ComparisonView::comparisonChanged);
        view.policyEditor()->setCurrentIndex(0);
        spin->setValue(1);
        QVERIFY(changed.wait(2000));
        const auto* model = view.tableModel();
        QCOMPARE(*view.policies()[0].maxToKeep, 1);
        QCOMPARE(model->index(0, ComparisonTableModel::Source).data().toString(), QStringLiteral("replay"));
        QCOMPARE(model->index(0, ComparisonTableModel::FilesKept).data().toInt(), 1);
        QCOMPARE(model->index(0, ComparisonTableModel::Deletes).data().toInt(), 5);
        QCOMPARE(model->index(1, ComparisonTableModel::Source).data().toString(), QStringLiteral("recorded"));
        // The run itself is unchanged.
        QCOMPARE(*view.run()->policies()[0].maxToKeep, 2);
        QCOMPARE(view.run()->events.size(), m_run.events.size());
        QCOMPARE(expectedFrom(view.run()->events).at(m_run.policies()[0].name).kept.size(), std::size_t(2));
        // Back to the run's policies: recorded again.
        QTest::mouseClick(view.findChild<QPushButton*>(QStringLiteral("resetPoliciesButton")), Qt::LeftButton);
        QCOMPARE(model->index(0, ComparisonTableModel::FilesKept).data().toInt(), 2);
        QCOMPARE(model->index(0, ComparisonTableModel::Source).data().toString(), QStringLiteral("recorded"));
    }

    void exportsCsvAndPng()
    {
        ComparisonView view;
        view.resize(1000, 700);
        view.setRun(m_run);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QString csv = m_dir.filePath(QStringLiteral("comparison.csv"));
        const QString png = m_dir.filePath(QStringLiteral("comparison.png"));
        view.setPathProvider([&](ComparisonView::PathRequest r) {
            return r == ComparisonView::PathRequest::ExportCsv ? csv : png;
        });
        QTest::mouseClick(view.findChild<QPushButton*>(QStringLiteral("exportCsvButton")), Qt::LeftButton);
        QTest::mouseClick(view.findChild<QPushButton*>(QStringLiteral("exportPngButton")), Qt::LeftButton);
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        QVERIFY(lines[0].startsWith(QStringLiteral("policy,source,monitor,saves,skips,deletes,files_kept,bytes_written")));
        const auto expected = expectedFrom(m_run.events);
        const QStringList row = lines[1].split(QLatin1Char(','));
        const Expected& first = expected.at(m_run.policies()[0].name);
        QCOMPARE(row[0].toStdString(), m_run.policies()[0].name);
        QCOMPARE(row[3].toInt(), first.saves);
        QCOMPARE(row[7].toLongLong(), first.bytes);
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 200 && image.height() > 100);
    }

    void importsCsvLoggerHistory()
    {
        const QString log = m_dir.filePath(QStringLiteral("training.log"));
        std::ofstream(log.toStdString()) << "epoch,loss,val_loss\n0,0.9,0.8\n1,0.7,0.6\n2,0.6,0.7\n";
        ComparisonView view;
        CheckpointConfig best;
        best.name = "best";
        best.filepath = "best.keras";
        best.saveBestOnly = true;
        view.setPolicies({best});
        view.setPathProvider([&](ComparisonView::PathRequest) { return log; });
        QSignalSpy runs(&view, &ComparisonView::runChanged);
        QTest::mouseClick(view.findChild<QPushButton*>(QStringLiteral("importHistoryButton")), Qt::LeftButton);
        QCOMPARE(runs.count(), 1);
        QVERIFY(view.findChild<QLabel*>(QStringLiteral("runLabel"))->text().contains(QStringLiteral("imported")));
        const auto* model = view.tableModel();
        QCOMPARE(model->rowCount(), 1);
        QCOMPARE(model->index(0, ComparisonTableModel::Source).data().toString(), QStringLiteral("replay"));
        QCOMPARE(model->index(0, ComparisonTableModel::Saves).data().toInt(), 2);  // .8, .6
        QCOMPARE(model->index(0, ComparisonTableModel::Skips).data().toInt(), 1);  // .7
        QCOMPARE(model->index(0, ComparisonTableModel::BestKeptEpoch).data().toInt(), 2);
        QCOMPARE(model->index(0, ComparisonTableModel::KeptBest).data().toString(), QStringLiteral("yes"));
        QCOMPARE(view.timeline()->marks().size(), std::size_t(3));
    }

    // The GUI's RunHistory of a run gives back the hook history the recorder saw.
    void sessionHistoryGivesTheSameRecord()
    {
        RunHistory history;
        RunInfo info;
        info.stepsPerEpoch = m_run.stepsPerEpoch;
        history.setInfo(info);
        std::vector<BatchPoint> batches;
        int epoch = 0;
        long long step = 0;
        for (const auto& call : m_run.history) {
            if (call.hook == HookCall::Hook::EpochBegin)
                epoch = call.index;
            else if (call.hook == HookCall::Hook::BatchEnd)
                batches.push_back({epoch, call.index, ++step, call.logs});
            else if (call.hook == HookCall::Hook::EpochEnd) {
                history.appendBatches(batches);
                batches.clear();
                history.appendEpoch({call.index, call.logs, 0.0});
            }
        }
        for (const auto& e : m_run.events)
            history.appendEvent(e);
        TrainResult result;
        result.finalLogs = m_run.history.back().logs;
        const RunRecord record = runRecordFromHistory(history, *m_run.project, result);
        QCOMPARE(record.history.size(), m_run.history.size());
        for (std::size_t i = 0; i < record.history.size(); ++i) {
            QCOMPARE(record.history[i].hook, m_run.history[i].hook);
            QCOMPARE(record.history[i].index, m_run.history[i].index);
            QVERIFY(record.history[i].logs == m_run.history[i].logs);
        }
        QCOMPARE(record.events.size(), m_run.events.size());
        ComparisonView view;
        view.setSessionRun(record);
        QVERIFY(view.findChild<QPushButton*>(QStringLiteral("sessionRunButton"))->isEnabled());
        QCOMPARE(view.timeline()->marks().size(), m_run.events.size());
    }
};

QTEST_MAIN(TestComparison)
#include "TestComparison.moc"
