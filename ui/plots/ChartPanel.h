#pragma once
/// The live charts of a run: a loss chart (loss and every non-accuracy metric) and an accuracy
/// chart, each with training and validation curves per batch (thin) and per epoch (with points),
/// fed from a RunHistory; checkpoint saves as markers coloured per policy. Toolbar: log scale
/// (loss chart), smoothing, reset zoom, export PNG. Finished runs can be overlaid (OverlayRun):
/// their epoch curves in the run's colour, one legend entry per run and chart, toggled on and off
/// without touching the live curves.
/// Object names: "lossChart", "accuracyChart", "logScaleCheck", "smoothingSlider",
/// "resetZoomButton", "exportPngButton".
/// Curve keys on the charts: "<log key>/batch" and "<log key>/epoch" (e.g. "val_loss/epoch");
/// overlaid runs: "run:<run id>/<log key>" (overlayKey()).
#include <QHash>
#include <QPair>
#include <QStringList>
#include <QWidget>
#include <functional>
#include <vector>

#include "ui/plots/RunOverlay.h"

class QCheckBox;
class QSlider;

namespace cklab::ui {

class MetricChart;
class RunHistory;

class ChartPanel : public QWidget {
    Q_OBJECT
public:
    /// Asked for the PNG file name on export; empty = cancelled. Default: a QFileDialog.
    using ExportPathProvider = std::function<QString()>;

    explicit ChartPanel(QWidget* parent = nullptr);

    /// Draws `history` (everything it already holds) and follows it.
    void setHistory(RunHistory* history);
    void setExportPathProvider(ExportPathProvider provider);

    MetricChart* lossChart() const { return m_lossChart; }
    MetricChart* accuracyChart() const { return m_accuracyChart; }
    /// The chart that shows log key `key` ("val_accuracy" -> accuracy chart).
    MetricChart* chartFor(const QString& key) const;
    /// The chart and marker id of history event `eventIndex`, or {nullptr, -1} (not a save).
    QPair<MetricChart*, int> markerOf(int eventIndex) const;

    /// Draws `run` over the live curves (replaces an overlay with the same id); visible.
    void setOverlay(const OverlayRun& run);
    void removeOverlay(const QString& id);
    void setOverlayVisible(const QString& id, bool visible);
    bool isOverlayVisible(const QString& id) const;
    /// Ids of the overlaid runs, in the order they were added.
    QStringList overlayIds() const;
    const OverlayRun* overlay(const QString& id) const;
    static QString overlayKey(const QString& id, const QString& logKey);
    /// Whether a curve key is an overlaid run's (made by overlayKey()).
    static bool isOverlayKey(const QString& key);

public slots:
    /// Emphasises the marker of history event `eventIndex` (-1: none).
    void highlightEvent(int eventIndex);
    void setLogScale(bool on);
    /// EMA weight in [0, 1); 0 = off.
    void setSmoothing(double weight);
    void resetZoom();
    /// Renders both charts into one PNG; false on failure.
    bool exportPng(const QString& path);

private:
    void rebuild();
    void onBatchesAppended(int first, int count);
    void onEpochAppended(int index);
    void onEventAppended(int index);
    /// Adds the marker of save event `index` on the point it saved; false while that point is
    /// not in the history yet.
    bool placeMarker(int index);
    void placePendingMarkers();
    void ensureCurve(const QString& key, bool batch);
    void drawOverlay(const OverlayRun& run);
    QColor policyColor(const QString& policy) const;

    RunHistory* m_history = nullptr;
    MetricChart* m_lossChart = nullptr;
    MetricChart* m_accuracyChart = nullptr;
    QWidget* m_chartArea = nullptr;
    QCheckBox* m_logCheck = nullptr;
    QSlider* m_smoothSlider = nullptr;
    QHash<int, QPair<MetricChart*, int>> m_markers;
    std::vector<int> m_pendingMarkers;   // save events whose point has not arrived yet
    std::vector<OverlayRun> m_overlays;
    QHash<QString, bool> m_overlayVisible;
    QHash<QString, int> m_keyColor;
    ExportPathProvider m_exportPath;
};

} // namespace cklab::ui
