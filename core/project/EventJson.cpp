#include "core/project/EventJson.h"

#include "core/base/JsonNumbers.h"
#include "core/project/ProjectRun.h"

namespace cklab {

using nlohmann::json;

namespace {

json withEventName(const std::string& name, json fields)
{
    fields["event"] = name;
    return fields;
}

} // namespace

json checkpointEventToJson(const CheckpointEvent& e)
{
    json out;
    out["policy"] = e.policy;
    out["epoch"] = e.epoch;
    out["batch"] = e.batch ? json(*e.batch) : json(nullptr);
    out["action"] = std::string(actionName(e.action));
    out["reason"] = std::string(reasonName(e.reason));
    out["path"] = e.path.empty() ? json(nullptr) : json(e.path);
    out["monitor"] = e.monitor;
    out["value"] = optionalNumberToJson(e.value);
    out["best_before"] = optionalNumberToJson(e.bestBefore);
    out["message"] = e.message.empty() ? json(nullptr) : json(e.message);
    out["bytes"] = e.bytes;
    out["duration_ms"] = e.durationMs;
    return out;
}

json logsToJson(const Logs& logs)
{
    json out = json::object();
    for (const auto& [key, value] : logs)
        out[key] = numberToJson(value);
    return out;
}

json trainBeginEventJson(const RunInfo& info)
{
    return withEventName("train_begin", {{"epochs", info.epochs},
                                         {"steps_per_epoch", info.stepsPerEpoch},
                                         {"train_samples", info.trainSamples},
                                         {"validation_samples", info.validationSamples},
                                         {"parameters", info.parameterCount},
                                         {"log_keys", info.logKeys},
                                         {"output_dir", info.outputDir.string()}});
}

json batchEndEventJson(int epoch, int batch, const Logs& logs)
{
    return withEventName("batch_end", {{"epoch", epoch}, {"batch", batch}, {"logs", logsToJson(logs)}});
}

json epochEndEventJson(int epoch, const Logs& logs)
{
    return withEventName("epoch_end", {{"epoch", epoch}, {"logs", logsToJson(logs)}});
}

json checkpointEventLineJson(const CheckpointEvent& event)
{
    return withEventName("checkpoint", checkpointEventToJson(event));
}

json trainEndEventJson(const TrainResult& result)
{
    json fields{{"reason", std::string(stopReasonName(result.reason))},
                {"epochs_completed", result.epochsCompleted},
                {"steps", result.steps},
                {"logs", logsToJson(result.finalLogs)}};
    if (!result.error.empty())
        fields["error"] = result.error;
    return withEventName("train_end", fields);
}

json errorEventJson(const std::string& message)
{
    return withEventName("error", {{"message", message}});
}

} // namespace cklab
