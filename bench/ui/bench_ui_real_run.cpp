// UI responsiveness while a real model trains (issue 17): the main window opens a project (by
// default the shipped Fashion-MNIST convnet), Run > Train starts the real ProjectRun on the worker
// thread (Fashion-MNIST read from disk, Conv2D/pooling on the engine's worker pool, checkpoints
// written), and after --seconds Run > Stop ends it, as a user would. Measured on the UI thread, as
// bench_ui_load's part 1 does for its synthetic producer: longest gap of a 1 ms heartbeat, longest
// event delivery (wall clock and UI-thread CPU), redraws and paints per second, from Train until
// the run has started (data loading), while it trains, from Stop until the thread has ended, and
// in the run's end (2 s after finished() and until the run record is saved).
//
// Usage: bench_ui_real_run [--project FILE.json] [--seconds S] [--threads N]
// Run with QT_QPA_PLATFORM=offscreen (set here if unset) or under xvfb-run.
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/ui/UiProbes.h"
#include "core/base/Numbers.h"
#include "core/base/ProcessMemory.h"
#include "core/nn/MatMul.h"
#include "core/nn/Parallelism.h"
#include "core/project/ProjectJson.h"
#include "core/project/ShippedExamples.h"
#include "ui/main/EventLogModel.h"
#include "ui/main/EventLogView.h"
#include "ui/main/MainWindow.h"
#include "ui/plots/MetricChart.h"
#include "ui/session/RunHistory.h"
#include "ui/session/TrainingController.h"

using namespace cklab;
using namespace cklab::ui;
using namespace cklab::bench;

namespace {

constexpr const char* kDefaultExample = "fashion_convnet.json";

struct Args {
    std::string project;      ///< empty: the shipped kDefaultExample
    double seconds = 40.0;    ///< training time before Stop
    int threads = 0;          ///< 0: the engine's default (CKLAB_THREADS or the cores)
};

[[noreturn]] void usage(const char* argv0)
{
    std::fprintf(stderr, "usage: %s [--project FILE.json] [--seconds S] [--threads N]\n", argv0);
    std::exit(2);
}

Args parseArgs(int argc, char** argv)
{
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string s = argv[i];
        if (i + 1 >= argc)
            usage(argv[0]);
        const std::string value = argv[++i];
        const auto number = cklab::parseDouble(value);
        if (s == "--project")
            a.project = value;
        else if (s == "--seconds" && number && *number > 0)
            a.seconds = *number;
        else if (s == "--threads" && number && *number >= 1)
            a.threads = int(*number);
        else {
            std::fprintf(stderr, "%s: bad value \"%s\" (seconds: a positive number like 20; threads: 1, 2, ...)\n",
                         s.c_str(), value.c_str());
            usage(argv[0]);
        }
    }
    return a;
}

/// UI-thread figures of one phase of the run.
struct Phase {
    double seconds = 0.0, longestGapMs = 0.0, longestEventMs = 0.0, longestCpuMs = 0.0;
    long long over16 = 0, over50 = 0;
    QString longestWhat, longestCpuWhat;
};

Phase closePhase(ProbeApplication& app, Heartbeat& beat, QElapsedTimer& clock)
{
    Phase p;
    p.seconds = clock.nsecsElapsed() * 1e-9;
    p.longestGapMs = beat.longestMs();
    p.longestEventMs = app.longestMs();
    p.longestCpuMs = app.longestCpuMs();
    p.over16 = beat.over16();
    p.over50 = beat.over50();
    p.longestWhat = app.longestWhat();
    p.longestCpuWhat = app.longestCpuWhat();
    app.reset();
    beat.resetStats();
    clock.restart();
    return p;
}

void printPhase(const char* name, const Phase& p)
{
    std::printf("\n  %s (%.1f s)\n", name, p.seconds);
    row("longest heartbeat gap (ms)", num(p.longestGapMs, 1), "< 50");
    row("heartbeat gaps > 16 ms / > 50 ms", std::to_string(p.over16) + " / " + std::to_string(p.over50));
    row("longest event delivery (ms)", num(p.longestEventMs, 1), "< 50");
    row("  (that event: type to receiver)", p.longestWhat.toStdString());
    row("longest event, UI-thread CPU (ms)", num(p.longestCpuMs, 1), "< 50");
    row("  (that event: type to receiver)", p.longestCpuWhat.toStdString());
}

int run(ProbeApplication& app, const Args& args)
{
    QTemporaryDir dir;
    std::string origin;
    Project project;
    try {
        if (!args.project.empty()) {
            origin = args.project;
            project = loadProjectFile(args.project);
        } else {
            for (const ShippedExample& ex : shippedExamples())
                if (ex.fileName == kDefaultExample) {
                    origin = std::string(ex.fileName) + " (shipped)";
                    project = parseProjectText(std::string(ex.json), std::string(ex.fileName));
                }
            if (origin.empty()) {
                std::fprintf(stderr, "the shipped example %s is missing\n", kDefaultExample);
                return 1;
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 2;
    }
    // A copy in a scratch folder: the run's checkpoints and its record land there.
    const QString path = dir.filePath(QStringLiteral("project.json"));
    saveProjectFile(path.toStdString(), project);

    MainWindow window;
    window.resize(1600, 1000);
    if (!window.openProject(path)) {
        std::fprintf(stderr, "could not open %s\n", origin.c_str());
        return 1;
    }
    window.show();
    processFor(500);

    auto* loss = window.findChild<MetricChart*>(QStringLiteral("lossChart"));
    auto* accuracy = window.findChild<MetricChart*>(QStringLiteral("accuracyChart"));
    auto* events = window.findChild<EventLogView*>();
    auto* train = window.findChild<QAction*>(QStringLiteral("actionTrain"));
    auto* stop = window.findChild<QAction*>(QStringLiteral("actionStop"));
    TrainingController* controller = window.controller();
    if (!loss || !accuracy || !events || !train || !stop) {
        std::fprintf(stderr, "main window widgets not found\n");
        return 1;
    }
    PaintCounter lossPaints, accuracyPaints;
    loss->viewport()->installEventFilter(&lossPaints);
    accuracy->viewport()->installEventFilter(&accuracyPaints);

    Heartbeat beat;
    QEventLoop loop;
    QElapsedTimer phaseClock, sinceStop;
    Phase loading, training, stopping, ending;
    bool started = false, finished = false, saved = false, endWindowOver = false;
    QString failure;
    double stopToEndMs = -1.0, rssPeak = residentMegabytes(), savedAfterMs = -1.0;
    int redrawsTraining = 0, paintsTraining = 0;
    const double rssStart = residentMegabytes();
    const auto quitWhenDone = [&] {
        if (endWindowOver && saved)
            loop.quit();
    };
    QTimer rssProbe;
    QObject::connect(&rssProbe, &QTimer::timeout, [&] { rssPeak = std::max(rssPeak, residentMegabytes()); });
    rssProbe.start(250);

    QObject::connect(controller, &TrainingController::started, &loop, [&] {
        started = true;
        loading = closePhase(app, beat, phaseClock);
        const int redraws0 = loss->redrawCount() + accuracy->redrawCount();
        lossPaints.count = accuracyPaints.count = 0;
        QTimer::singleShot(int(args.seconds * 1000), &loop, [&, redraws0] {
            training = closePhase(app, beat, phaseClock);
            redrawsTraining = loss->redrawCount() + accuracy->redrawCount() - redraws0;
            paintsTraining = lossPaints.count + accuracyPaints.count;
            sinceStop.start();
            stop->trigger();
        });
    });
    QObject::connect(controller, &TrainingController::runningChanged, &loop, [&](bool running) {
        if (running || !sinceStop.isValid())
            return;
        stopToEndMs = sinceStop.nsecsElapsed() * 1e-6;
        stopping = closePhase(app, beat, phaseClock);
    });
    QObject::connect(controller, &TrainingController::finished, &loop, [&] {
        finished = true;
        QTimer::singleShot(2000, &loop, [&] {
            endWindowOver = true;
            quitWhenDone();
        });
    });
    QObject::connect(&window, &MainWindow::runRecordSaved, &loop, [&] {
        saved = true;
        savedAfterMs = phaseClock.nsecsElapsed() * 1e-6;
        quitWhenDone();
    });
    QObject::connect(controller, &TrainingController::failed, &loop, [&](const QString& message) {
        failure = message;
        loop.quit();
    });
    const int deadlineMs = int(args.seconds * 1000) + 300000;
    QTimer::singleShot(deadlineMs, &loop, [&] {
        std::fprintf(stderr, "no end after %d s (started %s, finished %s, record saved %s); giving up\n", deadlineMs / 1000,
                     started ? "yes" : "no", finished ? "yes" : "no", saved ? "yes" : "no");
        loop.quit();
    });

    app.reset();
    app.setEnabled(true);
    beat.start();
    phaseClock.start();
    train->trigger();
    if (!controller->isRunning()) {
        std::fprintf(stderr, "Train did not start a run\n");
        return 1;
    }
    loop.exec();
    ending = closePhase(app, beat, phaseClock);
    beat.stop();
    app.setEnabled(false);

    const RunHistory* history = controller->history();
    const long long batches = static_cast<long long>(history->batchCount());
    std::printf("\nUI while a real model trains: %s, Run > Train, Run > Stop after %.0f s\n", origin.c_str(), args.seconds);
    std::printf("  (engine: %d thread(s), matrix-product kernels %s; the UI thread is one of the process's threads)\n\n",
                threadCount(), std::string(matMulIsaName(matMulIsa())).c_str());
    row("figure", "measured", "target");
    row("run started / finished / record saved",
        std::string(started ? "yes" : "NO") + " / " + (finished ? "yes" : "NO") + " / " + (saved ? "yes" : "NO"));
    if (!failure.isEmpty())
        row("run failed", failure.toStdString());
    row("batches trained (points in the history)", std::to_string(batches));
    row("epochs finished", std::to_string(history->epochs().size()));
    row("checkpoint events in the event log", std::to_string(events->model()->rowCount()));
    row("training: batches per second", num(batches / std::max(1e-9, training.seconds + stopping.seconds), 1));
    row("training: chart redraws per second, per chart", num(redrawsTraining / 2.0 / std::max(1e-9, training.seconds), 1),
        "<= ~30");
    row("training: paints per second, per chart", num(paintsTraining / 2.0 / std::max(1e-9, training.seconds), 1),
        "<= 60");
    row("Stop to the end of the thread (ms)", stopToEndMs >= 0 ? num(stopToEndMs, 0) : std::string("NEVER"),
        "one batch");
    row("finished() to runRecordSaved, about (ms)", savedAfterMs >= 0 ? num(savedAfterMs, 0) : std::string("NEVER"));
    row("RSS start / peak (MB)", num(rssStart, 0) + " / " + num(rssPeak, 0));
    printPhase("Train until the run has started (data read, model built)", loading);
    printPhase("training", training);
    printPhase("Stop until the thread has ended", stopping);
    printPhase("run end: 2 s after finished() and until the record is saved", ending);
    std::printf("\n");
    return started && finished && saved && failure.isEmpty() && batches > 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    const Args args = parseArgs(argc, argv);
    if (args.threads > 0)
        qputenv("CKLAB_THREADS", QByteArray::number(args.threads));
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    QStandardPaths::setTestModeEnabled(true); // never touch the user's settings or recent files
    ProbeApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CheckpointLabBench"));
    QApplication::setApplicationName(QStringLiteral("bench_ui_real_run"));
    HeadlessDialogs dialogs;
    DialogProvider::setInstance(&dialogs);
    const int rc = run(app, args);
    DialogProvider::setInstance(nullptr);
    return rc;
}
