#include "core/compare/PolicyReplay.h"

#include <memory>

#include "core/base/Errors.h"
#include "core/checkpoint/ModelCheckpoint.h"

namespace cklab {

namespace {

struct Driven {
    std::shared_ptr<ModelCheckpoint> checkpoint;
    std::shared_ptr<SimulatedCheckpointStore> store;
    std::size_t index = 0;
};

} // namespace

ReplayResult replayPolicies(const std::vector<HookCall>& history, const std::vector<CheckpointConfig>& configs,
                            const ReplayOptions& options)
{
    ReplayResult result;
    const MessageSink messages = options.messages ? options.messages : MessageSink([](const std::string&) {});
    std::vector<Driven> driven;
    for (std::size_t i = 0; i < configs.size(); ++i) {
        Driven d;
        d.store = std::make_shared<SimulatedCheckpointStore>();
        d.checkpoint = std::make_shared<ModelCheckpoint>(configs[i], d.store, messages);
        d.index = i;
        driven.push_back(d);
        result.policies.push_back(ReplayedPolicy{configs[i], 0, {}, false});
    }
    for (auto& d : driven) {
        ReplayedPolicy* policy = &result.policies[d.index];
        d.checkpoint->setEventSink([&result, &options, policy](const CheckpointEvent& event) {
            if (event.action == CheckpointAction::Save)
                ++policy->saves;
            if (options.onEvent)
                options.onEvent(event);
            result.events.push_back(event);
        });
    }

    Logs lastLogs;
    for (const auto& call : history) {
        if (call.hook == HookCall::Hook::EpochEnd)
            lastLogs = call.logs;
        for (auto& d : driven) {
            ReplayedPolicy& policy = result.policies[d.index];
            if (policy.stoppedByError)
                continue;
            try {
                callHook(*d.checkpoint, call);
            } catch (const ConfigError&) {
                // Already reported as an "error" decision. A live run would stop here and still
                // run the end-of-training hook once.
                policy.stoppedByError = true;
                if (call.hook != HookCall::Hook::TrainEnd) {
                    try {
                        d.checkpoint->onTrainEnd(Logs(lastLogs));
                    } catch (const ConfigError&) {
                    }
                }
            }
        }
    }
    for (auto& d : driven) {
        auto& files = result.policies[d.index].filesAtEnd;
        files.assign(d.store->files().begin(), d.store->files().end());
    }
    return result;
}

} // namespace cklab
