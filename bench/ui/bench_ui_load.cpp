// UI under load (issue 7). Two parts, both on the real GUI code:
//  1. The main window with a run whose observer calls come from a paced synthetic producer on the
//     worker thread (TrainingController::startSource -> TrainingWorker buffer -> drain -> RunHistory
//     -> charts, event log, console, status bar). Measured on the UI thread: longest gap of a 1 ms
//     heartbeat timer, longest single event delivery, chart redraws and paint events per second,
//     events produced vs received, RSS at start/middle/end.
//  2. A MetricChart with 1 000 000 points per curve: re-decimation + paint time of a live update,
//     with smoothing, with log scale, after a zoom and a pan; one undecimated paint for contrast.
//
// Usage: bench_ui_load [--seconds S] [--rate BATCHES_PER_S] [--checkpoint-every N] [--points N]
//                      [--load-only | --redraw-only]
// Run with QT_QPA_PLATFORM=offscreen (set here if unset) or under xvfb-run.
#include <QApplication>
#include <QElapsedTimer>
#include <QDir>
#include <QEventLoop>
#include <QImage>
#include <QLineSeries>
#include <QPainter>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QTextDocument>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <malloc.h>
#include <string>
#include <vector>

#include "core/base/Numbers.h"
#include "core/base/ProcessMemory.h"
#include "core/compare/RunRecord.h"
#include "ui/compare/SessionRunRecord.h"
#include "ui/main/DialogProvider.h"
#include "ui/main/EventLogModel.h"
#include "ui/main/EventLogView.h"
#include "ui/main/MainWindow.h"
#include "ui/plots/Decimator.h"
#include "ui/plots/MetricChart.h"
#include "ui/plots/MinMaxBlocks.h"
#include "ui/session/RunHistory.h"
#include "bench/ui/UiProbes.h"
#include "tests/support/ui/SyntheticRun.h"
#include "ui/session/TrainingController.h"

using namespace cklab;
using namespace cklab::ui;
using namespace cklab::test;
using namespace cklab::bench;

namespace {

struct Args {
    double seconds = 10.0;
    double rate = 20000.0;
    int checkpointEvery = 2000;
    long long points = 1000000;
    bool load = true;
    bool redraw = true;
};

Args parseArgs(int argc, char** argv)
{
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string s = argv[i];
        auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string("0"); };
        // Not std::stod: QApplication has set LC_NUMERIC from the environment ("0,5" under de_DE).
        const auto number = [&](const std::string& flag) {
            const std::string text = next();
            const auto v = cklab::parseDouble(text);
            if (!v) {
                std::fprintf(stderr, "%s: expected a number like 2.5, got \"%s\"\n", flag.c_str(), text.c_str());
                std::exit(2);
            }
            return *v;
        };
        if (s == "--seconds") a.seconds = number(s);
        else if (s == "--rate") a.rate = number(s);
        else if (s == "--checkpoint-every") a.checkpointEvery = std::stoi(next());
        else if (s == "--points") a.points = std::stoll(next());
        else if (s == "--load-only") a.redraw = false;
        else if (s == "--redraw-only") a.load = false;
        else {
            std::fprintf(stderr, "usage: %s [--seconds S] [--rate N] [--checkpoint-every N] [--points N] "
                                 "[--load-only|--redraw-only]\n", argv[0]);
            std::exit(2);
        }
    }
    return a;
}

/// Bytes malloc has handed out and not taken back (glibc).
double heapBytes()
{
    return double(mallinfo2().uordblks);
}

/// What `n` batch points cost as a std::vector<BatchPoint> with a std::map of logs each (how
/// RunHistory kept them before its column store): heap bytes per point, for contrast.
double bytesPerPointAsStructs(const BatchTable& table, std::size_t n)
{
    n = std::min(n, table.size());
    const double before = heapBytes();
    std::vector<BatchPoint> points;
    for (std::size_t i = 0; i < n; ++i)
        points.push_back(table.row(i));
    return n > 0 ? (heapBytes() - before) / double(n) : 0.0;
}


int runLoad(ProbeApplication& app, const Args& args)
{
    QTemporaryDir dir;
    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    processFor(500);

    auto* loss = window.findChild<MetricChart*>(QStringLiteral("lossChart"));
    auto* accuracy = window.findChild<MetricChart*>(QStringLiteral("accuracyChart"));
    auto* events = window.findChild<EventLogView*>();
    auto* console = window.findChild<QPlainTextEdit*>(QStringLiteral("console"));
    TrainingController* controller = window.controller();
    if (!loss || !accuracy || !events || !console) {
        std::fprintf(stderr, "main window widgets not found\n");
        return 1;
    }
    PaintCounter lossPaints, accuracyPaints;
    loss->viewport()->installEventFilter(&lossPaints);
    accuracy->viewport()->installEventFilter(&accuracyPaints);
    int drains = 0, maxDrain = 0;
    double rssLastDrain = 0.0;
    QObject::connect(controller, &TrainingController::batchesAvailable, &window, [&](int n) {
        ++drains;
        maxDrain = std::max(maxDrain, n);
        rssLastDrain = residentMegabytes();
    });

    SyntheticRunPlan plan;
    plan.batchesPerSecond = args.rate;
    plan.batches = static_cast<long long>(std::llround(args.rate * args.seconds));
    plan.stepsPerEpoch = std::max(1, int(args.rate)); // about one epoch per second
    plan.checkpointEvery = args.checkpointEvery;
    plan.outputDir = dir.path().toStdString();
    auto counts = std::make_shared<SyntheticRunCounts>();

    const double rssStart = residentMegabytes();
    double rssMiddle = 0.0;
    const int redrawsBefore = loss->redrawCount() + accuracy->redrawCount();
    lossPaints.count = accuracyPaints.count = 0;
    Heartbeat beat;
    QEventLoop loop;
    QElapsedTimer wall;
    double producedAtSeconds = 0.0, rssEnd = 0.0;
    QElapsedTimer sinceFinished;
    double savedAfterMs = -1.0;
    QString savedFolder;
    bool endWindowOver = false;
    auto quitWhenDone = [&] {
        if (endWindowOver && savedAfterMs >= 0.0)
            loop.quit();
    };
    int redrawsAtEnd = 0, paintsLossAtEnd = 0, paintsAccAtEnd = 0;
    bool finished = false;
    // The run's end (finished(): the main window files the run for comparison) is timed apart
    // from the streaming phase: the heartbeat keeps running 300 ms past it.
    double streamLongestEvent = 0.0, streamLongestCpu = 0.0, streamLongestGap = 0.0, seconds = 0.0, cpu1 = 0.0;
    QString streamLongestWhat, streamLongestCpuWhat;
    long long streamOver16 = 0, streamOver50 = 0;
    QObject::connect(controller, &TrainingController::runningChanged, &loop, [&](bool running) {
        if (running)
            return;
        seconds = wall.nsecsElapsed() * 1e-9;
        cpu1 = threadCpuSeconds();
        streamLongestEvent = app.longestMs();
        streamLongestCpu = app.longestCpuMs();
        streamLongestCpuWhat = app.longestCpuWhat();
        streamLongestWhat = app.longestWhat();
        streamLongestGap = beat.longestMs();
        streamOver16 = beat.over16();
        streamOver50 = beat.over50();
        redrawsAtEnd = loss->redrawCount() + accuracy->redrawCount() - redrawsBefore;
        paintsLossAtEnd = lossPaints.count;
        paintsAccAtEnd = accuracyPaints.count;
        // From here on: the run's end (finished() and what follows it) in a window of its own.
        app.reset();
        beat.resetStats();
        sinceFinished.start();
    });
    QObject::connect(controller, &TrainingController::finished, &loop, [&] {
        finished = true;
        // The heartbeat runs on for 2 s after finished() and until the run record is saved.
        QTimer::singleShot(2000, &loop, [&] {
            endWindowOver = true;
            quitWhenDone();
        });
        QTimer::singleShot(60000, &loop, &QEventLoop::quit); // a save that never ends: give up
    });
    QObject::connect(&window, &MainWindow::runRecordSaved, &loop, [&](const QString& folder) {
        savedAfterMs = sinceFinished.nsecsElapsed() * 1e-6;
        savedFolder = folder;
        quitWhenDone();
    });
    QObject::connect(controller, &TrainingController::failed, &loop, [&] { loop.quit(); });
    // Every quit above waits for a signal; if one never comes the loop must still end, saying
    // which (the 60 s limit after finished() covers only a record that is never saved).
    const int deadlineMs = int(args.seconds * 4000) + 120000;
    QTimer::singleShot(deadlineMs, &loop, [&] {
        std::fprintf(stderr, "part 1: no end after %d s (running %s, finished() %s, record saved %s, batches emitted %lld, "
                             "in the history %zu); giving up\n",
                     deadlineMs / 1000, controller->isRunning() ? "yes" : "no", finished ? "yes" : "no",
                     savedAfterMs >= 0.0 ? "yes" : "no", static_cast<long long>(counts->batches.load()),
                     controller->history()->batchCount());
        loop.quit();
    });
    QTimer::singleShot(int(args.seconds * 500), &loop, [&] { rssMiddle = residentMegabytes(); });

    const double cpu0 = threadCpuSeconds();
    app.reset();
    app.setEnabled(true);
    beat.start();
    wall.start();
    controller->startSource(syntheticRunSource(plan, counts));
    loop.exec();
    beat.stop();
    app.setEnabled(false);
    const double endLongestEvent = app.longestMs(), endLongestCpu = app.longestCpuMs(), endLongestGap = beat.longestMs();
    const QString endLongestCpuWhat = app.longestCpuWhat();
    const long long endOver16 = beat.over16(), endOver50 = beat.over50();
    // What the end of the run costs: the main window files the run for the comparison view.
    QElapsedTimer split;
    split.start();
    const RunRecord record = runRecordFromHistory(*controller->history(), window.project(), controller->lastResult());
    const double recordMs = split.nsecsElapsed() * 1e-6;
    split.restart();
    saveRunRecord(record, dir.filePath(QStringLiteral("record-copy")).toStdString());
    const double saveMs = split.nsecsElapsed() * 1e-6;
    const QString endLongestWhat = app.longestWhat();
    producedAtSeconds = counts->seconds.load();
    rssEnd = rssLastDrain;
    const double rssAfter = residentMegabytes();

    const RunHistory* history = controller->history();
    const long long received = static_cast<long long>(history->batchCount());
    bool stepsContiguous = true;
    const std::vector<long long>& steps = history->batchTable().globalSteps();
    for (std::size_t i = 0; i < steps.size(); ++i)
        stepsContiguous = stepsContiguous && steps[i] == static_cast<long long>(i) + 1;
    const double tableBytesPerPoint = received > 0 ? double(history->batchTable().bytesAllocated()) / double(received) : 0.0;
    const double structBytesPerPoint = bytesPerPointAsStructs(history->batchTable(), 50000);
    const long long eventRows = events->model()->rowCount();
    const long long messages = history->messages().size();
    const QString lastLine = console->document()->lastBlock().text();
    const bool consoleFollows = messages == 0 || lastLine == history->messages().back();

    std::printf("\nUI under load: main window, synthetic producer through TrainingController::startSource\n");
    std::printf("  (plan: %lld batch events at %.0f/s, a checkpoint event + console line every %d batches)\n\n",
                plan.batches, plan.batchesPerSecond, plan.checkpointEvery);
    row("figure", "measured", "target");
    row("run finished normally", finished ? "yes" : "NO");
    row("producer: batch events emitted", std::to_string(counts->batches.load()));
    row("producer: rate achieved (batch events/s)", num(counts->batches.load() / std::max(1e-9, producedAtSeconds), 0),
        ">= 20000");
    row("UI: batch points in the run history", std::to_string(received), "= emitted");
    row("UI: global steps 1..N without a gap", stepsContiguous ? "yes" : "NO", "yes");
    row("producer: checkpoint events emitted", std::to_string(counts->checkpointEvents.load()));
    row("UI: rows in the checkpoint event log", std::to_string(eventRows), "= emitted");
    row("producer: console lines emitted", std::to_string(counts->messages.load()));
    row("UI: console lines in the history", std::to_string(messages), "= emitted");
    row("UI: console shows the last line", consoleFollows ? "yes" : "NO", "yes");
    row("producer: epoch ends emitted / UI received",
        std::to_string(counts->epochs.load()) + " / " + std::to_string(history->epochs().size()), "equal");
    row("wall time, start to end of the thread (s)", num(seconds, 2));
    row("streaming: longest heartbeat gap (ms)", num(streamLongestGap, 1), "< 50");
    row("streaming: longest event delivery (ms)", num(streamLongestEvent, 1), "< 50");
    row("  (that event: type to receiver)", streamLongestWhat.toStdString());
    row("streaming: longest event, UI-thread CPU (ms)", num(streamLongestCpu, 1), "< 50");
    row("  (that event: type to receiver)", streamLongestCpuWhat.toStdString());
    row("streaming: heartbeat gaps > 16 ms / > 50 ms", std::to_string(streamOver16) + " / " + std::to_string(streamOver50));
    row("run end, 2 s after finished(): longest gap (ms)", num(endLongestGap, 1), "< 50");
    row("run end: heartbeat gaps > 16 ms / > 50 ms", std::to_string(endOver16) + " / " + std::to_string(endOver50));
    row("run end: longest event delivery (ms)", num(endLongestEvent, 1), "< 50");
    row("  (that event: type to receiver)", endLongestWhat.toStdString());
    row("run end: longest event, UI-thread CPU (ms)", num(endLongestCpu, 1), "< 50");
    row("  (that event: type to receiver)", endLongestCpuWhat.toStdString());
    row("run end: finished() to runRecordSaved (ms)", savedAfterMs >= 0 ? num(savedAfterMs, 0) : std::string("NEVER"));
    row("  record kept in", savedFolder.isEmpty() ? std::string("(not written)") : QDir(savedFolder).dirName().toStdString());
    row("  its work timed apart: build / save record", num(recordMs, 0) + " / " + num(saveMs, 0));
    row("UI thread CPU busy (%)", num(100.0 * (cpu1 - cpu0) / seconds, 0));
    row("batch drains per second", num(drains / seconds, 1), "<= ~30");
    row("largest drain (batch points)", std::to_string(maxDrain));
    row("chart redraws per second, per chart", num(redrawsAtEnd / 2.0 / seconds, 1), "<= ~30");
    row("paint events per second, loss chart", num(paintsLossAtEnd / seconds, 1), "<= ~30");
    row("paint events per second, accuracy chart", num(paintsAccAtEnd / seconds, 1), "<= ~30");
    row("RSS start / middle / last drain (MB)", num(rssStart, 0) + " / " + num(rssMiddle, 0) + " / " + num(rssEnd, 0));
    row("RSS after finished() (MB)", num(rssAfter, 0));
    row("RSS growth per batch point kept (bytes)",
        num(received > 0 ? (rssEnd - rssStart) * 1048576.0 / double(received) : 0.0, 0));
    row("  of which RunHistory's column store (bytes)", num(tableBytesPerPoint, 0));
    row("  (as std::vector<BatchPoint>, the old store)", num(structBytesPerPoint, 0));
    std::printf("\n");
    const bool ok = finished && savedAfterMs >= 0.0 && !savedFolder.isEmpty() && received == counts->batches.load() && stepsContiguous
                    && eventRows == counts->checkpointEvents.load() && messages == counts->messages.load();
    return ok ? 0 : 1;
}

struct Timing {
    double median = 0.0, worst = 0.0;
};

template <typename F>
Timing timeIt(int reps, F&& f)
{
    std::vector<double> ms;
    for (int i = 0; i < reps; ++i) {
        QElapsedTimer t;
        t.start();
        f(i);
        ms.push_back(t.nsecsElapsed() * 1e-6);
    }
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms.back()};
}

int runRedraw(const Args& args)
{
    MetricChart chart;
    chart.resize(1200, 500);
    chart.show();
    processFor(200);
    const QColor blue(31, 119, 180), orange(255, 127, 14);
    chart.addCurve(QStringLiteral("loss/batch"), QStringLiteral("loss (batch)"), blue, 1.0);
    chart.addCurve(QStringLiteral("val_loss/batch"), QStringLiteral("val_loss (batch)"), orange, 1.0);
    const long long n = args.points;
    const auto count = static_cast<std::size_t>(n);
    std::vector<double> x(count), y(count), v(count);
    for (long long i = 0; i < n; ++i) {
        x[std::size_t(i)] = 10.0 * double(i + 1) / double(n); // 10 epochs
        y[std::size_t(i)] = 0.1 + 2.0 * std::exp(-double(i) * 5.0 / double(n)) + 0.05 * std::sin(double(i) * 0.37);
        v[std::size_t(i)] = y[std::size_t(i)] * 1.1 + 0.03 * std::cos(double(i) * 0.013);
    }
    chart.appendPoints(QStringLiteral("loss/batch"), x, y);
    chart.appendPoints(QStringLiteral("val_loss/batch"), x, v);
    chart.redraw();
    chart.viewport()->repaint();

    // One new point per curve then redraw + paint, as every live update of a long run does.
    double nextX = x.back();
    // The part before the paint (append, decimation, QXYSeries::replace and what Qt Charts does
    // on it) is timed too: the rest of a live update is painting.
    std::vector<double> redrawMs;
    auto liveUpdate = [&](int) {
        QElapsedTimer t;
        t.start();
        nextX += 1e-6;
        chart.appendPoint(QStringLiteral("loss/batch"), nextX, 0.2);
        chart.appendPoint(QStringLiteral("val_loss/batch"), nextX, 0.25);
        chart.redraw();
        redrawMs.push_back(t.nsecsElapsed() * 1e-6);
        chart.viewport()->repaint();
    };
    auto redrawMedian = [&] {
        std::sort(redrawMs.begin(), redrawMs.end());
        const double m = redrawMs.empty() ? 0.0 : redrawMs[redrawMs.size() / 2];
        redrawMs.clear();
        return m;
    };
    auto paintOnly = [&](int) { chart.viewport()->repaint(); };
    const int reps = 21;
    const Timing live = timeIt(reps, liveUpdate);
    const double liveRedraw = redrawMedian();
    const Timing paint = timeIt(reps, paintOnly);
    auto* xAxis = qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Horizontal).value(0));
    // Zoom: a new x range re-decimates everything for it (what a rubber band or the wheel does).
    const Timing zoom = timeIt(reps, [&](int i) {
        const double w = 5.0 / (1 + i % 5);
        xAxis->setRange(2.0, 2.0 + w);
        chart.redraw();
        chart.viewport()->repaint();
    });
    const Timing pan = timeIt(reps, [&](int) {
        chart.chart()->scroll(40, 0);
        chart.redraw();
        chart.viewport()->repaint();
    });
    chart.resetZoom();
    chart.setSmoothing(0.9);
    const Timing smooth = timeIt(reps, liveUpdate);
    const double smoothRedraw = redrawMedian();
    const Timing smoothPaint = timeIt(reps, paintOnly);
    chart.setSmoothing(0.0);
    chart.setLogScale(true);
    const Timing logScale = timeIt(reps, liveUpdate);
    const double logRedraw = redrawMedian();
    chart.setLogScale(false);
    const Timing decimateOnly = timeIt(reps, [&](int) {
        const QList<QPointF> pts = decimateMinMax(x, y, 0.0, 10.0, 1100);
        if (pts.isEmpty())
            std::abort();
    });
    MinMaxBlocks blocks;
    blocks.extend(x, y);
    const Timing decimateBlocks = timeIt(reps, [&](int) {
        const QList<QPointF> pts = decimateMinMax(x, y, 0.0, 10.0, 1100, &blocks);
        if (pts.isEmpty())
            std::abort();
    });
    const int drawn = int(chart.rawSeries(QStringLiteral("loss/batch"))->count());

    // For contrast: the same series handed to Qt Charts undecimated, painted once.
    QLineSeries* raw = static_cast<QLineSeries*>(chart.rawSeries(QStringLiteral("loss/batch")));
    QList<QPointF> all;
    all.reserve(qsizetype(n));
    for (long long i = 0; i < n; ++i)
        all.append(QPointF(x[std::size_t(i)], y[std::size_t(i)]));
    const Timing undecimated = timeIt(1, [&](int) {
        raw->replace(all);
        chart.viewport()->repaint();
    });

    std::printf("Charts with %lld points per curve (2 curves, 1200x500 MetricChart, %d reps, median / worst ms)\n\n",
                n, reps);
    row("operation", "median / worst (ms)", "target");
    auto t = [](const Timing& x) { return num(x.median, 1) + " / " + num(x.worst, 1); };
    row("live update: append, re-decimate, paint", t(live), "< 30");
    row("  of which before the paint (median)", num(liveRedraw, 1));
    row("paint only (decimated series)", t(paint));
    row("zoom (new x range): re-decimate + paint", t(zoom), "< 30");
    row("pan (scroll 40 px): re-decimate + paint", t(pan), "< 30");
    row("live update with smoothing 0.9", t(smooth), "< 30");
    row("  of which before the paint (median)", num(smoothRedraw, 1));
    row("  paint only, smoothing on", t(smoothPaint));
    row("live update with log scale", t(logScale), "< 30");
    row("  of which before the paint (median)", num(logRedraw, 1));
    row("decimateMinMax alone, 1 curve", t(decimateOnly));
    row("  the same with block summaries (MetricChart)", t(decimateBlocks));
    row("points handed to Qt Charts per curve", std::to_string(drawn));
    row("undecimated: replace + paint once", num(undecimated.median, 0), "(contrast)");
    std::printf("\n");
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    const Args args = parseArgs(argc, argv);
    // Line-buffered even into a file or pipe: a run killed by `timeout` keeps what it printed.
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    QStandardPaths::setTestModeEnabled(true); // never touch the user's settings or recent files
    ProbeApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CheckpointLabBench"));
    QApplication::setApplicationName(QStringLiteral("bench_ui_load"));
    HeadlessDialogs dialogs;
    DialogProvider::setInstance(&dialogs);
    int rc = 0;
    // Progress on stderr (unbuffered): if the bench ever hangs, the last line says where.
    if (args.load) {
        std::fprintf(stderr, "part 1: main window under load\n");
        rc |= runLoad(app, args);
    }
    if (args.redraw) {
        std::fprintf(stderr, "part 2: 1 M-point chart\n");
        rc |= runRedraw(args);
    }
    std::fprintf(stderr, "done\n");
    DialogProvider::setInstance(nullptr);
    return rc;
}
