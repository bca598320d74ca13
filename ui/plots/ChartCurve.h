#pragma once
/// One curve of a MetricChart: its full history, running ranges, the derived data a redraw
/// extends instead of recomputing (points with y > 0 for the log scale, the EMA, decimation
/// summaries) and the two series it is drawn into. GUI thread only.
#include <QColor>
#include <QString>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "ui/plots/MinMaxBlocks.h"

class QLineSeries;

namespace cklab::ui {

struct ChartCurve {
    static constexpr double kInf = std::numeric_limits<double>::infinity();

    QString key;
    QColor color;
    qreal width = 1.5;
    Qt::PenStyle style = Qt::SolidLine;
    bool visible = true;
    bool inLegend = true;
    bool userHidden = false;       // hidden by a click on its legend entry (the entry stays)
    QLineSeries* raw = nullptr;    // owned by the chart
    QLineSeries* smooth = nullptr; // owned by the chart
    std::vector<double> x, y;
    // Running ranges of finite values; yMinPositive for the log axis.
    double xMax = -kInf, yMin = kInf, yMax = -kInf, yMinPositive = kInf;
    bool dirty = false;

    bool shown() const { return visible && !userHidden; }
    /// Appends to the history (x ascending) and widens the running ranges; marks the curve dirty.
    void append(std::span<const double> xs, std::span<const double> ys);
    /// Forgets the history and everything derived from it; marks the curve dirty.
    void clear();
    /// Forgets what is derived from x, y for drawing (after a change of scale or smoothing).
    void resetDerived();
    /// Replaces the points of `raw` (min/max decimated) and of `smooth` (EMA of weight
    /// `smoothing`, 0 = off: emptied) for `columns` pixel columns over [fromX, toX]; on the
    /// log scale only points with y > 0 are drawn. Clears `dirty`.
    void draw(double fromX, double toX, int columns, bool logScale, double smoothing);

private:
    // Derived from x, y and extended as points arrive, so a redraw of a long run costs one
    // decimation pass instead of a copy and an EMA over the whole history (resetDerived()).
    std::vector<double> m_posX, m_posY; // the points with y > 0 (log scale)
    std::size_t m_posDone = 0;          // x/y points already looked at for m_posX/m_posY
    std::vector<double> m_smoothY;      // EMA of the drawn y (y, or m_posY on the log scale)
    double m_emaSum = 0.0, m_emaDebias = 1.0;
    MinMaxBlocks m_blocks, m_posBlocks; // decimation summaries of x/y and of m_posX/m_posY

    void extendPositive();
    void extendSmooth(std::span<const double> ys, double weight);
};

} // namespace cklab::ui
