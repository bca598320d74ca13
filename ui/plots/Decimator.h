#pragma once
/// Min/max-per-pixel decimation of a curve for drawing (pure function, no chart involved).
#include <QList>
#include <QPointF>
#include <span>

namespace cklab::ui {

class MinMaxBlocks;

/// Reduces the points (x[i], y[i]) with x ascending to what `columns` pixel columns over
/// [xMin, xMax] can show: for every column the minimum and the maximum point, in the order
/// they occur, so a one-sample spike survives.
/// Points with a non-finite x or y are dropped. The nearest point on each side of the range is
/// kept so the line runs to the plot's edge. If everything fits (<= 2 * columns points in
/// range) the points are returned unchanged. Result size <= 2 * columns + 2.
/// `blocks`, if given and summarising exactly these n points, gives the same result without a
/// pass over every point (a search per column, then whole blocks).
QList<QPointF> decimateMinMax(std::span<const double> x, std::span<const double> y,
                              double xMin, double xMax, int columns, const MinMaxBlocks* blocks = nullptr);

/// For a curve that is smooth at pixel scale (an EMA): one point per pixel column over
/// [xMin, xMax], the last point with finite x and y of that column (columns are the ones of
/// decimateMinMax). Found by a search per column, so the cost grows with `columns`, not with the
/// number of points. The nearest finite point on each side of the range is kept; if no more than
/// `columns` points are in range they are returned unchanged. Result size <= columns + 2.
QList<QPointF> decimateLastPerColumn(std::span<const double> x, std::span<const double> y,
                                     double xMin, double xMax, int columns);

} // namespace cklab::ui
