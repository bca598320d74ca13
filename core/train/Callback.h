#pragma once
/// The callback protocol of spec §7, usable from the Trainer or from any hand-written loop:
///
///     ModelCheckpoint ckpt(config); ckpt.setModel(&model);
///     for (int epoch = 0; epoch < 10; ++epoch) { ...; ckpt.onEpochEnd(epoch, {{"loss", loss}}); }
///     ckpt.onTrainEnd();
///
/// Public hooks are non-virtual (they accept a temporary logs map too); subclasses override
/// the protected virtuals. Hooks run on the thread that drives training.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "core/model/Logs.h"

namespace cklab {

class Model;

class Callback {
public:
    virtual ~Callback() = default;

    virtual void setModel(Model* model) { m_model = model; }
    Model* model() const { return m_model; }

    void onTrainBegin(Logs& logs) { trainBegin(logs); }
    void onTrainBegin(Logs&& logs = {}) { trainBegin(logs); }
    void onEpochBegin(int epoch, Logs& logs) { epochBegin(epoch, logs); }
    void onEpochBegin(int epoch, Logs&& logs = {}) { epochBegin(epoch, logs); }
    void onTrainBatchBegin(int batch, Logs& logs) { trainBatchBegin(batch, logs); }
    void onTrainBatchBegin(int batch, Logs&& logs = {}) { trainBatchBegin(batch, logs); }
    void onTrainBatchEnd(int batch, Logs& logs) { trainBatchEnd(batch, logs); }
    void onTrainBatchEnd(int batch, Logs&& logs = {}) { trainBatchEnd(batch, logs); }
    void onEpochEnd(int epoch, Logs& logs) { epochEnd(epoch, logs); }
    void onEpochEnd(int epoch, Logs&& logs = {}) { epochEnd(epoch, logs); }
    void onTrainEnd(Logs& logs) { trainEnd(logs); }
    void onTrainEnd(Logs&& logs = {}) { trainEnd(logs); }
    /// Legacy aliases of the training batch hooks.
    void onBatchBegin(int batch, Logs& logs) { trainBatchBegin(batch, logs); }
    void onBatchBegin(int batch, Logs&& logs = {}) { trainBatchBegin(batch, logs); }
    void onBatchEnd(int batch, Logs& logs) { trainBatchEnd(batch, logs); }
    void onBatchEnd(int batch, Logs&& logs = {}) { trainBatchEnd(batch, logs); }

    /// Key under which BackupAndRestore stores this callback's state (unique within a list).
    virtual std::string stateKey() const { return {}; }
    /// Everything needed to continue exactly after a resume (empty = stateless).
    virtual nlohmann::json state() const;
    virtual void restoreState(const nlohmann::json& state);

protected:
    virtual void trainBegin(Logs&) {}
    virtual void epochBegin(int, Logs&) {}
    virtual void trainBatchBegin(int, Logs&) {}
    virtual void trainBatchEnd(int, Logs&) {}
    virtual void epochEnd(int, Logs&) {}
    virtual void trainEnd(Logs&) {}

    Model* m_model = nullptr;
};

} // namespace cklab
