#include "core/train/MonitorMode.h"

#include <array>
#include <string_view>

namespace cklab {

namespace {

bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

} // namespace

std::optional<MonitorMode> modeForMetricName(const std::string& monitor)
{
    std::string_view name = monitor;
    if (name.substr(0, 4) == "val_")
        name.remove_prefix(4);

    constexpr std::array<std::string_view, 5> minNames{"loss", "mse", "mae", "mean_squared_error", "mean_absolute_error"};
    for (auto n : minNames) {
        if (name == n)
            return MonitorMode::Min;
    }
    if (endsWith(name, "_loss") || endsWith(name, "crossentropy") || endsWith(name, "_error"))
        return MonitorMode::Min;

    constexpr std::array<std::string_view, 9> maxNames{"accuracy", "acc", "categorical_accuracy", "binary_accuracy",
        "sparse_categorical_accuracy", "auc", "precision", "recall", "f1_score"};
    for (auto n : maxNames) {
        if (name == n)
            return MonitorMode::Max;
    }
    // top_k_categorical_accuracy and friends: Keras gives them direction "up" too.
    if (endsWith(name, "_accuracy"))
        return MonitorMode::Max;
    return std::nullopt;
}

ModeResolution resolveMonitorMode(const std::string& callbackName, const std::string& mode, const std::string& monitor)
{
    ModeResolution r;
    if (mode == "min") {
        r.mode = MonitorMode::Min;
        return r;
    }
    if (mode == "max") {
        r.mode = MonitorMode::Max;
        return r;
    }
    const bool isCheckpoint = callbackName == "ModelCheckpoint";
    if (mode != "auto") {
        r.warning = isCheckpoint ? "ModelCheckpoint mode '" + mode + "' is unknown, fallback to auto mode."
                                 : callbackName + " mode " + mode + " is unknown, fallback to auto mode.";
    }
    r.mode = modeForMetricName(monitor);
    if (!r.mode) {
        const std::string purpose = isCheckpoint ? "monitor based on" : "do early stopping based on";
        r.error = callbackName + " callback received monitor=" + monitor
            + (isCheckpoint ? ", but" : " but")
            + " Keras isn't able to automatically determine whether that metric should be maximized or "
              "minimized. Pass `mode='max'` in order to "
            + purpose + " the highest metric value, or pass `mode='min'` in order to use the lowest value.";
    }
    return r;
}

} // namespace cklab
