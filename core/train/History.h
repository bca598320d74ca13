#pragma once
/// Records the logs of every epoch (and optionally of every batch), like Keras' History.
/// Records accumulate over fit() calls; its state() carries them across a resume.
#include <string>
#include <vector>

#include "core/train/Callback.h"

namespace cklab {

class History : public Callback {
public:
    struct BatchRecord {
        int epoch = 0;
        int batch = 0;
        Logs logs;
    };

    explicit History(bool recordBatches = false) : m_recordBatches(recordBatches) {}

    const std::vector<int>& epochs() const { return m_epochs; }
    const std::vector<Logs>& epochLogs() const { return m_epochLogs; }
    /// One value per recorded epoch; NaN where the epoch's logs lack the key (e.g. val_* on unvalidated epochs).
    std::vector<double> series(const std::string& key) const;
    const std::vector<BatchRecord>& batchLogs() const { return m_batchLogs; }
    void clear();

    std::string stateKey() const override { return "history"; }
    nlohmann::json state() const override;
    void restoreState(const nlohmann::json& state) override;

protected:
    void epochBegin(int epoch, Logs&) override { m_currentEpoch = epoch; }
    void trainBatchEnd(int batch, Logs& logs) override;
    void epochEnd(int epoch, Logs& logs) override;

private:
    bool m_recordBatches = false;
    int m_currentEpoch = 0;
    std::vector<int> m_epochs;
    std::vector<Logs> m_epochLogs;
    std::vector<BatchRecord> m_batchLogs;
};

} // namespace cklab
