#pragma once
/// Runs one cklab::ProjectRun on the thread it lives in (moved to a QThread by
/// TrainingController) and turns its RunObserver calls into RunEvent values.
///
/// Every event goes into one mutex-protected mailbox, in order, and at most one payload-free
/// eventsAvailable() is queued at a time (until the UI calls takeEvents()). No signal of the
/// worker carries data: every value crosses threads under m_mailboxMutex, a synchronisation
/// ThreadSanitizer sees (Qt's event queue synchronises too, but inside libQt6Core, which is not
/// instrumented). requestStop()/setPaused() are thread-safe and may be called from the UI thread
/// while the run is busy; they take effect between batches.
#include <QObject>
#include <QString>
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <vector>

#include "core/project/ProjectRun.h"
#include "ui/session/RunTypes.h"

namespace cklab::ui {

class TrainingWorker : public QObject, public RunObserver {
    Q_OBJECT
public:
    using Job = std::function<void(TrainingWorker& worker)>;

    explicit TrainingWorker(QObject* parent = nullptr);
    ~TrainingWorker() override;

    /// The work of runJob(), e.g. a call of run(). Set before the thread starts: starting the
    /// thread (pthread_create) orders the job's construction before runJob() reads it.
    void setJob(Job job);
    /// Runs the job on the calling thread (connected to QThread::started), destroys it there,
    /// publishes the end through the mailbox and quits the thread's event loop.
    void runJob();

    /// Builds the run and trains to the end or to a stop. Call on the worker's thread, once.
    void run(const Project& project, const RunOptions& options);
    /// Same contract as run(), with `source` producing the observer calls instead of a
    /// ProjectRun (benchmarks and load tests drive the real worker/controller path this way).
    void runSource(const RunSource& source);

    // Thread-safe controls (any thread).
    void requestStop(StopMode mode);
    void setPaused(bool paused);
    bool isPaused() const { return m_paused.load(); }

    /// Moves the queued events out (oldest first) and re-arms eventsAvailable(). Any thread (the
    /// UI's). After the worker's thread has ended, the events include the run's last one.
    std::vector<RunEvent> takeEvents();

signals:
    /// New events are in the mailbox; at most one of these is pending at a time.
    void eventsAvailable();

private:
    // RunObserver, called on the worker thread by ProjectRun::run().
    void trainBegin(const RunInfo& info) override;
    void batchEnd(int epoch, int batch, const Logs& logs) override;
    void epochEnd(int epoch, const Logs& logs) override;
    void checkpointEvent(const CheckpointEvent& event) override;
    void message(const std::string& line) override;
    void trainEnd(const TrainResult& result) override;

    void post(RunEvent event);

    std::mutex m_mailboxMutex;
    std::vector<RunEvent> m_mailbox;   // guarded by m_mailboxMutex
    bool m_notifyPending = false;      // guarded by m_mailboxMutex

    // The worker thread's own (m_job is set before that thread starts).
    Job m_job;
    long long m_step = 0;
    std::chrono::steady_clock::time_point m_startTime;

    std::mutex m_controlMutex;         // guards m_trainer and the pending requests
    Trainer* m_trainer = nullptr;      // valid only while run() executes
    std::atomic<bool> m_paused{false};
    std::atomic<int> m_stopRequest{-1}; // -1 none, else StopMode
};

} // namespace cklab::ui
