#pragma once
/// Settings of EarlyStopping (spec §8), as stored in a project's "training.early_stopping".
#include <optional>
#include <string>

namespace cklab {

struct EarlyStoppingConfig {
    bool enabled = false;
    std::string monitor = "val_loss";
    double minDelta = 0.0;
    int patience = 0;
    int verbose = 0;
    std::string mode = "auto";
    std::optional<double> baseline;
    bool restoreBestWeights = false;
    int startFromEpoch = 0;
};

} // namespace cklab
