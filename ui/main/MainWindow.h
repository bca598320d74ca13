#pragma once
/// The main window: the project forms in a dock on the left, the live charts and the checkpoint
/// event log in the centre, Train/Pause/Resume/Stop actions, the File menu (project files,
/// shipped examples, recent projects, exports), undo/redo of form edits and remembered settings.
/// Modal dialogs go through DialogProvider::instance().
#include <QMainWindow>

#include "core/project/Project.h"

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QTabWidget;
class QUndoStack;
template <typename T>
class QFutureWatcher;

namespace cklab {
struct TrainResult;
struct RunInfo;
} // namespace cklab

namespace cklab::ui {

class ChartPanel;
class ComparisonView;
class EventLogConsole;
class EventLogView;
class ProjectForms;
class TrainingController;
struct TrainingProgress;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Loads a project file; on failure shows the problems and keeps the current project.
    bool openProject(const QString& path);
    /// Loads a shipped example (cklab::shippedExamples(), e.g. "example1_best_on_loss.json") as a
    /// new, unsaved project.
    bool openExample(const QString& fileName);
    bool saveProject(const QString& path);
    /// Replaces the project without a file (File > New uses the default project).
    void setProject(const cklab::Project& project);
    cklab::Project project() const;

    QString projectFile() const { return m_projectFile; }
    bool isModified() const;
    /// Folder relative paths of the run resolve against: the project file's folder, else a
    /// per-user folder (Documents/CheckpointLab).
    QString runBaseDir() const;
    /// The folder the next run writes to: the project's output_dir resolved against runBaseDir().
    QString outputFolder() const;

    ProjectForms* forms() const { return m_forms; }
    TrainingController* controller() const { return m_controller; }
    QUndoStack* undoStack() const { return m_undo; }

    /// Opens a recorded run (a folder with run.json, e.g. recorded-runs/run-003): it goes to the
    /// Runs list, ticked (its curves on the charts), its config becomes the (unsaved) project and
    /// the comparison tab replays its policies. Returns false (the Runs list says why) if the
    /// folder holds no readable run.json.
    bool openRunFolder(const QString& folder);

    /// Records of finished runs still being built and written on a pool thread.
    int pendingRunRecords() const { return m_pendingRecords; }

signals:
    /// A finished run is in the comparison view (its "Last run") and kept in `folder`
    /// (<output>/recorded-runs/run-NNN), or `folder` is empty if it could not be written (the
    /// console says why). Comes after TrainingController::finished: the record is built and
    /// written on a pool thread, so the GUI does not freeze at the end of a long run.
    void runRecordSaved(const QString& folder);

public slots:
    void newProject();
    void open();
    bool save();
    bool saveAs();
    void train();
    void exportMetricsCsv();
    void exportEventsJsonl();
    void evaluateCheckpoint();

protected:
    void closeEvent(QCloseEvent* event) override;
    /// Coming back to the window checks the data files again: the user may have just made the
    /// missing one, and Train follows.
    void changeEvent(QEvent* event) override;

private:
    void buildActions();
    void buildMenus();
    void buildLayout();
    void applySnapshot(const cklab::Project& project);
    /// Everything that depends on where the project's files are: the forms' base folder, the
    /// "Writes to" line, the Runs list (after open, New, an example, Save As, an output folder edit).
    void followOutputDir();
    void onFormsEdited(const QString& field);
    void updateActions();
    void updateTitle();
    void addRecent(const QString& path);
    void rebuildRecentMenu();
    void onStarted(const cklab::RunInfo& info);
    void onProgress(const TrainingProgress& progress);
    void onFinished(const cklab::TrainResult& result);
    void onFailed(const QString& message);
    void fileRunRecord(const cklab::TrainResult& result);
    struct FiledRun;
    void onRunRecordFiled(FiledRun filed);
    bool maybeSave();
    void loadExampleByDefault();

    ProjectForms* m_forms = nullptr;
    ChartPanel* m_charts = nullptr;
    EventLogView* m_events = nullptr;
    EventLogConsole* m_console = nullptr;
    ComparisonView* m_compare = nullptr;
    QTabWidget* m_logTabs = nullptr;     ///< events, console, comparison
    cklab::Project m_runProject;          // the project as it was when the last run started
    TrainingController* m_controller = nullptr;
    QUndoStack* m_undo = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_trainBlocked = nullptr;   ///< why Train is disabled (first problem), hidden when valid
    QMenu* m_recentMenu = nullptr;
    QMenu* m_examplesMenu = nullptr;
    QAction* m_train = nullptr;
    QAction* m_pause = nullptr;
    QAction* m_resume = nullptr;
    QAction* m_stop = nullptr;
    QAction* m_stopAtEpochEnd = nullptr;
    QAction* m_exportCsv = nullptr;
    QAction* m_exportJsonl = nullptr;
    QAction* m_evaluate = nullptr;

    cklab::Project m_current;       ///< the project as of the last committed edit (undo snapshots)
    std::string m_savedText;        ///< projectToText of the last saved / loaded state
    QString m_projectFile;
    bool m_applying = false;
    int m_pendingRecords = 0;
    int m_recordsStarted = 0;       ///< sequence number of the last record job started
    int m_recordShown = 0;          ///< ... and of the last one handed to the comparison view
};

} // namespace cklab::ui
