#include "ui/compare/SessionRunRecord.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "ui/session/RunHistory.h"

namespace cklab::ui {

SessionRunData sessionRunData(const RunHistory& history)
{
    SessionRunData data;
    data.stepsPerEpoch = history.info().stepsPerEpoch;
    data.batches = history.batchTable();
    data.epochs = history.epochs();
    data.events.reserve(history.events().size());
    for (const auto& e : history.events())
        data.events.push_back(e.event);
    return data;
}

RunRecord runRecordFromData(const SessionRunData& data, const Project& project, const TrainResult& result)
{
    RunRecord record;
    record.name = project.name;
    record.source = "live";
    record.project = project;
    record.stepsPerEpoch = data.stepsPerEpoch;
    record.stopReason = std::string(stopReasonName(result.reason));
    // Batches and epochs arrive in separate arrays: merge them epoch by epoch (batches first,
    // in arrival order within an epoch).
    const BatchTable& batches = data.batches;
    std::vector<std::size_t> rows(batches.size());
    std::iota(rows.begin(), rows.end(), std::size_t(0));
    const auto& batchEpoch = batches.epochs();
    if (!std::is_sorted(batchEpoch.begin(), batchEpoch.end()))
        std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) { return batchEpoch[a] < batchEpoch[b]; });
    std::map<int, const EpochPoint*> epochEnds;
    for (const auto& e : data.epochs)
        epochEnds[e.epoch] = &e;

    HistoryBuilder builder;
    auto nextEpochEnd = epochEnds.begin();
    auto endEpochsBefore = [&](int epoch) { // epoch ends of epochs before `epoch` (with or without batches)
        for (; nextEpochEnd != epochEnds.end() && nextEpochEnd->first < epoch; ++nextEpochEnd)
            builder.addEpochEnd(nextEpochEnd->first, nextEpochEnd->second->logs);
    };
    for (std::size_t r : rows) {
        const int epoch = batchEpoch[r];
        endEpochsBefore(epoch);
        builder.addBatchEnd(epoch, batches.batches()[r], batches.row(r).logs);
    }
    for (; nextEpochEnd != epochEnds.end(); ++nextEpochEnd) // epochs after the last batch
        builder.addEpochEnd(nextEpochEnd->first, nextEpochEnd->second->logs);
    record.history = builder.finish(result.finalLogs);
    record.events = data.events;
    return record;
}

RunRecord runRecordFromHistory(const RunHistory& history, const Project& project, const TrainResult& result)
{
    return runRecordFromData(sessionRunData(history), project, result);
}

} // namespace cklab::ui
