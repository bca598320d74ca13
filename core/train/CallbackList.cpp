#include "core/train/CallbackList.h"

#include <stdexcept>

namespace cklab {

void CallbackList::add(std::shared_ptr<Callback> callback)
{
    if (!callback)
        throw std::invalid_argument("CallbackList::add: null callback");
    m_items.push_back(std::move(callback));
}

void CallbackList::setModel(Model* model)
{
    for (auto& c : m_items)
        c->setModel(model);
}

void CallbackList::trainBegin(Logs& logs)
{
    for (auto& c : m_items)
        c->onTrainBegin(logs);
}

void CallbackList::epochBegin(int epoch, Logs& logs)
{
    for (auto& c : m_items)
        c->onEpochBegin(epoch, logs);
}

void CallbackList::trainBatchBegin(int batch, Logs& logs)
{
    for (auto& c : m_items)
        c->onTrainBatchBegin(batch, logs);
}

void CallbackList::trainBatchEnd(int batch, Logs& logs)
{
    for (auto& c : m_items)
        c->onTrainBatchEnd(batch, logs);
}

void CallbackList::epochEnd(int epoch, Logs& logs)
{
    for (auto& c : m_items)
        c->onEpochEnd(epoch, logs);
}

void CallbackList::trainEnd(Logs& logs)
{
    for (auto& c : m_items)
        c->onTrainEnd(logs);
}

} // namespace cklab
