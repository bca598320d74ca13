#include "ui/plots/MarkerAnchor.h"

#include <algorithm>
#include <cmath>

#include "ui/session/RunHistory.h"

namespace cklab::ui {

namespace {

/// Row of (epoch, batch) in the batch table, or -1. Rows come in training order, so the
/// (epoch, batch) pairs are sorted.
long batchRow(const BatchTable& table, int epoch, int batch)
{
    const auto& epochs = table.epochs();
    const auto& batches = table.batches();
    long lo = 0, hi = long(table.size());
    while (lo < hi) {
        const long mid = (lo + hi) / 2;
        const auto e = epochs[std::size_t(mid)], b = batches[std::size_t(mid)];
        if (e < epoch || (e == epoch && b < batch))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < long(table.size()) && epochs[std::size_t(lo)] == epoch && batches[std::size_t(lo)] == batch)
        return lo;
    return -1;
}

std::optional<MarkerAnchor> onBatch(const RunHistory& history, const CheckpointEvent& e)
{
    const BatchTable& table = history.batchTable();
    const long row = batchRow(table, e.epoch, *e.batch);
    if (row < 0)
        return std::nullopt;
    const double x = batchX(e.epoch, *e.batch, history.info().stepsPerEpoch);
    for (const std::string& key : {e.monitor, std::string("loss")}) {
        const BatchTable::Column* c = table.column(key);
        if (c && c->has(std::size_t(row)) && std::isfinite(c->values[std::size_t(row)])) {
            const QString k = QString::fromStdString(key);
            return MarkerAnchor{k, k + QLatin1String("/batch"), x, c->values[std::size_t(row)]};
        }
    }
    return std::nullopt;
}

std::optional<MarkerAnchor> onEpoch(const RunHistory& history, const CheckpointEvent& e)
{
    const auto& epochs = history.epochs();
    // Usually the newest epoch; after a resume an epoch may appear once more, the last one counts.
    const auto it = std::find_if(epochs.rbegin(), epochs.rend(), [&](const EpochPoint& p) { return p.epoch == e.epoch; });
    if (it == epochs.rend())
        return std::nullopt;
    for (const std::string& key : {e.monitor, std::string("loss")}) {
        const auto v = it->logs.find(key);
        if (v != it->logs.end() && std::isfinite(v->second)) {
            const QString k = QString::fromStdString(key);
            return MarkerAnchor{k, k + QLatin1String("/epoch"), epochX(e.epoch), v->second};
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<MarkerAnchor> markerAnchor(const RunHistory& history, const CheckpointEvent& event)
{
    return event.batch ? onBatch(history, event) : onEpoch(history, event);
}

} // namespace cklab::ui
