#pragma once
/// The one palette of CheckpointLab. Policies take their colour from their position in the
/// project's policy list, so a policy looks the same on the charts, in the event log, on the
/// comparison timeline and in its table. Overlaid runs take theirs from the run's id, so a run
/// keeps its colour across redraws, sessions and reopening. Metric curves of the live run have
/// their own (training, validation) pairs.
#include <QColor>
#include <QString>

namespace cklab::ui::palette {

/// Colour of the policy at `index` in the project's policy list (wraps after 8).
QColor policyColor(int index);
/// Stable colour of a recorded run: "run-NNN" takes colour N (consecutive runs differ), any other
/// id a fixed hash of its text (the same in every process, unlike qHash).
QColor runColor(const QString& runId);
/// Training and validation colours of the `index`-th metric drawn on one chart.
QColor trainingCurveColor(int index);
QColor validationCurveColor(int index);
/// Colours of the monitored curves under the comparison timeline.
QColor monitorCurveColor(int index);
/// Number of distinct policy / run colours before they repeat.
constexpr int kPolicyColors = 8;
constexpr int kRunColors = 8;

} // namespace cklab::ui::palette
