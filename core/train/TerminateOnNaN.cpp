#include "core/train/TerminateOnNaN.h"

#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "core/model/Model.h"

namespace cklab {

TerminateOnNaN::TerminateOnNaN(MessageSink messages) : m_messages(std::move(messages))
{
    if (!m_messages) {
        m_messages = [](const std::string& line) {
            std::fputs((line + "\n").c_str(), stdout);
            std::fflush(stdout);
        };
    }
}

void TerminateOnNaN::trainBatchEnd(int batch, Logs& logs)
{
    const auto it = logs.find("loss");
    if (it == logs.end() || std::isfinite(it->second))
        return;
    m_batch = batch;
    m_messages(fmt::format("Batch {}: Invalid loss, terminating training", batch));
    if (m_model)
        m_model->stopTraining = true;
}

} // namespace cklab
