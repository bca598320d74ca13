#pragma once
/// How much memory a run will take, estimated before it starts, and the limit it must stay
/// under (issue 16 item 8): a project with 1e9 features or units used to be accepted and then
/// end in a bare std::bad_alloc, or take the machine's memory. The estimate is deliberately
/// generic — parameter counts and per-layer output widths of the ModelSpec — so a new layer
/// kind only has to say its output width in layerOutputWidths().
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/project/Project.h"

namespace cklab {

/// Bytes, each part for float32 values.
struct MemoryEstimate {
    double parameters = 0;   ///< the model's variables
    double optimizer = 0;    ///< slot variables (Adam: 2 per variable, SGD with momentum: 1, ...)
    double gradients = 0;    ///< one gradient per variable
    double checkpoints = 0;  ///< the in-memory image a save builds (variables + slots)
    double activations = 0;  ///< one batch through every layer: value, pre-activation, gradient
    double data = 0;         ///< the data set (features + target), training and validation
    double total() const { return parameters + optimizer + gradients + checkpoints + activations + data; }
};

/// Output width of every layer of `spec` in order (Dense: units; Dropout: its input's).
std::vector<double> layerOutputWidths(const ModelSpec& spec);

/// The estimate for `spec` with `samples` rows of `features` values and a target of
/// `targetWidth`, trained with `optimizer` in batches of `batchSize` (0 = all rows).
MemoryEstimate estimateMemory(const ModelSpec& spec, const OptimizerConfig& optimizer, double samples,
                              double features, double targetWidth, int batchSize);
/// The estimate from the project alone: the data size is known for generators (samples x
/// features); for files it is counted once the data is loaded (ProjectRun checks again).
MemoryEstimate estimateProjectMemory(const Project& project);

/// Bytes of physical memory of this machine (0 if unknown).
double physicalMemoryBytes();

/// The limit: environment variable CKLAB_MEMORY_LIMIT — bytes with an optional K, M, G or T
/// (binary) suffix ("8G"), or a share of physical memory ("75%"); default 50 % of physical
/// memory, no limit if that is unknown. `describe` receives how the limit was set
/// ("50 % of this machine's 23.4 GiB"). A malformed variable is a problem of its own.
struct MemoryLimit {
    std::optional<double> bytes;
    std::string origin;
    std::string problem; ///< non-empty when CKLAB_MEMORY_LIMIT could not be read
};
MemoryLimit memoryLimit();

/// The JSON path a memory problem is shown at: "data" when the data set is the largest part,
/// else "model".
std::string memoryProblemKey(const MemoryEstimate& estimate);

/// "model: this run needs about 9.3 GiB of memory (...), more than the limit of 11.7 GiB (...)"
/// (key from memoryProblemKey), the limit's own problem ("CKLAB_MEMORY_LIMIT: ..."), or nullopt
/// when it fits.
std::optional<std::string> memoryProblem(const MemoryEstimate& estimate, const MemoryLimit& limit);

/// "1.5 GiB", "320.0 MiB", "12 bytes" (C locale).
std::string bytesText(double bytes);

} // namespace cklab
