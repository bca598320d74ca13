#include "ui/plots/MinMaxBlocks.h"

#include <algorithm>
#include <cmath>

namespace cklab::ui {

void MinMaxBlocks::clear()
{
    m_min.clear();
    m_max.clear();
    m_points = 0;
}

void MinMaxBlocks::extend(std::span<const double> x, std::span<const double> y)
{
    const std::size_t n = std::min(x.size(), y.size());
    if (n <= m_points)
        return;
    // The last block may have been partial: it is summarised again from its start.
    std::size_t b = m_points / kBlock;
    m_min.resize(b);
    m_max.resize(b);
    for (; b * kBlock < n; ++b) {
        std::size_t lo = kNone, hi = kNone;
        for (std::size_t i = b * kBlock, end = std::min(n, i + kBlock); i < end; ++i) {
            if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
                continue;
            if (lo == kNone) {
                lo = hi = i;
            } else if (y[i] < y[lo]) {
                lo = i;
            } else if (y[i] > y[hi]) {
                hi = i;
            }
        }
        m_min.push_back(lo);
        m_max.push_back(hi);
    }
    m_points = n;
}

} // namespace cklab::ui
