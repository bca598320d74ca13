#pragma once
/// The run of this session as a RunRecord: the GUI's RunHistory (every batch and epoch point and
/// checkpoint event, as the policies saw them) turned back into the hook sequence the Trainer made.
#include <vector>

#include "core/compare/RunRecord.h"
#include "core/train/Trainer.h"
#include "ui/session/BatchTable.h"

namespace cklab::ui {

class RunHistory;

/// What a run record is made of, copied out of a RunHistory (GUI thread, a few ms for 200 000
/// batches), so that a pool thread can build and save the record while the GUI goes on.
struct SessionRunData {
    int stepsPerEpoch = 0;
    BatchTable batches;
    std::vector<EpochPoint> epochs;
    std::vector<CheckpointEvent> events;
};

SessionRunData sessionRunData(const RunHistory& history);

/// `result` gives the stop reason and the train-end logs (the last finished epoch's logs).
/// Any thread.
RunRecord runRecordFromData(const SessionRunData& data, const Project& project, const TrainResult& result);
/// runRecordFromData(sessionRunData(history), ...). GUI thread.
RunRecord runRecordFromHistory(const RunHistory& history, const Project& project, const TrainResult& result);

} // namespace cklab::ui
