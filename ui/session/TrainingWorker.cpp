#include "ui/session/TrainingWorker.h"

#include <exception>

#include "core/base/Errors.h"

namespace cklab {

TrainingWorker::TrainingWorker(QObject* parent)
    : QObject(parent)
{
}

TrainingWorker::~TrainingWorker() = default;

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
        emit finished(result);
    } catch (const ConfigError& e) {
        QStringList lines;
        for (const std::string& p : e.problems())
            lines << QString::fromStdString(p);
        emit failed(lines.isEmpty() ? QString::fromUtf8(e.what()) : lines.join('\n'));
    } catch (const std::exception& e) {
        emit failed(QString::fromUtf8(e.what()));
    } catch (...) {
        emit failed(tr("unknown error in the training thread"));
    }
}

void TrainingWorker::runSource(const RunSource& source)
{
    m_startTime = std::chrono::steady_clock::now();
    m_step = 0;
    try {
        const TrainResult result = source(*this, [this] { return m_stopRequest.load() >= 0; });
        emit finished(result);
    } catch (const std::exception& e) {
        emit failed(QString::fromUtf8(e.what()));
    } catch (...) {
        emit failed(tr("unknown error in the training thread"));
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

std::vector<BatchPoint> TrainingWorker::takeBatches()
{
    std::vector<BatchPoint> out;
    std::lock_guard lock(m_bufferMutex);
    out.swap(m_buffer);
    m_notifyPending = false;
    return out;
}

void TrainingWorker::trainBegin(const RunInfo& info)
{
    emit started(info);
}

void TrainingWorker::batchEnd(int epoch, int batch, const Logs& logs)
{
    {
        std::lock_guard lock(m_bufferMutex);
        m_buffer.push_back({epoch, batch, ++m_step, logs});
    }
    // Only the transition false -> true queues a notification: the event queue never floods.
    if (!m_notifyPending.exchange(true))
        emit dataAvailable();
}

void TrainingWorker::epochEnd(int epoch, const Logs& logs)
{
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_startTime).count();
    emit epochFinished(EpochPoint{epoch, logs, elapsed});
}

void TrainingWorker::checkpointEvent(const CheckpointEvent& event)
{
    emit checkpointDecided(event);
}

void TrainingWorker::message(const std::string& line)
{
    emit messageLogged(QString::fromStdString(line));
}

void TrainingWorker::trainEnd(const TrainResult&)
{
    // finished() is emitted by run() after ProjectRun::run() returns, with the same result.
}

} // namespace cklab

#include "moc_TrainingWorker.cpp"
