#include "core/compare/Comparison.h"

#include <algorithm>

#include "core/base/Errors.h"
#include "core/compare/PolicyReplay.h"
#include "core/project/ProjectJson.h"

namespace cklab {

namespace {

bool recordedHas(const RunRecord& run, const CheckpointConfig& config)
{
    const auto wanted = checkpointToJson(config);
    const auto policies = run.policies();
    return std::any_of(policies.begin(), policies.end(),
                       [&](const CheckpointConfig& p) { return checkpointToJson(p) == wanted; });
}

} // namespace

Comparison compareRun(const RunRecord& run, const std::vector<CheckpointConfig>& policies)
{
    Comparison out;
    for (const auto& call : run.history)
        if (call.hook == HookCall::Hook::EpochEnd)
            out.epochs = std::max(out.epochs, call.index + 1);
    out.stepsPerEpoch = run.stepsPerEpoch;
    out.bests = runBests(run.history, policies);
    SummaryOptions options;
    options.fileSizes = fileSizesFrom(run.events);

    for (const auto& config : policies) {
        PolicyComparison pc;
        pc.config = config;
        const auto problems = config.validate();
        if (!problems.empty()) {
            pc.error = problems.front();
        } else if (run.source == "live" && recordedHas(run, config)) {
            for (const auto& e : run.events)
                if (e.policy == config.name)
                    pc.events.push_back(e);
        } else {
            pc.replayed = true;
            try {
                pc.events = replayPolicies(run.history, {config}).events;
            } catch (const ConfigError& e) {
                pc.error = e.problems().empty() ? e.what() : e.problems().front();
            }
        }
        pc.summary = summarize(pc.events, run.history, config, options);
        out.policies.push_back(std::move(pc));
    }
    return out;
}

} // namespace cklab
