#pragma once
/// The runs kept in the project's output folder (recorded-runs/run-NNN, one per finished run) and
/// run folders added by hand. Tick a run to overlay its curves on the live charts in its own
/// colour (palette::runColor of its id, so it keeps that colour whenever it is shown again); the
/// colour swatch of each row is the legend. Pick two runs to see how their configs differ, or
/// one to compare policies on it.
/// Object names: "runList" (checkable rows "run-003 — Stopped by you"; Qt::UserRole = id,
/// kFolderRole = folder, kEndRole = how it ended),
/// "refreshRunsButton", "addRunButton", "configDiffButton", "compareOnRunButton", "runsStatus";
/// the diff window is a ConfigDiffDialog child ("configDiffDialog").
#include <QHash>
#include <QString>
#include <QWidget>
#include <functional>
#include <map>

#include "core/compare/RunRecord.h"

class QLabel;
class QListWidget;
class QListWidgetItem;

namespace cklab::ui {

class ChartPanel;
class ConfigDiffDialog;

class RunsPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kFolderRole = Qt::UserRole + 1;
    /// How the run ended: its stop_reason name ("completed", "requested", ...), once read.
    static constexpr int kEndRole = Qt::UserRole + 3;
    /// Asked for a run folder on "Add run…"; empty = cancelled. Default: a folder dialog.
    using FolderProvider = std::function<QString()>;

    explicit RunsPanel(QWidget* parent = nullptr);

    /// The charts ticked runs are drawn on (none: ticking only marks the row).
    void setChartPanel(ChartPanel* charts);
    /// The project's output folder; the list shows its recorded runs (reread when it changes).
    void setOutputDir(const QString& dir);
    QString outputDir() const { return m_outputDir; }
    void setFolderProvider(FolderProvider provider);

    QListWidget* list() const { return m_list; }
    /// Ids of the listed runs, top to bottom ("run-001", ...).
    QStringList runIds() const;
    QStringList overlaidIds() const;
    /// The run of a listed id, loaded on first use (nullptr, and runsStatus says why, on failure).
    const RunRecord* run(const QString& id);
    ConfigDiffDialog* diffDialog() const { return m_diff; }

public slots:
    /// Rereads the output folder; ticks and loaded runs are kept for runs still listed.
    void refresh();
    /// Lists a run folder from anywhere; empty argument asks the folder provider. Returns its id.
    QString addRunFolder(const QString& folder = {});
    /// Ticks / unticks a run: its overlay is shown / hidden on the charts.
    void setOverlaid(const QString& id, bool on);
    /// Shows the config difference of two listed runs; false (and runsStatus says why) if either
    /// has no config or fails to load.
    bool showConfigDiff(const QString& idA, const QString& idB);
    /// The two selected rows, else the first two ticked runs.
    bool showConfigDiffOfSelection();
    /// compareRequested for the current row.
    void compareCurrent();

signals:
    /// The user wants to compare policies on `run`.
    void compareRequested(const cklab::RunRecord& run);
    /// The rows now say how their runs ended (read on a pool thread after refresh()).
    void endReasonsShown();

private:
    QListWidgetItem* itemOf(const QString& id) const;
    QListWidgetItem* addItem(const QString& id, const QString& folder, bool byHand);
    void onItemChanged(QListWidgetItem* item);
    void setStatus(const QString& text, bool error);
    void showEndReasons();

    QString m_outputDir;
    ChartPanel* m_charts = nullptr;
    FolderProvider m_folders;
    std::map<QString, RunRecord> m_loaded;   // by folder
    QListWidget* m_list = nullptr;
    QLabel* m_status = nullptr;
    ConfigDiffDialog* m_diff = nullptr;
    bool m_filling = false;
};

} // namespace cklab::ui
