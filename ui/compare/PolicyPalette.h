#pragma once
/// Colours of checkpoint policies, by position in the project's policy list. The same eight
/// colours in the same order as the policy markers of ui/plots/ChartPanel, so a policy looks the
/// same on the charts, the event log and the comparison view.
#include <QColor>

namespace cklab {

inline QColor policyColor(int index)
{
    static const QColor colors[] = {QColor(214, 39, 40),  QColor(44, 160, 44),  QColor(148, 103, 189),
                                    QColor(23, 190, 207), QColor(255, 127, 14), QColor(140, 86, 75),
                                    QColor(227, 119, 194), QColor(127, 127, 127)};
    return colors[(index < 0 ? 0 : index) % 8];
}

} // namespace cklab
