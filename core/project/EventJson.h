#pragma once
/// The JSON form of run events, shared by `checkpointlab-cli run --events` (JSON lines) and
/// `checkpointlab-cli replay` (one decision per line). One rule, one place.
///
/// Numbers that JSON cannot hold are written as strings: NaN -> "nan", +-infinity -> "inf"/"-inf"
/// (so that an initial best of +inf stays visible); absent values are null.
#include <string>

#include <nlohmann/json.hpp>

#include "core/checkpoint/CheckpointEvent.h"
#include "core/model/Logs.h"

namespace cklab {

struct RunInfo;
struct TrainResult;

/// {"policy", "epoch", "batch" (null at epoch level), "action", "reason", "path", "monitor",
///  "value", "best_before", "message" (null if none), "bytes", "duration_ms"}.
nlohmann::json checkpointEventToJson(const CheckpointEvent& event);
/// {"loss": 0.69, "accuracy": 0.5, ...}
nlohmann::json logsToJson(const Logs& logs);

// Lines of the --events file: each an object with "event" first.
nlohmann::json trainBeginEventJson(const RunInfo& info);
nlohmann::json batchEndEventJson(int epoch, int batch, const Logs& logs); ///< `run --events-batches` only
nlohmann::json epochEndEventJson(int epoch, const Logs& logs);
nlohmann::json checkpointEventLineJson(const CheckpointEvent& event); ///< "event": "checkpoint" + the fields above
nlohmann::json trainEndEventJson(const TrainResult& result);
nlohmann::json errorEventJson(const std::string& message);

} // namespace cklab
