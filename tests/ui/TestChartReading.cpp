// Issue 14, the "clumsy" part, as a user reads a run: one window, the comparison project trained,
// then read. Axis ticks fall on round values and a log axis has several labels; clicking a legend
// entry hides its curve and keeps the entry; the hover readout gives every visible curve's value
// at the step, as the history has it; the dark theme reaches the charts; the event log never
// elides a number, shows where relative paths are relative to, and gives absolute paths and
// Copy path. A second run (another project) is read the same way.
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLogValueAxis>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QValueAxis>
#include <QXYSeries>
#include <QtTest>
#include <cmath>

#include "core/project/ProjectJson.h"
#include "tests/support/CompareFixtures.h"
#include "tests/support/MainWindowDriving.h"
#include "ui/main/EventLogModel.h"
#include "ui/main/EventLogView.h"
#include "ui/plots/AxisTicks.h"
#include "ui/plots/ChartPanel.h"
#include "ui/plots/MetricChart.h"
#include "ui/session/RunHistory.h"

using namespace cklab;
using namespace cklab::ui;
using cklab::test::child;

namespace {

/// Whether `step` is 1, 2 or 5 times a power of ten.
bool isRoundStep(double step)
{
    const double m = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    return std::abs(m - 1) < 1e-9 || std::abs(m - 2) < 1e-9 || std::abs(m - 5) < 1e-9;
}

QLegendMarker* legendEntry(MetricChart* chart, const QString& label)
{
    for (QLegendMarker* m : chart->chart()->legend()->markers())
        if (m->label() == label)
            return m;
    return nullptr;
}

/// Reads the trained run in `w` and checks what the user sees.
void readRun(MainWindow& w)
{
    auto* panel = child<ChartPanel>(&w, QStringLiteral("chartPanel"));
    MetricChart* loss = panel->lossChart();
    const RunHistory& h = *w.controller()->history();
    loss->redraw();

    // Round ticks on both axes, and labels that print them exactly.
    auto* y = qobject_cast<QValueAxis*>(loss->chart()->axes(Qt::Vertical).first());
    QVERIFY(y);
    QCOMPARE(y->tickType(), QValueAxis::TicksDynamic);
    QVERIFY2(isRoundStep(y->tickInterval()), qPrintable(QString::number(y->tickInterval())));
    QCOMPARE(y->tickAnchor(), 0.0);
    QCOMPARE(y->labelFormat(), QStringLiteral("%.%1f").arg(ticks::decimalsFor(y->tickInterval())));
    auto* x = qobject_cast<QValueAxis*>(loss->chart()->axes(Qt::Horizontal).first());
    QVERIFY(x && isRoundStep(x->tickInterval()) && x->tickInterval() >= 1.0);

    // A log axis over less than two decades labels more than its powers of ten.
    panel->setLogScale(true);
    loss->redraw();
    auto* log = qobject_cast<QLogValueAxis*>(loss->chart()->axes(Qt::Vertical).first());
    QVERIFY(log);
    int labels = 0;
    for (double v = std::pow(log->base(), std::ceil(std::log(log->min()) / std::log(log->base()) - 1e-9)); v <= log->max();
         v *= log->base())
        ++labels;
    QVERIFY2(labels >= 3, qPrintable(QStringLiteral("%1 labels, base %2 over [%3, %4]")
                                         .arg(labels).arg(log->base()).arg(log->min()).arg(log->max())));
    panel->setLogScale(false);

    // Clicking a legend entry hides the curve and keeps the entry; a second click shows it.
    QLegendMarker* entry = legendEntry(loss, QStringLiteral("loss (batch)"));
    QVERIFY(entry);
    emit entry->clicked();
    QVERIFY(loss->isHiddenByLegend(QStringLiteral("loss/batch")));
    QVERIFY(!loss->rawSeries(QStringLiteral("loss/batch"))->isVisible());
    QVERIFY(entry->isVisible());
    emit entry->clicked();
    QVERIFY(!loss->isHiddenByLegend(QStringLiteral("loss/batch")));
    QVERIFY(loss->rawSeries(QStringLiteral("loss/batch"))->isVisible());

    // The readout at the end of epoch 2: the epoch values the history holds.
    const EpochPoint& second = h.epochs().at(1);
    const QString readout = loss->readoutAt(epochX(second.epoch));
    for (const char* key : {"loss", "val_loss"})
        QVERIFY2(readout.contains(QStringLiteral("\n%1: %2").arg(QLatin1String(key)).arg(second.logs.at(key), 0, 'g', 5)),
                 qPrintable(readout));
    QVERIFY(readout.startsWith(QStringLiteral("epoch 2")));

    // Event log: numbers fit their columns; relative paths and the folder they are relative to.
    auto* view = child<EventLogView>(&w, QStringLiteral("eventLog"));
    QTableView* table = view->table();
    const QFontMetrics fm = table->fontMetrics();
    for (int r = 0; r < table->model()->rowCount(); ++r)
        for (int column : {EventLogModel::Value, EventLogModel::BestBefore}) {
            const QString text = table->model()->index(r, column).data().toString();
            QVERIFY2(fm.horizontalAdvance(text) + 8 <= table->horizontalHeader()->sectionSize(column), qPrintable(text));
        }
    const QString outputDir = QString::fromStdString(h.info().outputDir.string());
    QVERIFY2(child<QLabel>(&w, QStringLiteral("eventOutputDir"))->text().contains(QDir::toNativeSeparators(outputDir)),
             qPrintable(child<QLabel>(&w, QStringLiteral("eventOutputDir"))->text()));
    int save = -1;
    for (int i = 0; i < int(h.events().size()) && save < 0; ++i)
        if (h.events()[std::size_t(i)].event.action == CheckpointAction::Save
            && QFileInfo::exists(h.absolutePath(h.events()[std::size_t(i)].event.path)))
            save = i;
    QVERIFY(save >= 0);
    const QString relative = QString::fromStdString(h.events()[std::size_t(save)].event.path);
    QVERIFY(QDir::isRelativePath(relative));
    QCOMPARE(view->model()->index(save, EventLogModel::Path).data().toString(), relative);
    child<QCheckBox>(&w, QStringLiteral("absolutePathsCheck"))->setChecked(true);
    QCOMPARE(view->model()->index(save, EventLogModel::Path).data().toString(), h.absolutePath(h.events()[std::size_t(save)].event.path));
    child<QCheckBox>(&w, QStringLiteral("absolutePathsCheck"))->setChecked(false);
    QVERIFY(view->copyPathOf(save));
    QVERIFY(QFileInfo::exists(QApplication::clipboard()->text()));
    QCOMPARE(QFileInfo(QApplication::clipboard()->text()).canonicalFilePath(),
             QFileInfo(h.absolutePath(h.events()[std::size_t(save)].event.path)).canonicalFilePath());
}

} // namespace

class TestChartReading : public QObject {
    Q_OBJECT
    test::SilentDialogs m_dialogs;
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("CheckpointLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("TestChartReading"));
        QSettings().clear();
        DialogProvider::setInstance(&m_dialogs);
    }
    void cleanupTestCase() { DialogProvider::setInstance(nullptr); }
    void aRunReadsClearly();
};

void TestChartReading::aRunReadsClearly()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Project first = test::smallComparisonProject();
    first.outputDir = "first";
    Project second = first;
    second.outputDir = "second";
    second.training.seed = 7;
    const QString firstPath = dir.filePath(QStringLiteral("first.json"));
    const QString secondPath = dir.filePath(QStringLiteral("second.json"));
    saveProjectFile(firstPath.toStdString(), first);
    saveProjectFile(secondPath.toStdString(), second);

    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openProject(firstPath));
    QVERIFY(test::train(w));
    readRun(w);
    if (QTest::currentTestFailed())
        return;

    // View > Theme > Dark reaches the charts; Light brings them back.
    auto* loss = child<ChartPanel>(&w, QStringLiteral("chartPanel"))->lossChart();
    QVERIFY(!loss->isDarkTheme());
    const QColor ours = loss->rawSeries(QStringLiteral("loss/epoch"))->pen().color();
    child<QAction>(&w, QStringLiteral("actionThemeDark"))->trigger();
    QTRY_VERIFY(loss->isDarkTheme());
    QVERIFY(loss->chart()->backgroundBrush().color().lightness() < 80);
    QCOMPARE(loss->rawSeries(QStringLiteral("loss/epoch"))->pen().color(), ours); // not the theme's
    child<QAction>(&w, QStringLiteral("actionThemeLight"))->trigger();
    QTRY_VERIFY(!loss->isDarkTheme());

    QVERIFY(w.openProject(secondPath));
    QVERIFY(test::train(w));
    readRun(w);

    // At 1024x700 the short charts put their legend beside the plot, every entry shown in full
    // and inside the chart (issue 14: the legend readable at 1024x700).
    w.resize(1024, 700);
    QTRY_VERIFY(w.width() <= 1100);
    for (MetricChart* chart : {loss, child<ChartPanel>(&w, QStringLiteral("chartPanel"))->accuracyChart()}) {
        QTRY_COMPARE(chart->chart()->legend()->alignment(), Qt::AlignRight);
        chart->redraw();
        QApplication::processEvents();
        const QRectF legend = chart->chart()->legend()->geometry();
        QVERIFY2(chart->chart()->rect().contains(legend), qPrintable(QStringLiteral("legend %1,%2 %3x%4").arg(legend.x()).arg(legend.y()).arg(legend.width()).arg(legend.height())));
        for (QLegendMarker* m : chart->chart()->legend()->markers())
            if (m->isVisible())
                QVERIFY2(!m->label().contains(QChar(0x2026)), qPrintable(m->label())); // not elided
        QVERIFY(chart->chart()->plotArea().width() > 200);
    }
}

QTEST_MAIN(TestChartReading)
#include "TestChartReading.moc"
