#include "core/checkpoint/CheckpointConfig.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "core/train/MonitorMode.h"
#include "core/train/PathTemplate.h"

namespace cklab {

namespace {

bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "12" -> 12, "-3" -> -3; anything else (including "5.0", " 5") -> nullopt.
std::optional<long long> parseInteger(const std::string& text)
{
    std::string_view digits = text;
    const bool negative = !digits.empty() && digits.front() == '-';
    if (negative)
        digits.remove_prefix(1);
    if (digits.empty() || digits.size() > 12
        || !std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        return std::nullopt;
    const long long value = std::stoll(std::string(digits));
    return negative ? -value : value;
}

std::string joinKeys(const std::vector<std::string>& keys)
{
    std::string out;
    for (const auto& k : keys)
        out += (out.empty() ? "" : ", ") + k;
    return out.empty() ? "none" : out;
}

} // namespace

std::vector<std::string> CheckpointConfig::validate() const
{
    std::vector<std::string> problems;
    if (saveWeightsOnly && !endsWith(filepath, ".weights.h5")) {
        problems.push_back("When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must end in "
                           "`.weights.h5` (Keras weights format). Received: filepath="
            + filepath);
    }
    if (!saveWeightsOnly && !endsWith(filepath, ".keras") && !endsWith(filepath, ".h5")) {
        problems.push_back("The filepath provided must end in `.keras` (Keras model format). Received: filepath=" + filepath);
    }
    if (saveFreq != "epoch" && saveFreq != "batch") {
        const auto n = parseInteger(saveFreq);
        if (!n) {
            problems.push_back("Unrecognized save_freq: " + saveFreq + ". Expected save_freq are 'epoch' or integer values");
        } else if (*n <= 0) {
            problems.push_back("save_freq must be 'epoch', 'batch' or a positive integer number of batches. Received: save_freq="
                + saveFreq);
        } else if (*n > 2147483647LL) {
            problems.push_back("save_freq is too large: at most 2147483647 batches. Received: save_freq=" + saveFreq);
        }
    }
    const auto mode = resolveMonitorMode("ModelCheckpoint", this->mode, monitor);
    if (!mode.error.empty())
        problems.push_back(mode.error);
    if (maxToKeep && *maxToKeep < 1) {
        problems.push_back("max_to_keep must be at least 1 (leave it unset to keep every file). Received: max_to_keep="
            + std::to_string(*maxToKeep));
    }
    return problems;
}

std::vector<std::string> CheckpointConfig::warnings() const
{
    const auto mode = resolveMonitorMode("ModelCheckpoint", this->mode, monitor);
    if (mode.warning.empty())
        return {};
    return {mode.warning};
}

int CheckpointConfig::saveFreqBatches() const
{
    if (saveFreq == "epoch")
        return 0;
    if (saveFreq == "batch")
        return 1;
    const auto n = parseInteger(saveFreq);
    return n && *n > 0 ? static_cast<int>(*n) : 0;
}

std::vector<std::string> CheckpointConfig::checkKeys(const std::vector<std::string>& epochKeys,
                                                     const std::vector<std::string>& batchKeys) const
{
    const bool batchLevel = saveFreqBatches() > 0;
    std::vector<std::string> keys = batchLevel ? batchKeys : epochKeys;
    keys.insert(keys.begin(), "epoch");
    if (batchLevel)
        keys.insert(keys.begin() + 1, "batch");
    const auto has = [&](const std::string& k) { return std::find(keys.begin(), keys.end(), k) != keys.end(); };
    const std::string level = batchLevel ? "batch-level" : "epoch-level";

    std::vector<std::string> problems;
    for (const auto& name : templateFieldNames(filepath)) {
        if (!name.empty() && !has(name)) {
            problems.push_back("filepath uses {" + name + "}, which this run's " + level
                + " logs will not contain (available: " + joinKeys(keys) + ")");
        }
    }
    if (problems.empty()) {
        // Every name is known: format the template as a save would (a sample value per log key),
        // so that a bad format spec ({epoch:02q}, {loss:d}) is reported before the run, not at
        // its first save.
        Logs sample;
        for (const auto& k : keys)
            if (k != "epoch" && k != "batch")
                sample[k] = 0.1234;
        const PathPreview formatted = preview(filepath, sample, batchLevel);
        if (!formatted.ok)
            problems.push_back("filepath " + formatted.error);
    }
    if (saveBestOnly && !has(monitor)) {
        problems.push_back("monitor '" + monitor + "' is not in this run's " + level
            + " logs, so no checkpoint would ever be saved (available: " + joinKeys(keys) + ")");
    }
    return problems;
}

} // namespace cklab
