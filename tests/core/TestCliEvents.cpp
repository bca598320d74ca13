// checkpointlab-cli run --events: what the file holds, and when (issue 14). The real binary,
// run through QProcess (tests/support/CliProcess.h).
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/CliProcess.h"

using namespace cklab::test;
using nlohmann::json;

class TestCliEvents : public QObject {
    Q_OBJECT

private slots:
    // Issue 14: the --events line of a mid-epoch save is in the file as soon as the save is made,
    // so a run killed (SIGKILL) before the epoch ends keeps it. Used to be held until epoch end.
    void runEventsLineOfMidEpochSaveSurvivesSigkill()
    {
        QTemporaryDir dir;
        // Long epochs of single-sample batches; a save every 500 batches. An epoch lasts far
        // longer than it takes to see the first save's line and kill the process.
        writeFile(dir.filePath("p.json"), R"({
  "format_version": 1,
  "model": {"input_dim": 5, "layers": [{"type": "dense", "units": 32, "activation": "relu"},
                                       {"type": "dense", "units": 3, "activation": "softmax"}]},
  "data": {"source": "generator", "generator": "blobs", "samples": 200000, "features": 5, "classes": 3,
           "batch_size": 1, "validation_split": 0},
  "training": {"epochs": 2, "seed": 3},
  "checkpoints": [{"name": "mid", "filepath": "mid-{batch}.weights.h5", "save_weights_only": true,
                   "save_freq": 500}],
  "output_dir": "."
})");
        QProcess p;
        p.setWorkingDirectory(dir.path());
        p.start(cliPath(), {"run", "p.json", "-q", "--events", "ev.jsonl"});
        QVERIFY(p.waitForStarted());
        // Complete lines only: the writer may be in the middle of the next one.
        const auto completeLines = [&] {
            QString text = readAll(dir.filePath("ev.jsonl"));
            return jsonLines(text.left(text.lastIndexOf('\n') + 1));
        };
        const auto isMidEpochSave = [](const json& e) {
            return e["event"] == "checkpoint" && e["action"] == "save" && !e["batch"].is_null();
        };
        bool seen = false;
        QElapsedTimer clock;
        clock.start();
        while (!seen && p.state() == QProcess::Running && clock.elapsed() < 120000) {
            const auto lines = completeLines();
            seen = std::any_of(lines.begin(), lines.end(), isMidEpochSave);
            if (!seen)
                p.waitForFinished(2); // a short pause that ends early if the process exits
        }
        p.kill(); // SIGKILL
        QVERIFY(p.waitForFinished(30000));
        QVERIFY2(seen, "no mid-epoch save line appeared while the run was going");
        QCOMPARE(p.exitStatus(), QProcess::CrashExit); // killed, not finished

        const auto lines = completeLines();
        QVERIFY(!lines.empty());
        QCOMPARE(lines.front()["event"], json("train_begin"));
        for (const auto& e : lines)
            QVERIFY2(e["event"] != "epoch_end" && e["event"] != "train_end",
                     ("the save's line waited for the end of its epoch: " + e.dump()).c_str());
        const auto save = std::find_if(lines.begin(), lines.end(), isMidEpochSave);
        QVERIFY(save != lines.end());
        QCOMPARE((*save)["epoch"], json(0));
        QCOMPARE((*save)["batch"], json(499));
        QVERIFY(QFile::exists(dir.filePath(QString::fromStdString((*save)["path"].get<std::string>()))));
    }

    // --events-batches: one batch_end line per batch with its logs, before its epoch's epoch_end;
    // the checkpoint line of a batch save comes before that batch's batch_end line (the policy
    // decides inside the hook). Without the flag there are no batch lines (runExampleOne).
    void runEventsBatches()
    {
        QTemporaryDir dir;
        const auto r = runCli({"run", "--example", "3", "--epochs", "2", "-q", "--out-dir", "out", "--events",
                               "ev.jsonl", "--events-batches"},
                              dir.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto events = jsonLines(readAll(dir.filePath("ev.jsonl")));
        std::vector<std::pair<int, int>> batchEnds;
        int epochEnds = 0, pendingSave = -1;
        for (const auto& e : events) {
            if (e["event"] == "checkpoint" && e["action"] == "save")
                pendingSave = e["batch"].get<int>();
            if (e["event"] == "batch_end") {
                QCOMPARE(e["epoch"].get<int>(), epochEnds);
                QVERIFY2(e["logs"]["loss"].is_number(), e.dump().c_str());
                QVERIFY2(e["logs"].contains("accuracy"), e.dump().c_str());
                QCOMPARE(pendingSave, e["batch"].get<int>());
                pendingSave = -1;
                batchEnds.emplace_back(e["epoch"].get<int>(), e["batch"].get<int>());
            }
            if (e["event"] == "epoch_end")
                ++epochEnds;
        }
        QCOMPARE(epochEnds, 2);
        const std::vector<std::pair<int, int>> expected{{0, 0}, {0, 1}, {0, 2}, {0, 3}, {1, 0}, {1, 1}, {1, 2}, {1, 3}};
        QCOMPARE(batchEnds, expected);

        const auto bad = runCli({"run", "--example", "3", "--events-batches"}, dir.path());
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("--events-batches: needs --events FILE"), qPrintable(bad.err));
    }
};

QTEST_GUILESS_MAIN(TestCliEvents)
#include "TestCliEvents.moc"
