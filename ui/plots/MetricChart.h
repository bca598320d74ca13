#pragma once
/// A live metric chart: named curves whose full history lives in our own arrays, drawn
/// decimated (min/max per pixel column, see Decimator.h) with one QXYSeries::replace() per
/// curve per redraw; checkpoint markers per group (policy) with tooltips; log scale, EMA
/// smoothing with the raw curve faint behind it, rubber-band zoom, reset and PNG export.
/// Appending data never redraws directly: it schedules one coalesced redraw (<= ~30 per second).
/// GUI thread only.
#include <QChartView>
#include <QColor>
#include <QHash>
#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <memory>
#include <span>
#include <vector>

class QAbstractAxis;
class QAbstractSeries;
class QLineSeries;
class QScatterSeries;
class QTimer;
class QValueAxis;
class QXYSeries;

namespace cklab::ui {

struct ChartCurve;

class MetricChart : public QChartView {
    Q_OBJECT
public:
    explicit MetricChart(QWidget* parent = nullptr);
    ~MetricChart() override;

    void setTitle(const QString& title);

    /// Creates the curve `key` (no-op if it exists). `points`: draw point markers (epoch curves).
    void addCurve(const QString& key, const QString& label, const QColor& color, qreal width = 1.5,
                  bool points = false, Qt::PenStyle style = Qt::SolidLine);
    bool hasCurve(const QString& key) const;
    /// Deletes the curve `key` and its history (no-op if unknown).
    void removeCurve(const QString& key);
    /// A hidden curve is neither drawn, nor in the legend, nor in the automatic range.
    void setCurveVisible(const QString& key, bool visible);
    bool isCurveVisible(const QString& key) const;
    /// Whether the curve has an entry in the legend (while visible). Default: yes.
    void setCurveInLegend(const QString& key, bool inLegend);
    /// Keys of all curves, in the order they were added.
    QStringList curveKeys() const;
    /// Appends to the history of `key` (x ascending); schedules a redraw. Unknown key: ignored.
    void appendPoints(const QString& key, std::span<const double> xs, std::span<const double> ys);
    void appendPoint(const QString& key, double x, double y);

    /// Adds a marker of `group` (e.g. a checkpoint policy); returns its id (0, 1, 2, ...).
    int addMarker(const QString& group, const QColor& color, QPointF position, const QString& toolTip);
    /// Emphasises one marker (-1: none).
    void highlightMarker(int id);
    int highlightedMarker() const { return m_highlighted; }
    int markerCount() const { return int(m_markers.size()); }
    QString markerToolTip(int id) const;
    /// The data point the marker belongs to (where it was added).
    QPointF markerPosition(int id) const;
    /// Markers added at the same point are stacked: the first sits on the point, the n-th
    /// (stack index n) n marker heights above it, so every one stays visible.
    int markerStackIndex(int id) const;
    /// Where the marker is drawn, in data coordinates (its point, or above it when stacked).
    QPointF markerDrawnPosition(int id) const;
    /// The tooltips of every marker at this marker's point (what hovering any of them shows).
    QString markerStackToolTip(int id) const;

    /// Removes all data and markers (curves stay defined).
    void clearData();

    bool logScale() const { return m_logScale; }
    double smoothing() const { return m_smoothing; }
    bool isZoomed() const { return m_zoomed; }

    // Introspection (tests, export): the full history and what is currently drawn.
    const std::vector<double>& curveX(const QString& key) const;
    const std::vector<double>& curveY(const QString& key) const;
    QXYSeries* rawSeries(const QString& key) const;
    QXYSeries* smoothSeries(const QString& key) const;
    QScatterSeries* markerSeries(const QString& group) const;
    /// Whether the user hid the curve by clicking its legend entry (the entry stays, dimmed).
    bool isHiddenByLegend(const QString& key) const;
    /// The hover readout at x (what the tooltip shows with the pointer there); see ChartReadout.h.
    QString readoutAt(double x) const;
    /// Shows or hides a curve or marker group as a click on its legend entry does.
    void toggleFromLegend(QAbstractSeries* series);
    /// Whether the chart is drawn dark (the application's palette is dark).
    bool isDarkTheme() const;
    int redrawCount() const { return m_redraws; }

public slots:
    /// y axis logarithmic (base 10); values <= 0 are not drawn while it is on.
    void setLogScale(bool on);
    /// EMA weight in [0, 1) (TensorBoard style, debiased); 0 = off. The raw curve stays, faint.
    void setSmoothing(double weight);
    /// Back to the automatic ranges after a rubber-band zoom.
    void resetZoom();
    /// Renders the chart to a PNG file; false on failure.
    bool exportPng(const QString& path);
    /// Redraws now (normally called by the coalescing timer).
    void redraw();

signals:
    /// The pointer rests on marker `id` (its tooltip is shown).
    void markerHovered(int id);

protected:
    void mouseReleaseEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Marker {
        QString group;
        QPointF pos;
        QString toolTip;
        int stack = 0;        // markers added at `pos` before this one
        QPointF drawn;        // pos, moved up by `stack` marker heights (updateDrawnMarkers())
    };
    struct MarkerGroup {
        QScatterSeries* series = nullptr;
        QColor color;
        std::vector<int> ids;
    };

    void scheduleRedraw();
    void attach(QXYSeries* series);
    void installYAxis(bool log);
    void applyAutoRange();
    void onAxisRangeChanged();
    void onMarkerHovered(const QString& group, const QPointF& point, bool state);
    int plotColumns() const;
    void updateDrawnMarkers();
    void applyTicks();
    void applyTheme();
    void applyPens(ChartCurve& c);
    void connectLegendToggle(QAbstractSeries* series);
    double yAxisMin() const;
    double yAxisMax() const;

    std::vector<std::unique_ptr<ChartCurve>> m_curves;
    QHash<QString, ChartCurve*> m_byKey;
    std::vector<Marker> m_markers;
    QHash<QString, MarkerGroup> m_groups;
    QScatterSeries* m_highlightSeries = nullptr;
    QValueAxis* m_xAxis = nullptr;
    QAbstractAxis* m_yAxis = nullptr;
    QTimer* m_redrawTimer = nullptr;
    int m_highlighted = -1;
    bool m_logScale = false;
    double m_smoothing = 0.0;
    bool m_zoomed = false;
    bool m_settingRange = false;
    bool m_markersDirty = false;
    bool m_haveStacks = false;
    bool m_markerHovered = false;   // a marker's tooltip is up: no readout over it
    QString m_readout;
    QList<qreal> m_markerFrame;   // axis ranges and plot size the stacked markers were placed for
    int m_redraws = 0;
};

/// EMA with debiasing, as TensorBoard smooths: s_t = w s_{t-1} + (1 - w) y_t, divided by 1 - w^t.
/// Non-finite values are passed through without entering the average.
std::vector<double> smoothEma(std::span<const double> y, double weight);

} // namespace cklab::ui
