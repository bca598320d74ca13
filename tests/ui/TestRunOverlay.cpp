// Runs overlaid on the live charts (ChartPanel overlays, RunsPanel), the one policy palette shared
// by charts, event log, timeline and table, and the config difference of two runs in the UI.
#include <QAbstractItemModel>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QListWidget>
#include <QPushButton>
#include <QScatterSeries>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QValueAxis>
#include <QXYSeries>
#include <QtTest>
#include <set>

#include "core/compare/Comparison.h"
#include "core/compare/RunRecord.h"
#include "tests/support/CompareFixtures.h"
#include "tests/support/WidgetDriving.h"
#include "ui/compare/ComparisonTableModel.h"
#include "ui/compare/ConfigDiffDialog.h"
#include "ui/compare/RunsPanel.h"
#include "ui/compare/TimelineWidget.h"
#include "ui/main/EventLogModel.h"
#include "ui/plots/ChartPanel.h"
#include "ui/plots/MetricChart.h"
#include "ui/plots/Palette.h"
#include "ui/session/RunHistory.h"

using namespace cklab;
using namespace cklab::ui;
using cklab::test::child;

namespace {

/// `epochs` epochs, loss = scale / (e + 1), val_loss = loss + 0.1, accuracy rising.
std::vector<std::pair<int, Logs>> epochLogs(int epochs, double scale)
{
    std::vector<std::pair<int, Logs>> out;
    for (int e = 0; e < epochs; ++e)
        out.push_back({e, {{"loss", scale / (e + 1)}, {"val_loss", scale / (e + 1) + 0.1},
                           {"accuracy", 0.5 + 0.05 * e}, {"val_accuracy", 0.45 + 0.05 * e}}});
    return out;
}

RunRecord syntheticRun(const Project& project, int epochs, double scale)
{
    RunRecord r;
    r.name = "synthetic";
    r.project = project;
    HistoryBuilder b;
    Logs last;
    for (const auto& [e, logs] : epochLogs(epochs, scale)) {
        b.addEpochEnd(e, logs);
        last = logs;
    }
    r.history = b.finish(last);
    return r;
}

int visibleLegendEntries(MetricChart* chart, const QString& name)
{
    int n = 0;
    for (QLegendMarker* m : chart->chart()->legend()->markers()) {
        n += m->isVisible() && m->label() == name;
    }
    return n;
}

CheckpointEvent makeEvent(const std::string& policy, CheckpointAction action, int epoch, double value)
{
    CheckpointEvent e;
    e.policy = policy;
    e.action = action;
    e.epoch = epoch;
    e.monitor = "loss";
    e.value = value;
    e.path = policy + "-" + std::to_string(epoch) + ".keras";
    return e;
}

} // namespace

class TestRunOverlay : public QObject {
    Q_OBJECT
private slots:
    void paletteIsOneForChartsEventLogTimelineAndTable();
    void runColoursAreStableAndDistinct();
    void overlayDrawsEpochCurvesInRunColour();
    void overlayToggleHidesCurvesLegendAndRange();
    void overlaySurvivesNewLiveRunAndKeepsDecimation();
    void runsPanelOverlaysKeepColoursAcrossRefreshAndReopen();
    void configDiffOfTwoRunsShowsChangedFields();
};

void TestRunOverlay::paletteIsOneForChartsEventLogTimelineAndTable()
{
    // Policies arrive in another order than the project lists them: colours follow the list.
    RunHistory history;
    history.setPolicyOrder({"first", "second", "third"});
    RunInfo info;
    info.stepsPerEpoch = 4;
    history.setInfo(info);
    ChartPanel charts;
    charts.setHistory(&history);
    EpochPoint p;
    p.logs = {{"loss", 0.5}};
    history.appendEpoch(p);
    history.appendEvent(makeEvent("third", CheckpointAction::Save, 0, 0.5));
    history.appendEvent(makeEvent("first", CheckpointAction::Save, 0, 0.5));
    history.appendEvent(makeEvent("stray", CheckpointAction::Save, 0, 0.5)); // not in the project list
    history.clear();                                                     // a new run keeps the order
    QCOMPARE(history.policyOrder(), QStringList({"first", "second", "third"}));
    history.appendEpoch(p);
    history.appendEvent(makeEvent("third", CheckpointAction::Save, 0, 0.5));
    history.appendEvent(makeEvent("first", CheckpointAction::Save, 0, 0.5));
    history.appendEvent(makeEvent("stray", CheckpointAction::Save, 0, 0.5));
    QCOMPARE(history.policyIndex(QStringLiteral("first")), 0);
    QCOMPARE(history.policyIndex(QStringLiteral("third")), 2);
    QCOMPARE(history.policyIndex(QStringLiteral("stray")), 3);

    const QColor third = palette::policyColor(2);
    QCOMPARE(charts.lossChart()->markerSeries(QStringLiteral("third"))->color(), third);
    QCOMPARE(charts.lossChart()->markerSeries(QStringLiteral("first"))->color(), palette::policyColor(0));
    QCOMPARE(charts.lossChart()->markerSeries(QStringLiteral("stray"))->color(), palette::policyColor(3));

    EventLogModel log;
    log.setHistory(&history);
    QCOMPARE(log.index(0, EventLogModel::Policy).data(Qt::DecorationRole).value<QColor>(), third);
    QCOMPARE(log.index(1, EventLogModel::Policy).data(Qt::DecorationRole).value<QColor>(), palette::policyColor(0));

    // Timeline lanes and table rows of the same three policies, in project order.
    Project project = test::smallComparisonProject();
    project.checkpoints[0].name = "first";
    project.checkpoints[1].name = "second";
    project.checkpoints[2].name = "third";
    RunRecord run = syntheticRun(project, 3, 1.0);
    run.project.reset(); // no recorded events: every policy is replayed and has marks
    const Comparison c = compareRun(run, project.checkpoints);
    QVERIFY(!c.policies[1].events.empty());
    TimelineWidget timeline;
    timeline.setComparison(c, {});
    ComparisonTableModel table;
    table.setComparison(c);
    std::set<QRgb> distinct;
    for (int lane = 0; lane < 3; ++lane) {
        distinct.insert(palette::policyColor(lane).rgb());
        QCOMPARE(table.index(lane, ComparisonTableModel::Policy).data(Qt::DecorationRole).value<QColor>(),
                 palette::policyColor(lane));
    }
    QCOMPARE(int(distinct.size()), 3);
    bool sawSecond = false;
    for (const TimelineMark& m : timeline.marks()) {
        QCOMPARE(m.color, palette::policyColor(m.lane));
        sawSecond = sawSecond || (m.policy == QStringLiteral("second") && m.color == palette::policyColor(1));
    }
    QVERIFY(sawSecond);
}

void TestRunOverlay::runColoursAreStableAndDistinct()
{
    std::set<QRgb> colours;
    for (int n = 1; n <= palette::kRunColors; ++n)
        colours.insert(palette::runColor(QStringLiteral("run-%1").arg(n, 3, 10, QLatin1Char('0'))).rgb());
    QCOMPARE(int(colours.size()), palette::kRunColors); // consecutive runs never share a colour
    QCOMPARE(palette::runColor(QStringLiteral("run-001")), palette::runColor(QStringLiteral("run-%1").arg(1 + palette::kRunColors, 3, 10, QLatin1Char('0'))));
    QCOMPARE(palette::runColor(QStringLiteral("other/run-7")), palette::runColor(QStringLiteral("other/run-7")));
    // Runs never take the live curves' colours.
    for (int n = 1; n <= palette::kRunColors; ++n) {
        const QColor c = palette::runColor(QStringLiteral("run-%1").arg(n));
        QVERIFY(c != palette::trainingCurveColor(0) && c != palette::validationCurveColor(0));
    }
}

void TestRunOverlay::overlayDrawsEpochCurvesInRunColour()
{
    ChartPanel charts;
    charts.resize(800, 600);
    charts.show(); // legend markers are only visible in a shown chart
    QVERIFY(QTest::qWaitForWindowExposed(&charts));
    const QColor color = palette::runColor(QStringLiteral("run-002"));
    charts.setOverlay({QStringLiteral("run-002"), QStringLiteral("run-002"), color, epochLogs(4, 2.0)});
    QCOMPARE(charts.overlayIds(), QStringList{QStringLiteral("run-002")});
    const QString loss = ChartPanel::overlayKey(QStringLiteral("run-002"), QStringLiteral("loss"));
    const QString valLoss = ChartPanel::overlayKey(QStringLiteral("run-002"), QStringLiteral("val_loss"));
    const QString valAcc = ChartPanel::overlayKey(QStringLiteral("run-002"), QStringLiteral("val_accuracy"));
    MetricChart* lossChart = charts.lossChart();
    QCOMPARE(lossChart->curveX(loss), (std::vector<double>{1, 2, 3, 4}));
    QCOMPARE(lossChart->curveY(loss), (std::vector<double>{2.0, 1.0, 2.0 / 3, 0.5}));
    QCOMPARE(lossChart->curveY(valLoss).back(), 0.6);
    QVERIFY(charts.accuracyChart()->hasCurve(valAcc));
    QVERIFY(!lossChart->hasCurve(valAcc));
    QCOMPARE(lossChart->rawSeries(loss)->pen().color(), color);
    QCOMPARE(lossChart->rawSeries(loss)->pen().style(), Qt::SolidLine);
    QCOMPARE(lossChart->rawSeries(valLoss)->pen().style(), Qt::DashLine);
    // The legend names the run once per chart.
    QTRY_COMPARE(visibleLegendEntries(lossChart, QStringLiteral("run-002")), 1);
    QTRY_COMPARE(visibleLegendEntries(charts.accuracyChart(), QStringLiteral("run-002")), 1);
    // Drawn: the series holds the 4 epoch points.
    lossChart->redraw();
    QCOMPARE(lossChart->rawSeries(loss)->count(), 4);
}

void TestRunOverlay::overlayToggleHidesCurvesLegendAndRange()
{
    ChartPanel charts;
    charts.resize(800, 600);
    charts.show(); // legend markers are only visible in a shown chart
    QVERIFY(QTest::qWaitForWindowExposed(&charts));
    charts.setOverlay({QStringLiteral("run-001"), QStringLiteral("run-001"), palette::runColor(QStringLiteral("run-001")),
                       epochLogs(3, 1.0)});
    charts.setOverlay({QStringLiteral("run-009"), QStringLiteral("run-009"), palette::runColor(QStringLiteral("run-009")),
                       epochLogs(3, 10.0)});
    MetricChart* chart = charts.lossChart();
    chart->redraw();
    auto* yAxis = qobject_cast<QValueAxis*>(chart->chart()->axes(Qt::Vertical).first());
    QVERIFY(yAxis);
    QVERIFY(yAxis->max() >= 10.1); // run-009's val_loss peaks at 10.1
    const QString key = ChartPanel::overlayKey(QStringLiteral("run-009"), QStringLiteral("loss"));

    charts.setOverlayVisible(QStringLiteral("run-009"), false);
    chart->redraw();
    QVERIFY(!charts.isOverlayVisible(QStringLiteral("run-009")));
    QVERIFY(!chart->rawSeries(key)->isVisible());
    QTRY_COMPARE(visibleLegendEntries(chart, QStringLiteral("run-009")), 0);
    QVERIFY2(yAxis->max() < 2.0, qPrintable(QString::number(yAxis->max()))); // only run-001 (max 1.1) counts
    QVERIFY(chart->rawSeries(ChartPanel::overlayKey(QStringLiteral("run-001"), QStringLiteral("loss")))->isVisible());

    charts.setOverlayVisible(QStringLiteral("run-009"), true);
    chart->redraw();
    QVERIFY(chart->rawSeries(key)->isVisible());
    QCOMPARE(chart->rawSeries(key)->pen().color(), palette::runColor(QStringLiteral("run-009")));
    QTRY_COMPARE(visibleLegendEntries(chart, QStringLiteral("run-009")), 1);

    charts.removeOverlay(QStringLiteral("run-009"));
    QVERIFY(!chart->hasCurve(key));
    QCOMPARE(charts.overlayIds(), QStringList{QStringLiteral("run-001")});
}

void TestRunOverlay::overlaySurvivesNewLiveRunAndKeepsDecimation()
{
    RunHistory history;
    RunInfo info;
    info.stepsPerEpoch = 5000;
    history.setInfo(info);
    ChartPanel charts;
    charts.resize(900, 700);
    charts.setHistory(&history);
    charts.setOverlay({QStringLiteral("run-003"), QStringLiteral("run-003"), palette::runColor(QStringLiteral("run-003")),
                       epochLogs(5, 1.0)});
    std::vector<BatchPoint> batches;
    for (int b = 0; b < 5000; ++b)
        batches.push_back({0, b, b + 1, {{"loss", 1.0 + 0.5 * std::sin(b * 0.37)}}});
    history.appendBatches(batches);
    MetricChart* chart = charts.lossChart();
    chart->redraw();
    // The live batch curve keeps its full history and is drawn decimated (min/max per column).
    QCOMPARE(chart->curveY(QStringLiteral("loss/batch")).size(), std::size_t(5000));
    QVERIFY(chart->rawSeries(QStringLiteral("loss/batch"))->count() <= 4 * std::max(200, int(chart->chart()->plotArea().width())));
    QVERIFY(chart->rawSeries(QStringLiteral("loss/batch"))->count() < 5000);

    // A new live run clears the live curves only.
    history.clear();
    chart->redraw();
    QVERIFY(chart->curveY(QStringLiteral("loss/batch")).empty());
    const QString key = ChartPanel::overlayKey(QStringLiteral("run-003"), QStringLiteral("loss"));
    QCOMPARE(chart->curveY(key).size(), std::size_t(5));
    QCOMPARE(chart->rawSeries(key)->count(), 5);
    QCOMPARE(chart->rawSeries(key)->pen().color(), palette::runColor(QStringLiteral("run-003")));
}

void TestRunOverlay::runsPanelOverlaysKeepColoursAcrossRefreshAndReopen()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path out = dir.filePath(QStringLiteral("out")).toStdString();
    const Project project = test::smallComparisonProject();
    saveRunRecord(syntheticRun(project, 3, 1.0), nextRunFolder(out));
    saveRunRecord(syntheticRun(project, 4, 2.0), nextRunFolder(out));

    QColor firstColour;
    {
        ChartPanel charts;
        RunsPanel runs;
        runs.setChartPanel(&charts);
        runs.setOutputDir(QString::fromStdString(out.string()));
        QCOMPARE(runs.runIds(), QStringList({"run-001", "run-002"}));
        auto* list = child<QListWidget>(&runs, QStringLiteral("runList"));
        list->item(1)->setCheckState(Qt::Checked); // what a click on the box does
        QCOMPARE(charts.overlayIds(), QStringList{QStringLiteral("run-002")});
        const QString key = ChartPanel::overlayKey(QStringLiteral("run-002"), QStringLiteral("loss"));
        QCOMPARE(charts.lossChart()->curveY(key).size(), std::size_t(4));
        firstColour = charts.lossChart()->rawSeries(key)->pen().color();
        QCOMPARE(firstColour, palette::runColor(QStringLiteral("run-002")));
        // The row's swatch is the legend: drawn in that colour.
        const QImage icon = list->item(1)->icon().pixmap(28, 12).toImage();
        QCOMPARE(icon.pixelColor(14, 4).rgb(), firstColour.rgb());

        // A third run arrives; refreshing keeps the tick and the colour.
        saveRunRecord(syntheticRun(project, 2, 0.5), nextRunFolder(out));
        QTest::mouseClick(child<QPushButton>(&runs, QStringLiteral("refreshRunsButton")), Qt::LeftButton);
        QCOMPARE(runs.runIds(), QStringList({"run-001", "run-002", "run-003"}));
        QCOMPARE(runs.overlaidIds(), QStringList{QStringLiteral("run-002")});
        QCOMPARE(charts.lossChart()->rawSeries(key)->pen().color(), firstColour);

        // Unticking hides the run, ticking shows it again.
        list->item(1)->setCheckState(Qt::Unchecked);
        QVERIFY(!charts.isOverlayVisible(QStringLiteral("run-002")));
        list->item(1)->setCheckState(Qt::Checked);
        QVERIFY(charts.isOverlayVisible(QStringLiteral("run-002")));
    }
    // Reopened later (new panel, new charts): same run, same colour.
    ChartPanel charts;
    RunsPanel runs;
    runs.setChartPanel(&charts);
    runs.setOutputDir(QString::fromStdString(out.string()));
    runs.setOverlaid(QStringLiteral("run-002"), true);
    const QString key = ChartPanel::overlayKey(QStringLiteral("run-002"), QStringLiteral("loss"));
    QCOMPARE(charts.lossChart()->rawSeries(key)->pen().color(), firstColour);
    // Another project's folder: its runs go, with their overlays.
    runs.setOutputDir(dir.filePath(QStringLiteral("elsewhere")));
    QVERIFY(runs.runIds().isEmpty());
    QVERIFY(charts.overlayIds().isEmpty());
}

void TestRunOverlay::configDiffOfTwoRunsShowsChangedFields()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path out = dir.filePath(QStringLiteral("out")).toStdString();
    Project a = test::smallComparisonProject();
    a.training.compile.optimizer.learningRate = 0.01f;
    Project b = a;
    b.training.compile.optimizer.learningRate = 0.001f;
    b.checkpoints[1].saveBestOnly = !a.checkpoints[1].saveBestOnly;
    saveRunRecord(syntheticRun(a, 2, 1.0), nextRunFolder(out));
    saveRunRecord(syntheticRun(b, 2, 1.0), nextRunFolder(out));
    RunRecord imported = syntheticRun(a, 2, 1.0);
    imported.project.reset();
    imported.source = "imported";
    saveRunRecord(imported, nextRunFolder(out));

    RunsPanel runs;
    runs.setOutputDir(QString::fromStdString(out.string()));
    auto* button = child<QPushButton>(&runs, QStringLiteral("configDiffButton"));
    // Nothing picked: says what to do.
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(!runs.diffDialog()->isVisible());
    QVERIFY(child<QLabel>(&runs, QStringLiteral("runsStatus"))->text().contains(QStringLiteral("two runs")));

    auto* list = child<QListWidget>(&runs, QStringLiteral("runList"));
    list->item(0)->setSelected(true);
    list->item(1)->setSelected(true);
    QTest::mouseClick(button, Qt::LeftButton);
    ConfigDiffDialog* dialog = runs.diffDialog();
    QVERIFY(dialog->isVisible());
    auto* table = child<QTableWidget>(dialog, QStringLiteral("configDiffTable"));
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("checkpoints[1].save_best_only"));
    QCOMPARE(table->item(0, 1)->text(), a.checkpoints[1].saveBestOnly ? QStringLiteral("true") : QStringLiteral("false"));
    QCOMPARE(table->item(0, 2)->text(), b.checkpoints[1].saveBestOnly ? QStringLiteral("true") : QStringLiteral("false"));
    QCOMPARE(table->item(1, 0)->text(), QStringLiteral("training.optimizer.learning_rate"));
    QCOMPARE(table->item(1, 1)->text(), QStringLiteral("0.01"));
    QCOMPARE(table->item(1, 2)->text(), QStringLiteral("0.001"));
    QVERIFY(table->horizontalHeaderItem(1)->text().contains(QStringLiteral("run-001")));
    QVERIFY(child<QLabel>(dialog, QStringLiteral("configDiffSummary"))->text().contains(QStringLiteral("2 field")));

    // The same run twice: identical. An imported history has no config to compare.
    QVERIFY(runs.showConfigDiff(QStringLiteral("run-001"), QStringLiteral("run-001")));
    QCOMPARE(table->rowCount(), 0);
    QVERIFY(dialog->summary().contains(QStringLiteral("same config")));
    QVERIFY(!runs.showConfigDiff(QStringLiteral("run-001"), QStringLiteral("run-003")));
    QVERIFY(child<QLabel>(&runs, QStringLiteral("runsStatus"))->text().contains(QStringLiteral("run-003 has no config")));
}

QTEST_MAIN(TestRunOverlay)
#include "TestRunOverlay.moc"
