#pragma once
/// The hover readout of a chart: at the step under the pointer, the value of every visible curve
/// that has a point there ("loss (batch): 0.4123"). Curves are searched by x (ascending).
#include <QString>
#include <memory>
#include <vector>

namespace cklab::ui {

struct ChartCurve;

/// Text for x position `x`: a header line with the epoch, then one line per shown curve whose
/// nearest point lies within `tolerance` of x, as "<label>: <value>". Empty if no curve has one.
QString chartReadout(const std::vector<std::unique_ptr<ChartCurve>>& curves, double x, double tolerance);

} // namespace cklab::ui
