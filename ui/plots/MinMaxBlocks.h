#pragma once
/// Summaries of a growing curve for decimateMinMax(): for every block of kBlock consecutive
/// points, the index of the first minimum and of the first maximum among its points with finite
/// x and y. A decimation then visits whole blocks instead of their points. Kept up to date by
/// extend() as points are appended (only the last, partial block is looked at again).
#include <cstddef>
#include <span>
#include <vector>

namespace cklab::ui {

class MinMaxBlocks {
public:
    static constexpr std::size_t kBlock = 64;
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

    void clear();
    /// Brings the summaries up to date with (x, y), which only grew since the last call or clear().
    void extend(std::span<const double> x, std::span<const double> y);
    /// Number of points summarised.
    std::size_t points() const { return m_points; }
    /// Index of the first minimum / maximum of block `b`, kNone if it has no finite point.
    std::size_t minIndex(std::size_t b) const { return m_min[b]; }
    std::size_t maxIndex(std::size_t b) const { return m_max[b]; }

private:
    std::vector<std::size_t> m_min, m_max;
    std::size_t m_points = 0;
};

} // namespace cklab::ui
