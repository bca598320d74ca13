// Files from outside must never delete, read or overwrite what they should not (issue 16):
// backups crafted by hand, templates that render outside, names that clash, paths of the CSV
// log and the backup (docs/checkpoint-semantics.md "Paths", docs/hardening.md).
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/base/Errors.h"
#include "core/checkpoint/CheckpointStore.h"
#include "core/checkpoint/PathGuard.h"
#include "core/train/PathTemplate.h"
#include "core/io/CheckpointFile.h"
#include "core/project/ProjectJson.h"
#include "core/project/ProjectRun.h"
#include "core/project/ProjectValidation.h"

using namespace cklab;
namespace fs = std::filesystem;

namespace {

class Recorder : public RunObserver {
public:
    void checkpointEvent(const CheckpointEvent& e) override { events.push_back(e); }
    std::vector<CheckpointEvent> events;
};

nlohmann::json baseProject()
{
    return nlohmann::json::parse(R"({
      "format_version": 1,
      "model": {"input_dim": 3, "layers": [{"type": "dense", "units": 2, "activation": "softmax"}]},
      "data": {"source": "generator", "generator": "uniform", "samples": 20, "features": 3, "classes": 2},
      "training": {"epochs": 1, "seed": 3, "loss": "categorical_crossentropy"},
      "checkpoints": [{"name": "p", "filepath": "m{epoch}.weights.h5", "save_weights_only": true, "max_to_keep": 1}],
      "output_dir": "."
    })");
}

std::vector<CheckpointEvent> runProject(const nlohmann::json& j, const fs::path& out)
{
    RunOptions options;
    options.outputDir = out;
    ProjectRun run(parseProject(j), options);
    Recorder rec;
    run.setObserver(&rec);
    run.run();
    return rec.events;
}

void writeText(const fs::path& p, const std::string& text)
{
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

std::string readText(const fs::path& p)
{
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

nlohmann::json keptEntry(const fs::path& file, const std::string& path)
{
    nlohmann::json e{{"path", path}, {"value", nullptr}, {"epoch", 0}, {"batch", nullptr}};
    if (const auto stamp = fileStamp(file)) { // a careful attacker copies the real size and time
        e["bytes"] = stamp->bytes;
        e["mtime_ns"] = stamp->mtimeNs;
    }
    return e;
}

/// Rewrites the backup at `path` with `edit` applied to its training state (what h5py would do).
void tamperBackup(const fs::path& path, const Project& project, const std::function<void(nlohmann::json&)>& edit)
{
    const LoadedCheckpoint loaded = readCheckpoint(path);
    QVERIFY(loaded.trainingState.has_value());
    Model model(project.model, project.training.compile);
    loadIntoModel(loaded, model, true);
    SaveOptions options;
    options.includeOptimizer = true;
    options.trainingState = *loaded.trainingState;
    edit(*options.trainingState);
    saveCheckpoint(path, model, options);
}

int countAction(const std::vector<CheckpointEvent>& events, CheckpointAction action)
{
    return int(std::count_if(events.begin(), events.end(), [&](const CheckpointEvent& e) { return e.action == action; }));
}

} // namespace

class TestHostileFiles : public QObject {
    Q_OBJECT

private slots:
    /// Item 1: a backup whose list of kept files names files outside the output folder, files
    /// the run never wrote, a symlink and a file changed since: resuming deletes none of them.
    void tamperedBackupDeletesNothingElse()
    {
        QTemporaryDir tmp;
        const fs::path root(tmp.path().toStdString());
        const fs::path out = root / "out";
        nlohmann::json j = baseProject();
        j["training"]["backup"] = {{"enabled", true}, {"backup_dir", "backup"}, {"save_freq", "epoch"},
                                   {"delete_checkpoint", false}};
        runProject(j, out);
        const fs::path backup = out / "backup" / "backup.weights.h5";
        QVERIFY(fs::is_regular_file(backup));
        QVERIFY(fs::is_regular_file(out / "m1.weights.h5"));

        const fs::path secret = root / "secret.txt";
        const fs::path foreign = out / "notes.txt";      // in the output folder, never written by the run
        const fs::path changed = out / "m1.weights.h5";  // written by the run, then changed
        const fs::path link = out / "link.weights.h5";   // a symlink to the secret
        writeText(secret, "secret");
        writeText(foreign, "notes");
        fs::create_symlink(secret, link);
        const auto writtenStamp = fileStamp(changed);
        QVERIFY(writtenStamp.has_value());
        tamperBackup(backup, parseProject(j), [&](nlohmann::json& state) {
            auto& kept = state["callbacks"]["checkpoint:p"]["kept"];
            nlohmann::json forged = nlohmann::json::array();
            forged.push_back(keptEntry(secret, secret.string()));           // absolute
            forged.push_back(keptEntry(secret, "../secret.txt"));           // climbing out
            nlohmann::json noStamp = keptEntry(foreign, "notes.txt");
            noStamp.erase("bytes");
            noStamp.erase("mtime_ns");
            forged.push_back(noStamp);
            forged.push_back(keptEntry(secret, "link.weights.h5"));         // symlink
            for (const auto& e : kept)
                forged.push_back(e);
            kept = forged;
        });
        // The file the run wrote is changed after the backup recorded it.
        writeText(changed, "replaced by the user");

        j["training"]["epochs"] = 3;
        const auto events = runProject(j, out);
        QCOMPARE(readText(secret), std::string("secret"));
        QVERIFY(fs::is_symlink(link));
        QCOMPARE(readText(changed), std::string("replaced by the user"));
        QVERIFY(fs::exists(foreign));
        // Refusals are error events that say why; the run's own files are still rotated.
        int refused = 0;
        for (const auto& e : events) {
            if (e.action == CheckpointAction::Error && e.reason == CheckpointReason::DeleteFailed) {
                ++refused;
                QVERIFY2(e.message.find("not deleted") != std::string::npos, e.message.c_str());
            }
        }
        QCOMPARE(refused, 5);
        QVERIFY(fs::exists(out / "m3.weights.h5"));
        QVERIFY(!fs::exists(out / "m2.weights.h5"));
        QCOMPARE(countAction(events, CheckpointAction::Delete), 1);
    }

    /// Item 13: a backup whose trainer state lacks a key (or a callback's state is malformed):
    /// the trainer's own problem, with the backup named — it said only "trainer state: key
    /// 'version' not found", which does not tell which file.
    void malformedTrainerStateNamesTheBackup()
    {
        QTemporaryDir tmp;
        const fs::path out = fs::path(tmp.path().toStdString()) / "out";
        nlohmann::json j = baseProject();
        j["training"]["backup"] = {{"enabled", true}, {"backup_dir", "backup"}, {"save_freq", "epoch"},
                                   {"delete_checkpoint", false}};
        runProject(j, out);
        const fs::path backup = out / "backup" / "backup.weights.h5";
        tamperBackup(backup, parseProject(j), [](nlohmann::json& state) { state["trainer"].erase("version"); });
        j["training"]["epochs"] = 2;
        RunOptions options;
        options.outputDir = out;
        ProjectRun run(parseProject(j), options);
        const TrainResult result = run.run(); // the trainer reports what its trainBegin threw
        QCOMPARE(int(result.reason), int(StopReason::Error));
        QCOMPARE(QString::fromStdString(result.error),
                 QString::fromStdString(backup.string()) + ": training state: trainer state: key 'version' not found");
    }

    /// Item 1, store level: a file changed since its stamp, or without one, is not deleted.
    void storeDeletesOnlyTheFileItWrote()
    {
        QTemporaryDir tmp;
        const fs::path file = fs::path(tmp.path().toStdString()) / "a.weights.h5";
        writeText(file, "12345");
        FileCheckpointStore store;
        const auto stamp = store.stamp(file.string());
        QVERIFY(stamp.has_value());
        QVERIFY_THROWS_EXCEPTION(IoError, store.remove(file.string(), std::nullopt));
        FileStamp other = *stamp;
        other.mtimeNs += 1;
        QVERIFY_THROWS_EXCEPTION(IoError, store.remove(file.string(), other));
        QVERIFY(fs::exists(file));
        QCOMPARE(store.remove(file.string(), stamp), std::int64_t(5));
        QVERIFY(!fs::exists(file));
    }

    /// Item 3: the CSV log and the backup folder stay inside the output folder.
    void csvAndBackupPathsStayInside_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("csv dotdot") << "csv" << "../../victim.csv" << "training.csv_logger.filename: \"../../victim.csv\" leaves";
        QTest::newRow("csv deep dotdot") << "csv" << "a/../../victim.csv" << "leaves the output folder";
        QTest::newRow("csv absolute") << "csv" << "/tmp/victim.csv" << "is absolute";
        QTest::newRow("csv bad name") << "csv" << "log?.csv" << "contains '?'";
        QTest::newRow("backup dotdot") << "backup" << "../.." << "training.backup.backup_dir: \"../..\" leaves";
        QTest::newRow("backup dot") << "backup" << "." << "";
        QTest::newRow("backup absolute") << "backup" << "/etc" << "is absolute";
        QTest::newRow("csv fine") << "csv" << "logs/training.csv" << "";
        QTest::newRow("backup fine") << "backup" << "state/backup" << "";
    }
    void csvAndBackupPathsStayInside()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        nlohmann::json j = baseProject();
        if (field == "csv")
            j["training"]["csv_logger"] = {{"enabled", true}, {"filename", value.toStdString()}};
        else
            j["training"]["backup"] = {{"enabled", true}, {"backup_dir", value.toStdString()}};
        QString all;
        try {
            for (const auto& p : validateProject(parseProject(j)))
                all += QString::fromStdString(p) + "\n";
        } catch (const ConfigError& e) {
            all += QString::fromStdString(e.what());
        }
        if (expected.isEmpty())
            QVERIFY2(all.isEmpty(), qPrintable(all));
        else
            QVERIFY2(all.contains(expected), qPrintable(all));
    }

    /// Item 3: through a real run nothing outside is truncated.
    void csvLogDoesNotTruncateOutside()
    {
        QTemporaryDir tmp;
        const fs::path root(tmp.path().toStdString());
        const fs::path victim = root / "victim.csv";
        writeText(victim, "precious");
        nlohmann::json j = baseProject();
        j["training"]["csv_logger"] = {{"enabled", true}, {"filename", "../victim.csv"}};
        QVERIFY_THROWS_EXCEPTION(ConfigError, runProject(j, root / "out"));
        QCOMPARE(readText(victim), std::string("precious"));
    }

    /// Item 5: a '/' fill character cannot turn a relative template into an absolute path.
    void fillCharacterCannotLeave()
    {
        QVERIFY_THROWS_EXCEPTION(ConfigError, formatPath("{epoch:/>2d}x/m.weights.h5", 0, std::nullopt, {}));
        QVERIFY_THROWS_EXCEPTION(ConfigError, formatPath("a{epoch:\\>4d}.h5", 0, std::nullopt, {}));
        QCOMPARE(formatPath("m{epoch:_>3d}.h5", 0, std::nullopt, {}), std::string("m__1.h5"));
        // The rendered-path rule on its own: relative template, absolute result.
        QVERIFY(renderedPathProblem("/run/out", "{epoch}x/m.h5", "/1x/m.h5").has_value());
        QVERIFY(!renderedPathProblem("/run/out", "{epoch}x/m.h5", "1x/m.h5").has_value());

        QTemporaryDir tmp;
        const fs::path root(tmp.path().toStdString());
        nlohmann::json j = baseProject();
        j["checkpoints"][0]["filepath"] = "{epoch:/>2d}" + root.relative_path().string() + "/escaped.weights.h5";
        j["checkpoints"][0].erase("max_to_keep");
        std::vector<CheckpointEvent> events;
        try {
            events = runProject(j, root / "out");
        } catch (const ConfigError&) {
            // refused before the run: fine as well
        }
        QVERIFY(!fs::exists(fs::path("/1") / root.relative_path() / "escaped.weights.h5"));
        for (const auto& e : events)
            QVERIFY(e.action != CheckpointAction::Save);
    }

    /// Item 5: a symlinked folder inside the output folder does not let a write or a delete leave it.
    void symlinkedFolderDoesNotLeave()
    {
        QTemporaryDir tmp;
        const fs::path root(tmp.path().toStdString());
        const fs::path out = root / "out";
        fs::create_directories(out);
        fs::create_directories(root / "elsewhere");
        fs::create_directory_symlink(root / "elsewhere", out / "sub");
        QVERIFY(renderedPathProblem(out, "sub/m.h5", "sub/m.h5").has_value());
        QVERIFY(!renderedPathProblem(out, "real/m.h5", "real/m.h5").has_value());
        nlohmann::json j = baseProject();
        j["checkpoints"][0]["filepath"] = "sub/m{epoch}.weights.h5";
        const auto events = runProject(j, out);
        QCOMPARE(countAction(events, CheckpointAction::Error), 1);
        QVERIFY(fs::is_empty(root / "elsewhere"));
    }
};

QTEST_GUILESS_MAIN(TestHostileFiles)
#include "TestHostileFiles.moc"
