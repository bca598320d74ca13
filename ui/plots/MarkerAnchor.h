#pragma once
/// Where a save's marker sits: exactly on the point of the curve it saved. A batch-level save
/// sits on the batch curve of its monitored key at its (epoch, batch); an epoch-level save on the
/// epoch curve at its epoch. When the monitored key is not in those logs (a periodic save
/// monitoring val_loss, which batches do not log), the marker sits on the loss curve's point.
/// The point may not have reached the history yet (the checkpoint callback runs before the
/// history is fed): then there is no anchor yet and the caller asks again when it arrives.
#include <QString>
#include <optional>

namespace cklab {
struct CheckpointEvent;
} // namespace cklab

namespace cklab::ui {

class RunHistory;

struct MarkerAnchor {
    QString logKey;      ///< the key of the curve the marker sits on ("loss", "val_accuracy", ...)
    QString curveKey;    ///< that curve on the charts: "<logKey>/batch" or "<logKey>/epoch"
    double x = 0.0;
    double y = 0.0;
};

/// The point `event` saved, or none while that point is not in `history`.
std::optional<MarkerAnchor> markerAnchor(const RunHistory& history, const CheckpointEvent& event);

} // namespace cklab::ui
