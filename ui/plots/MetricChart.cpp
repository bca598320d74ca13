// MetricChart: curves and markers, axes and auto range, zoom, redraw scheduling, marker tooltips
// (a curve's history, ranges and incremental decimation/EMA live in ChartCurve).
#include "ui/plots/MetricChart.h"

#include <QChart>
#include <QCursor>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QPixmap>
#include <QScatterSeries>
#include <QTimer>
#include <QToolTip>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/plots/AxisTicks.h"
#include "ui/plots/ChartCurve.h"
#include "ui/plots/ChartReadout.h"

namespace cklab::ui {

namespace {
constexpr int kRedrawIntervalMs = 30;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kMarkerSize = 10;
constexpr qreal kStackStepPx = kMarkerSize + 1;

void hideFromLegend(QChart* chart, QAbstractSeries* series)
{
    for (QLegendMarker* m : chart->legend()->markers(series))
        m->setVisible(false);
}
} // namespace

std::vector<double> smoothEma(std::span<const double> y, double weight)
{
    std::vector<double> out(y.begin(), y.end());
    if (weight <= 0.0)
        return out;
    double s = 0.0, debias = 1.0;
    for (double& v : out) {
        if (!std::isfinite(v))
            continue;
        s = weight * s + (1.0 - weight) * v;
        debias *= weight;
        v = s / (1.0 - debias);
    }
    return out;
}

MetricChart::MetricChart(QWidget* parent)
    : QChartView(new QChart, parent)
{
    // Created first: attaching axes below already emits rangeChanged.
    m_redrawTimer = new QTimer(this);
    m_redrawTimer->setSingleShot(true);
    m_redrawTimer->setInterval(kRedrawIntervalMs);
    connect(m_redrawTimer, &QTimer::timeout, this, &MetricChart::redraw);
    m_settingRange = true;
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::RectangleRubberBand);
    chart()->legend()->setAlignment(Qt::AlignBottom);
    chart()->setMargins(QMargins(4, 4, 4, 4));

    m_xAxis = new QValueAxis(this);
    m_xAxis->setTitleText(tr("epoch"));
    m_xAxis->setLabelFormat("%g");
    chart()->addAxis(m_xAxis, Qt::AlignBottom);
    connect(m_xAxis, &QValueAxis::rangeChanged, this, &MetricChart::onAxisRangeChanged);
    installYAxis(false);

    m_highlightSeries = new QScatterSeries(this);
    m_highlightSeries->setName(tr("selected"));
    m_highlightSeries->setMarkerSize(18);
    m_highlightSeries->setColor(Qt::transparent);
    m_highlightSeries->setBorderColor(QColor(220, 0, 0));
    m_highlightSeries->setPen(QPen(QColor(220, 0, 0), 3));
    attach(m_highlightSeries);
    hideFromLegend(chart(), m_highlightSeries);

    m_settingRange = false;
    applyTheme();
    applyAutoRange();
}

MetricChart::~MetricChart() = default;

void MetricChart::applyTheme()
{
    // Follows the application's palette (the desktop's, or View > Theme). setTheme() resets the
    // colours of every series, so ours are set again.
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const QChart::ChartTheme theme = dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    if (chart()->theme() != theme) {
        const Qt::Alignment legendAt = chart()->legend()->alignment();
        chart()->setTheme(theme);
        chart()->legend()->setAlignment(legendAt);
    }
    chart()->setBackgroundBrush(palette().color(QPalette::Base));
    chart()->setTitleBrush(palette().color(QPalette::WindowText));
    for (auto& c : m_curves)
        applyPens(*c);
    for (MarkerGroup& g : m_groups) {
        g.series->setColor(g.color);
        g.series->setBorderColor(g.color.darker(150));
    }
    m_highlightSeries->setColor(Qt::transparent);
    m_highlightSeries->setBorderColor(QColor(220, 0, 0));
    m_highlightSeries->setPen(QPen(QColor(220, 0, 0), 3));
}

void MetricChart::applyPens(ChartCurve& c)
{
    QColor faint = c.color;
    if (m_smoothing > 0)
        faint.setAlpha(70);
    c.raw->setPen(QPen(faint, c.width, c.style));
    c.smooth->setPen(QPen(c.color, c.width + 0.5, c.style));
}

bool MetricChart::isDarkTheme() const { return chart()->theme() == QChart::ChartThemeDark; }

void MetricChart::changeEvent(QEvent* event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
}

void MetricChart::setTitle(const QString& title) { chart()->setTitle(title); }

void MetricChart::attach(QXYSeries* series)
{
    chart()->addSeries(series);
    series->attachAxis(m_xAxis);
    series->attachAxis(m_yAxis);
}

void MetricChart::installYAxis(bool log)
{
    QAbstractAxis* old = m_yAxis;
    QAbstractAxis* axis = nullptr;
    if (log) {
        auto* a = new QLogValueAxis(this);
        a->setBase(10.0);
        a->setLabelFormat("%g");
        a->setMinorTickCount(-1);
        connect(a, &QLogValueAxis::rangeChanged, this, &MetricChart::onAxisRangeChanged);
        axis = a;
    } else {
        auto* a = new QValueAxis(this);
        // The range follows the data, so ticks fall on odd values: three significant digits
        // (0.857, not 0.857339) keep the labels readable and the plot area wide.
        a->setLabelFormat("%.3g");
        connect(a, &QValueAxis::rangeChanged, this, &MetricChart::onAxisRangeChanged);
        axis = a;
    }
    const auto series = chart()->series();
    if (old) {
        for (QAbstractSeries* s : series)
            s->detachAxis(old);
        chart()->removeAxis(old);
        old->deleteLater();
    }
    chart()->addAxis(axis, Qt::AlignLeft);
    m_yAxis = axis;
    for (QAbstractSeries* s : series)
        s->attachAxis(axis);
}

void MetricChart::addCurve(const QString& key, const QString& label, const QColor& color, qreal width,
                           bool points, Qt::PenStyle style)
{
    if (m_byKey.contains(key))
        return;
    auto curve = std::make_unique<ChartCurve>();
    curve->key = key;
    curve->color = color;
    curve->width = width;
    curve->style = style;
    curve->raw = new QLineSeries(this);
    curve->raw->setName(label);
    curve->raw->setPointsVisible(points);
    curve->smooth = new QLineSeries(this);
    curve->smooth->setName(label + tr(" (smoothed)"));
    applyPens(*curve);
    curve->smooth->setVisible(false);
    attach(curve->raw);
    attach(curve->smooth);
    hideFromLegend(chart(), curve->smooth);
    connectLegendToggle(curve->raw);
    m_byKey.insert(key, curve.get());
    m_curves.push_back(std::move(curve));
}

bool MetricChart::hasCurve(const QString& key) const { return m_byKey.contains(key); }

void MetricChart::removeCurve(const QString& key)
{
    ChartCurve* c = m_byKey.value(key);
    if (!c)
        return;
    m_byKey.remove(key);
    for (QLineSeries* s : {c->raw, c->smooth}) {
        chart()->removeSeries(s);
        delete s;
    }
    std::erase_if(m_curves, [c](const std::unique_ptr<ChartCurve>& p) { return p.get() == c; });
    scheduleRedraw();
}

void MetricChart::setCurveVisible(const QString& key, bool visible)
{
    ChartCurve* c = m_byKey.value(key);
    if (!c || c->visible == visible)
        return;
    c->visible = visible;
    c->raw->setVisible(c->shown());
    c->smooth->setVisible(c->shown() && m_smoothing > 0);
    hideFromLegend(chart(), c->smooth); // showing a series shows its legend entry again
    for (QLegendMarker* m : chart()->legend()->markers(c->raw))
        m->setVisible(visible && c->inLegend);
    c->dirty = true;
    scheduleRedraw();
}

bool MetricChart::isCurveVisible(const QString& key) const
{
    const ChartCurve* c = m_byKey.value(key);
    return c && c->visible;
}

void MetricChart::setCurveInLegend(const QString& key, bool inLegend)
{
    ChartCurve* c = m_byKey.value(key);
    if (!c)
        return;
    c->inLegend = inLegend;
    for (QLegendMarker* m : chart()->legend()->markers(c->raw))
        m->setVisible(c->visible && inLegend);
}

QStringList MetricChart::curveKeys() const
{
    QStringList keys;
    for (const auto& c : m_curves)
        keys << c->key;
    return keys;
}

void MetricChart::appendPoints(const QString& key, std::span<const double> xs, std::span<const double> ys)
{
    ChartCurve* c = m_byKey.value(key);
    if (!c)
        return;
    c->append(xs, ys);
    scheduleRedraw();
}

void MetricChart::appendPoint(const QString& key, double x, double y)
{
    appendPoints(key, std::span<const double>(&x, 1), std::span<const double>(&y, 1));
}

int MetricChart::addMarker(const QString& group, const QColor& color, QPointF position, const QString& toolTip)
{
    MarkerGroup& g = m_groups[group];
    if (!g.series) {
        g.color = color;
        g.series = new QScatterSeries(this);
        g.series->setName(group);
        g.series->setMarkerShape(QScatterSeries::MarkerShapeCircle);
        g.series->setMarkerSize(kMarkerSize);
        g.series->setColor(color);
        g.series->setBorderColor(color.darker(150));
        attach(g.series);
        connectLegendToggle(g.series);
        connect(g.series, &QScatterSeries::hovered, this,
                [this, group](const QPointF& p, bool state) { onMarkerHovered(group, p, state); });
    }
    const int id = int(m_markers.size());
    const int stack = int(std::count_if(m_markers.begin(), m_markers.end(), [&](const Marker& m) { return m.pos == position; }));
    m_haveStacks = m_haveStacks || stack > 0;
    m_markers.push_back({group, position, toolTip, stack, position});
    g.ids.push_back(id);
    m_markersDirty = true;
    scheduleRedraw();
    return id;
}

void MetricChart::highlightMarker(int id)
{
    m_highlighted = (id >= 0 && id < markerCount()) ? id : -1;
    m_markersDirty = true;
    scheduleRedraw();
}

QString MetricChart::markerToolTip(int id) const
{
    return (id >= 0 && id < markerCount()) ? m_markers[id].toolTip : QString();
}

QPointF MetricChart::markerPosition(int id) const
{
    return (id >= 0 && id < markerCount()) ? m_markers[id].pos : QPointF();
}

int MetricChart::markerStackIndex(int id) const
{
    return (id >= 0 && id < markerCount()) ? m_markers[id].stack : -1;
}

QPointF MetricChart::markerDrawnPosition(int id) const
{
    return (id >= 0 && id < markerCount()) ? m_markers[id].drawn : QPointF();
}

QString MetricChart::markerStackToolTip(int id) const
{
    if (id < 0 || id >= markerCount())
        return {};
    QStringList tips;
    for (const Marker& m : m_markers)
        if (m.pos == m_markers[id].pos)
            tips << m.toolTip;
    return tips.join(QStringLiteral("\n\n"));
}

void MetricChart::updateDrawnMarkers()
{
    // Offsets are in pixels, so they follow the axes: recomputed on every redraw while stacks exist.
    const QRectF area = chart()->plotArea();
    for (Marker& m : m_markers) {
        m.drawn = m.pos;
        if (m.stack == 0 || area.height() <= 0)
            continue;
        if (m_logScale && m.pos.y() <= 0)
            continue;
        const QPointF px = chart()->mapToPosition(m.pos, m_highlightSeries);
        m.drawn = chart()->mapToValue(px - QPointF(0, m.stack * kStackStepPx), m_highlightSeries);
    }
}

void MetricChart::clearData()
{
    for (auto& c : m_curves)
        c->clear();
    m_markers.clear();
    m_haveStacks = false;
    // Marker groups (policies) belong to one run: a new run or project brings its own, with its
    // own colours, and the legend must not keep the policies of earlier runs (issue 14, item 2).
    for (MarkerGroup& g : m_groups) {
        chart()->removeSeries(g.series);
        delete g.series;
    }
    m_groups.clear();
    m_highlighted = -1;
    m_markersDirty = true;
    m_zoomed = false;
    redraw();
}

const std::vector<double>& MetricChart::curveX(const QString& key) const
{
    static const std::vector<double> empty;
    const ChartCurve* c = m_byKey.value(key);
    return c ? c->x : empty;
}

const std::vector<double>& MetricChart::curveY(const QString& key) const
{
    static const std::vector<double> empty;
    const ChartCurve* c = m_byKey.value(key);
    return c ? c->y : empty;
}

QXYSeries* MetricChart::rawSeries(const QString& key) const
{
    const ChartCurve* c = m_byKey.value(key);
    return c ? c->raw : nullptr;
}

QXYSeries* MetricChart::smoothSeries(const QString& key) const
{
    const ChartCurve* c = m_byKey.value(key);
    return c ? c->smooth : nullptr;
}

QScatterSeries* MetricChart::markerSeries(const QString& group) const
{
    auto it = m_groups.constFind(group);
    return it == m_groups.constEnd() ? nullptr : it->series;
}

void MetricChart::setLogScale(bool on)
{
    if (on == m_logScale)
        return;
    m_logScale = on;
    m_settingRange = true;
    installYAxis(on);
    m_settingRange = false;
    m_zoomed = false;
    for (auto& c : m_curves) {
        c->resetDerived();
        c->dirty = true;
    }
    m_markersDirty = true;
    redraw();
}

void MetricChart::setSmoothing(double weight)
{
    weight = std::clamp(weight, 0.0, 0.999);
    if (weight == m_smoothing)
        return;
    m_smoothing = weight;
    for (auto& c : m_curves) {
        applyPens(*c);
        c->resetDerived();
        c->smooth->setVisible(c->shown() && weight > 0);
        hideFromLegend(chart(), c->smooth); // showing a series shows its legend entry again
        c->dirty = true;
    }
    redraw();
}

void MetricChart::resetZoom()
{
    m_zoomed = false;
    for (auto& c : m_curves)
        c->dirty = true;
    redraw();
}

bool MetricChart::exportPng(const QString& path)
{
    redraw();
    return grab().save(path, "PNG");
}

void MetricChart::scheduleRedraw()
{
    if (!m_redrawTimer->isActive())
        m_redrawTimer->start();
}

int MetricChart::plotColumns() const
{
    const int w = int(chart()->plotArea().width());
    return std::max(w, 200);
}

void MetricChart::applyAutoRange()
{
    // Qt Charts rebuilds the geometry of every non-empty series (its path and a stroked hover
    // shape, per point) on each axis range change, and again on replace(). The series redraw()
    // is about to replace are emptied first, so a live update builds each of them once.
    for (auto& c : m_curves)
        if (c->dirty) {
            c->raw->clear();
            c->smooth->clear();
        }
    double xMax = 1.0;
    double yMin = kInf, yMax = -kInf;
    for (const auto& c : m_curves) {
        if (!c->shown())
            continue;
        xMax = std::max(xMax, c->xMax);
        yMin = std::min(yMin, m_logScale ? c->yMinPositive : c->yMin);
        yMax = std::max(yMax, c->yMax);
    }
    for (const Marker& m : m_markers) {
        if (m_logScale && m.pos.y() <= 0)
            continue;
        yMin = std::min(yMin, m.pos.y());
        yMax = std::max(yMax, m.pos.y());
    }
    m_settingRange = true;
    m_xAxis->setRange(0.0, xMax);
    if (m_logScale) {
        if (!(yMin < kInf) || yMax <= 0) {
            yMin = 0.01;
            yMax = 1.0;
        }
        m_yAxis->setRange(yMin / 1.2, yMax * 1.2);
    } else {
        if (!(yMin < kInf)) {
            yMin = 0.0;
            yMax = 1.0;
        }
        const double pad = yMax > yMin ? 0.05 * (yMax - yMin) : std::max(0.05 * std::abs(yMax), 0.05);
        m_yAxis->setRange(yMin - pad, yMax + pad);
    }
    m_settingRange = false;
    applyTicks();
}

void MetricChart::applyTicks()
{
    // Round values (0.2, 0.4, ... not 0.00708, 0.208, ...), whole epochs once there are two.
    const bool was = m_settingRange;
    m_settingRange = true;
    const double xSpan = m_xAxis->max() - m_xAxis->min();
    const double xStep = xSpan >= 2.0 ? std::max(1.0, ticks::niceStep(xSpan, 6)) : ticks::niceStep(xSpan, 4);
    m_xAxis->setTickType(QValueAxis::TicksDynamic);
    m_xAxis->setTickAnchor(0.0);
    m_xAxis->setTickInterval(xStep);
    m_xAxis->setLabelFormat(QStringLiteral("%.%1f").arg(ticks::decimalsFor(xStep)));
    if (auto* log = qobject_cast<QLogValueAxis*>(m_yAxis)) {
        const double base = ticks::logBaseFor(log->min(), log->max());
        if (log->base() != base)
            log->setBase(base);
        log->setLabelFormat(base == 10.0 ? QStringLiteral("%g") : QStringLiteral("%.3g"));
    } else if (auto* axis = qobject_cast<QValueAxis*>(m_yAxis)) {
        const double step = ticks::niceStep(axis->max() - axis->min(), 4);
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0.0);
        axis->setTickInterval(step);
        axis->setLabelFormat(QStringLiteral("%.%1f").arg(ticks::decimalsFor(step)));
    }
    m_settingRange = was;
}

void MetricChart::connectLegendToggle(QAbstractSeries* series)
{
    for (QLegendMarker* m : chart()->legend()->markers(series))
        connect(m, &QLegendMarker::clicked, this, [this, series] { toggleFromLegend(series); });
}

void MetricChart::toggleFromLegend(QAbstractSeries* series)
{
    // The entry stays (dimmed) so that a second click brings the series back.
    bool hidden = false;
    if (auto it = std::find_if(m_curves.begin(), m_curves.end(), [&](const auto& c) { return c->raw == series; });
        it != m_curves.end()) {
        ChartCurve& c = **it;
        c.userHidden = !c.userHidden;
        hidden = c.userHidden;
        c.raw->setVisible(c.shown());
        c.smooth->setVisible(c.shown() && m_smoothing > 0);
        hideFromLegend(chart(), c.smooth);
        c.dirty = true;
    } else {
        series->setVisible(!series->isVisible());
        hidden = !series->isVisible();
    }
    for (QLegendMarker* m : chart()->legend()->markers(series)) {
        m->setVisible(true);
        QColor label = palette().color(QPalette::WindowText);
        label.setAlphaF(hidden ? 0.4 : 1.0);
        m->setLabelBrush(label);
        QBrush brush = m->brush();
        QColor fill = brush.color();
        fill.setAlphaF(hidden ? 0.25 : 1.0);
        brush.setColor(fill);
        m->setBrush(brush);
    }
    scheduleRedraw();
}

bool MetricChart::isHiddenByLegend(const QString& key) const
{
    const ChartCurve* c = m_byKey.value(key);
    return c && c->userHidden;
}

void MetricChart::mouseMoveEvent(QMouseEvent* event)
{
    QChartView::mouseMoveEvent(event);
    if (m_markerHovered)
        return;
    const QPointF pos = event->position();
    if (!chart()->plotArea().contains(pos)) {
        m_readout.clear();
        return;
    }
    const double x = chart()->mapToValue(pos, m_highlightSeries).x();
    // Within three pixels of a point: the batch and epoch points under the pointer.
    const double perPixel = (m_xAxis->max() - m_xAxis->min()) / std::max(1.0, chart()->plotArea().width());
    m_readout = chartReadout(m_curves, x, std::max(3.0 * perPixel, 1e-12));
    if (m_readout.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), m_readout, this);
}

QString MetricChart::readoutAt(double x) const
{
    const double perPixel = (m_xAxis->max() - m_xAxis->min()) / std::max(1.0, chart()->plotArea().width());
    return chartReadout(m_curves, x, std::max(3.0 * perPixel, 1e-12));
}

void MetricChart::onAxisRangeChanged()
{
    if (m_settingRange)
        return;
    applyTicks();
    // The user zoomed (rubber band, wheel, right click): re-decimate for the new x range.
    m_zoomed = true;
    for (auto& c : m_curves)
        c->dirty = true;
    scheduleRedraw();
}

void MetricChart::mouseReleaseEvent(QMouseEvent* event)
{
    // QChartView zooms out on a right click; we treat that as "reset" to our automatic range.
    if (event->button() == Qt::RightButton) {
        event->accept();
        resetZoom();
        return;
    }
    QChartView::mouseReleaseEvent(event);
}

double MetricChart::yAxisMin() const
{
    if (auto* log = qobject_cast<QLogValueAxis*>(m_yAxis))
        return log->min();
    return static_cast<QValueAxis*>(m_yAxis)->min();
}

double MetricChart::yAxisMax() const
{
    if (auto* log = qobject_cast<QLogValueAxis*>(m_yAxis))
        return log->max();
    return static_cast<QValueAxis*>(m_yAxis)->max();
}

void MetricChart::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    // A short chart keeps its plot: the legend goes beside it (issue 14: readable at 1024×700).
    const Qt::Alignment legendAt = height() < 300 && width() > 520 ? Qt::AlignRight : Qt::AlignBottom;
    if (chart()->legend()->alignment() != legendAt)
        chart()->legend()->setAlignment(legendAt);
    if (m_haveStacks) // stack offsets are in pixels
        scheduleRedraw();
}

void MetricChart::redraw()
{
    m_redrawTimer->stop();
    ++m_redraws;
    if (!m_zoomed)
        applyAutoRange();
    const double xMin = m_xAxis->min(), xMax = m_xAxis->max();
    const int columns = plotColumns();

    for (auto& c : m_curves)
        if (c->dirty)
            c->draw(xMin, xMax, columns, m_logScale, m_smoothing);

    if (m_haveStacks) {
        const QList<qreal> frame{xMin, xMax, yAxisMin(), yAxisMax(), chart()->plotArea().width(), chart()->plotArea().height()};
        m_markersDirty = m_markersDirty || frame != m_markerFrame;
        m_markerFrame = frame;
    }
    if (m_markersDirty) {
        m_markersDirty = false;
        updateDrawnMarkers();
        for (MarkerGroup& g : m_groups) {
            QList<QPointF> pts;
            pts.reserve(qsizetype(g.ids.size()));
            for (int id : g.ids)
                if (!m_logScale || m_markers[id].pos.y() > 0)
                    pts.append(m_markers[id].drawn);
            g.series->replace(pts);
        }
        QList<QPointF> hl;
        if (m_highlighted >= 0)
            hl.append(m_markers[m_highlighted].drawn);
        m_highlightSeries->replace(hl);
    }
}

void MetricChart::onMarkerHovered(const QString& group, const QPointF& point, bool state)
{
    m_markerHovered = state;
    if (!state) {
        QToolTip::hideText();
        return;
    }
    const MarkerGroup& g = m_groups[group];
    int best = -1;
    double bestDist = kInf;
    for (int id : g.ids) {
        const QPointF d = m_markers[id].drawn - point;
        const double dist = d.x() * d.x() + d.y() * d.y();
        if (dist < bestDist) {
            bestDist = dist;
            best = id;
        }
    }
    if (best < 0)
        return;
    QToolTip::showText(QCursor::pos(), markerStackToolTip(best), this);
    emit markerHovered(best);
}

} // namespace cklab::ui

#include "moc_MetricChart.cpp"
