#include "ui/plots/Decimator.h"

#include "ui/plots/MinMaxBlocks.h"

#include <algorithm>
#include <cmath>

namespace cklab::ui {

namespace {
bool finite(double x, double y) { return std::isfinite(x) && std::isfinite(y); }

/// Indices [first, last) of the points with xMin <= x <= xMax (x ascending: binary search).
std::pair<std::size_t, std::size_t> visibleRange(std::span<const double> x, std::size_t n, double xMin, double xMax)
{
    const auto begin = x.begin();
    return {std::size_t(std::lower_bound(begin, begin + n, xMin) - begin),
            std::size_t(std::upper_bound(begin, begin + n, xMax) - begin)};
}

// One point beyond each edge keeps the line running to the border when zoomed in.
void appendBefore(QList<QPointF>& out, std::span<const double> x, std::span<const double> y, std::size_t first)
{
    while (first > 0 && !finite(x[first - 1], y[first - 1]))
        --first;
    if (first > 0)
        out.append(QPointF(x[first - 1], y[first - 1]));
}

void appendAfter(QList<QPointF>& out, std::span<const double> x, std::span<const double> y, std::size_t last,
                 std::size_t n)
{
    while (last < n && !finite(x[last], y[last]))
        ++last;
    if (last < n)
        out.append(QPointF(x[last], y[last]));
}

void appendAll(QList<QPointF>& out, std::span<const double> x, std::span<const double> y, std::size_t first,
               std::size_t last)
{
    for (std::size_t i = first; i < last; ++i)
        if (finite(x[i], y[i]))
            out.append(QPointF(x[i], y[i]));
}

/// Pixel columns over [xMin, xMax]: column(x) = floor((x - xMin) * scale), x == xMax in the last.
struct Columns {
    double xMin, scale;
    int last;
    Columns(double lo, double hi, int columns)
        : xMin(lo), scale(columns / (hi > lo ? (hi - lo) : 1.0)), last(columns - 1)
    {
    }
    // x >= xMin here, so truncation is floor.
    int of(double x) const { return std::min(int((x - xMin) * scale), last); }
    /// The first index in (i, end] past column c = of(x[i]): a gallop from i, then a binary
    /// search, so it reads memory near i. Written as a comparison (no cast) so it holds for any x.
    std::size_t columnEnd(std::span<const double> x, std::size_t i, std::size_t end, int c) const
    {
        if (c == last)
            return end;
        const double bound = c + 1.0;
        auto inColumn = [&](double xi) { return (xi - xMin) * scale < bound; };
        std::size_t lo = i + 1, step = 1, hi = std::min(end, i + 1);
        while (hi < end && inColumn(x[hi])) {
            lo = hi + 1;
            step *= 2;
            hi = std::min(end, i + step);
        }
        return std::size_t(std::partition_point(x.begin() + lo, x.begin() + hi, inColumn) - x.begin());
    }
    /// visit(begin, end) for each run of points in one column within [first, last), in order;
    /// points whose x is not finite start no run.
    template <class Visit>
    void forEachColumn(std::span<const double> x, std::size_t first, std::size_t last, const Visit& visit) const
    {
        std::size_t i = first;
        while (i < last) {
            if (!std::isfinite(x[i])) {
                ++i;
                continue;
            }
            const std::size_t end = columnEnd(x, i, last, of(x[i]));
            visit(i, end);
            i = std::max(end, i + 1);
        }
    }
};

void appendMinMax(QList<QPointF>& out, std::span<const double> x, std::span<const double> y, std::size_t iMin,
                  std::size_t iMax)
{
    const std::size_t a = std::min(iMin, iMax), b = std::max(iMin, iMax);
    out.append(QPointF(x[a], y[a]));
    if (b != a)
        out.append(QPointF(x[b], y[b]));
}

/// decimateMinMax's columns from block summaries: the same points, without a pass over all of them.
void minMaxByBlocks(QList<QPointF>& out, std::span<const double> x, std::span<const double> y, std::size_t first,
                    std::size_t last, const Columns& grid, const MinMaxBlocks& blocks)
{
    constexpr std::size_t B = MinMaxBlocks::kBlock, none = MinMaxBlocks::kNone;
    grid.forEachColumn(x, first, last, [&](std::size_t i, std::size_t end) {
        std::size_t lo = none, hi = none;
        // Candidates in index order; strict comparisons keep the first minimum and maximum.
        auto take = [&](std::size_t cMin, std::size_t cMax) {
            if (cMin == none)
                return;
            if (lo == none) {
                lo = cMin;
                hi = cMax;
                return;
            }
            if (y[cMin] < y[lo])
                lo = cMin;
            if (y[cMax] > y[hi])
                hi = cMax;
        };
        auto takePoint = [&](std::size_t k) {
            if (finite(x[k], y[k]))
                take(k, k);
        };
        std::size_t k = i;
        for (; k < end && k % B != 0; ++k)
            takePoint(k);
        for (; k + B <= end; k += B)
            take(blocks.minIndex(k / B), blocks.maxIndex(k / B));
        for (; k < end; ++k)
            takePoint(k);
        if (lo != none)
            appendMinMax(out, x, y, lo, hi);
    });
}
} // namespace

QList<QPointF> decimateMinMax(std::span<const double> x, std::span<const double> y,
                              double xMin, double xMax, int columns, const MinMaxBlocks* blocks)
{
    const std::size_t n = std::min(x.size(), y.size());
    QList<QPointF> out;
    if (n == 0 || columns <= 0 || !(xMax >= xMin))
        return out;
    const auto [first, last] = visibleRange(x, n, xMin, xMax);
    appendBefore(out, x, y, first);

    if (last - first <= std::size_t(2) * columns) {
        appendAll(out, x, y, first, last);
    } else if (blocks && blocks->points() == n) {
        minMaxByBlocks(out, x, y, first, last, Columns(xMin, xMax, columns), *blocks);
    } else {
        // One pass, one multiply per point: this loop runs over every visible point on every
        // redraw, so it must stay a few ns per point (1 M points in ~2 ms).
        const Columns grid(xMin, xMax, columns);
        auto flush = [&](std::size_t iMin, std::size_t iMax) { appendMinMax(out, x, y, iMin, iMax); };
        int col = -1;
        std::size_t lo = 0, hi = 0; // indices of the column's min and max
        for (std::size_t i = first; i < last; ++i) {
            const double yi = y[i];
            if (!finite(x[i], yi))
                continue;
            const int c = grid.of(x[i]);
            if (c != col) {
                if (col >= 0)
                    flush(lo, hi);
                col = c;
                lo = hi = i;
            } else if (yi < y[lo]) {
                lo = i;
            } else if (yi > y[hi]) {
                hi = i;
            }
        }
        if (col >= 0)
            flush(lo, hi);
    }

    appendAfter(out, x, y, last, n);
    return out;
}

QList<QPointF> decimateLastPerColumn(std::span<const double> x, std::span<const double> y,
                                     double xMin, double xMax, int columns)
{
    const std::size_t n = std::min(x.size(), y.size());
    QList<QPointF> out;
    if (n == 0 || columns <= 0 || !(xMax >= xMin))
        return out;
    const auto [first, last] = visibleRange(x, n, xMin, xMax);
    appendBefore(out, x, y, first);

    if (last - first <= std::size_t(columns)) {
        appendAll(out, x, y, first, last);
    } else {
        // A search per column instead of a pass over every point: a long run's smoothed curve
        // costs about the same as a short one's.
        Columns(xMin, xMax, columns).forEachColumn(x, first, last, [&](std::size_t i, std::size_t end) {
            for (std::size_t k = end; k > i; --k)
                if (finite(x[k - 1], y[k - 1])) {
                    out.append(QPointF(x[k - 1], y[k - 1]));
                    break;
                }
        });
    }

    appendAfter(out, x, y, last, n);
    return out;
}

} // namespace cklab::ui
