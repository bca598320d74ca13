// ChartCurve: a MetricChart curve's history, running ranges and incremental decimation/EMA.
#include "ui/plots/ChartCurve.h"

#include <QLineSeries>
#include <algorithm>
#include <cmath>

#include "ui/plots/Decimator.h"

namespace cklab::ui {

void ChartCurve::append(std::span<const double> xs, std::span<const double> ys)
{
    const std::size_t n = std::min(xs.size(), ys.size());
    for (std::size_t i = 0; i < n; ++i) {
        x.push_back(xs[i]);
        y.push_back(ys[i]);
        if (!std::isfinite(xs[i]) || !std::isfinite(ys[i]))
            continue;
        xMax = std::max(xMax, xs[i]);
        yMin = std::min(yMin, ys[i]);
        yMax = std::max(yMax, ys[i]);
        if (ys[i] > 0)
            yMinPositive = std::min(yMinPositive, ys[i]);
    }
    dirty = true;
}

void ChartCurve::clear()
{
    x.clear();
    y.clear();
    xMax = -kInf;
    yMin = yMinPositive = kInf;
    yMax = -kInf;
    m_blocks.clear();
    resetDerived();
    dirty = true;
}

void ChartCurve::resetDerived()
{
    m_posX.clear();
    m_posY.clear();
    m_posDone = 0;
    m_smoothY.clear();
    m_emaSum = 0.0;
    m_emaDebias = 1.0;
    m_posBlocks.clear();
}

void ChartCurve::extendPositive()
{
    for (; m_posDone < x.size(); ++m_posDone)
        if (y[m_posDone] > 0) {
            m_posX.push_back(x[m_posDone]);
            m_posY.push_back(y[m_posDone]);
        }
}

/// The same arithmetic as smoothEma(), continued from where the last call stopped.
void ChartCurve::extendSmooth(std::span<const double> ys, double weight)
{
    for (std::size_t i = m_smoothY.size(); i < ys.size(); ++i) {
        double v = ys[i];
        if (std::isfinite(v)) {
            m_emaSum = weight * m_emaSum + (1.0 - weight) * v;
            m_emaDebias *= weight;
            v = m_emaSum / (1.0 - m_emaDebias);
        }
        m_smoothY.push_back(v);
    }
}

void ChartCurve::draw(double fromX, double toX, int columns, bool logScale, double smoothing)
{
    dirty = false;
    std::span<const double> xs = x, ys = y;
    MinMaxBlocks* blocks = &m_blocks;
    if (logScale) { // positive values only
        extendPositive();
        xs = m_posX;
        ys = m_posY;
        blocks = &m_posBlocks;
    }
    blocks->extend(xs, ys);
    raw->replace(decimateMinMax(xs, ys, fromX, toX, columns, blocks));
    if (smoothing > 0) {
        extendSmooth(ys, smoothing);
        // The smoothed curve is a trend line: one point per pixel column (its EMA at the
        // column's last point) instead of a min/max pair halves what Qt Charts strokes and
        // needs no pass over the history; the faint raw curve keeps every spike.
        smooth->replace(decimateLastPerColumn(xs, m_smoothY, fromX, toX, columns));
    } else if (smooth->count() > 0) {
        smooth->clear();
    }
}

} // namespace cklab::ui
