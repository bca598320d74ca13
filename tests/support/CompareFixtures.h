#pragma once
// A small real project with three checkpoint policies for the comparison tests (core and UI):
// the shipped two-moons comparison example, shortened to a few epochs of a smaller data set.
#include <string>

#include "core/project/Project.h"
#include "core/project/ProjectJson.h"

namespace cklab::test {

inline Project smallComparisonProject()
{
    Project p = loadProjectFile(std::string(CKLAB_SOURCE_DIR) + "/resources/examples/compare_policies.json");
    p.training.epochs = 6;
    p.training.csvLogger.enabled = false;
    p.data.samples = 160;               // 120 training samples -> 4 batches of 32 per epoch
    p.checkpoints.resize(3);
    p.checkpoints[0].maxToKeep = 2;     // every epoch, keep 2
    p.checkpoints[1].verbose = 0;       // best val_loss, one file
    p.checkpoints[2] = CheckpointConfig{};
    p.checkpoints[2].name = "every_5_batches";
    p.checkpoints[2].filepath = "batches/e{epoch:02d}-b{batch:02d}.weights.h5";
    p.checkpoints[2].monitor = "loss";
    p.checkpoints[2].saveWeightsOnly = true;
    p.checkpoints[2].saveFreq = "5";
    p.checkpoints[2].maxToKeep = 3;
    p.checkpoints[2].saveLast = true;
    return p;
}

} // namespace cklab::test
