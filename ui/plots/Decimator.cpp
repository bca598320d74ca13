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
        const double width = xMax > xMin ? (xMax - xMin) : 1.0;
        std::size_t i = first;
        while (i < last) {
            // Column of point i; gather every point of that column.
            int col = int(std::floor((x[i] - xMin) / width * columns));
            col = std::clamp(col, 0, columns - 1);
            std::size_t lo = i, hi = i;   // indices of min and max
            bool any = false;
            std::size_t j = i;
            for (; j < last; ++j) {
                int c = int(std::floor((x[j] - xMin) / width * columns));
                if (std::clamp(c, 0, columns - 1) != col)
                    break;
                if (!finite(x[j], y[j]))
                    continue;
                if (!any) {
                    lo = hi = j;
                    any = true;
                } else {
                    if (y[j] < y[lo]) lo = j;
                    if (y[j] > y[hi]) hi = j;
                }
            }
            if (any) {
                const std::size_t a = std::min(lo, hi), b = std::max(lo, hi);
                out.append(QPointF(x[a], y[a]));
                if (b != a)
                    out.append(QPointF(x[b], y[b]));
            }
            i = j;
        }
    }

    std::size_t after = last;
    while (after < n && !finite(x[after], y[after]))
        ++after;
    if (after < n)
        out.append(QPointF(x[after], y[after]));
    return out;
}

} // namespace cklab
