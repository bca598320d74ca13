#include "ui/main/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStyle>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QUndoStack>

#include "core/project/ProjectJson.h"
#include "ui/main/DialogProvider.h"
#include "ui/main/EventLogConsole.h"
#include "ui/main/EventLogView.h"
#include "ui/forms/TrainingForm.h"
#include "ui/main/HelpMenu.h"
#include "ui/main/ProjectForms.h"
#include "ui/main/SnapshotCommand.h"
#include "ui/main/Theme.h"
#include "ui/forms/WheelGuard.h"
#include "ui/compare/ComparisonView.h"
#include "core/project/ShippedExamples.h"
#include "ui/compare/RunsPanel.h"
#include "ui/plots/ChartPanel.h"
#include "ui/session/RunHistory.h"
#include "ui/session/TrainingController.h"

namespace cklab::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    if (const Theme theme = savedTheme(); theme != Theme::System)
        applyTheme(theme); // else the desktop's palette, as Qt found it
    qApp->installEventFilter(new WheelGuard(this));
    m_undo = new QUndoStack(this);
    m_controller = new TrainingController(this);
    buildActions();
    buildLayout();
    buildMenus();

    connect(m_forms, &ProjectForms::edited, this, &MainWindow::onFormsEdited);
    connect(m_forms, &ProjectForms::validityChanged, this, &MainWindow::updateActions);
    connect(m_forms, &ProjectForms::problemsChanged, this, &MainWindow::updateActions);
    connect(m_undo, &QUndoStack::indexChanged, this, &MainWindow::updateTitle);
    connect(m_controller, &TrainingController::started, this, &MainWindow::onStarted);
    connect(m_controller, &TrainingController::progressChanged, this, &MainWindow::onProgress);
    connect(m_controller, &TrainingController::finished, this, &MainWindow::onFinished);
    connect(m_controller, &TrainingController::failed, this, &MainWindow::onFailed);
    connect(m_controller, &TrainingController::runningChanged, this, &MainWindow::updateActions);
    connect(m_controller, &TrainingController::pausedChanged, this, &MainWindow::updateActions);
    connect(m_controller->history(), &RunHistory::epochAppended, this, &MainWindow::updateActions);
    connect(m_controller->history(), &RunHistory::eventAppended, this, &MainWindow::updateActions);
    connect(m_controller->history(), &RunHistory::cleared, this, &MainWindow::updateActions);

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1500, 920);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    rebuildRecentMenu();
    loadExampleByDefault();
    updateActions();
}

MainWindow::~MainWindow()
{
    m_controller->shutdown();
    // Records of finished runs still being written: let them complete (they hold copies only).
    for (auto* watcher : findChildren<QFutureWatcherBase*>(Qt::FindDirectChildrenOnly)) {
        watcher->disconnect(this);
        watcher->waitForFinished();
    }
    // Children are deleted after this body, by ~QWidget: the undo stack's clear() then emits
    // indexChanged, which must not reach updateTitle() of a half-destroyed window (UBSan).
    disconnect(m_undo, nullptr, this, nullptr);
}

void MainWindow::buildActions()
{
    auto make = [this](const char* name, const QString& text, const QKeySequence& key, const QString& tip) {
        auto* a = new QAction(text, this);
        a->setObjectName(QLatin1String(name));
        a->setShortcut(key);
        a->setToolTip(key.isEmpty() ? tip : QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
        a->setStatusTip(tip);
        return a;
    };
    m_train = make("actionTrain", tr("Train"), QKeySequence(Qt::CTRL | Qt::Key_R), tr("Train the project in the background"));
    m_train->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_pause = make("actionPause", tr("Pause"), QKeySequence(Qt::CTRL | Qt::Key_P), tr("Pause training between batches"));
    m_pause->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
    m_resume = make("actionResume", tr("Resume"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), tr("Resume paused training"));
    m_resume->setIcon(style()->standardIcon(QStyle::SP_MediaSeekForward));
    m_stop = make("actionStop", tr("Stop"), QKeySequence(Qt::CTRL | Qt::Key_Period), tr("Stop training after the current batch"));
    m_stop->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    m_stopAtEpochEnd = make("actionStopAtEpochEnd", tr("Stop at epoch end"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Period),
                            tr("Finish the current epoch (validation and epoch-end saves included), then stop"));
    m_stopAtEpochEnd->setIcon(style()->standardIcon(QStyle::SP_MediaSkipForward));
    m_exportCsv = make("actionExportMetricsCsv", tr("Export metrics CSV…"), {}, tr("Write the epoch metrics of the run as CSV"));
    m_evaluate = make("actionEvaluateCheckpoint", tr("Evaluate checkpoint…"), {},
                      tr("Load a saved checkpoint and evaluate it on the validation data"));
    m_exportJsonl = make("actionExportEventsJsonl", tr("Export events JSONL…"), {},
                         tr("Write the checkpoint events of the run, one JSON object per line"));

    connect(m_train, &QAction::triggered, this, &MainWindow::train);
    connect(m_pause, &QAction::triggered, m_controller, &TrainingController::pause);
    connect(m_resume, &QAction::triggered, m_controller, &TrainingController::resume);
    connect(m_stop, &QAction::triggered, m_controller, &TrainingController::stopNow);
    connect(m_stopAtEpochEnd, &QAction::triggered, m_controller, &TrainingController::stopAtEpochEnd);
    connect(m_exportCsv, &QAction::triggered, this, &MainWindow::exportMetricsCsv);
    connect(m_exportJsonl, &QAction::triggered, this, &MainWindow::exportEventsJsonl);
    connect(m_evaluate, &QAction::triggered, this, &MainWindow::evaluateCheckpoint);

    auto* toolbar = addToolBar(tr("Training"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addActions({m_train, m_pause, m_resume, m_stop, m_stopAtEpochEnd});
}

void MainWindow::buildLayout()
{
    m_forms = new ProjectForms;
    auto* dock = new QDockWidget(tr("Project"), this);
    dock->setObjectName(QStringLiteral("formsDock"));
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    dock->setWidget(m_forms);
    dock->setMinimumWidth(470);
    addDockWidget(Qt::LeftDockWidgetArea, dock);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("centralSplitter"));
    m_charts = new ChartPanel(splitter);
    m_charts->setObjectName(QStringLiteral("chartPanel"));
    m_charts->setHistory(m_controller->history());
    auto* bottom = new QTabWidget(splitter);
    m_logTabs = bottom;
    bottom->setObjectName(QStringLiteral("logTabs"));
    m_events = new EventLogView(bottom);
    m_events->setObjectName(QStringLiteral("eventLog"));
    m_events->setHistory(m_controller->history());
    m_console = new EventLogConsole(bottom);
    m_console->setHistory(m_controller->history());
    bottom->addTab(m_events, tr("Checkpoint events"));
    bottom->addTab(m_console, tr("Console"));
    m_compare = new ComparisonView(bottom);
    m_compare->setObjectName(QStringLiteral("comparisonView"));
    bottom->addTab(m_compare, tr("Policy comparison"));
    m_compare->runsPanel()->setChartPanel(m_charts);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    setCentralWidget(splitter);
    connect(m_events, &EventLogView::eventSelected, m_charts, &ChartPanel::highlightEvent);
    m_charts->setExportPathProvider([this] {
        QSettings s;
        const QString path = DialogProvider::instance().saveFileName(
            this, tr("Export charts"), s.value(QStringLiteral("folders/export"), QDir::homePath()).toString(),
            tr("PNG images (*.png)"));
        if (!path.isEmpty())
            s.setValue(QStringLiteral("folders/export"), QFileInfo(path).absolutePath());
        return path;
    });

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("trainingProgress"));
    m_progress->setMaximumWidth(260);
    m_progress->setTextVisible(true);
    m_progress->setToolTip(tr("Training steps done / total"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("trainingStatus"));
    m_status->setToolTip(tr("Epoch, batch, throughput and estimated time left"));
    m_trainBlocked = new QLabel(this);
    m_trainBlocked->setObjectName(QStringLiteral("trainBlockedLabel"));
    m_trainBlocked->setVisible(false);
    m_trainBlocked->setStyleSheet(QStringLiteral("color: #c62828;"));
    statusBar()->addPermanentWidget(m_trainBlocked);
    statusBar()->addPermanentWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_progress);
}

void MainWindow::buildMenus()
{
    auto* file = menuBar()->addMenu(tr("&File"));
    auto add = [this](QMenu* menu, const char* name, const QString& text, QKeySequence key, auto slot) {
        auto* a = menu->addAction(text);
        a->setObjectName(QLatin1String(name));
        if (!key.isEmpty())
            a->setShortcut(key);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    add(file, "actionNew", tr("&New"), QKeySequence::New, &MainWindow::newProject);
    add(file, "actionOpen", tr("&Open…"), QKeySequence::Open, &MainWindow::open);
    m_examplesMenu = file->addMenu(tr("Open &Example"));
    m_examplesMenu->setObjectName(QStringLiteral("examplesMenu"));
    // The core's table (also the CLI's): the examples are compiled in once, not also as Qt resources.
    QStringList examples;
    for (const auto& ex : cklab::shippedExamples())
        examples << QString::fromUtf8(ex.fileName.data(), static_cast<qsizetype>(ex.fileName.size()));
    examples.sort();
    for (const QString& name : examples) {
        auto* a = m_examplesMenu->addAction(QFileInfo(name).completeBaseName());
        a->setObjectName(QStringLiteral("example_") + QFileInfo(name).completeBaseName());
        connect(a, &QAction::triggered, this, [this, name] {
            if (maybeSave())
                openExample(name);
        });
    }
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    file->addSeparator();
    add(file, "actionSave", tr("&Save"), QKeySequence::Save, &MainWindow::save);
    add(file, "actionSaveAs", tr("Save &As…"), QKeySequence::SaveAs, &MainWindow::saveAs);
    file->addSeparator();
    file->addAction(m_exportCsv);
    file->addAction(m_exportJsonl);
    file->addSeparator();
    add(file, "actionQuit", tr("&Quit"), QKeySequence::Quit, &QWidget::close);

    auto* edit = menuBar()->addMenu(tr("&Edit"));
    auto* undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setObjectName(QStringLiteral("actionUndo"));
    undo->setShortcut(QKeySequence::Undo);
    auto* redo = m_undo->createRedoAction(this, tr("&Redo"));
    redo->setObjectName(QStringLiteral("actionRedo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addActions({undo, redo});

    auto* run = menuBar()->addMenu(tr("&Run"));
    run->addActions({m_train, m_pause, m_resume, m_stop, m_stopAtEpochEnd});
    run->addSeparator();
    run->addAction(m_evaluate);

    auto* view = menuBar()->addMenu(tr("&View"));
    for (auto* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());
    view->addSeparator();
    addThemeMenu(view);

    menuBar()->addMenu(new HelpMenu(this));
}

// ---- project state --------------------------------------------------------------------------

void MainWindow::setProject(const cklab::Project& project)
{
    applySnapshot(project);
    m_undo->clear();
    m_savedText = cklab::projectToText(m_forms->project());
    updateTitle();
}

cklab::Project MainWindow::project() const
{
    return m_forms->project();
}

bool MainWindow::isModified() const
{
    return cklab::projectToText(m_forms->project()) != m_savedText;
}

QString MainWindow::runBaseDir() const
{
    if (!m_projectFile.isEmpty())
        return QFileInfo(m_projectFile).absolutePath();
    const QString docs = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return QDir(docs.isEmpty() ? QDir::homePath() : docs).filePath(QStringLiteral("CheckpointLab"));
}

QString MainWindow::outputFolder() const
{
    return QDir::cleanPath(QDir(runBaseDir()).absoluteFilePath(QString::fromStdString(m_forms->project().outputDir)));
}

void MainWindow::followOutputDir()
{
    // One place for everything that depends on where the project's files are: after Open, New,
    // an example, Save As (the project file moved) and an edit of the output folder.
    m_forms->setBaseDir(runBaseDir());
    m_forms->trainingForm()->setResolvedOutputDir(outputFolder());
    m_compare->runsPanel()->setOutputDir(outputFolder());
}

void MainWindow::applySnapshot(const cklab::Project& project)
{
    m_applying = true;
    m_forms->setBaseDir(runBaseDir());
    m_forms->setProject(project);
    m_current = m_forms->project();
    followOutputDir();
    m_applying = false;
    updateActions();
    updateTitle();
}

void MainWindow::onFormsEdited(const QString& field)
{
    if (m_applying)
        return;
    cklab::Project after = m_forms->project();
    const bool folderEdited = after.outputDir != m_current.outputDir;
    m_undo->push(new SnapshotCommand(m_current, after, field, [this](const cklab::Project& p) { applySnapshot(p); }));
    m_current = std::move(after);
    if (folderEdited)
        followOutputDir();
    updateTitle();
}

void MainWindow::updateTitle()
{
    const QString name = m_projectFile.isEmpty() ? QString::fromStdString(m_forms->project().name)
                                                 : QFileInfo(m_projectFile).fileName();
    setWindowTitle(tr("%1[*] — CheckpointLab").arg(name));
    setWindowModified(isModified());
}

void MainWindow::updateActions()
{
    const bool running = m_controller->isRunning();
    const bool paused = m_controller->isPaused();
    const bool valid = m_forms->isValid();
    m_train->setEnabled(valid && !running);
    const QStringList problems = valid ? QStringList() : m_forms->problems();
    m_train->setToolTip(valid ? tr("Train the project in the background (Ctrl+R)")
                              : tr("Fix the problems shown in the forms first:\n%1").arg(problems.join(QLatin1Char('\n'))));
    // Why Train is disabled, where the eye goes after clicking it: the status bar.
    m_trainBlocked->setVisible(!valid && !running);
    if (!valid) {
        const QString first = problems.isEmpty() ? tr("the project is invalid") : problems.first();
        m_trainBlocked->setText(problems.size() > 1 ? tr("Cannot train: %1 (and %n more)", nullptr, int(problems.size() - 1)).arg(first)
                                                    : tr("Cannot train: %1").arg(first));
        m_trainBlocked->setToolTip(problems.join(QLatin1Char('\n')));
    }
    m_pause->setEnabled(running && !paused);
    m_resume->setEnabled(running && paused);
    m_stop->setEnabled(running);
    m_stopAtEpochEnd->setEnabled(running);
    m_forms->setLocked(running);
    const bool haveData = !m_controller->history()->epochs().empty() || !m_controller->history()->events().empty();
    m_exportCsv->setEnabled(haveData);
    m_exportJsonl->setEnabled(haveData);
}

} // namespace cklab::ui
