#pragma once
/// Keras' TerminateOnNaN (spec §8): at a batch end whose `loss` is NaN or infinite, prints
/// `Batch {b}: Invalid loss, terminating training` (0-based b) and sets model()->stopTraining.
#include "core/train/Callback.h"
#include "core/train/MessageSink.h"

namespace cklab {

class TerminateOnNaN : public Callback {
public:
    /// `messages` null = stdout.
    explicit TerminateOnNaN(MessageSink messages = {});
    /// 0-based batch of the invalid loss, -1 if none was seen.
    int terminatedAtBatch() const { return m_batch; }

protected:
    void trainBegin(Logs&) override { m_batch = -1; }
    void trainBatchEnd(int batch, Logs& logs) override;

private:
    MessageSink m_messages;
    int m_batch = -1;
};

} // namespace cklab
