#pragma once
/// Value types that cross from the training thread to the UI thread (queued signals).
/// Nothing here points into a core object: every field is a copy.
#include <QMetaType>
#include <QString>
#include <functional>
#include <variant>

#include "core/checkpoint/CheckpointEvent.h"
#include "core/project/ProjectRun.h"
#include "core/model/Logs.h"
#include "core/train/Trainer.h"

namespace cklab::ui {

/// One training batch end: running means since the epoch began (spec §7).
struct BatchPoint {
    int epoch = 0;              ///< 0-based
    int batch = 0;              ///< 0-based within the epoch
    long long globalStep = 0;   ///< 1-based count of batches trained in this run
    Logs logs;
};

/// One epoch end: the epoch's means plus val_* keys on validated epochs.
struct EpochPoint {
    int epoch = 0;              ///< 0-based
    Logs logs;
    double elapsedSeconds = 0.0; ///< wall time since the run started
};

/// Status-bar numbers, recomputed on every drain of the batch buffer.
struct TrainingProgress {
    int epoch = 0;              ///< 0-based epoch of the latest batch
    int epochs = 0;
    int batch = 0;              ///< 1-based batches done in that epoch
    int stepsPerEpoch = 0;
    long long globalStep = 0;
    long long totalSteps = 0;
    double samplesPerSecond = 0.0;
    double secondsLeft = -1.0;  ///< < 0: unknown
    bool paused = false;
};

/// X coordinate of a point on the charts, in epochs: batch b of epoch e sits at e + (b + 1) / steps,
/// the end of epoch e at e + 1.
inline double batchX(int epoch, int batch, int stepsPerEpoch)
{
    return epoch + (stepsPerEpoch > 0 ? double(batch + 1) / stepsPerEpoch : 1.0);
}
inline double epochX(int epoch) { return epoch + 1.0; }

/// A console line of the run (checkpoint messages, early stopping, warnings).
struct RunMessage {
    QString line;
};

/// The run could not be built (invalid project, unreadable data) or threw.
struct RunFailure {
    QString message;
};

/// One thing the run on the worker thread reported, as a value: trainBegin (RunInfo), a batch
/// end, an epoch end, a checkpoint decision, a message, the result (TrainResult) or a failure.
/// TrainingWorker queues these in order in its mutex-protected mailbox; TrainingController takes
/// them out on the UI thread.
using RunEvent = std::variant<RunInfo, BatchPoint, EpochPoint, CheckpointEvent, RunMessage, TrainResult, RunFailure>;

/// Stands in for ProjectRun in benchmarks and load tests: makes a run's RunObserver calls
/// (trainBegin, batchEnd, epochEnd, checkpointEvent, message) on the worker thread, exactly as
/// ProjectRun::run() would, and returns the run's result. It should poll `stopRequested` between
/// batches and return early when it turns true. See TrainingController::startSource().
using RunSource = std::function<TrainResult(RunObserver& observer, const std::function<bool()>& stopRequested)>;

/// Registers every type above (and CheckpointEvent, RunInfo, TrainResult) for queued connections.
/// Idempotent; called by TrainingController's constructor.
void registerRunMetaTypes();

} // namespace cklab::ui

Q_DECLARE_METATYPE(cklab::ui::BatchPoint)
Q_DECLARE_METATYPE(cklab::ui::EpochPoint)
Q_DECLARE_METATYPE(cklab::ui::TrainingProgress)
Q_DECLARE_METATYPE(cklab::CheckpointEvent)
Q_DECLARE_METATYPE(cklab::RunInfo)
Q_DECLARE_METATYPE(cklab::TrainResult)
