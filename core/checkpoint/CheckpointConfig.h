#pragma once
/// Parameters of a ModelCheckpoint policy: Keras' names and defaults (spec §1) plus ours.
#include <optional>
#include <string>
#include <vector>

namespace cklab {

struct CheckpointConfig {
    std::string name = "checkpoint";        ///< ours: shown in events and charts
    std::string filepath;                   ///< Python str.format template (spec §2)
    std::string monitor = "val_loss";
    int verbose = 0;
    bool saveBestOnly = false;
    bool saveWeightsOnly = false;
    std::string mode = "auto";              ///< "auto", "min", "max" (unknown: warning + auto)
    std::string saveFreq = "epoch";         ///< "epoch", "batch" or a positive integer as text
    std::optional<double> initialValueThreshold;
    std::optional<int> maxToKeep;           ///< ours: none = keep all
    bool saveLast = false;                  ///< ours
    bool continueOnError = false;           ///< ours: a failed write stops training unless set
    /// ours: write the optimizer's slots into the file as Keras 3 does (needed for an exact
    /// resume); off = only the model, a third of the size for Adam.
    bool includeOptimizer = true;

    /// Every problem with the exact Keras texts of spec §1 (no key prefix; callers add one).
    std::vector<std::string> validate() const;
    /// Non-fatal remarks (unknown mode -> auto), exact Keras text.
    std::vector<std::string> warnings() const;
    /// 0 for "epoch", else the number of batches between save attempts ("batch" = 1).
    /// Precondition: validate() is empty.
    int saveFreqBatches() const;
    /// Problems with the keys the run will produce (spec §1, last rule): a `filepath` field or a
    /// best-only `monitor` that is not among `epochKeys` (epoch-level saves) / `batchKeys`
    /// (batch-level saves). Messages name the key and what is available. When every name is
    /// known, the template is also formatted with a sample value per key, and a formatting error
    /// (`{epoch:02q}`) is reported with formatPath's text.
    std::vector<std::string> checkKeys(const std::vector<std::string>& epochKeys,
                                       const std::vector<std::string>& batchKeys) const;
};

} // namespace cklab
