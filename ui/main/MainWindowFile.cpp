// MainWindow, second half: files, training control, recorded runs and closing.
#include <QCloseEvent>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QUndoStack>
#include <QtConcurrent/QtConcurrentRun>
#include <filesystem>

#include "core/base/Errors.h"
#include "core/compare/RunRecord.h"
#include "core/project/ProjectJson.h"
#include "core/project/ShippedExamples.h"
#include "ui/compare/ComparisonView.h"
#include "ui/compare/RunsPanel.h"
#include "ui/compare/SessionRunRecord.h"
#include "ui/main/DialogProvider.h"
#include "ui/main/EventLogConsole.h"
#include "ui/main/MainWindow.h"
#include "ui/session/RunEnd.h"
#include "ui/forms/TrainingForm.h"
#include "ui/main/ProjectForms.h"
#include "ui/session/EvaluateDialog.h"
#include "ui/session/RunHistory.h"
#include "ui/session/TrainingController.h"

namespace cklab::ui {

namespace {
constexpr int kMaxRecent = 8;

QString projectFilter()
{
    return QObject::tr("CheckpointLab projects (*.json);;All files (*)");
}

QString errorText(const std::exception& e)
{
    if (const auto* c = dynamic_cast<const cklab::ConfigError*>(&e)) {
        QStringList lines;
        for (const auto& p : c->problems())
            lines << QString::fromStdString(p);
        if (!lines.isEmpty())
            return lines.join(QLatin1Char('\n'));
    }
    return QString::fromStdString(e.what());
}

QString lastFolder(const char* key)
{
    return QSettings().value(QLatin1String(key), QDir::homePath()).toString();
}

void rememberFolder(const char* key, const QString& file)
{
    QSettings().setValue(QLatin1String(key), QFileInfo(file).absolutePath());
}

QString formatDuration(double seconds)
{
    const long long s = static_cast<long long>(seconds + 0.5);
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}
} // namespace

// ---- files ----------------------------------------------------------------------------------

bool MainWindow::openProject(const QString& path)
{
    try {
        const cklab::Project p = cklab::loadProjectFile(QFileInfo(path).absoluteFilePath().toStdString());
        m_projectFile = QFileInfo(path).absoluteFilePath();
        setProject(p);
        addRecent(m_projectFile);
        rememberFolder("folders/project", m_projectFile);
        statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(m_projectFile)), 5000);
        return true;
    } catch (const std::exception& e) {
        DialogProvider::instance().warning(this, tr("Open project"),
                                           tr("Could not open %1:\n%2").arg(QDir::toNativeSeparators(path), errorText(e)));
        return false;
    }
}

bool MainWindow::openExample(const QString& fileName)
{
    try {
        const cklab::ShippedExample* example = nullptr;
        for (const auto& ex : cklab::shippedExamples())
            if (QString::fromUtf8(ex.fileName.data(), static_cast<qsizetype>(ex.fileName.size())) == fileName)
                example = &ex;
        if (example == nullptr)
            throw cklab::IoError(fileName.toStdString(), "no such shipped example");
        const cklab::Project p = cklab::parseProjectText(std::string(example->json), fileName.toStdString());
        m_projectFile.clear();
        setProject(p);
        statusBar()->showMessage(tr("Opened example %1 (unsaved: Save As to keep your changes)").arg(fileName), 5000);
        return true;
    } catch (const std::exception& e) {
        DialogProvider::instance().warning(this, tr("Open example"), tr("Could not open %1:\n%2").arg(fileName, errorText(e)));
        return false;
    }
}

bool MainWindow::saveProject(const QString& path)
{
    const QString abs = QFileInfo(path).absoluteFilePath();
    try {
        const cklab::Project p = m_forms->project();
        cklab::saveProjectFile(abs.toStdString(), p);
        m_projectFile = abs;
        m_savedText = cklab::projectToText(p);
        followOutputDir();
        addRecent(abs);
        rememberFolder("folders/project", abs);
        updateTitle();
        statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(abs)), 5000);
        return true;
    } catch (const std::exception& e) {
        DialogProvider::instance().warning(this, tr("Save project"), tr("Could not save %1:\n%2").arg(abs, errorText(e)));
        return false;
    }
}

void MainWindow::newProject()
{
    if (!maybeSave())
        return;
    m_projectFile.clear();
    cklab::Project p;
    cklab::LayerSpec hidden;
    hidden.units = 16;
    hidden.activation = cklab::Activation::Relu;
    cklab::LayerSpec out;
    out.units = 2;
    out.activation = cklab::Activation::Softmax;
    p.model.layers = {hidden, out};
    setProject(p);
}

void MainWindow::open()
{
    if (!maybeSave())
        return;
    const QString path = DialogProvider::instance().openFileName(this, tr("Open project"), lastFolder("folders/project"),
                                                                 projectFilter());
    if (!path.isEmpty())
        openProject(path);
}

bool MainWindow::save()
{
    return m_projectFile.isEmpty() ? saveAs() : saveProject(m_projectFile);
}

bool MainWindow::saveAs()
{
    QString start = m_projectFile;
    if (start.isEmpty())
        start = QDir(lastFolder("folders/project")).filePath(QString::fromStdString(m_forms->project().name) + QStringLiteral(".json"));
    QString path = DialogProvider::instance().saveFileName(this, tr("Save project as"), start, projectFilter());
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".json");
    return saveProject(path);
}

void MainWindow::addRecent(const QString& path)
{
    QSettings s;
    QStringList recent = s.value(QStringLiteral("recentProjects")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    s.setValue(QStringLiteral("recentProjects"), recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentProjects")).toStringList();
    for (const QString& path : recent) {
        auto* a = m_recentMenu->addAction(QDir::toNativeSeparators(path));
        connect(a, &QAction::triggered, this, [this, path] {
            if (maybeSave())
                openProject(path);
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

bool MainWindow::maybeSave()
{
    if (!isModified())
        return true;
    switch (DialogProvider::instance().question(this, tr("Unsaved changes"),
                                                tr("The project has unsaved changes. Save them?"), true)) {
    case DialogProvider::Answer::Yes: return save();
    case DialogProvider::Answer::No: return true;
    case DialogProvider::Answer::Cancel: return false;
    }
    return false;
}

void MainWindow::loadExampleByDefault()
{
    const cklab::ShippedExample* ex = cklab::shippedExample(1);
    if (ex == nullptr || !openExample(QString::fromUtf8(ex->fileName.data(), static_cast<qsizetype>(ex->fileName.size()))))
        newProject();
}

void MainWindow::exportMetricsCsv()
{
    const QString path = DialogProvider::instance().saveFileName(this, tr("Export metrics CSV"),
                                                                 QDir(lastFolder("folders/export")).filePath(QStringLiteral("metrics.csv")),
                                                                 tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!m_controller->history()->exportMetricsCsv(path, &error))
        DialogProvider::instance().warning(this, tr("Export metrics CSV"), error);
    else
        rememberFolder("folders/export", path);
}

void MainWindow::exportEventsJsonl()
{
    const QString path = DialogProvider::instance().saveFileName(this, tr("Export events JSONL"),
                                                                 QDir(lastFolder("folders/export")).filePath(QStringLiteral("events.jsonl")),
                                                                 tr("JSON lines (*.jsonl)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!m_controller->history()->exportEventsJsonl(path, &error))
        DialogProvider::instance().warning(this, tr("Export events JSONL"), error);
    else
        rememberFolder("folders/export", path);
}

// ---- training -------------------------------------------------------------------------------

void MainWindow::evaluateCheckpoint()
{
    cklab::RunOptions options;
    options.baseDir = runBaseDir().toStdString();
    // Browse starts where the last run wrote, and the field holds its newest checkpoint.
    const RunHistory* history = m_controller->history();
    options.outputDir = history->info().outputDir.empty() ? std::filesystem::path(outputFolder().toStdString())
                                                          : history->info().outputDir;
    EvaluateDialog dialog(m_forms->project(), options, this);
    const auto& events = history->events();
    for (auto it = events.rbegin(); it != events.rend(); ++it)
        if (it->event.action == cklab::CheckpointAction::Save && QFileInfo::exists(history->absolutePath(it->event.path))) {
            dialog.setCheckpointPath(history->absolutePath(it->event.path));
            break;
        }
    dialog.exec();
}

void MainWindow::train()
{
    if (m_controller->isRunning())
        return;
    // The files may have gone since the last edit: check again, and start nothing if the
    // project cannot run (Train is disabled and the status bar says why).
    m_forms->recheck();
    updateActions();
    if (!m_forms->isValid())
        return;
    cklab::RunOptions options;
    options.baseDir = runBaseDir().toStdString();
    QDir().mkpath(runBaseDir());
    m_status->setText(tr("Starting…"));
    m_runProject = m_forms->project();
    if (!m_controller->start(m_runProject, options))
        m_status->setText(tr("A run is still active"));
    updateActions();
}

void MainWindow::onStarted(const cklab::RunInfo& info)
{
    // Set here, not in train(): until the run has begun the history and charts show the last run.
    QStringList policyOrder; // policy colours follow the project's list (ui/plots/Palette.h)
    for (const auto& policy : m_runProject.checkpoints)
        policyOrder << QString::fromStdString(policy.name);
    m_controller->history()->setPolicyOrder(policyOrder);
    m_progress->setRange(0, std::max(1, info.epochs * info.stepsPerEpoch));
    m_progress->setValue(0);
    m_progress->setFormat(QStringLiteral("%p%"));
    m_status->setText(tr("Training %1 samples (%2 validation), %3 parameters → %4")
                          .arg(info.trainSamples)
                          .arg(info.validationSamples)
                          .arg(info.parameterCount)
                          .arg(QDir::toNativeSeparators(QString::fromStdString(info.outputDir.string()))));
}

void MainWindow::onProgress(const TrainingProgress& p)
{
    m_progress->setRange(0, static_cast<int>(std::max<long long>(1, p.totalSteps)));
    m_progress->setValue(static_cast<int>(p.globalStep));
    QString text = tr("Epoch %1/%2 · batch %3/%4 · %5 samples/s")
                       .arg(p.epoch + 1)
                       .arg(p.epochs)
                       .arg(p.batch)
                       .arg(p.stepsPerEpoch)
                       .arg(p.samplesPerSecond, 0, 'f', 0);
    if (p.secondsLeft >= 0)
        text += tr(" · %1 left").arg(formatDuration(p.secondsLeft));
    if (p.paused)
        text += tr(" · paused");
    m_status->setText(text);
}

void MainWindow::onFinished(const cklab::TrainResult& result)
{
    const auto& epochs = m_controller->history()->epochs();
    // Say how the run ended: a stopped run is not "finished" (issue 14, item 7).
    m_status->setText(tr("%1: %2 epochs, %3 checkpoint events")
                          .arg(runEndText(result.reason))
                          .arg(epochs.size())
                          .arg(m_controller->history()->events().size()));
    if (runCompleted(result.reason))
        m_progress->setValue(m_progress->maximum());
    else
        m_progress->setFormat(result.reason == cklab::StopReason::Error ? tr("%p% — failed") : tr("%p% — stopped"));
    updateActions();
    m_forms->trainingForm()->setResolvedOutputDir(outputFolder()); // the files of this run are "earlier" now
    fileRunRecord(result);
}

// ---- recorded runs --------------------------------------------------------------------------

struct MainWindow::FiledRun {
    int sequence = 0;
    cklab::RunRecord record;
    QString folder;      ///< empty if the record could not be written
    QString error;
};

void MainWindow::fileRunRecord(const cklab::TrainResult& result)
{
    // The finished run goes to the comparison view and is kept in the output folder for reopening.
    // Named after its folder (run-NNN), the id that gives it its colour when overlaid. Building
    // the record of a long run and writing it take ~1 s (200 000 batches): a pool thread does
    // both on a copy of the history, the GUI stays live. The folder is reserved here, on the GUI
    // thread, so that runs finishing while an earlier record is still being written never share one.
    const RunHistory& history = *m_controller->history();
    std::filesystem::path folder;
    QString error;
    try {
        folder = cklab::nextRunFolder(history.info().outputDir);
        std::filesystem::create_directories(folder);
    } catch (const std::exception& e) {
        folder.clear();
        error = QString::fromUtf8(e.what());
    }
    auto job = [sequence = ++m_recordsStarted, data = sessionRunData(history), project = m_runProject, result,
                folder, error]() {
        FiledRun filed;
        filed.sequence = sequence;
        filed.error = error;
        filed.record = runRecordFromData(data, project, result);
        if (folder.empty())
            return filed;
        filed.record.name = folder.filename().string();
        filed.record.origin = folder.string();
        try {
            cklab::saveRunRecord(filed.record, folder);
            filed.folder = QString::fromStdString(folder.string());
        } catch (const std::exception& e) {
            filed.error = QString::fromUtf8(e.what());
        }
        return filed;
    };
    auto* watcher = new QFutureWatcher<FiledRun>(this);
    connect(watcher, &QFutureWatcher<FiledRun>::finished, this, [this, watcher] {
        --m_pendingRecords;
        onRunRecordFiled(watcher->future().takeResult()); // moved, not copied: a long run's record is big
        watcher->deleteLater();
    });
    ++m_pendingRecords;
    watcher->setFuture(QtConcurrent::run(std::move(job)));
}

void MainWindow::onRunRecordFiled(FiledRun filed)
{
    if (!filed.error.isEmpty())
        m_console->appendPlainText(tr("Could not keep the run record: %1").arg(filed.error));
    // Records of two quick runs may complete out of order: the view shows the latest run.
    if (filed.sequence > m_recordShown) {
        m_recordShown = filed.sequence;
        m_compare->setSessionRun(std::move(filed.record));
    }
    emit runRecordSaved(filed.folder);
}

void MainWindow::onFailed(const QString& message)
{
    m_status->setText(tr("Failed: %1").arg(message.section(QLatin1Char('\n'), 0, 0)));
    updateActions();
    DialogProvider::instance().warning(this, tr("Training failed"), message);
}

bool MainWindow::openRunFolder(const QString& folder)
{
    RunsPanel* runs = m_compare->runsPanel();
    const QString id = runs->addRunFolder(QFileInfo(folder).absoluteFilePath());
    if (id.isEmpty())
        return false;
    if (const cklab::RunRecord* run = runs->run(id); run && run->project)
        setProject(*run->project); // runs added by hand stay listed
    runs->setOverlaid(id, true);
    // ... and is the run the comparison replays (as "Compare on run" on its row does).
    for (int row = 0; row < runs->list()->count(); ++row)
        if (runs->list()->item(row)->data(Qt::UserRole).toString() == id)
            runs->list()->setCurrentRow(row);
    runs->compareCurrent();
    m_logTabs->setCurrentWidget(m_compare);
    return true;
}

// ---- window ---------------------------------------------------------------------------------

void MainWindow::changeEvent(QEvent* event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::ActivationChange && isActiveWindow() && !m_controller->isRunning()) {
        m_forms->recheck();
        updateActions();
    }
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_controller->isRunning()) {
        if (DialogProvider::instance().question(this, tr("Training is running"),
                                                tr("Stop training and close the window?"), false) != DialogProvider::Answer::Yes) {
            event->ignore();
            return;
        }
        m_controller->shutdown();
    }
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

} // namespace cklab::ui
