// Decimator, MetricChart and ChartPanel with synthetic data (no training needed).
#include <QChart>
#include <QCheckBox>
#include <QImage>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>

#include "ui/plots/ChartPanel.h"
#include "ui/plots/Decimator.h"
#include "ui/plots/MetricChart.h"
#include "ui/plots/MinMaxBlocks.h"
#include "ui/session/RunHistory.h"

using namespace cklab;
using namespace cklab::ui;

namespace {
double maxY(const QList<QPointF>& pts)
{
    double m = -std::numeric_limits<double>::infinity();
    for (const QPointF& p : pts)
        m = std::max(m, p.y());
    return m;
}
double minY(const QList<QPointF>& pts)
{
    double m = std::numeric_limits<double>::infinity();
    for (const QPointF& p : pts)
        m = std::min(m, p.y());
    return m;
}
} // namespace

class TestCharts : public QObject {
    Q_OBJECT
private slots:
    void decimatorKeepsSpikes_data();
    void decimatorKeepsSpikes();
    void decimatorSmallInputUnchanged();
    void decimatorDropsNonFiniteAndClipsToRange();
    void decimatorBlocksGiveTheSamePoints();
    void decimatorLastPerColumnMatchesBruteForce();
    void decimatorLastPerColumnOnePerColumn();
    void smoothEmaByFormula();
    void chartReplacesOncePerRedraw();
    void chartCoalescesRedraws();
    void chartLogScale();
    void chartSmoothingDrawsRawFaint();
    void chartSmoothedCurveOnePointPerColumn();
    void chartMarkersAndHighlight();
    void chartZoomAndReset();
    void chartExportPng();
    void panelFollowsHistory();
};

void TestCharts::decimatorKeepsSpikes_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("columns");
    QTest::addColumn<int>("spikeAt");
    QTest::newRow("100k points, 300 px, spike in the middle") << 100000 << 300 << 51234;
    QTest::newRow("1M points, 50 px, spike at the start") << 1000000 << 50 << 1;
    QTest::newRow("10k points, 1000 px, spike at the end") << 10000 << 1000 << 9998;
    QTest::newRow("2001 points, 1000 px, spike anywhere") << 2001 << 1000 << 1000;
}

void TestCharts::decimatorKeepsSpikes()
{
    QFETCH(int, n);
    QFETCH(int, columns);
    QFETCH(int, spikeAt);
    std::vector<double> x(static_cast<std::size_t>(n)), y(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        x[std::size_t(i)] = i * 0.001;
        y[std::size_t(i)] = 1.0 + 0.1 * std::sin(i * 0.01);
    }
    y[std::size_t(spikeAt)] = 50.0;      // one-sample upward spike
    y[std::size_t(n - 1 - spikeAt / 2)] = -7.0; // and a downward one
    const QList<QPointF> out = decimateMinMax(x, y, x.front(), x.back(), columns);
    QVERIFY2(out.size() <= 2 * columns + 2, qPrintable(QString::number(out.size())));
    QVERIFY(out.size() >= columns); // every column is represented
    QCOMPARE(maxY(out), 50.0);
    QCOMPARE(minY(out), -7.0);
    for (int i = 1; i < out.size(); ++i)
        QVERIFY(out[i].x() >= out[i - 1].x()); // order of occurrence is preserved
}

void TestCharts::decimatorSmallInputUnchanged()
{
    const std::vector<double> x{0, 1, 2, 3, 4}, y{5, 3, 9, 1, 2};
    const QList<QPointF> out = decimateMinMax(x, y, 0, 4, 3); // 5 <= 2 * 3
    QCOMPARE(out.size(), 5);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(out[i], QPointF(x[std::size_t(i)], y[std::size_t(i)]));
}

void TestCharts::decimatorDropsNonFiniteAndClipsToRange()
{
    const double nan = std::nan("");
    const std::vector<double> x{0, 1, 2, 3, 4, 5, 6}, y{1, nan, 2, std::numeric_limits<double>::infinity(), 4, 5, 6};
    QList<QPointF> out = decimateMinMax(x, y, 0, 6, 100);
    QCOMPARE(out.size(), 5);
    for (const QPointF& p : out)
        QVERIFY(std::isfinite(p.y()));
    // Zoomed to [2, 4]: the visible points plus the nearest finite neighbour on each side.
    out = decimateMinMax(x, y, 2, 4, 100);
    const QList<QPointF> expected{{0, 1}, {2, 2}, {4, 4}, {5, 5}};
    QCOMPARE(out, expected);
}

void TestCharts::decimatorBlocksGiveTheSamePoints()
{
    // The block summaries are a shortcut: for any window, any column count, ties, non-finite
    // values and a history that grows in uneven steps, the points must be those of the pass
    // over every point.
    std::vector<double> x, y;
    MinMaxBlocks blocks;
    std::uint64_t state = 12345;
    auto next = [&] { // a fixed LCG: the same data everywhere
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return double(state >> 11) / double(1ULL << 53);
    };
    int compared = 0;
    for (const std::size_t grow : {std::size_t(1), std::size_t(63), std::size_t(5000), std::size_t(200000),
                                   std::size_t(1), std::size_t(130)}) {
        for (std::size_t k = 0; k < grow; ++k) {
            const std::size_t i = x.size();
            x.push_back(double(i) * 0.01);
            const double r = next();
            y.push_back(r < 0.001 ? std::nan("") : r < 0.002 ? std::numeric_limits<double>::infinity()
                                                              : std::round(r * 50.0)); // many ties
        }
        blocks.extend(x, y);
        QCOMPARE(blocks.points(), x.size());
        const double end = x.back();
        for (const auto& window : std::vector<std::pair<double, double>>{{0.0, end}, {0.0, end * 1.3},
                                                                        {end * 0.21, end * 0.77}, {3.005, 3.5}}) {
            const double lo = window.first, hi = window.second; // not a structured binding: clang 14 cannot capture one
            for (int columns : {1, 7, 300, 1117}) {
                const QList<QPointF> plain = decimateMinMax(x, y, lo, hi, columns);
                const QList<QPointF> fast = decimateMinMax(x, y, lo, hi, columns, &blocks);
                QCOMPARE(fast, plain);
                const auto inWindow = std::count_if(x.begin(), x.end(), [&](double v) { return v >= lo && v <= hi; });
                compared += inWindow > 2 * columns; // the case the blocks are for
            }
        }
    }
    QVERIFY2(compared > 40, qPrintable(QString::number(compared)));
    // Summaries of other points are not used.
    MinMaxBlocks stale;
    stale.extend(std::span<const double>(x).first(100), std::span<const double>(y).first(100));
    QCOMPARE(decimateMinMax(x, y, 0.0, x.back(), 50, &stale), decimateMinMax(x, y, 0.0, x.back(), 50));
}

void TestCharts::decimatorLastPerColumnMatchesBruteForce()
{
    // x on a 1/1024 grid and a window of 800 units over 800 columns: every column boundary is
    // exact in binary, so a plain brute-force scan must pick exactly the same points.
    const int n = 1000000, columns = 800;
    const double xMin = 100.0, xMax = 900.0;
    std::vector<double> x(static_cast<std::size_t>(n)), y(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        x[std::size_t(i)] = i / 1024.0;
        y[std::size_t(i)] = std::sin(i * 0.37) + (i % 997 == 0 ? std::nan("") : 0.0);
    }
    // Columns whose last point is not finite, and the edge neighbours, must fall back.
    y[std::size_t(xMin * 1024) - 1] = std::nan("");
    y[std::size_t(300 * 1024) - 1] = std::numeric_limits<double>::infinity();
    y[std::size_t(xMax * 1024) + 1] = std::nan("");

    std::vector<long> last(std::size_t(columns), -1);
    long before = -1, after = -1;
    for (int i = 0; i < n; ++i) {
        const double xi = x[std::size_t(i)];
        if (!std::isfinite(y[std::size_t(i)]))
            continue;
        if (xi < xMin)
            before = i;
        else if (xi > xMax && after < 0)
            after = i;
        else if (xi <= xMax)
            last[std::size_t(std::min(columns - 1, int(std::floor((xi - xMin) * columns / (xMax - xMin)))))] = i;
    }
    QList<QPointF> expected;
    expected.append(QPointF(x[std::size_t(before)], y[std::size_t(before)]));
    for (long i : last)
        if (i >= 0)
            expected.append(QPointF(x[std::size_t(i)], y[std::size_t(i)]));
    expected.append(QPointF(x[std::size_t(after)], y[std::size_t(after)]));

    const QList<QPointF> out = decimateLastPerColumn(x, y, xMin, xMax, columns);
    QCOMPARE(out.size(), columns + 2);
    QCOMPARE(out, expected);
    // Few points in range: returned as they are.
    const std::vector<double> sx{0, 1, 2, 3}, sy{4, 3, 2, 1};
    QCOMPARE(decimateLastPerColumn(sx, sy, 0, 3, 4), (QList<QPointF>{{0, 4}, {1, 3}, {2, 2}, {3, 1}}));
}

void TestCharts::decimatorLastPerColumnOnePerColumn()
{
    // Irregular spacing and a window that is not a power of two: at most one point per column,
    // in order, each the last input point of its column.
    const int n = 300000, columns = 1117;
    std::vector<double> x(static_cast<std::size_t>(n)), y(static_cast<std::size_t>(n));
    double xi = 0.0;
    for (int i = 0; i < n; ++i) {
        xi += 0.001 + 0.0007 * std::abs(std::sin(i * 1.3));
        x[std::size_t(i)] = xi;
        y[std::size_t(i)] = std::cos(i * 0.01);
    }
    const double xMin = x[1000] + 1e-4, xMax = x[250000] - 1e-4;
    const QList<QPointF> out = decimateLastPerColumn(x, y, xMin, xMax, columns);
    QVERIFY2(out.size() <= columns + 2, qPrintable(QString::number(out.size())));
    QVERIFY(out.size() >= columns); // dense data: every column represented
    QVERIFY(out.front().x() < xMin && out.back().x() > xMax);
    auto column = [&](double v) { return std::min(columns - 1, int(std::floor((v - xMin) / (xMax - xMin) * columns))); };
    for (int k = 1; k + 1 < out.size(); ++k) {
        const auto it = std::lower_bound(x.begin(), x.end(), out[k].x());
        QVERIFY(it != x.end() && *it == out[k].x());
        const std::size_t i = std::size_t(it - x.begin());
        QCOMPARE(out[k].y(), y[i]);
        QVERIFY(column(x[i + 1]) != column(x[i]) || x[i + 1] > xMax); // the column's last point
        if (k > 1)
            QVERIFY(column(out[k].x()) > column(out[k - 1].x()));
    }
}

void TestCharts::smoothEmaByFormula()
{
    // w = 0.5: s1 = 0.5*0 + 0.5*0 = 0 -> 0 / (1 - 0.5) = 0; s2 = 0.5*0 + 0.5*2 = 1 -> 1 / 0.75.
    const std::vector<double> y{0.0, 2.0};
    const std::vector<double> s = smoothEma(y, 0.5);
    QCOMPARE(s[0], 0.0);
    QCOMPARE(s[1], 1.0 / 0.75);
    // Debiasing keeps a constant curve constant.
    const std::vector<double> c = smoothEma(std::vector<double>(10, 3.0), 0.9);
    for (double v : c)
        QVERIFY(std::abs(v - 3.0) < 1e-12);
    QCOMPARE(smoothEma(y, 0.0), y);
}

void TestCharts::chartReplacesOncePerRedraw()
{
    MetricChart chart;
    chart.resize(600, 400);
    chart.addCurve("loss", "loss", Qt::blue);
    QSignalSpy replaced(chart.rawSeries("loss"), &QXYSeries::pointsReplaced);
    QSignalSpy added(chart.rawSeries("loss"), &QXYSeries::pointAdded);
    const int n = 200000;
    std::vector<double> x(n), y(n, 1.0);
    for (int i = 0; i < n; ++i)
        x[std::size_t(i)] = i / 1000.0;
    y[123457] = 1000.0;
    chart.appendPoints("loss", x, y);
    chart.redraw();
    QCOMPARE(replaced.count(), 1);
    QCOMPARE(added.count(), 0);
    QCOMPARE(chart.curveX("loss").size(), std::size_t(n)); // full history kept
    const QList<QPointF> drawn = chart.rawSeries("loss")->points();
    QVERIFY2(drawn.size() < 2 * 2000 + 2, qPrintable(QString::number(drawn.size())));
    QCOMPARE(maxY(drawn), 1000.0);
}

void TestCharts::chartCoalescesRedraws()
{
    MetricChart chart;
    chart.addCurve("loss", "loss", Qt::blue);
    const int before = chart.redrawCount();
    for (int i = 0; i < 1000; ++i)
        chart.appendPoint("loss", i, 1.0 / (i + 1));
    QCOMPARE(chart.redrawCount(), before); // appending never redraws directly
    QTRY_COMPARE(chart.redrawCount(), before + 1);
    QCOMPARE(chart.curveX("loss").size(), std::size_t(1000));
    QVERIFY(chart.rawSeries("loss")->count() > 0);
    QVERIFY(chart.rawSeries("loss")->count() <= 2 * 1000); // decimated: never more than the points
}

void TestCharts::chartLogScale()
{
    MetricChart chart;
    chart.addCurve("loss", "loss", Qt::blue);
    const std::vector<double> x{1, 2, 3, 4}, y{10.0, 0.0, -1.0, 0.1};
    chart.appendPoints("loss", x, y);
    chart.redraw();
    QCOMPARE(chart.rawSeries("loss")->count(), 4);
    chart.setLogScale(true);
    QVERIFY(qobject_cast<QLogValueAxis*>(chart.chart()->axes(Qt::Vertical).value(0)));
    QCOMPARE(chart.rawSeries("loss")->count(), 2); // 0 and -1 cannot be drawn on a log axis
    auto* axis = qobject_cast<QLogValueAxis*>(chart.chart()->axes(Qt::Vertical).value(0));
    QVERIFY(axis->min() > 0 && axis->min() < 0.1 && axis->max() > 10.0);
    chart.setLogScale(false);
    QVERIFY(qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Vertical).value(0)));
    QCOMPARE(chart.rawSeries("loss")->count(), 4);
    QCOMPARE(chart.chart()->axes(Qt::Vertical).size(), 1);
}

void TestCharts::chartSmoothingDrawsRawFaint()
{
    MetricChart chart;
    chart.addCurve("loss", "loss", Qt::blue);
    std::vector<double> x, y;
    for (int i = 0; i < 50; ++i) {
        x.push_back(i);
        y.push_back(i % 2 ? 2.0 : 0.0);
    }
    chart.appendPoints("loss", x, y);
    chart.setSmoothing(0.8);
    QVERIFY(chart.smoothSeries("loss")->isVisible());
    QVERIFY(chart.rawSeries("loss")->pen().color().alpha() < 255);
    QCOMPARE(chart.rawSeries("loss")->count(), 50); // raw curve still drawn
    const std::vector<double> expected = smoothEma(y, 0.8);
    const QList<QPointF> s = chart.smoothSeries("loss")->points();
    QCOMPARE(s.size(), 50);
    for (int i = 0; i < 50; ++i)
        QCOMPARE(s[i].y(), expected[std::size_t(i)]);
    chart.setSmoothing(0.0);
    QVERIFY(!chart.smoothSeries("loss")->isVisible());
    QCOMPARE(chart.rawSeries("loss")->pen().color().alpha(), 255);
}

void TestCharts::chartSmoothedCurveOnePointPerColumn()
{
    MetricChart chart;
    chart.resize(900, 400);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.addCurve("loss", "loss", Qt::blue);
    const double weight = 0.9;
    std::vector<double> x, y;
    auto more = [&](int count) {
        std::vector<double> nx, ny;
        for (int k = 0; k < count; ++k) {
            const int i = int(x.size());
            nx.push_back(x.emplace_back((i + 1) * 1e-4));
            ny.push_back(y.emplace_back(1.0 / (1.0 + i * 1e-4) + 0.2 * std::sin(i * 0.37) + (i == 77777 ? 30.0 : 0.0)));
        }
        chart.appendPoints("loss", nx, ny);
    };
    // An EMA written out here, not smoothEma(): debiased, as TensorBoard's.
    auto ema = [&] {
        std::vector<double> e;
        double s = 0.0, debias = 1.0;
        for (double v : y) {
            s = weight * s + (1.0 - weight) * v;
            debias *= weight;
            e.push_back(s / (1.0 - debias));
        }
        return e;
    };
    more(150000);
    chart.setSmoothing(weight);
    for (int round = 0; round < 2; ++round) {
        chart.redraw();
        const int columns = int(chart.chart()->plotArea().width());
        const auto* axis = qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Horizontal).value(0));
        QVERIFY(columns > 200 && axis);
        const QList<QPointF> s = chart.smoothSeries("loss")->points();
        QVERIFY2(s.size() <= columns + 2 && s.size() >= columns - 1, qPrintable(QString::number(s.size())));
        const std::vector<double> expected = ema();
        std::set<int> used;
        for (const QPointF& p : s) {
            used.insert(int(std::floor((p.x() - axis->min()) / (axis->max() - axis->min()) * columns)));
            const std::size_t i = std::size_t(std::llround(p.x() * 1e4)) - 1;
            QCOMPARE(x[i], p.x()); // a data point, not an interpolated one
            QVERIFY2(std::abs(p.y() - expected[i]) <= 1e-9, qPrintable(QString::number(i)));
        }
        QCOMPARE(int(used.size()), int(s.size())); // at most one point per pixel column
        QCOMPARE(s.back().x(), x.back());
        QCOMPARE(maxY(chart.rawSeries("loss")->points()), y[77777]); // the raw curve keeps the spike
        more(20000); // a live update: the EMA continues from where it stopped
    }
}

void TestCharts::chartMarkersAndHighlight()
{
    MetricChart chart;
    chart.addCurve("val_loss", "val_loss", Qt::red);
    const int a = chart.addMarker("best", Qt::green, {1, 0.5}, "best.keras\nval_loss = 0.5");
    const int b = chart.addMarker("every", Qt::magenta, {2, 0.4}, "e02.keras");
    const int c = chart.addMarker("best", Qt::green, {3, 0.3}, "best.keras\nval_loss = 0.3");
    QCOMPARE(QList<int>({a, b, c}), QList<int>({0, 1, 2}));
    chart.redraw();
    QCOMPARE(chart.markerSeries("best")->count(), 2);
    QCOMPARE(chart.markerSeries("every")->count(), 1);
    QCOMPARE(chart.markerSeries("best")->color(), QColor(Qt::green));
    QCOMPARE(chart.markerToolTip(c), QString("best.keras\nval_loss = 0.3"));
    QSignalSpy hovered(&chart, &MetricChart::markerHovered);
    emit chart.markerSeries("best")->hovered(QPointF(3.01, 0.3), true);
    QCOMPARE(hovered.count(), 1);
    QCOMPARE(hovered.at(0).at(0).toInt(), c);
    chart.highlightMarker(b);
    chart.redraw();
    QCOMPARE(chart.highlightedMarker(), b);
    // The highlight series is the only scatter series holding (2, 0.4) besides "every".
    int found = 0;
    for (QAbstractSeries* s : chart.chart()->series())
        if (auto* sc = qobject_cast<QScatterSeries*>(s); sc && sc != chart.markerSeries("every"))
            found += sc->points().contains(QPointF(2, 0.4));
    QCOMPARE(found, 1);
}

void TestCharts::chartZoomAndReset()
{
    MetricChart chart;
    chart.resize(500, 300);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.addCurve("loss", "loss", Qt::blue);
    std::vector<double> x, y;
    for (int i = 0; i <= 100; ++i) {
        x.push_back(i / 10.0);
        y.push_back(1.0 / (1 + i));
    }
    chart.appendPoints("loss", x, y);
    chart.redraw();
    auto* xAxis = qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Horizontal).value(0));
    QCOMPARE(xAxis->max(), 10.0);
    const QRectF plot = chart.chart()->plotArea();
    chart.chart()->zoomIn(QRectF(plot.left() + plot.width() * 0.25, plot.top(), plot.width() * 0.25, plot.height()));
    QVERIFY(chart.isZoomed());
    chart.redraw();
    QVERIFY(xAxis->max() < 6.0);
    QVERIFY(chart.rawSeries("loss")->count() < 101); // re-decimated for the visible range
    chart.appendPoint("loss", 11.0, 0.001);
    chart.redraw();
    QVERIFY(xAxis->max() < 6.0); // new data does not undo the user's zoom
    chart.resetZoom();
    QVERIFY(!chart.isZoomed());
    QCOMPARE(xAxis->max(), 11.0);
    QCOMPARE(chart.rawSeries("loss")->count(), 102);
}

void TestCharts::chartExportPng()
{
    QTemporaryDir dir;
    MetricChart chart;
    chart.resize(400, 300);
    chart.addCurve("loss", "loss", Qt::blue);
    chart.appendPoint("loss", 1, 1);
    const QString path = dir.filePath("chart.png");
    QVERIFY(chart.exportPng(path));
    QImage image(path);
    QCOMPARE(image.size(), QSize(400, 300));
}

void TestCharts::panelFollowsHistory()
{
    RunHistory history;
    ChartPanel panel;
    panel.resize(800, 600);
    panel.setHistory(&history);
    RunInfo info;
    info.epochs = 3;
    info.stepsPerEpoch = 4;
    history.setInfo(info);
    for (int e = 0; e < 3; ++e) {
        std::vector<BatchPoint> batches;
        for (int b = 0; b < 4; ++b)
            batches.push_back({e, b, e * 4 + b + 1, {{"loss", 1.0 / (e * 4 + b + 1)}, {"accuracy", 0.1 * b}}});
        history.appendBatches(batches);
        history.appendEpoch({e, {{"loss", 1.0 - 0.1 * e}, {"accuracy", 0.5 + 0.1 * e},
                                 {"val_loss", 1.1 - 0.1 * e}, {"val_accuracy", 0.4 + 0.1 * e}}, 0.0});
        CheckpointEvent save;
        save.policy = "best";
        save.epoch = e;
        save.monitor = "val_loss";
        save.value = 1.1 - 0.1 * e;
        save.action = CheckpointAction::Save;
        save.path = "/tmp/best.keras";
        save.bytes = 1234;
        history.appendEvent(save);
        CheckpointEvent skip = save;
        skip.policy = "acc";
        skip.monitor = "val_accuracy";
        skip.action = e == 1 ? CheckpointAction::Save : CheckpointAction::Skip;
        skip.value = 0.4 + 0.1 * e;
        history.appendEvent(skip);
    }
    MetricChart* loss = panel.findChild<MetricChart*>("lossChart");
    MetricChart* acc = panel.findChild<MetricChart*>("accuracyChart");
    QVERIFY(loss && acc);
    QCOMPARE(loss->curveX("loss/epoch"), std::vector<double>({1, 2, 3}));
    QCOMPARE(loss->curveY("val_loss/epoch").size(), std::size_t(3));
    QCOMPARE(acc->curveY("val_accuracy/epoch").size(), std::size_t(3));
    QCOMPARE(loss->curveX("loss/batch").size(), std::size_t(12));
    QCOMPARE(loss->curveX("loss/batch").front(), 0.25); // batch 0 of epoch 0 of 4 steps
    QVERIFY(!acc->hasCurve("loss/epoch"));
    QCOMPARE(loss->markerCount(), 3);
    QCOMPARE(acc->markerCount(), 1); // skips are not drawn
    QCOMPARE(panel.markerOf(3).first, acc);
    QCOMPARE(acc->markerPosition(panel.markerOf(3).second), QPointF(2, 0.5));
    QVERIFY(acc->markerToolTip(0).contains("/tmp/best.keras"));
    QCOMPARE(panel.markerOf(1).second, -1);

    panel.highlightEvent(4);
    QCOMPARE(loss->highlightedMarker(), 2);
    QCOMPARE(acc->highlightedMarker(), -1);
    panel.highlightEvent(3);
    QCOMPARE(loss->highlightedMarker(), -1);
    QCOMPARE(acc->highlightedMarker(), 0);

    panel.findChild<QCheckBox*>("logScaleCheck")->click();
    QVERIFY(loss->logScale());
    panel.findChild<QSlider*>("smoothingSlider")->setValue(60);
    QCOMPARE(loss->smoothing(), 0.6);
    QCOMPARE(acc->smoothing(), 0.6);

    history.clear();
    QCOMPARE(loss->curveX("loss/epoch").size(), std::size_t(0));
    QCOMPARE(loss->markerCount(), 0);
}

QTEST_MAIN(TestCharts)
#include "TestCharts.moc"
