#pragma once
/// A RunObserver that records a ProjectRun as a RunRecord (hook history + checkpoint events),
/// optionally forwarding every call to another observer (e.g. the CLI reporter).
///
///     ProjectRun run(project);  RunRecorder recorder(project);  run.setObserver(&recorder);
///     run.run();  saveRunRecord(recorder.record(), nextRunFolder(run.info().outputDir));
#include "core/compare/RunRecord.h"
#include "core/project/ProjectRun.h"

namespace cklab {

class RunRecorder : public RunObserver {
public:
    explicit RunRecorder(const Project& project, RunObserver* forward = nullptr);

    /// Complete after trainEnd(); before that the history has no TrainEnd yet.
    const RunRecord& record() const { return m_record; }

    void trainBegin(const RunInfo& info) override;
    void batchEnd(int epoch, int batch, const Logs& logs) override;
    void epochEnd(int epoch, const Logs& logs) override;
    void checkpointEvent(const CheckpointEvent& event) override;
    void message(const std::string& text) override;
    void trainEnd(const TrainResult& result) override;

private:
    RunObserver* m_forward = nullptr;
    HistoryBuilder m_builder;
    RunRecord m_record;
};

} // namespace cklab
