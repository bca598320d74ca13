#include "tests/support/ui/SyntheticRun.h"

#include <chrono>
#include <cmath>
#include <string>
#include <thread>

using namespace cklab::ui;

namespace cklab::test {

namespace {

using Clock = std::chrono::steady_clock;

// A decaying loss with wiggles and a rising accuracy: enough shape for min/max decimation to matter.
double lossAt(long long k) { return 0.1 + 2.2 * std::exp(-double(k) * 2e-5) + 0.05 * std::sin(double(k) * 0.37); }
double accuracyAt(long long k) { return std::min(1.0, 0.1 + 0.85 * (1.0 - std::exp(-double(k) * 2e-5)) + 0.02 * std::cos(double(k) * 0.11)); }

CheckpointEvent checkpointAt(long long tick, int epoch, int batch, double loss)
{
    CheckpointEvent e;
    e.epoch = epoch;
    e.batch = batch;
    e.monitor = "loss";
    e.value = loss;
    if (tick % 2 == 0) {
        e.policy = "periodic";
        e.action = CheckpointAction::Save;
        e.reason = CheckpointReason::Periodic;
        e.path = "ck/b-" + std::to_string(epoch + 1) + "-" + std::to_string(batch + 1) + ".weights.h5";
        e.bytes = 4096;
        e.durationMs = 0.5;
        e.message = "Epoch " + std::to_string(epoch + 1) + ": saving model to " + e.path;
    } else {
        e.policy = "best";
        e.action = CheckpointAction::Skip;
        e.reason = CheckpointReason::NotImproved;
        e.bestBefore = 0.0;
        e.message = "Epoch " + std::to_string(epoch + 1) + ": loss did not improve from 0.00000";
    }
    return e;
}

} // namespace

long long expectedCheckpointEvents(const SyntheticRunPlan& plan)
{
    return plan.checkpointEvery > 0 ? plan.batches / plan.checkpointEvery : 0;
}

RunSource syntheticRunSource(SyntheticRunPlan plan, std::shared_ptr<SyntheticRunCounts> counts)
{
    return [plan, counts](RunObserver& observer, const std::function<bool()>& stopRequested) {
        const int steps = std::max(1, plan.stepsPerEpoch);
        RunInfo info;
        info.epochs = int((plan.batches + steps - 1) / steps);
        info.stepsPerEpoch = steps;
        info.trainSamples = static_cast<long long>(steps) * 32;
        info.logKeys = {"accuracy", "loss"};
        info.outputDir = plan.outputDir;
        observer.trainBegin(info);

        TrainResult result;
        const Clock::time_point start = Clock::now();
        double lossSum = 0.0, accSum = 0.0;
        long long k = 0;
        while (k < plan.batches && !stopRequested()) {
            if (plan.batchesPerSecond > 0) {
                // Emit what is due by now: after a scheduling delay the backlog goes out as a burst.
                const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
                if (double(k) >= elapsed * plan.batchesPerSecond + 1.0) {
                    std::this_thread::sleep_for(std::chrono::microseconds(200));
                    continue;
                }
            }
            const int epoch = int(k / steps), batch = int(k % steps);
            const double loss = lossAt(k), accuracy = accuracyAt(k);
            lossSum += loss;
            accSum += accuracy;
            // Running means since the epoch began, as the trainer reports them (spec §7).
            const Logs logs{{"accuracy", accSum / (batch + 1)}, {"loss", lossSum / (batch + 1)}};
            observer.batchEnd(epoch, batch, logs);
            ++counts->batches;
            if (plan.checkpointEvery > 0 && (k + 1) % plan.checkpointEvery == 0) {
                const CheckpointEvent e = checkpointAt((k + 1) / plan.checkpointEvery - 1, epoch, batch, loss);
                observer.checkpointEvent(e);
                ++counts->checkpointEvents;
                observer.message(e.message);
                ++counts->messages;
            }
            if (batch == steps - 1 || k + 1 == plan.batches) {
                observer.epochEnd(epoch, logs);
                ++counts->epochs;
                result.finalLogs = logs;
                lossSum = accSum = 0.0;
            }
            ++k;
        }
        counts->seconds = std::chrono::duration<double>(Clock::now() - start).count();
        result.reason = k < plan.batches ? StopReason::Requested : StopReason::Completed;
        result.steps = k;
        result.epochsCompleted = int(counts->epochs.load());
        result.samplesTrained = k * 32;
        observer.trainEnd(result);
        return result;
    };
}

} // namespace cklab::test
