#include "core/compare/RunRecorder.h"

namespace cklab {

RunRecorder::RunRecorder(const Project& project, RunObserver* forward) : m_forward(forward)
{
    m_record.project = project;
    m_record.name = project.name;
    m_record.source = "live";
}

void RunRecorder::trainBegin(const RunInfo& info)
{
    m_record.stepsPerEpoch = info.stepsPerEpoch;
    if (m_forward)
        m_forward->trainBegin(info);
}

void RunRecorder::batchEnd(int epoch, int batch, const Logs& logs)
{
    m_builder.addBatchEnd(epoch, batch, logs);
    if (m_forward)
        m_forward->batchEnd(epoch, batch, logs);
}

void RunRecorder::epochEnd(int epoch, const Logs& logs)
{
    m_builder.addEpochEnd(epoch, logs);
    if (m_forward)
        m_forward->epochEnd(epoch, logs);
}

void RunRecorder::checkpointEvent(const CheckpointEvent& event)
{
    m_record.events.push_back(event);
    if (m_forward)
        m_forward->checkpointEvent(event);
}

void RunRecorder::message(const std::string& text)
{
    if (m_forward)
        m_forward->message(text);
}

void RunRecorder::trainEnd(const TrainResult& result)
{
    // The Trainer passes the last finished epoch's logs to on_train_end (spec §7).
    m_record.history = m_builder.finish(result.finalLogs);
    m_record.stopReason = std::string(stopReasonName(result.reason));
    if (m_forward)
        m_forward->trainEnd(result);
}

} // namespace cklab
