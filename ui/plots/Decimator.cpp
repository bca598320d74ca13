#include "ui/plots/Decimator.h"

#include <algorithm>
#include <cmath>

namespace cklab {

namespace {
bool finite(double x, double y) { return std::isfinite(x) && std::isfinite(y); }
} // namespace

QList<QPointF> decimateMinMax(std::span<const double> x, std::span<const double> y,
                              double xMin, double xMax, int columns)
{
    const std::size_t n = std::min(x.size(), y.size());
    QList<QPointF> out;
    if (n == 0 || columns <= 0 || !(xMax >= xMin))
        return out;

    // Visible index range [first, last): x ascending, so binary search.
    const auto begin = x.begin();
    std::size_t first = std::lower_bound(begin, begin + n, xMin) - begin;
    std::size_t last = std::upper_bound(begin, begin + n, xMax) - begin;

    // One point beyond each edge keeps the line running to the border when zoomed in.
    std::size_t before = first;
    while (before > 0 && !finite(x[before - 1], y[before - 1]))
        --before;
    if (before > 0 && before <= first) {
        out.append(QPointF(x[before - 1], y[before - 1]));
    }

    if (last - first <= std::size_t(2) * columns) {
        for (std::size_t i = first; i < last; ++i)
            if (finite(x[i], y[i]))
                out.append(QPointF(x[i], y[i]));
    } else {
        // One pass, one multiply per point: this loop runs over every visible point on every
        // redraw, so it must stay a few ns per point (1 M points in ~2 ms).
        const double scale = columns / (xMax > xMin ? (xMax - xMin) : 1.0);
        const int lastColumn = columns - 1;
        auto flush = [&](std::size_t iMin, std::size_t iMax) {
            const std::size_t a = std::min(iMin, iMax), b = std::max(iMin, iMax);
            out.append(QPointF(x[a], y[a]));
            if (b != a)
                out.append(QPointF(x[b], y[b]));
        };
        int col = -1;
        std::size_t lo = 0, hi = 0; // indices of the column's min and max
        for (std::size_t i = first; i < last; ++i) {
            const double yi = y[i];
            if (!finite(x[i], yi))
                continue;
            // x[i] >= xMin here, so truncation is floor; x == xMax belongs to the last column.
            const int c = std::min(int((x[i] - xMin) * scale), lastColumn);
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

    std::size_t after = last;
    while (after < n && !finite(x[after], y[after]))
        ++after;
    if (after < n)
        out.append(QPointF(x[after], y[after]));
    return out;
}

} // namespace cklab
