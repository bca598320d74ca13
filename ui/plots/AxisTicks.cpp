#include "ui/plots/AxisTicks.h"

#include <algorithm>
#include <cmath>

namespace cklab::ui::ticks {

double niceStep(double span, int target)
{
    if (!(span > 0) || !std::isfinite(span))
        return 1.0;
    const double raw = span / std::max(target, 1);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double norm = raw / magnitude;
    const double factor = norm < 1.5 ? 1.0 : norm < 3.0 ? 2.0 : norm < 7.0 ? 5.0 : 10.0;
    return factor * magnitude;
}

int decimalsFor(double step)
{
    if (!(step > 0) || !std::isfinite(step))
        return 0;
    // Steps are 1, 2 or 5 × 10^k: 10^k needs -k digits, 2.5-style steps never occur.
    const int k = int(std::floor(std::log10(step) + 1e-9));
    return std::clamp(-k, 0, 12);
}

double logBaseFor(double lo, double hi)
{
    if (!(lo > 0) || !(hi > lo))
        return 10.0;
    const double ratio = hi / lo;
    // Powers of the base inside [lo, hi]: at least floor(log_base(ratio)) of them.
    if (ratio >= 1000.0)
        return 10.0;
    if (ratio >= 8.0)
        return 2.0;
    return std::max(1.01, std::pow(ratio, 1.0 / 3.5)); // three labels over a flat curve
}

} // namespace cklab::ui::ticks
