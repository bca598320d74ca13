#include "ui/plots/ChartPanel.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QVBoxLayout>
#include <QXYSeries>
#include <algorithm>
#include <cmath>
#include <map>

#include "ui/plots/MarkerAnchor.h"
#include "ui/plots/MetricChart.h"
#include "ui/plots/Palette.h"
#include "ui/session/RunHistory.h"

namespace cklab::ui {

namespace {
QString baseKey(const QString& key) { return key.startsWith(QLatin1String("val_")) ? key.mid(4) : key; }
} // namespace

ChartPanel::ChartPanel(QWidget* parent)
    : QWidget(parent)
    , m_exportPath([this] {
        return QFileDialog::getSaveFileName(this, tr("Export charts"), QString(), tr("PNG image (*.png)"));
    })
{
    m_lossChart = new MetricChart(this);
    m_lossChart->setObjectName(QStringLiteral("lossChart"));
    m_lossChart->setTitle(tr("Loss"));
    m_accuracyChart = new MetricChart(this);
    m_accuracyChart->setObjectName(QStringLiteral("accuracyChart"));
    m_accuracyChart->setTitle(tr("Accuracy"));

    m_logCheck = new QCheckBox(tr("Log scale"), this);
    m_logCheck->setObjectName(QStringLiteral("logScaleCheck"));
    m_logCheck->setToolTip(tr("Logarithmic y axis for the loss chart"));
    m_smoothSlider = new QSlider(Qt::Horizontal, this);
    m_smoothSlider->setObjectName(QStringLiteral("smoothingSlider"));
    m_smoothSlider->setRange(0, 99);
    m_smoothSlider->setMaximumWidth(160);
    m_smoothSlider->setToolTip(tr("Exponential moving average of the curves (0 = off); the raw curve stays faint behind"));
    auto* smoothLabel = new QLabel(tr("Smoothing: 0.00"), this);
    auto* resetButton = new QPushButton(tr("Reset zoom"), this);
    resetButton->setObjectName(QStringLiteral("resetZoomButton"));
    resetButton->setToolTip(tr("Back to the full range (drag a rectangle on a chart to zoom, right-click to reset)"));
    auto* exportButton = new QPushButton(tr("Export PNG…"), this);
    exportButton->setObjectName(QStringLiteral("exportPngButton"));
    exportButton->setToolTip(tr("Save both charts as one PNG image"));

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_logCheck);
    bar->addWidget(smoothLabel);
    bar->addWidget(m_smoothSlider);
    bar->addWidget(resetButton);
    bar->addWidget(exportButton);
    bar->addStretch();

    auto* splitter = new QSplitter(Qt::Vertical, this);
    // Below this the axis labels turn into "…" (legends grow with policies and overlaid runs).
    m_lossChart->setMinimumHeight(190);
    m_accuracyChart->setMinimumHeight(170);
    splitter->addWidget(m_lossChart);
    splitter->addWidget(m_accuracyChart);
    m_chartArea = splitter;

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);

    connect(m_logCheck, &QCheckBox::toggled, this, &ChartPanel::setLogScale);
    connect(m_smoothSlider, &QSlider::valueChanged, this, [this, smoothLabel](int v) {
        smoothLabel->setText(tr("Smoothing: %1").arg(v / 100.0, 0, 'f', 2));
        m_lossChart->setSmoothing(v / 100.0);
        m_accuracyChart->setSmoothing(v / 100.0);
    });
    connect(resetButton, &QPushButton::clicked, this, &ChartPanel::resetZoom);
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = m_exportPath ? m_exportPath() : QString();
        if (!path.isEmpty())
            exportPng(path);
    });
}

void ChartPanel::setExportPathProvider(ExportPathProvider provider) { m_exportPath = std::move(provider); }

MetricChart* ChartPanel::chartFor(const QString& key) const
{
    return baseKey(key).contains(QLatin1String("acc")) ? m_accuracyChart : m_lossChart;
}

QPair<MetricChart*, int> ChartPanel::markerOf(int eventIndex) const
{
    return m_markers.value(eventIndex, {nullptr, -1});
}

void ChartPanel::setHistory(RunHistory* history)
{
    if (m_history)
        disconnect(m_history, nullptr, this, nullptr);
    m_history = history;
    if (history) {
        connect(history, &RunHistory::cleared, this, &ChartPanel::rebuild);
        connect(history, &RunHistory::batchesAppended, this, &ChartPanel::onBatchesAppended);
        connect(history, &RunHistory::epochAppended, this, &ChartPanel::onEpochAppended);
        connect(history, &RunHistory::eventAppended, this, &ChartPanel::onEventAppended);
    }
    rebuild();
}

void ChartPanel::rebuild()
{
    // The live run's curves and their colours are the run's own: drop those of an earlier run or
    // project (overlays stay and are redrawn below).
    for (MetricChart* chart : {m_lossChart, m_accuracyChart})
        for (const QString& key : chart->curveKeys())
            if (!isOverlayKey(key))
                chart->removeCurve(key);
    m_keyColor.clear();
    m_lossChart->clearData();
    m_accuracyChart->clearData();
    m_markers.clear();
    m_pendingMarkers.clear();
    for (const OverlayRun& run : m_overlays) // clearData() emptied their curves too
        drawOverlay(run);
    if (!m_history)
        return;
    onBatchesAppended(0, int(m_history->batchCount()));
    for (int i = 0; i < int(m_history->epochs().size()); ++i)
        onEpochAppended(i);
    for (int i = 0; i < int(m_history->events().size()); ++i)
        onEventAppended(i);
}

// ---- overlaid runs --------------------------------------------------------------------------

namespace {
constexpr QLatin1StringView kOverlayPrefix("run:");
}

QString ChartPanel::overlayKey(const QString& id, const QString& logKey)
{
    return kOverlayPrefix + id + QLatin1Char('/') + logKey;
}

bool ChartPanel::isOverlayKey(const QString& key) { return key.startsWith(kOverlayPrefix); }

void ChartPanel::setOverlay(const OverlayRun& run)
{
    removeOverlay(run.id);
    m_overlays.push_back(run);
    m_overlayVisible.insert(run.id, true);
    drawOverlay(m_overlays.back());
}

void ChartPanel::drawOverlay(const OverlayRun& run)
{
    // One legend entry per run and chart (its first curve there); solid/dashed tells the keys apart.
    QHash<MetricChart*, bool> labelled;
    std::map<QString, std::pair<std::vector<double>, std::vector<double>>> columns;
    for (const auto& [epoch, logs] : run.epochs)
        for (const auto& [k, v] : logs) {
            auto& col = columns[QString::fromStdString(k)];
            col.first.push_back(epochX(epoch));
            col.second.push_back(v);
        }
    const bool visible = m_overlayVisible.value(run.id, true);
    for (const auto& [key, col] : columns) {
        MetricChart* chart = chartFor(key);
        const QString curve = overlayKey(run.id, key);
        const bool val = key.startsWith(QLatin1String("val_"));
        chart->addCurve(curve, QStringLiteral("%1 %2").arg(run.label, key), run.color, 1.6, true,
                        val ? Qt::DashLine : Qt::SolidLine);
        chart->appendPoints(curve, col.first, col.second);
        chart->setCurveInLegend(curve, !labelled.value(chart));
        chart->setCurveVisible(curve, visible);
        if (!labelled.value(chart))
            chart->rawSeries(curve)->setName(run.label);
        labelled.insert(chart, true);
    }
}

void ChartPanel::removeOverlay(const QString& id)
{
    const auto it = std::find_if(m_overlays.begin(), m_overlays.end(), [&](const OverlayRun& r) { return r.id == id; });
    if (it == m_overlays.end())
        return;
    const QString prefix = overlayKey(id, QString());
    for (MetricChart* chart : {m_lossChart, m_accuracyChart})
        for (const QString& key : chart->curveKeys())
            if (key.startsWith(prefix))
                chart->removeCurve(key);
    m_overlays.erase(it);
    m_overlayVisible.remove(id);
}

void ChartPanel::setOverlayVisible(const QString& id, bool visible)
{
    if (!m_overlayVisible.contains(id))
        return;
    m_overlayVisible.insert(id, visible);
    const QString prefix = overlayKey(id, QString());
    for (MetricChart* chart : {m_lossChart, m_accuracyChart})
        for (const QString& key : chart->curveKeys())
            if (key.startsWith(prefix))
                chart->setCurveVisible(key, visible);
}

bool ChartPanel::isOverlayVisible(const QString& id) const { return m_overlayVisible.value(id, false); }

QStringList ChartPanel::overlayIds() const
{
    QStringList ids;
    for (const OverlayRun& r : m_overlays)
        ids << r.id;
    return ids;
}

const OverlayRun* ChartPanel::overlay(const QString& id) const
{
    for (const OverlayRun& r : m_overlays)
        if (r.id == id)
            return &r;
    return nullptr;
}

void ChartPanel::ensureCurve(const QString& key, bool batch)
{
    MetricChart* chart = chartFor(key);
    const QString curve = key + QLatin1String(batch ? "/batch" : "/epoch");
    if (chart->hasCurve(curve))
        return;
    const QString base = baseKey(key);
    if (!m_keyColor.contains(base)) {
        int n = 0;
        for (auto it = m_keyColor.cbegin(); it != m_keyColor.cend(); ++it)
            n += chartFor(it.key()) == chart;
        m_keyColor.insert(base, n % 4);
    }
    const int c = m_keyColor.value(base);
    const bool val = key.startsWith(QLatin1String("val_"));
    const QColor color = val ? palette::validationCurveColor(c) : palette::trainingCurveColor(c);
    // Only the curve that gets data is created: a legend lists what is drawn (no "val_loss
    // (batch)" in a run whose batches log no val_loss).
    QColor light = color;
    light.setAlpha(110);
    if (batch)
        chart->addCurve(curve, key + tr(" (batch)"), light, 1.0, false);
    else
        chart->addCurve(curve, key, color, 2.0, true);
}

void ChartPanel::onBatchesAppended(int first, int count)
{
    if (!m_history || count <= 0)
        return;
    const BatchTable& table = m_history->batchTable();
    const std::size_t begin = std::size_t(first), end = std::min(table.size(), std::size_t(first) + std::size_t(count));
    if (begin >= end)
        return;
    const int steps = m_history->info().stepsPerEpoch;
    std::vector<double> xs(end - begin);
    for (std::size_t i = begin; i < end; ++i)
        xs[i - begin] = batchX(table.epochs()[i], table.batches()[i], steps);
    // Keys in sorted order, so curves (and their colours) come in the same order in every run.
    std::vector<const BatchTable::Column*> columns;
    for (const BatchTable::Column& c : table.columns())
        columns.push_back(&c);
    std::sort(columns.begin(), columns.end(), [](const auto* a, const auto* b) { return a->key < b->key; });
    std::vector<double> someX, someY;
    for (const BatchTable::Column* c : columns) {
        std::span<const double> x = xs, y(c->values.data() + begin, end - begin);
        if (!c->present.empty()) { // only the rows that have the key
            someX.clear();
            someY.clear();
            for (std::size_t i = begin; i < end; ++i)
                if (c->has(i)) {
                    someX.push_back(xs[i - begin]);
                    someY.push_back(c->values[i]);
                }
            if (someX.empty())
                continue;
            x = someX;
            y = someY;
        }
        const QString key = QString::fromStdString(c->key);
        ensureCurve(key, true);
        chartFor(key)->appendPoints(key + QLatin1String("/batch"), x, y);
    }
    placePendingMarkers();
}

void ChartPanel::onEpochAppended(int index)
{
    if (!m_history || index < 0 || index >= int(m_history->epochs().size()))
        return;
    const EpochPoint& p = m_history->epochs()[std::size_t(index)];
    for (const auto& [k, v] : p.logs) {
        const QString key = QString::fromStdString(k);
        ensureCurve(key, false);
        chartFor(key)->appendPoint(key + QLatin1String("/epoch"), epochX(p.epoch), v);
    }
    placePendingMarkers();
}

QColor ChartPanel::policyColor(const QString& policy) const
{
    return palette::policyColor(m_history ? m_history->policyIndex(policy) : 0);
}

void ChartPanel::onEventAppended(int index)
{
    if (!m_history || index < 0 || index >= int(m_history->events().size()))
        return;
    if (m_history->events()[std::size_t(index)].event.action != CheckpointAction::Save)
        return;
    // The checkpoint callback runs before the history gets the point it saved: the marker waits
    // for its point, then sits exactly on it (issue 14, item 3).
    if (!placeMarker(index))
        m_pendingMarkers.push_back(index);
}

void ChartPanel::placePendingMarkers()
{
    std::erase_if(m_pendingMarkers, [this](int index) { return placeMarker(index); });
}

bool ChartPanel::placeMarker(int index)
{
    const CheckpointEvent& e = m_history->events()[std::size_t(index)].event;
    const std::optional<MarkerAnchor> anchor = markerAnchor(*m_history, e);
    if (!anchor)
        return false;
    MetricChart* chart = chartFor(anchor->logKey);
    if (!chart->hasCurve(anchor->curveKey))
        return false;
    const QString monitor = QString::fromStdString(e.monitor);
    const QString policy = QString::fromStdString(e.policy);
    QString tip = tr("%1\n%2").arg(policy, QString::fromStdString(e.path));
    if (e.value)
        tip += tr("\n%1 = %2").arg(monitor).arg(*e.value, 0, 'g', 6);
    else if (anchor->logKey != monitor)
        tip += tr("\n%1 not in the %2 logs: shown on %3").arg(monitor, e.batch ? tr("batch") : tr("epoch"), anchor->logKey);
    tip += tr("\nepoch %1").arg(e.epoch + 1);
    if (e.batch)
        tip += tr(", batch %1").arg(*e.batch + 1);
    tip += tr(", %1 bytes").arg(e.bytes);
    const int id = chart->addMarker(policy, policyColor(policy), QPointF(anchor->x, anchor->y), tip);
    m_markers.insert(index, {chart, id});
    return true;
}

void ChartPanel::highlightEvent(int eventIndex)
{
    const auto [chart, id] = markerOf(eventIndex);
    m_lossChart->highlightMarker(chart == m_lossChart ? id : -1);
    m_accuracyChart->highlightMarker(chart == m_accuracyChart ? id : -1);
}

void ChartPanel::setLogScale(bool on)
{
    if (m_logCheck->isChecked() != on)
        m_logCheck->setChecked(on); // re-enters through toggled
    else
        m_lossChart->setLogScale(on);
}

void ChartPanel::setSmoothing(double weight)
{
    m_smoothSlider->setValue(int(std::lround(weight * 100)));
}

void ChartPanel::resetZoom()
{
    m_lossChart->resetZoom();
    m_accuracyChart->resetZoom();
}

bool ChartPanel::exportPng(const QString& path)
{
    m_lossChart->redraw();
    m_accuracyChart->redraw();
    return m_chartArea->grab().save(path, "PNG");
}

} // namespace cklab::ui

#include "moc_ChartPanel.cpp"
