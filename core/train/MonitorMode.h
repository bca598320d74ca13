#pragma once
/// Direction of a monitored metric (spec §3), shared by ModelCheckpoint and EarlyStopping.
#include <optional>
#include <string>

namespace cklab {

enum class MonitorMode { Min, Max };

/// Direction implied by a metric name after stripping one leading "val_"; nullopt if unknown.
std::optional<MonitorMode> modeForMetricName(const std::string& monitor);

struct ModeResolution {
    std::optional<MonitorMode> mode;  ///< none when `error` is set
    std::string warning;              ///< unknown mode text (resolution fell back to auto)
    std::string error;                ///< auto could not be resolved
};

/// `mode` is "min", "max", "auto" or anything else (warning, then auto). `callbackName` is
/// "ModelCheckpoint" or "EarlyStopping": the texts are those of the matching Keras callback.
ModeResolution resolveMonitorMode(const std::string& callbackName, const std::string& mode, const std::string& monitor);

/// True if `current` is strictly better than `reference` (NaN is never better).
inline bool isImprovement(MonitorMode mode, double current, double reference)
{
    return mode == MonitorMode::Min ? current < reference : current > reference;
}

} // namespace cklab
