#pragma once
/// Axis ticks at round values: a step of 1, 2 or 5 times a power of ten giving about `target`
/// intervals over a span, the decimals its labels need, and a log axis base that gives several
/// labels over the range (10 over three decades or more, 2 down to a factor of 8, finer below).
namespace cklab::ui::ticks {

/// 1, 2 or 5 × 10^k, close to span / target; span > 0.
double niceStep(double span, int target = 5);
/// Digits after the point that label multiples of `step` exactly (0.25 -> 2, 5 -> 0).
int decimalsFor(double step);
/// A log axis base for [lo, hi] (0 < lo < hi): at least about three labels.
double logBaseFor(double lo, double hi);

} // namespace cklab::ui::ticks
