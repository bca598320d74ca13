#include "core/compare/PolicySummary.h"

#include <algorithm>
#include <cmath>

namespace cklab {

namespace {

using Hook = HookCall::Hook;

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Epoch-end logs and the number of batches per epoch, indexed by epoch.
struct EpochTable {
    std::map<int, Logs> logs;
    std::map<int, int> batches;

    explicit EpochTable(const std::vector<HookCall>& history)
    {
        int current = 0;
        for (const auto& call : history) {
            if (call.hook == Hook::EpochBegin || call.hook == Hook::EpochEnd)
                current = call.index;
            if (call.hook == Hook::EpochEnd)
                logs[call.index] = call.logs;
            else if (call.hook == Hook::BatchEnd)
                batches[current] = std::max(batches[current], call.index + 1);
        }
    }
};

} // namespace

MonitorMode policyMode(const CheckpointConfig& policy)
{
    const auto resolved = resolveMonitorMode("ModelCheckpoint", policy.mode, policy.monitor);
    return resolved.mode.value_or(MonitorMode::Min);
}

RunBest runBest(const std::vector<HookCall>& history, const std::string& monitor, MonitorMode mode)
{
    RunBest best{monitor, mode, std::nullopt, std::nullopt};
    for (const auto& call : history) {
        if (call.hook != Hook::EpochEnd)
            continue;
        const auto it = call.logs.find(monitor);
        if (it == call.logs.end() || std::isnan(it->second))
            continue;
        if (!best.value || isImprovement(mode, it->second, *best.value)) {
            best.value = it->second;
            best.epoch = call.index;
        }
    }
    return best;
}

std::vector<RunBest> runBests(const std::vector<HookCall>& history, const std::vector<CheckpointConfig>& policies)
{
    std::vector<RunBest> out;
    for (const auto& policy : policies) {
        const bool seen = std::any_of(out.begin(), out.end(), [&](const RunBest& b) { return b.monitor == policy.monitor; });
        if (!seen)
            out.push_back(runBest(history, policy.monitor, policyMode(policy)));
    }
    return out;
}

std::string fileKind(const std::string& path)
{
    for (const char* kind : {".weights.h5", ".keras", ".h5"})
        if (endsWith(path, kind))
            return kind;
    return {};
}

std::map<std::string, std::int64_t> fileSizesFrom(const std::vector<CheckpointEvent>& events)
{
    std::map<std::string, std::int64_t> sizes;
    for (const auto& e : events)
        if (e.action == CheckpointAction::Save && e.bytes > 0) {
            auto& size = sizes[fileKind(e.path)];
            size = std::max(size, e.bytes);
        }
    return sizes;
}

PolicySummary summarize(const std::vector<CheckpointEvent>& events, const std::vector<HookCall>& history,
                        const CheckpointConfig& policy, const SummaryOptions& options)
{
    PolicySummary s;
    s.policy = policy.name;
    s.monitor = policy.monitor;
    s.mode = policyMode(policy);
    const EpochTable table(history);

    const auto bytesOf = [&](const CheckpointEvent& e) -> std::int64_t {
        if (e.bytes > 0 || options.fileSizes.empty())
            return e.bytes;
        const auto it = options.fileSizes.find(fileKind(e.path));
        if (it == options.fileSizes.end())
            return 0;
        s.bytesEstimated = true;
        return it->second;
    };

    std::vector<KeptCheckpoint> kept; // in order of the last write
    for (const auto& e : events) {
        if (e.policy != policy.name)
            continue;
        switch (e.action) {
        case CheckpointAction::Save: {
            ++s.saves;
            KeptCheckpoint file{e.path, e.epoch, e.batch, e.value, bytesOf(e)};
            s.bytesWritten += file.bytes;
            s.saveMs += e.durationMs;
            if (!file.value && e.batch) {
                const auto batches = table.batches.find(e.epoch);
                const auto logs = table.logs.find(e.epoch);
                if (batches != table.batches.end() && *e.batch + 1 == batches->second && logs != table.logs.end())
                    if (const auto v = logs->second.find(policy.monitor); v != logs->second.end())
                        file.value = v->second;
            }
            // Writing a path again replaces that file (a fixed template overwrites one file).
            std::erase_if(kept, [&](const KeptCheckpoint& k) { return k.path == e.path; });
            kept.push_back(file);
            break;
        }
        case CheckpointAction::Skip: ++s.skips; break;
        case CheckpointAction::Delete:
            ++s.deletes;
            std::erase_if(kept, [&](const KeptCheckpoint& k) { return k.path == e.path; });
            break;
        case CheckpointAction::Error: ++s.errors; break;
        }
    }
    s.kept = kept;
    s.filesKept = int(kept.size());
    for (const auto& k : kept) {
        s.bytesOnDisk += k.bytes;
        if (!k.value || std::isnan(*k.value))
            continue;
        if (!s.bestKept || isImprovement(s.mode, *k.value, *s.bestKept->value))
            s.bestKept = k;
    }
    const RunBest best = runBest(history, policy.monitor, s.mode);
    s.runBestValue = best.value;
    s.runBestEpoch = best.epoch;
    if (s.bestKept && best.value) {
        const double captured = *s.bestKept->value;
        s.keptBest = !isImprovement(s.mode, *best.value, captured);
        s.missedBy = s.keptBest ? 0.0 : std::abs(*best.value - captured);
    }
    return s;
}

} // namespace cklab
