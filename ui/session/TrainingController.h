#pragma once
/// Owns the training thread of the GUI: start(project) builds a TrainingWorker, moves it to a new
/// QThread and runs the project there; pause/resume/stop are forwarded thread-safely; batch data
/// is drained from the worker's buffer on a ~33 ms timer into history(), so the UI thread never
/// sees more than ~30 updates per second whatever the batch rate. Every signal carries values.
///
/// Lifetime: the destructor (and shutdown()) requests an immediate stop and waits a bounded time
/// for the thread; it never terminates a thread. GUI thread only.
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <functional>
#include <vector>

#include "ui/session/RunTypes.h"

class QThread;
class QTimer;

namespace cklab::ui {

class RunHistory;
class TrainingWorker;

class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override;

    /// Starts a run. history() is cleared when the run has begun (its first event), so a run
    /// that fails before that (unreadable data) leaves the last run's data. False if a run is
    /// still active.
    bool start(const Project& project, const RunOptions& options = {});
    /// Starts a run whose observer calls come from `source` instead of a ProjectRun, through the
    /// same worker, buffer and signals (benchmarks, load tests). False if a run is still active.
    bool startSource(RunSource source);
    bool isRunning() const { return m_thread != nullptr; }
    bool isPaused() const { return m_paused; }
    /// All data of the current / last run; lives as long as the controller.
    RunHistory* history() const { return m_history; }
    TrainingProgress progress() const { return m_progress; }
    /// The last run's result (valid after finished()).
    const TrainResult& lastResult() const { return m_result; }

    /// Requests an immediate stop and waits up to `timeoutMs` for the thread to end.
    /// True if no run is active afterwards. On timeout the thread is left to finish on its own
    /// (it deletes itself), the controller forgets it, and false is returned.
    bool shutdown(int timeoutMs = 10000);

    static constexpr int kDrainIntervalMs = 33;

public slots:
    void pause();
    void resume();
    void stopNow();
    /// Finishes the current epoch (with its validation and epoch-end saves), then stops.
    void stopAtEpochEnd();

signals:
    /// The run is built and training begins (RunInfo: epochs, steps per epoch, log keys, ...).
    void started(const cklab::RunInfo& info);
    /// After each drain: `count` new batch points were appended to history().
    void batchesAvailable(int count);
    void progressChanged(const TrainingProgress& progress);
    void epochFinished(const EpochPoint& point);
    void checkpointEvent(const cklab::CheckpointEvent& event);
    /// Keras-style console line (checkpoint messages, early stopping, warnings).
    void messageLogged(const QString& line);
    /// The run ended (completed, stopped, or an error inside training: see result.reason/error).
    /// Emitted after the thread has ended: isRunning() is already false.
    void finished(const cklab::TrainResult& result);
    /// The run failed: invalid project / unreadable data, or an error inside training.
    /// Emitted after the thread has ended.
    void failed(const QString& message);
    void pausedChanged(bool paused);
    /// True when start() succeeded, false when the thread has ended (after finished/failed).
    void runningChanged(bool running);

private:
    /// Common part of start()/startSource(): `body` runs on the new worker thread.
    bool launch(std::function<void(TrainingWorker&)> body);
    /// Takes the worker's events and handles them in order (batches go to history() in runs).
    void drain();
    void flushBatches(std::vector<BatchPoint>& points);
    void handle(RunEvent& event);
    void onEventsAvailable();
    void onStarted(const RunInfo& info);
    void onThreadFinished(int generation);
    void emitEnd();
    void cleanupThread();
    void updateProgress(const BatchPoint* last);

    RunHistory* m_history = nullptr;
    QTimer* m_drainTimer = nullptr;
    QThread* m_thread = nullptr;
    TrainingWorker* m_worker = nullptr;
    bool m_paused = false;
    bool m_draining = false;
    bool m_clearPending = false;  ///< history() still holds the previous run
    int m_generation = 0;
    TrainingProgress m_progress;
    TrainResult m_result;
    bool m_haveResult = false;
    QString m_failure;
    // Throughput estimate between drains.
    QElapsedTimer m_rateClock;
    long long m_rateStep = 0;
    double m_stepsPerSecond = 0.0;
};

} // namespace cklab::ui
