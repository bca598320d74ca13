#pragma once
/// The run of this session as a RunRecord: the GUI's RunHistory (every batch and epoch point and
/// checkpoint event, as the policies saw them) turned back into the hook sequence the Trainer made.
#include "core/compare/RunRecord.h"
#include "core/train/Trainer.h"

namespace cklab {

class RunHistory;

/// `result` gives the stop reason and the train-end logs (the last finished epoch's logs).
RunRecord runRecordFromHistory(const RunHistory& history, const Project& project, const TrainResult& result);

} // namespace cklab
