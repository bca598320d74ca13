#pragma once
/// Calls its callbacks in the user's order with one shared logs map per hook call (spec §7).
#include <memory>
#include <vector>

#include "core/train/Callback.h"

namespace cklab {

class CallbackList {
public:
    void add(std::shared_ptr<Callback> callback);
    const std::vector<std::shared_ptr<Callback>>& items() const { return m_items; }
    void setModel(Model* model);

    void trainBegin(Logs& logs);
    void epochBegin(int epoch, Logs& logs);
    void trainBatchBegin(int batch, Logs& logs);
    void trainBatchEnd(int batch, Logs& logs);
    void epochEnd(int epoch, Logs& logs);
    void trainEnd(Logs& logs);

private:
    std::vector<std::shared_ptr<Callback>> m_items;
};

} // namespace cklab
