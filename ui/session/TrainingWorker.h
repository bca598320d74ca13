#pragma once
/// Runs one cklab::ProjectRun on the thread it lives in (moved to a QThread by
/// TrainingController) and turns its RunObserver calls into value-type signals.
///
/// Batch ends are high-rate: they go into a mutex-protected buffer and at most one
/// dataAvailable() is queued at a time (until the UI calls takeBatches()). Epoch ends,
/// checkpoint events and messages are ordinary queued signals carrying copies.
/// requestStop()/setPaused() are thread-safe and may be called from the UI thread while run()
/// is busy; they take effect between batches.
#include <QObject>
#include <QString>
#include <atomic>
#include <chrono>
#include <mutex>
#include <vector>

#include "core/project/ProjectRun.h"
#include "ui/session/RunTypes.h"

namespace cklab {

class TrainingWorker : public QObject, public RunObserver {
    Q_OBJECT
public:
    explicit TrainingWorker(QObject* parent = nullptr);
    ~TrainingWorker() override;

    /// Builds the run and trains to the end or to a stop. Call on the worker's thread, once.
    void run(const Project& project, const RunOptions& options);
    /// Same contract as run(), with `source` producing the observer calls instead of a
    /// ProjectRun (benchmarks and load tests drive the real worker/controller path this way).
    void runSource(const RunSource& source);

    // Thread-safe controls (any thread).
    void requestStop(StopMode mode);
    void setPaused(bool paused);
    bool isPaused() const { return m_paused.load(); }

    /// Moves the buffered batch points out and re-arms dataAvailable(). Any thread (the UI's).
    std::vector<BatchPoint> takeBatches();

signals:
    void started(const cklab::RunInfo& info);
    /// New batch points are buffered; at most one of these is pending at a time.
    void dataAvailable();
    void epochFinished(const cklab::EpochPoint& point);
    void checkpointDecided(const cklab::CheckpointEvent& event);
    void messageLogged(const QString& line);
    /// The run ended (any stop reason, including an error inside training).
    void finished(const cklab::TrainResult& result);
    /// The run could not be built (invalid project, unreadable data) or threw.
    void failed(const QString& message);

private:
    // RunObserver, called on the worker thread by ProjectRun::run().
    void trainBegin(const RunInfo& info) override;
    void batchEnd(int epoch, int batch, const Logs& logs) override;
    void epochEnd(int epoch, const Logs& logs) override;
    void checkpointEvent(const CheckpointEvent& event) override;
    void message(const std::string& line) override;
    void trainEnd(const TrainResult& result) override;

    std::mutex m_bufferMutex;
    std::vector<BatchPoint> m_buffer;
    std::atomic<bool> m_notifyPending{false};
    long long m_step = 0;
    std::chrono::steady_clock::time_point m_startTime;

    std::mutex m_controlMutex;         // guards m_trainer and the pending requests
    Trainer* m_trainer = nullptr;      // valid only while run() executes
    std::atomic<bool> m_paused{false};
    std::atomic<int> m_stopRequest{-1}; // -1 none, else StopMode
};

} // namespace cklab
