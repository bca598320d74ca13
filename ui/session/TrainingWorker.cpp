#include "ui/session/TrainingWorker.h"

#include <QThread>
#include <exception>

#include "core/base/Errors.h"

namespace cklab::ui {

TrainingWorker::TrainingWorker(QObject* parent)
    : QObject(parent)
{
}

TrainingWorker::~TrainingWorker()
{
    // After a timed-out shutdown the worker is deleted on its own thread: this lock orders the
    // UI thread's last call (requestStop, under the same mutex) before the members die.
    std::lock_guard lock(m_controlMutex);
}

void TrainingWorker::setJob(Job job)
{
    m_job = std::move(job);
}

void TrainingWorker::runJob()
{
    {
        Job job = std::move(m_job);
        m_job = nullptr;
        if (job)
            job(*this);
    } // the job's copies (project, options) die here, on this thread
    {
        // Everything this thread did happens before the controller's takeEvents() after the
        // thread has ended (then it deletes the worker and the thread). QThread::wait() orders
        // that too, but inside libQt6Core, where ThreadSanitizer cannot see it.
        std::lock_guard lock(m_mailboxMutex);
    }
    QThread::currentThread()->quit();
}

void TrainingWorker::run(const Project& project, const RunOptions& options)
{
    m_startTime = std::chrono::steady_clock::now();
    m_step = 0;
    try {
        ProjectRun projectRun(project, options);
        projectRun.setObserver(this);
        {
            // A stop or pause requested while the data loaded applies before the first batch.
            std::lock_guard lock(m_controlMutex);
            m_trainer = &projectRun.trainer();
            if (m_paused.load())
                m_trainer->setPaused(true);
            if (int s = m_stopRequest.load(); s >= 0)
                m_trainer->requestStop(StopMode(s));
        }
        TrainResult result;
        try {
            result = projectRun.run();
        } catch (...) {
            std::lock_guard lock(m_controlMutex);
            m_trainer = nullptr;
            throw;
        }
        {
            std::lock_guard lock(m_controlMutex);
            m_trainer = nullptr;
        }
        post(result);
    } catch (const ConfigError& e) {
        QStringList lines;
        for (const std::string& p : e.problems())
            lines << QString::fromStdString(p);
        post(RunFailure{lines.isEmpty() ? QString::fromUtf8(e.what()) : lines.join('\n')});
    } catch (const std::exception& e) {
        post(RunFailure{QString::fromUtf8(e.what())});
    } catch (...) {
        post(RunFailure{tr("unknown error in the training thread")});
    }
}

void TrainingWorker::runSource(const RunSource& source)
{
    m_startTime = std::chrono::steady_clock::now();
    m_step = 0;
    try {
        post(source(*this, [this] { return m_stopRequest.load() >= 0; }));
    } catch (const std::exception& e) {
        post(RunFailure{QString::fromUtf8(e.what())});
    } catch (...) {
        post(RunFailure{tr("unknown error in the training thread")});
    }
}

void TrainingWorker::requestStop(StopMode mode)
{
    std::lock_guard lock(m_controlMutex);
    m_stopRequest = int(mode);
    if (m_trainer) {
        m_trainer->requestStop(mode);
        // A paused trainer waits between batches; let it reach the stop check.
        if (m_paused.exchange(false))
            m_trainer->setPaused(false);
    } else {
        m_paused = false;
    }
}

void TrainingWorker::setPaused(bool paused)
{
    std::lock_guard lock(m_controlMutex);
    if (m_stopRequest.load() >= 0 && paused)
        return;
    m_paused = paused;
    if (m_trainer)
        m_trainer->setPaused(paused);
}

std::vector<RunEvent> TrainingWorker::takeEvents()
{
    std::vector<RunEvent> out;
    std::lock_guard lock(m_mailboxMutex);
    out.swap(m_mailbox);
    m_notifyPending = false;
    return out;
}

void TrainingWorker::post(RunEvent event)
{
    {
        std::lock_guard lock(m_mailboxMutex);
        m_mailbox.push_back(std::move(event));
        // Only the first event after a takeEvents() queues a notification: the event queue
        // never floods, whatever the batch rate.
        if (m_notifyPending)
            return;
        m_notifyPending = true;
    }
    emit eventsAvailable();
}

void TrainingWorker::trainBegin(const RunInfo& info)
{
    post(info);
}

void TrainingWorker::batchEnd(int epoch, int batch, const Logs& logs)
{
    post(BatchPoint{epoch, batch, ++m_step, logs});
}

void TrainingWorker::epochEnd(int epoch, const Logs& logs)
{
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_startTime).count();
    post(EpochPoint{epoch, logs, elapsed});
}

void TrainingWorker::checkpointEvent(const CheckpointEvent& event)
{
    post(event);
}

void TrainingWorker::message(const std::string& line)
{
    post(RunMessage{QString::fromStdString(line)});
}

void TrainingWorker::trainEnd(const TrainResult&)
{
    // The result is posted by run() after ProjectRun::run() returns, with the same result.
}

} // namespace cklab::ui

#include "moc_TrainingWorker.cpp"
