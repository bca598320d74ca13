#pragma once
// Driving the real main window in GUI tests: dialogs that never block, and one full training run
// (Train, the worker thread, the run record filed on a pool thread) waited for.
#include <QAction>
#include <QFileInfo>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QtTest>

#include "tests/support/WidgetDriving.h"
#include "ui/main/DialogProvider.h"
#include "ui/main/MainWindow.h"
#include "ui/session/TrainingController.h"

namespace cklab::test {

/// Records warnings instead of showing them; answers "No" and no file.
class SilentDialogs : public ui::DialogProvider {
public:
    QStringList warnings;
    QString openFileName(QWidget*, const QString&, const QString&, const QString&) override { return {}; }
    QString saveFileName(QWidget*, const QString&, const QString&, const QString&) override { return {}; }
    Answer question(QWidget*, const QString&, const QString&, bool) override { return Answer::No; }
    void warning(QWidget*, const QString&, const QString& text) override { warnings << text; }
};

/// Triggers Train and waits until the run has finished and its run record is on disk; false if
/// it failed, timed out or the record was filed synchronously.
inline bool train(ui::MainWindow& w)
{
    QSignalSpy finished(w.controller(), &ui::TrainingController::finished);
    QSignalSpy failed(w.controller(), &ui::TrainingController::failed);
    QSignalSpy saved(&w, &ui::MainWindow::runRecordSaved);
    // finished() only starts the record's build and save (pool thread); runRecordSaved follows.
    int pendingAtFinished = -1;
    const auto probe = QObject::connect(w.controller(), &ui::TrainingController::finished, &w,
                                        [&] { pendingAtFinished = w.pendingRunRecords(); });
    const auto disconnectProbe = qScopeGuard([&] { QObject::disconnect(probe); });
    child<QAction>(&w, QStringLiteral("actionTrain"))->trigger();
    if (!w.controller()->isRunning())
        return false;
    if (!QTest::qWaitFor([&] { return finished.count() + failed.count() > 0; }, 120000))
        return false;
    if (!failed.isEmpty())
        qWarning("training failed: %s", qPrintable(failed.at(0).at(0).toString()));
    // The run record is built and written on a pool thread after finished().
    if (pendingAtFinished != 1) {
        qWarning("the run record was filed synchronously in finished() (%d pending)", pendingAtFinished);
        return false;
    }
    return failed.isEmpty() && QTest::qWaitFor([&] { return !w.controller()->isRunning() && saved.count() == 1; }, 30000)
           && w.pendingRunRecords() == 0 && QFileInfo::exists(saved.at(0).at(0).toString() + QStringLiteral("/run.json"));
}

} // namespace cklab::test
