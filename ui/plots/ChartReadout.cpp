#include "ui/plots/ChartReadout.h"

#include <QCoreApplication>
#include <QLineSeries>
#include <QStringList>
#include <algorithm>
#include <cmath>

#include "ui/plots/ChartCurve.h"

namespace cklab::ui {

QString chartReadout(const std::vector<std::unique_ptr<ChartCurve>>& curves, double x, double tolerance)
{
    QStringList lines;
    double shownX = std::nan("");
    for (const auto& c : curves) {
        if (!c->visible || c->userHidden || c->x.empty())
            continue;
        const auto it = std::lower_bound(c->x.begin(), c->x.end(), x);
        std::size_t i = std::size_t(it - c->x.begin());
        if (i == c->x.size() || (i > 0 && x - c->x[i - 1] < c->x[i] - x))
            i = i == 0 ? 0 : i - 1;
        if (std::abs(c->x[i] - x) > tolerance || !std::isfinite(c->y[i]))
            continue;
        if (std::isnan(shownX))
            shownX = c->x[i];
        lines << QStringLiteral("%1: %2").arg(c->raw->name()).arg(c->y[i], 0, 'g', 5);
    }
    if (lines.isEmpty())
        return {};
    lines.prepend(QCoreApplication::translate("MetricChart", "epoch %1").arg(shownX, 0, 'g', 5));
    return lines.join(QLatin1Char('\n'));
}

} // namespace cklab::ui
