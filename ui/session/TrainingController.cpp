#include "ui/session/TrainingController.h"

#include <QDeadlineTimer>
#include <QThread>
#include <QTimer>

#include "ui/session/RunHistory.h"
#include "ui/session/TrainingWorker.h"

namespace cklab::ui {

TrainingController::TrainingController(QObject* parent)
    : QObject(parent)
{
    registerRunMetaTypes();
    m_history = new RunHistory(this);
    m_drainTimer = new QTimer(this);
    m_drainTimer->setSingleShot(true);
    m_drainTimer->setInterval(kDrainIntervalMs);
    connect(m_drainTimer, &QTimer::timeout, this, &TrainingController::drain);
}

TrainingController::~TrainingController()
{
    // No signals from here: receivers may already be half destroyed.
    blockSignals(true);
    shutdown();
}

bool TrainingController::start(const Project& project, const RunOptions& options)
{
    return launch([project, options](TrainingWorker& worker) { worker.run(project, options); });
}

bool TrainingController::startSource(RunSource source)
{
    return launch([source = std::move(source)](TrainingWorker& worker) { worker.runSource(source); });
}

bool TrainingController::launch(std::function<void(TrainingWorker&)> body)
{
    if (m_thread)
        return false;
    // history() keeps the last run until this one has really begun (its first event that is not
    // a failure): a run that fails to start (unreadable data, invalid project) wipes nothing.
    m_clearPending = true;
    m_progress = TrainingProgress{};
    m_result = TrainResult{};
    m_haveResult = false;
    m_failure.clear();
    m_paused = false;
    m_stepsPerSecond = 0.0;
    m_rateStep = 0;

    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("cklab-training"));
    m_worker = new TrainingWorker;
    m_worker->moveToThread(m_thread);

    // The body is handed over before start(), and runs from QThread::started on the new thread:
    // nothing crosses threads through Qt's event queue but a payload-free wake-up.
    m_worker->setJob(std::move(body));
    connect(m_thread, &QThread::started, m_worker, &TrainingWorker::runJob);
    connect(m_worker, &TrainingWorker::eventsAvailable, this, &TrainingController::onEventsAvailable);
    const int generation = ++m_generation;
    connect(m_thread, &QThread::finished, this, [this, generation] { onThreadFinished(generation); });
    m_thread->start();
    m_rateClock.start();
    emit runningChanged(true);
    return true;
}

void TrainingController::pause()
{
    if (!m_worker || m_paused)
        return;
    m_worker->setPaused(true);
    m_paused = m_worker->isPaused();
    if (!m_paused)
        return; // a stop is already on its way
    drain();
    m_progress.paused = true;
    emit pausedChanged(true);
    emit progressChanged(m_progress);
}

void TrainingController::resume()
{
    if (!m_worker || !m_paused)
        return;
    m_worker->setPaused(false);
    m_paused = false;
    m_progress.paused = false;
    // The pause is not training time: measure the rate afresh from here.
    m_rateClock.restart();
    m_rateStep = m_progress.globalStep;
    emit pausedChanged(false);
    emit progressChanged(m_progress);
}

void TrainingController::stopNow()
{
    if (!m_worker)
        return;
    m_worker->requestStop(StopMode::Now);
    if (m_paused) {
        m_paused = false;
        emit pausedChanged(false);
    }
}

void TrainingController::stopAtEpochEnd()
{
    if (!m_worker)
        return;
    m_worker->requestStop(StopMode::AtEpochEnd);
    if (m_paused) {
        m_paused = false;
        emit pausedChanged(false);
    }
}

bool TrainingController::shutdown(int timeoutMs)
{
    if (!m_thread)
        return true;
    m_worker->requestStop(StopMode::Now);
    if (m_thread->wait(QDeadlineTimer(timeoutMs))) {
        // The worker's last events (its result) are in its mailbox; the queued QThread::finished
        // will find the thread cleaned up (m_thread null) and do nothing.
        drain();
        cleanupThread();
        emitEnd();
        return true;
    }
    // Never terminate(): let the thread end by itself and clean up after itself.
    disconnect(m_worker, nullptr, this, nullptr);
    disconnect(m_thread, nullptr, this, nullptr);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    m_worker = nullptr;
    m_thread = nullptr;
    m_drainTimer->stop();
    return false;
}

void TrainingController::cleanupThread()
{
    m_drainTimer->stop();
    if (m_worker) {
        disconnect(m_worker, nullptr, this, nullptr);
        delete m_worker; // its thread has ended: no event of it can run any more
        m_worker = nullptr;
    }
    if (m_thread) {
        disconnect(m_thread, nullptr, this, nullptr);
        delete m_thread;
        m_thread = nullptr;
    }
    m_paused = false;
}

void TrainingController::onThreadFinished(int generation)
{
    if (generation != m_generation || !m_thread)
        return; // a thread already cleaned up by shutdown()
    m_thread->wait();
    drain();
    cleanupThread();
    emitEnd();
}

void TrainingController::emitEnd()
{
    m_progress.paused = false;
    emit runningChanged(false);
    if (m_haveResult)
        emit finished(m_result);
    if (!m_failure.isEmpty())
        emit failed(m_failure);
}

void TrainingController::onStarted(const RunInfo& info)
{
    m_history->setInfo(info);
    m_progress.epochs = info.epochs;
    m_progress.stepsPerEpoch = info.stepsPerEpoch;
    m_progress.totalSteps = static_cast<long long>(info.epochs) * info.stepsPerEpoch;
    m_rateClock.restart();
    emit started(info);
    emit progressChanged(m_progress);
}

void TrainingController::onEventsAvailable()
{
    if (!m_drainTimer->isActive())
        m_drainTimer->start();
}

void TrainingController::drain()
{
    // A receiver of what we emit may call pause(), which drains: the outer drain goes on in order.
    // That nested call must not stop a timer armed meanwhile, or the next events would wait for
    // a notification that the still-pending one suppresses.
    if (!m_worker || m_draining)
        return;
    m_drainTimer->stop();
    m_draining = true;
    std::vector<BatchPoint> batches;
    for (RunEvent& event : m_worker->takeEvents()) {
        if (m_clearPending && !std::holds_alternative<RunFailure>(event)) {
            m_clearPending = false;
            m_history->clear();
        }
        if (auto* point = std::get_if<BatchPoint>(&event)) {
            batches.push_back(std::move(*point));
            continue;
        }
        flushBatches(batches); // the batches before an epoch end first: the history stays in order
        handle(event);
    }
    flushBatches(batches);
    m_draining = false;
}

void TrainingController::flushBatches(std::vector<BatchPoint>& points)
{
    if (points.empty())
        return;
    m_history->appendBatches(points);
    updateProgress(&points.back());
    emit batchesAvailable(int(points.size()));
    emit progressChanged(m_progress);
    points.clear();
}

void TrainingController::handle(RunEvent& event)
{
    if (auto* info = std::get_if<RunInfo>(&event)) {
        onStarted(*info);
    } else if (auto* point = std::get_if<EpochPoint>(&event)) {
        m_history->appendEpoch(*point);
        emit epochFinished(*point);
    } else if (auto* checkpoint = std::get_if<CheckpointEvent>(&event)) {
        m_history->appendEvent(*checkpoint);
        emit checkpointEvent(*checkpoint);
    } else if (auto* message = std::get_if<RunMessage>(&event)) {
        m_history->appendMessage(message->line);
        emit messageLogged(message->line);
    } else if (auto* result = std::get_if<TrainResult>(&event)) {
        m_result = *result;
        m_haveResult = true;
        if (result->reason == StopReason::Error)
            m_failure = QString::fromStdString(result->error);
    } else if (auto* failure = std::get_if<RunFailure>(&event)) {
        m_failure = failure->message;
    }
}

void TrainingController::updateProgress(const BatchPoint* last)
{
    m_progress.epoch = last->epoch;
    m_progress.batch = last->batch + 1;
    m_progress.globalStep = last->globalStep;
    const double dt = m_rateClock.nsecsElapsed() * 1e-9;
    const long long dSteps = m_progress.globalStep - m_rateStep;
    if (dt > 0.2 && dSteps > 0) {
        const double rate = dSteps / dt;
        m_stepsPerSecond = m_stepsPerSecond > 0 ? 0.7 * m_stepsPerSecond + 0.3 * rate : rate;
        m_rateClock.restart();
        m_rateStep = m_progress.globalStep;
    }
    const RunInfo& info = m_history->info();
    const double samplesPerStep = info.stepsPerEpoch > 0 ? double(info.trainSamples) / info.stepsPerEpoch : 0.0;
    m_progress.samplesPerSecond = m_stepsPerSecond * samplesPerStep;
    const long long left = m_progress.totalSteps - m_progress.globalStep;
    m_progress.secondsLeft = (m_stepsPerSecond > 0 && left >= 0) ? left / m_stepsPerSecond : -1.0;
}

} // namespace cklab::ui

#include "moc_TrainingController.cpp"
