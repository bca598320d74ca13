#include "ui/session/RunTypes.h"

namespace cklab::ui {

void registerRunMetaTypes()
{
    qRegisterMetaType<BatchPoint>();
    qRegisterMetaType<EpochPoint>();
    qRegisterMetaType<TrainingProgress>();
    qRegisterMetaType<CheckpointEvent>();
    qRegisterMetaType<RunInfo>();
    qRegisterMetaType<TrainResult>();
}

} // namespace cklab::ui
