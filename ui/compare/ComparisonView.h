#pragma once
/// The comparison tab: what several checkpoint policies do to one run, side by side.
/// Left, the what-if panel: the run (this session's last run, a saved run folder, or an imported
/// CSVLogger / JSON-lines history) and the policies, edited in the normal policy form. Right, the
/// timeline (TimelineWidget) and a sortable table (ComparisonTableModel), exportable as CSV and PNG.
/// Every edit replays the run through the policies at once (no training; core/compare).
///
/// Object names: "runLabel", "sessionRunButton", "openRunButton", "importHistoryButton",
/// "exportCsvButton", "exportPngButton", "resetPoliciesButton", "policyEditor", "timeline",
/// "comparisonTable", "statusLabel"; the policy editor's own children carry the prefix "compare_"
/// ("compare_checkpointMaxToKeep", ...), as the main window has an editor with the same names.
/// The "Runs" section (RunsPanel, "runsPanel") lists the project's recorded runs: overlay them on
/// the charts, diff two configs, compare on one.
#include <QString>
#include <QWidget>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "core/compare/Comparison.h"

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace cklab::ui {

class CheckpointPolicyList;
class ComparisonTableModel;
class RunsPanel;
class TimelineWidget;

class ComparisonView : public QWidget {
    Q_OBJECT
public:
    enum class PathRequest { OpenRunFolder, ImportHistory, ExportCsv, ExportPng };
    /// Asked for a path; empty = cancelled. Default: file dialogs. Tests answer it directly.
    using PathProvider = std::function<QString(PathRequest)>;

    explicit ComparisonView(QWidget* parent = nullptr);

    /// Shows `run`, compared with its own policies when it has its project (a recorded run);
    /// an imported history keeps the policies shown.
    void setRun(const cklab::RunRecord& run);
    /// The policies to compare (e.g. the project's current ones); shown in the policy editor.
    void setPolicies(const std::vector<cklab::CheckpointConfig>& policies);
    /// The current / last run of this session (the "Last run" button); also shown now.
    /// Taken by value: a long run's record is moved in, never copied (GUI thread time).
    void setSessionRun(cklab::RunRecord run);
    void setPathProvider(PathProvider provider);

    /// The run shown, nullptr before any.
    const cklab::RunRecord* run() const { return m_run.get(); }
    std::vector<cklab::CheckpointConfig> policies() const;
    const cklab::Comparison& comparison() const { return m_comparison; }
    TimelineWidget* timeline() const { return m_timeline; }
    ComparisonTableModel* tableModel() const { return m_model; }
    QTableView* table() const { return m_table; }
    CheckpointPolicyList* policyEditor() const { return m_editor; }
    RunsPanel* runsPanel() const { return m_runs; }

public slots:
    /// Recomputes the comparison now (edits schedule this on a short timer).
    void refresh();
    void useSessionRun();
    /// Empty argument: asks the path provider. False (and statusLabel says why) on failure.
    bool openRunFolder(const QString& folder = {});
    bool importHistory(const QString& file = {});
    bool exportCsv(const QString& path = {});
    bool exportPng(const QString& path = {});
    /// Back to the run's own policies.
    void resetPolicies();

signals:
    void comparisonChanged();
    void runChanged(const QString& name);
    /// The user edited the policies in this view (the main window may offer them to the project).
    void policiesEdited(const std::vector<cklab::CheckpointConfig>& policies);

private:
    void showRun(std::shared_ptr<const cklab::RunRecord> run);
    void setStatus(const QString& text, bool error);
    void onEdited();

    // Shared, not copied: the session's run and the run shown are usually the same record.
    std::shared_ptr<const cklab::RunRecord> m_run;
    std::shared_ptr<const cklab::RunRecord> m_sessionRun;
    cklab::Comparison m_comparison;
    PathProvider m_paths;

    QLabel* m_runLabel = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_sessionButton = nullptr;
    CheckpointPolicyList* m_editor = nullptr;
    RunsPanel* m_runs = nullptr;
    TimelineWidget* m_timeline = nullptr;
    ComparisonTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    QWidget* m_results = nullptr;
    QTimer* m_refreshTimer = nullptr;
};

} // namespace cklab::ui
