// Comparison core: run records, replay of policies over recorded hook calls, policy summaries.
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/base/Errors.h"
#include "core/compare/PolicyReplay.h"
#include "core/compare/PolicySummary.h"
#include "core/compare/RunRecord.h"
#include "core/compare/RunRecorder.h"
#include "core/io/AtomicFile.h"
#include "core/project/ProjectRun.h"
#include "tests/support/CompareFixtures.h"

using namespace cklab;
namespace fs = std::filesystem;

namespace {

/// Five epochs, epoch level only: val_loss .5 .4 .45 .3 .35 (best epoch 3),
/// val_accuracy .6 .7 .85 .8 .75 (best epoch 2).
std::vector<HookCall> syntheticHistory()
{
    const double valLoss[] = {.5, .4, .45, .3, .35};
    const double valAcc[] = {.6, .7, .85, .8, .75};
    HistoryBuilder b;
    Logs last;
    for (int e = 0; e < 5; ++e) {
        last = {{"loss", 1.0 - 0.1 * e}, {"val_loss", valLoss[e]}, {"val_accuracy", valAcc[e]}};
        b.addEpochEnd(e, last);
    }
    return b.finish(last);
}

CheckpointConfig policy(const std::string& name, const std::string& path, const std::string& monitor, bool bestOnly,
                        std::optional<int> keep = std::nullopt)
{
    CheckpointConfig c;
    c.name = name;
    c.filepath = path;
    c.monitor = monitor;
    c.saveBestOnly = bestOnly;
    c.maxToKeep = keep;
    return c;
}

std::vector<std::string> keptPaths(const PolicySummary& s)
{
    std::vector<std::string> out;
    for (const auto& k : s.kept)
        out.push_back(k.path);
    return out;
}

bool sameEvent(const CheckpointEvent& a, const CheckpointEvent& b)
{
    const auto sameNumber = [](const std::optional<double>& x, const std::optional<double>& y) {
        if (x.has_value() != y.has_value())
            return false;
        return !x || *x == *y || (std::isnan(*x) && std::isnan(*y));
    };
    return a.policy == b.policy && a.action == b.action && a.epoch == b.epoch && a.batch == b.batch &&
           a.path == b.path && a.monitor == b.monitor && sameNumber(a.value, b.value) &&
           sameNumber(a.bestBefore, b.bestBefore) && a.reason == b.reason && a.message == b.message;
}

} // namespace

class TestCompare : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path m_outDir;
    RunRecord m_live;          // recorded live run of smallComparisonProject()
    fs::path m_folder;         // where it was saved

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_outDir = fs::path(m_dir.path().toStdString()) / "out";
        const Project project = test::smallComparisonProject();
        RunOptions options;
        options.outputDir = m_outDir;
        ProjectRun run(project, options);
        RunRecorder recorder(project);
        run.setObserver(&recorder);
        const TrainResult result = run.run();
        QCOMPARE(result.reason, StopReason::Completed);
        m_live = recorder.record();
        m_folder = nextRunFolder(m_outDir);
        QCOMPARE(m_folder, m_outDir / "recorded-runs" / "run-001");
        saveRunRecord(m_live, m_folder);
    }

    /// Run records are written like checkpoints (issue 18): a failed write of any of the three
    /// files throws an IoError naming it and keeps the record saved before; no temp files stay.
    /// The old plain ofstream ignored the injector and overwrote run.json.
    void failedSaveKeepsPreviousRecord_data()
    {
        QTest::addColumn<int>("step");
        QTest::newRow("write") << int(AtomicStep::Write);
        QTest::newRow("rename") << int(AtomicStep::Rename);
    }
    void failedSaveKeepsPreviousRecord()
    {
        QFETCH(int, step);
        struct InjectorReset {
            ~InjectorReset() { setFaultInjector(nullptr); }
        } reset;
        QTemporaryDir dir;
        const fs::path folder = fs::path(dir.path().toStdString()) / "run-001";
        saveRunRecord(m_live, folder);
        RunRecord changed = m_live;
        changed.name = "renamed";
        changed.stopReason = "stopped_by_user";
        setFaultInjector([step](AtomicStep s, const fs::path&) { return int(s) == step; });
        QString what;
        try {
            saveRunRecord(changed, folder);
        } catch (const IoError& e) {
            what = e.what();
        }
        setFaultInjector(nullptr);
        QVERIFY2(what.startsWith(QString::fromStdString((folder / "run.json").string() + ": ")), qPrintable(what));
        const RunRecord back = loadRunRecord(folder);
        QCOMPARE(back.name, m_live.name);
        QCOMPARE(back.stopReason, m_live.stopReason);
        QCOMPARE(back.history.size(), m_live.history.size());
        int files = 0;
        for (const auto& entry : fs::directory_iterator(folder)) {
            QVERIFY2(!isAtomicTempName(entry.path().filename().string()), entry.path().c_str());
            ++files;
        }
        QCOMPARE(files, 3);
    }

    // Hand-derived: see syntheticHistory() for the logs.
    void summaryOfReplayedPolicies_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<int>("saves");
        QTest::addColumn<int>("skips");
        QTest::addColumn<int>("deletes");
        QTest::addColumn<QStringList>("kept");
        QTest::addColumn<int>("bestKeptEpoch");
        QTest::addColumn<double>("captured");
        QTest::addColumn<double>("runBest");
        QTest::addColumn<int>("runBestEpoch");
        QTest::addColumn<bool>("keptBest");
        QTest::addColumn<double>("missedBy");
        // e1..e5 saved; retention drops e1, e2, e3; e4 holds .3 (epoch 3) = the run's best.
        QTest::newRow("every epoch keep 2") << 0 << 5 << 0 << 3 << QStringList{"e4.keras", "e5.keras"} << 3 << .3 << .3
                                            << 3 << true << 0.0;
        // .5 save, .4 save, .45 skip, .3 save, .35 skip.
        QTest::newRow("best only") << 1 << 3 << 2 << 0 << QStringList{"best.keras"} << 3 << .3 << .3 << 3 << true << 0.0;
        // One file overwritten each epoch: it ends with epoch 4 (.35), missing the best by .05.
        QTest::newRow("fixed path") << 2 << 5 << 0 << 0 << QStringList{"p.keras"} << 4 << .35 << .3 << 3 << false << .05;
        // max mode: .6 save, .7 save (drop acc-1), .85 save (drop acc-2), .8 skip, .75 skip.
        QTest::newRow("best accuracy keep 1") << 3 << 3 << 2 << 2 << QStringList{"acc-3.keras"} << 2 << .85 << .85 << 2
                                              << true << 0.0;
    }
    void summaryOfReplayedPolicies()
    {
        QFETCH(int, which);
        const std::vector<CheckpointConfig> policies{
            policy("every", "e{epoch}.keras", "val_loss", false, 2), policy("best", "best.keras", "val_loss", true),
            policy("fixed", "p.keras", "val_loss", false),
            policy("acc", "acc-{epoch}.keras", "val_accuracy", true, 1)};
        const auto history = syntheticHistory();
        const ReplayResult replay = replayPolicies(history, policies);
        SummaryOptions options;
        options.fileSizes = {{".keras", 100}};
        const PolicySummary s = summarize(replay.events, history, policies[std::size_t(which)], options);

        QFETCH(int, saves);
        QFETCH(int, skips);
        QFETCH(int, deletes);
        QFETCH(QStringList, kept);
        QCOMPARE(s.saves, saves);
        QCOMPARE(s.skips, skips);
        QCOMPARE(s.deletes, deletes);
        QCOMPARE(s.errors, 0);
        QCOMPARE(s.filesKept, int(kept.size()));
        std::vector<std::string> expectedKept;
        for (const auto& k : kept)
            expectedKept.push_back(k.toStdString());
        QCOMPARE(keptPaths(s), expectedKept);
        // Replays write nothing: bytes come from the size table (100 per .keras file).
        QVERIFY(s.bytesEstimated);
        QCOMPARE(s.bytesWritten, std::int64_t(100) * saves);
        QCOMPARE(s.bytesOnDisk, std::int64_t(100) * kept.size());
        QCOMPARE(s.saveMs, 0.0);

        QFETCH(int, bestKeptEpoch);
        QFETCH(double, captured);
        QFETCH(double, runBest);
        QFETCH(int, runBestEpoch);
        QFETCH(bool, keptBest);
        QFETCH(double, missedBy);
        QVERIFY(s.bestKept);
        QCOMPARE(s.bestKept->epoch, bestKeptEpoch);
        QCOMPARE(*s.bestKept->value, captured);
        QCOMPARE(*s.runBestValue, runBest);
        QCOMPARE(*s.runBestEpoch, runBestEpoch);
        QCOMPARE(s.keptBest, keptBest);
        QVERIFY(std::abs(*s.missedBy - missedBy) < 1e-12);
        // The replay's own view of the files at the end agrees with the summary.
        const auto& files = replay.policies[std::size_t(which)].filesAtEnd;
        QCOMPARE(std::set<std::string>(files.begin(), files.end()),
                 std::set<std::string>(expectedKept.begin(), expectedKept.end()));
    }

    void runBestPerMonitor()
    {
        const std::vector<CheckpointConfig> policies{policy("a", "a.keras", "val_loss", true),
                                                     policy("b", "b.keras", "val_loss", false),
                                                     policy("c", "c.keras", "val_accuracy", true)};
        const auto bests = runBests(syntheticHistory(), policies);
        QCOMPARE(bests.size(), std::size_t(2));
        QCOMPARE(bests[0].monitor, std::string("val_loss"));
        QCOMPARE(bests[0].mode, MonitorMode::Min);
        QCOMPARE(*bests[0].epoch, 3);
        QCOMPARE(bests[1].monitor, std::string("val_accuracy"));
        QCOMPARE(bests[1].mode, MonitorMode::Max); // auto mode from the name
        QCOMPARE(*bests[1].value, .85);
        QVERIFY(!runBest(syntheticHistory(), "val_auc", MonitorMode::Max).value);
    }

    // Live-style events with real bytes and durations, an overwrite, a delete and another policy.
    void summaryOfLiveEvents()
    {
        const auto ev = [](std::string policy, CheckpointAction a, int epoch, std::string path, std::int64_t bytes,
                           double ms) {
            CheckpointEvent e;
            e.policy = std::move(policy);
            e.action = a;
            e.epoch = epoch;
            e.path = std::move(path);
            e.bytes = bytes;
            e.durationMs = ms;
            e.monitor = "val_loss";
            return e;
        };
        using A = CheckpointAction;
        const std::vector<CheckpointEvent> events{
            ev("p", A::Save, 0, "p.keras", 10, 1.5), ev("p", A::Save, 1, "q.keras", 20, 2.5),
            ev("other", A::Save, 1, "o.keras", 999, 99.0), ev("p", A::Save, 2, "p.keras", 30, 3.0),
            ev("p", A::Delete, 2, "q.keras", 20, 0.0), ev("p", A::Skip, 3, "p.keras", 0, 0.0),
            ev("p", A::Error, 4, "p.keras", 0, 0.0)};
        const PolicySummary s = summarize(events, syntheticHistory(), policy("p", "p.keras", "val_loss", false));
        QCOMPARE(s.saves, 3);
        QCOMPARE(s.deletes, 1);
        QCOMPARE(s.skips, 1);
        QCOMPARE(s.errors, 1);
        QCOMPARE(s.bytesWritten, std::int64_t(60));
        QCOMPARE(s.saveMs, 7.0);
        QCOMPARE(s.filesKept, 1);
        QCOMPARE(s.bytesOnDisk, std::int64_t(30));   // p.keras as last written at epoch 2
        QCOMPARE(s.kept.front().epoch, 2);
        QVERIFY(!s.bytesEstimated);
        QVERIFY(!s.bestKept); // no monitored value in these events
        QVERIFY(!s.keptBest);
        QVERIFY(!s.missedBy);
    }

    // A batch-level save at the last batch of an epoch holds the epoch's weights: it takes the
    // epoch-end value of a monitor the batch logs lack.
    void batchSaveTakesEpochValue()
    {
        HistoryBuilder b;
        const double valLoss[] = {.5, .6};
        Logs last;
        for (int e = 0; e < 2; ++e) {
            b.addBatchEnd(e, 0, {{"loss", 1.0}});
            b.addBatchEnd(e, 1, {{"loss", 0.9}});
            last = {{"loss", 0.9}, {"val_loss", valLoss[e]}};
            b.addEpochEnd(e, last);
        }
        const auto history = b.finish(last);
        CheckpointConfig c = policy("b", "b{epoch}-{batch}.keras", "val_loss", false);
        c.saveFreq = "2";
        const auto replay = replayPolicies(history, {c});
        const PolicySummary s = summarize(replay.events, history, c);
        QCOMPARE(s.saves, 2);
        QCOMPARE(keptPaths(s), (std::vector<std::string>{"b1-2.keras", "b2-2.keras"}));
        QCOMPARE(*s.bestKept->value, .5);
        QCOMPARE(s.bestKept->epoch, 0);
        QVERIFY(s.keptBest);
    }

    void recordRoundTrip()
    {
        RunRecord r;
        r.name = "synthetic";
        r.stepsPerEpoch = 2;
        r.stopReason = "completed";
        HistoryBuilder b;
        b.addBatchEnd(0, 0, {{"loss", 0.1 + 0.2}});            // not exactly representable in decimal
        b.addEpochEnd(0, {{"loss", std::nan("")}, {"val_loss", INFINITY}});
        r.history = b.finish({{"loss", 1.0 / 3.0}});
        Project p;
        p.name = "round trip";
        p.checkpoints = {policy("best", "best.keras", "val_loss", true, 3)};
        r.project = p;
        CheckpointEvent e;
        e.policy = "best";
        e.epoch = 0;
        e.action = CheckpointAction::Skip;
        e.reason = CheckpointReason::NotImproved;
        e.monitor = "val_loss";
        e.value = INFINITY;
        e.bestBefore = INFINITY;
        e.message = "Epoch 1: val_loss did not improve from inf";
        r.events = {e};
        const fs::path folder = fs::path(m_dir.path().toStdString()) / "roundtrip";
        saveRunRecord(r, folder);
        const RunRecord back = loadRunRecord(folder);
        QCOMPARE(back.name, r.name);
        QCOMPARE(back.stepsPerEpoch, 2);
        QCOMPARE(back.stopReason, std::string("completed"));
        QCOMPARE(back.history.size(), std::size_t(5)); // TB, EB, BE, EE, TE
        QCOMPARE(back.history[2].logs.at("loss"), 0.1 + 0.2);
        QVERIFY(std::isnan(back.history[3].logs.at("loss")));
        QCOMPARE(back.history[3].logs.at("val_loss"), double(INFINITY));
        QCOMPARE(back.history[4].hook, HookCall::Hook::TrainEnd);
        QCOMPARE(back.history[4].logs.at("loss"), 1.0 / 3.0);
        QVERIFY(back.project);
        QCOMPARE(back.project->name, std::string("round trip"));
        QCOMPARE(back.policies().size(), std::size_t(1));
        QCOMPARE(*back.policies()[0].maxToKeep, 3);
        QCOMPARE(back.events.size(), std::size_t(1));
        QVERIFY(sameEvent(back.events[0], e));
        QVERIFY(!fs::exists(folder / "run.json.tmp"));
    }

    // The acceptance test of the issue: replayed and live decisions are identical.
    void replayEqualsLive()
    {
        const auto& policies = m_live.policies();
        QCOMPARE(policies.size(), std::size_t(3));
        QVERIFY(m_live.hasBatchLogs());
        QCOMPARE(m_live.stepsPerEpoch, 4);
        QCOMPARE(m_live.epochLogs().size(), std::size_t(6));
        for (const auto& p : policies) {
            const PolicySummary s = summarize(m_live.events, m_live.history, p);
            QVERIFY2(s.saves > 0, p.name.c_str());
            QVERIFY(s.bytesWritten > 0);
            QVERIFY(s.saveMs > 0.0);
            // The summary's kept files are exactly the policy's files on disk, with their sizes.
            std::int64_t onDisk = 0;
            for (const auto& k : s.kept) {
                const fs::path file = m_outDir / k.path;
                QVERIFY2(fs::exists(file), file.string().c_str());
                QCOMPARE(std::int64_t(fs::file_size(file)), k.bytes);
                onDisk += std::int64_t(fs::file_size(file));
            }
            QCOMPARE(s.bytesOnDisk, onDisk);
        }
        // Policy 0 saves every epoch and keeps 2: 6 saves, 4 deletions.
        const PolicySummary every = summarize(m_live.events, m_live.history, policies[0]);
        QCOMPARE(every.saves, 6);
        QCOMPARE(every.deletes, 4);
        QCOMPARE(every.filesKept, 2);
        // 24 batches with save_freq 5: 4 periodic saves + save_last.
        QCOMPARE(summarize(m_live.events, m_live.history, policies[2]).saves, 5);

        const RunRecord loaded = loadRunRecord(m_folder);
        const ReplayResult replay = replayPolicies(loaded.history, loaded.policies());
        QCOMPARE(replay.events.size(), m_live.events.size());
        for (std::size_t i = 0; i < replay.events.size(); ++i) {
            QVERIFY2(sameEvent(replay.events[i], m_live.events[i]),
                     (std::to_string(i) + ": " + replay.events[i].message + " vs " + m_live.events[i].message).c_str());
            QCOMPARE(replay.events[i].bytes, std::int64_t(0));
        }
        // The recorded events read back equal the live ones, bytes and durations included.
        QCOMPARE(loaded.events.size(), m_live.events.size());
        for (std::size_t i = 0; i < loaded.events.size(); ++i) {
            QVERIFY(sameEvent(loaded.events[i], m_live.events[i]));
            QCOMPARE(loaded.events[i].bytes, m_live.events[i].bytes);
        }
    }

    void csvLoggerImport()
    {
        const fs::path file = fs::path(m_dir.path().toStdString()) / "training.log";
        std::ofstream(file) << "epoch,accuracy,loss,val_accuracy,val_loss\n"
                               "0,0.5,0.9,0.55,0.8\n"
                               "1,0.6,0.7,NA,\n"
                               "2,0.7,0.6,0.7,0.65\n"
                               "3,0.75,0.5,0.72,0.7\n";
        const RunRecord r = importHistory(file);
        QCOMPARE(r.source, std::string("imported"));
        QCOMPARE(r.name, std::string("training.log"));
        QCOMPARE(r.stepsPerEpoch, 0);
        QVERIFY(!r.project);
        QVERIFY(!r.hasBatchLogs());
        const auto epochs = r.epochLogs();
        QCOMPARE(epochs.size(), std::size_t(4));
        QCOMPARE(epochs[2].second.at("val_loss"), 0.65);
        QVERIFY(!epochs[1].second.count("val_loss"));

        const CheckpointConfig best = policy("best", "best.keras", "val_loss", true);
        const auto replay = replayPolicies(r.history, {best});
        // epoch 0 .8 saved, epoch 1 monitor missing, epoch 2 .65 saved, epoch 3 .7 not improved.
        QCOMPARE(replay.events.size(), std::size_t(4));
        QCOMPARE(replay.events[1].reason, CheckpointReason::MonitorMissing);
        QCOMPARE(replay.events[3].reason, CheckpointReason::NotImproved);
        const PolicySummary s = summarize(replay.events, r.history, best);
        QCOMPARE(s.saves, 2);
        QCOMPARE(s.skips, 2);
        QCOMPARE(*s.runBestEpoch, 2);
        QVERIFY(s.keptBest);
    }

    // Issue 14: a history written by Python's json.dumps (bare NaN, Infinity; here with a NaN
    // val_accuracy on a held-out epoch) is imported; issue 16 item 11: so is a file with a BOM.
    void pythonJsonHistoryImport()
    {
        const fs::path file = fs::path(m_dir.path().toStdString()) / "hooks.jsonl";
        std::ofstream(file, std::ios::binary)
            << "\xEF\xBB\xBF{\"hook\": \"train_begin\"}\n"
               "{\"hook\": \"epoch_end\", \"epoch\": 0, \"logs\": {\"loss\": 0.9, \"val_accuracy\": NaN}}\n"
               "{\"hook\": \"epoch_end\", \"epoch\": 1, \"logs\": {\"loss\": Infinity, \"val_accuracy\": 0.75}}\n"
               "{\"hook\": \"epoch_end\", \"epoch\": 2, \"logs\": {\"loss\": -Infinity, \"val_accuracy\": \"nan\"}}\n";
        const RunRecord r = importHistory(file);
        const auto epochs = r.epochLogs();
        QCOMPARE(epochs.size(), std::size_t(3));
        QVERIFY(std::isnan(epochs[0].second.at("val_accuracy")));
        QCOMPARE(epochs[1].second.at("loss"), HUGE_VAL);
        QCOMPARE(epochs[1].second.at("val_accuracy"), 0.75);
        QCOMPARE(epochs[2].second.at("loss"), -HUGE_VAL);
        QVERIFY(std::isnan(epochs[2].second.at("val_accuracy")));
        const auto replay = replayPolicies(r.history, {policy("best", "best.keras", "val_accuracy", true)});
        QCOMPARE(replay.events.size(), std::size_t(3));
        QCOMPARE(replay.events[1].action, CheckpointAction::Save); // NaN never becomes best; 0.75 does

        const fs::path csv = fs::path(m_dir.path().toStdString()) / "bom.log";
        std::ofstream(csv, std::ios::binary) << "\xEF\xBB\xBF" "epoch,loss,val_accuracy\r\n0,0.9,nan\r\n1,0.8,0.5\r\n";
        const auto csvEpochs = importHistory(csv).epochLogs();
        QCOMPARE(csvEpochs.size(), std::size_t(2));
        QCOMPARE(csvEpochs[1].second.at("val_accuracy"), 0.5);
    }

    void recordWithDuplicateKeyIsRefused()
    {
        const fs::path folder = fs::path(m_dir.path().toStdString()) / "dup";
        fs::create_directories(folder);
        std::ofstream(folder / "run.json") << "{\"format_version\": 1, \"name\": \"a\", \"name\": \"b\"}";
        std::ofstream(folder / "history.jsonl") << "{\"hook\":\"epoch_end\",\"epoch\":0,\"logs\":{}}\n";
        try {
            loadRunRecord(folder);
            QFAIL("no error");
        } catch (const ConfigError& e) {
            QCOMPARE(e.problems().size(), std::size_t(1));
            QCOMPARE(e.problems()[0], (folder / "run.json").string() +
                                          ": name: duplicate key \"name\" at line 1, column 36 (first at line 1, column "
                                          "23); a key may appear once per object");
        }
    }

    // The reader reads Python's NaN, so a NaN can now reach an integer field of a record: it must
    // be refused, not converted (undefined behaviour for NaN).
    void recordWithNonIntegerFieldsIsRefused()
    {
        const fs::path folder = fs::path(m_dir.path().toStdString()) / "nan";
        fs::create_directories(folder);
        std::ofstream(folder / "history.jsonl") << "{\"hook\":\"epoch_end\",\"epoch\":0,\"logs\":{}}\n";
        std::ofstream(folder / "run.json") << "{\"format_version\": 1, \"steps_per_epoch\": NaN}";
        try {
            loadRunRecord(folder);
            QFAIL("no error");
        } catch (const ConfigError& e) {
            QCOMPARE(e.problems()[0], (folder / "run.json").string() + ": steps_per_epoch: must be an integer, got NaN");
        }
        std::ofstream(folder / "run.json") << "{\"format_version\": 1}";
        std::ofstream(folder / "events.jsonl")
            << "{\"event\": \"checkpoint\", \"policy\": \"p\", \"epoch\": NaN, \"action\": \"save\"}\n";
        try {
            loadRunRecord(folder);
            QFAIL("no error");
        } catch (const ConfigError& e) {
            QCOMPARE(e.problems()[0], (folder / "events.jsonl").string() +
                                          ":1: not a checkpoint event: epoch: must be an integer, got NaN");
        }
        // A reason is one of the enum's names, and one that fits the action.
        const std::pair<const char*, std::string> badReasons[] = {
            {R"("action": "save", "reason": "because")",
             "reason: must be one of periodic, improved, save_last, not_improved, monitor_missing, max_to_keep, "
             "format_failed, write_failed, delete_failed, got \"because\""},
            {R"("action": "delete", "reason": "improved")", "reason: \"improved\" is not a reason to delete"},
        };
        for (const auto& [fields, problem] : badReasons) {
            std::ofstream(folder / "events.jsonl")
                << "{\"event\": \"checkpoint\", \"policy\": \"p\", \"epoch\": 0, " << fields << "}\n";
            try {
                loadRunRecord(folder);
                QFAIL("no error");
            } catch (const ConfigError& e) {
                QCOMPARE(e.problems()[0], (folder / "events.jsonl").string() + ":1: not a checkpoint event: " + problem);
            }
        }
    }

    void policyEditedAfterRun()
    {
        const std::vector<std::string> recordedEventsBefore = [&] {
            std::vector<std::string> out;
            for (const auto& e : m_live.events)
                out.push_back(e.policy + e.path + std::string(actionName(e.action)));
            return out;
        }();
        RunRecord record = loadRunRecord(m_folder);
        auto edited = record.policies();
        edited[0].maxToKeep = 1;             // keep 1 instead of 2
        edited[1].saveBestOnly = false;      // best_val_loss now saves every epoch
        const auto replay = replayPolicies(record.history, edited);
        const PolicySummary keep1 = summarize(replay.events, record.history, edited[0]);
        QCOMPARE(keep1.filesKept, 1);
        QCOMPARE(keep1.deletes, 5);
        QCOMPARE(summarize(replay.events, record.history, edited[1]).saves, 6);
        // The recorded run is untouched: its config, its events, its folder.
        const RunRecord again = loadRunRecord(m_folder);
        QCOMPARE(*again.policies()[0].maxToKeep, 2);
        QVERIFY(again.policies()[1].saveBestOnly);
        QCOMPARE(summarize(again.events, again.history, again.policies()[0]).filesKept, 2);
        std::vector<std::string> after;
        for (const auto& e : again.events)
            after.push_back(e.policy + e.path + std::string(actionName(e.action)));
        QCOMPARE(after, recordedEventsBefore);
    }

    void listsRecordedRuns()
    {
        const auto runs = listRunRecords(m_outDir);
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(runs[0].filename().string(), std::string("run-001"));
        QCOMPARE(nextRunFolder(m_outDir).filename().string(), std::string("run-002"));
    }

    void badRecordFolder()
    {
        const fs::path folder = fs::path(m_dir.path().toStdString()) / "bad";
        fs::create_directories(folder);
        std::ofstream(folder / "run.json") << "{\"format_version\": 7}";
        std::ofstream(folder / "history.jsonl") << "{\"hook\":\"epoch_end\",\"epoch\":0,\"logs\":{}}\n";
        try {
            loadRunRecord(folder);
            QFAIL("no error");
        } catch (const ConfigError& e) {
            QVERIFY2(std::string(e.what()).find("format_version: must be 1, got 7") != std::string::npos, e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestCompare)
#include "TestCompare.moc"
