#pragma once
/// How a run ended, in the words the status bar and the comparison use (issue 14: a stopped run
/// is never reported as finished). One place for the texts of every StopReason.
#include <QString>
#include <string>

#include "core/train/Trainer.h"

namespace cklab::ui {

/// "Completed", "Stopped by you", "Stopped at epoch end", "Stopped early (EarlyStopping)", ...
QString runEndText(StopReason reason);
/// The same for a recorded run's stop_reason name ("requested", ...); empty name: empty text.
QString runEndText(const std::string& stopReasonName);
/// Whether the run trained every planned epoch.
inline bool runCompleted(StopReason reason) { return reason == StopReason::Completed; }

} // namespace cklab::ui
