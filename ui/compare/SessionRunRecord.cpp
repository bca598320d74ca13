#include "ui/compare/SessionRunRecord.h"

#include <map>

#include "ui/session/RunHistory.h"

namespace cklab {

RunRecord runRecordFromHistory(const RunHistory& history, const Project& project, const TrainResult& result)
{
    RunRecord record;
    record.name = project.name;
    record.source = "live";
    record.project = project;
    record.stepsPerEpoch = history.info().stepsPerEpoch;
    record.stopReason = std::string(stopReasonName(result.reason));
    // Batches and epochs arrive in separate arrays: merge them epoch by epoch (batches first).
    std::map<int, std::pair<std::vector<const BatchPoint*>, const EpochPoint*>> byEpoch;
    for (const auto& b : history.batches())
        byEpoch[b.epoch].first.push_back(&b);
    for (const auto& e : history.epochs())
        byEpoch[e.epoch].second = &e;
    HistoryBuilder builder;
    for (const auto& [epoch, entry] : byEpoch) {
        for (const BatchPoint* b : entry.first)
            builder.addBatchEnd(epoch, b->batch, b->logs);
        if (entry.second)
            builder.addEpochEnd(epoch, entry.second->logs);
    }
    record.history = builder.finish(result.finalLogs);
    for (const auto& e : history.events())
        record.events.push_back(e.event);
    return record;
}

} // namespace cklab
