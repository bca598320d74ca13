// Disk faults on real files (issue 8 / issue 3): a read-only directory, a full disk
// (RLIMIT_FSIZE), the checkpoint directory removed during a write, a checkpoint path that is a
// directory, a parent that is a regular file, an I/O error injected into a child process.
// For each: an error event naming the path and the cause, the previous checkpoint intact and
// readable, no temp file left, training stopped by default or continuing with continue_on_error.
//
// Faults that need process-wide state (a file-size limit, another user id) run in a forked
// child that reports back through a pipe; the parent checks the files the child left.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/io/AtomicFile.h"
#include "core/io/CheckpointFile.h"
#include "core/project/EventJson.h"
#include "core/project/ProjectJson.h"
#include "core/project/ProjectRun.h"

using namespace cklab;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// 3 epochs of 4 batches; one policy saving every epoch to `filepath`.
Project makeProject(const std::string& filepath, bool continueOnError)
{
    json j = json::parse(R"({
      "format_version": 1,
      "model": {"input_dim": 3, "layers": [{"type": "dense", "units": 4, "activation": "relu"},
                                           {"type": "dense", "units": 2, "activation": "softmax"}]},
      "data": {"source": "generator", "generator": "uniform", "samples": 40, "features": 3, "classes": 2,
               "batch_size": 10},
      "training": {"epochs": 3, "seed": 7, "loss": "categorical_crossentropy"},
      "checkpoints": [{"name": "p", "filepath": "", "save_weights_only": true, "save_freq": "epoch"}],
      "output_dir": "."
    })");
    j["checkpoints"][0]["filepath"] = filepath;
    j["checkpoints"][0]["continue_on_error"] = continueOnError;
    return parseProject(j);
}

class Recorder : public RunObserver {
public:
    void checkpointEvent(const CheckpointEvent& e) override { events.push_back(e); }
    void epochEnd(int epoch, const Logs&) override
    {
        if (onEpochEnd)
            onEpochEnd(epoch);
    }
    std::vector<CheckpointEvent> events;
    std::function<void(int)> onEpochEnd;
};

std::string slurp(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

int tempFilesUnder(const fs::path& dir)
{
    int n = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (isAtomicTempName(it->path().filename().string()))
            ++n;
    return n;
}

/// Runs the project in `outDir`; `sabotage(epoch, outDir)` is called after each epoch's save.
/// Returns {"events": [...], "reason", "error", "epochs", "snapshot": hex bytes of `watch` after epoch 0}.
json runProject(const Project& project, const fs::path& outDir, const std::function<void(int)>& sabotage,
                const fs::path& watch = {})
{
    RunOptions options;
    options.outputDir = outDir;
    options.baseDir = outDir;
    ProjectRun run(project, options);
    Recorder rec;
    std::string snapshot;
    rec.onEpochEnd = [&](int epoch) {
        if (epoch == 0 && !watch.empty())
            snapshot = slurp(watch);
        if (sabotage)
            sabotage(epoch);
    };
    run.setObserver(&rec);
    const TrainResult result = run.run();
    json out;
    out["events"] = json::array();
    for (const auto& e : rec.events)
        out["events"].push_back(checkpointEventToJson(e));
    out["reason"] = std::string(stopReasonName(result.reason));
    out["error"] = result.error;
    out["epochs"] = result.epochsCompleted;
    // Hex, not a side file: a child under a file-size limit could not write it.
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : snapshot) {
        hex += digits[c >> 4];
        hex += digits[c & 15];
    }
    out["snapshot"] = hex;
    return out;
}

/// Runs `body` in a forked child and returns what it returned; {"crashed": status} if the child
/// did not exit normally — a crash is a failure of every test here.
json inChild(const std::function<json()>& body)
{
    int fds[2];
    if (::pipe(fds) != 0)
        return {{"crashed", "pipe"}};
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        json out;
        try {
            out = body();
        } catch (const std::exception& e) {
            out = {{"exception", e.what()}};
        }
        const std::string text = out.dump();
        std::size_t done = 0;
        while (done < text.size()) {
            const ssize_t n = ::write(fds[1], text.data() + done, text.size() - done);
            if (n <= 0)
                break;
            done += static_cast<std::size_t>(n);
        }
        ::close(fds[1]);
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0)
        text.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return {{"crashed", status}};
    return json::parse(text, nullptr, false);
}

/// As root chmod does not stop writes: the child drops to "nobody" first.
bool dropToNobody()
{
    if (::geteuid() != 0)
        return true;
    return ::setgid(65534) == 0 && ::setuid(65534) == 0;
}

std::vector<json> errorsOf(const json& run)
{
    std::vector<json> out;
    for (const auto& e : run["events"])
        if (e["action"] == "error")
            out.push_back(e);
    return out;
}
int savesOf(const json& run)
{
    int n = 0;
    for (const auto& e : run["events"])
        n += e["action"] == "save";
    return n;
}

struct CliResult {
    int exitCode = -1;
    QString out;
    QString err;
};

CliResult runCli(const QStringList& args, const QString& workDir, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setWorkingDirectory(workDir);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(CKLAB_BINARY_DIR "/app/checkpointlab-cli"), args);
    if (!p.waitForFinished(120000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

void writeProjectFile(const QString& path, const Project& project)
{
    saveProjectFile(path.toStdString(), project);
}

} // namespace

class TestDiskFaults : public QObject {
    Q_OBJECT

private slots:
    void cleanup() { setFaultInjector(nullptr); }

    /// The fixed-name checkpoint written after epoch 1 must survive the failed overwrites.
    void faultAfterFirstSave_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<bool>("continueOnError");
        QTest::addColumn<QString>("cause");
        for (bool cont : {false, true}) {
            const char* suffix = cont ? " continue" : " stop";
            QTest::newRow(qPrintable(QString("read-only dir") + suffix)) << "readonly" << cont << QString::fromUtf8(std::strerror(EACCES));
            QTest::newRow(qPrintable(QString("disk full (RLIMIT_FSIZE)") + suffix)) << "fsize" << cont << "";
            QTest::newRow(qPrintable(QString("injected EIO at fsync") + suffix)) << "eio" << cont << QString::fromUtf8(std::strerror(EIO));
        }
    }
    void faultAfterFirstSave()
    {
        QFETCH(QString, fault);
        QFETCH(bool, continueOnError);
        QFETCH(QString, cause);
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        // The child may run as "nobody": let it into the scratch directory.
        QVERIFY(::chmod(tmp.path().toLocal8Bit().constData(), 0777) == 0);
        const fs::path outDir = fs::path(tmp.path().toStdString()) / "out";
        const fs::path ckptDir = outDir / "ckpt";
        const fs::path file = ckptDir / "model.weights.h5";
        const Project project = makeProject("ckpt/model.weights.h5", continueOnError);

        const json run = inChild([&]() -> json {
            if (fault == "readonly" && !dropToNobody())
                return {{"exception", "cannot drop privileges"}};
            return runProject(project, outDir, [&](int epoch) {
                if (epoch != 0)
                    return;
                if (fault == "readonly") {
                    ::chmod(ckptDir.c_str(), 0555);
                } else if (fault == "fsize") {
                    std::signal(SIGXFSZ, SIG_IGN); // write() then fails with EFBIG instead of killing us
                    struct rlimit limit {512, 512};
                    ::setrlimit(RLIMIT_FSIZE, &limit);
                } else if (fault == "eio") {
                    setFaultInjector([](AtomicStep step, const fs::path&) { return step == AtomicStep::Fsync; });
                }
            }, file);
        });
        QVERIFY2(!run.contains("crashed") && !run.is_discarded(), run.dump().c_str());
        QVERIFY2(!run.contains("exception"), run.dump().c_str());
        ::chmod(ckptDir.c_str(), 0755);

        // The first save worked; every later one failed with an error event naming path and cause.
        QCOMPARE(savesOf(run), 1);
        const auto errors = errorsOf(run);
        QCOMPARE(int(errors.size()), continueOnError ? 2 : 1);
        for (const auto& e : errors) {
            QCOMPARE(e["reason"], json("write_failed"));
            QCOMPARE(e["path"], json("ckpt/model.weights.h5"));
            const std::string message = e["message"].get<std::string>();
            QVERIFY2(message.find(file.string()) != std::string::npos, message.c_str());
            if (!cause.isEmpty())
                QVERIFY2(message.find(cause.toStdString()) != std::string::npos, message.c_str());
            else // a file-size limit surfaces as EFBIG ("File too large") or a failed HDF5 write
                QVERIFY2(message.find("File too large") != std::string::npos ||
                             message.find("write") != std::string::npos,
                         message.c_str());
        }
        // Stopped after the failing epoch by default; all 3 epochs with continue_on_error.
        QCOMPARE(run["epochs"].get<int>(), continueOnError ? 3 : 2);

        // Previous checkpoint intact (byte-equal to the epoch-1 file) and readable; no temp file.
        const std::string before = run["snapshot"];
        QVERIFY(!before.empty());
        const std::string after = slurp(file);
        QCOMPARE(after.size() * 2, before.size());
        std::string afterHex;
        for (unsigned char c : after)
            afterHex += QByteArray(1, char(c)).toHex().toStdString();
        QVERIFY(afterHex == before);
        const LoadedCheckpoint loaded = readCheckpoint(file);
        QCOMPARE(int(loaded.variables.size()), 4);
        QCOMPARE(tempFilesUnder(outDir), 0);
    }

    /// The checkpoint directory disappears while a temp file is being written: error, no temp,
    /// and with continue_on_error the next save recreates the directory.
    void directoryRemovedDuringWrite_data()
    {
        QTest::addColumn<bool>("continueOnError");
        QTest::newRow("stop") << false;
        QTest::newRow("continue") << true;
    }
    void directoryRemovedDuringWrite()
    {
        QFETCH(bool, continueOnError);
        QTemporaryDir tmp;
        const fs::path outDir = fs::path(tmp.path().toStdString());
        const fs::path ckptDir = outDir / "ckpt";
        int injected = 0;
        const json run = runProject(makeProject("ckpt/m-{epoch}.weights.h5", continueOnError), outDir, [&](int epoch) {
            if (epoch != 0)
                return;
            setFaultInjector([&](AtomicStep step, const fs::path&) {
                if (step == AtomicStep::Fsync && injected == 0) {
                    ++injected;
                    fs::remove_all(ckptDir); // not a fault report: the real fsync below then fails
                }
                return false;
            });
        });
        QCOMPARE(injected, 1);
        const auto errors = errorsOf(run);
        QCOMPARE(int(errors.size()), 1);
        QCOMPARE(errors[0]["path"], json("ckpt/m-2.weights.h5"));
        const std::string message = errors[0]["message"];
        QVERIFY2(message.find((ckptDir / "m-2.weights.h5").string()) != std::string::npos, message.c_str());
        QVERIFY2(message.find(std::strerror(ENOENT)) != std::string::npos, message.c_str());
        QCOMPARE(tempFilesUnder(outDir), 0);
        if (continueOnError) {
            QCOMPARE(run["epochs"].get<int>(), 3);
            QCOMPARE(savesOf(run), 2);
            QVERIFY(fs::is_regular_file(ckptDir / "m-3.weights.h5"));
            QCOMPARE(int(readCheckpoint(ckptDir / "m-3.weights.h5").variables.size()), 4);
        } else {
            QCOMPARE(run["epochs"].get<int>(), 2);
            QVERIFY(!fs::exists(ckptDir / "m-2.weights.h5"));
        }
    }

    /// Removed between two saves: the next save recreates the directory (spec §4.4: missing
    /// parent directories are created) — no error, nothing lost that still existed.
    void outputDirectoryRemovedBetweenSaves()
    {
        QTemporaryDir tmp;
        const fs::path outDir = fs::path(tmp.path().toStdString()) / "out";
        const json run = runProject(makeProject("ckpt/m-{epoch}.weights.h5", false), outDir, [&](int epoch) {
            if (epoch == 0)
                fs::remove_all(outDir);
        });
        QCOMPARE(int(errorsOf(run).size()), 0);
        QCOMPARE(savesOf(run), 3);
        QCOMPARE(run["epochs"].get<int>(), 3);
        QVERIFY(!fs::exists(outDir / "ckpt/m-1.weights.h5"));
        QCOMPARE(int(readCheckpoint(outDir / "ckpt/m-3.weights.h5").variables.size()), 4);
    }

    /// A later epoch's path is an existing directory: Keras' exact message; the earlier file stays.
    void pathIsDirectory_data()
    {
        QTest::addColumn<bool>("continueOnError");
        QTest::newRow("stop") << false;
        QTest::newRow("continue") << true;
    }
    void pathIsDirectory()
    {
        QFETCH(bool, continueOnError);
        QTemporaryDir tmp;
        const fs::path outDir = fs::path(tmp.path().toStdString());
        fs::create_directories(outDir / "ckpt/m-2.weights.h5");
        const json run = runProject(makeProject("ckpt/m-{epoch}.weights.h5", continueOnError), outDir, {});
        const auto errors = errorsOf(run);
        QCOMPARE(int(errors.size()), 1);
        const std::string expected =
            "Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an existing directory: ";
        const std::string message = errors[0]["message"];
        // Keras' sentence exactly, ending with the path (the event prefixes "<path>: " like every I/O error).
        const std::string full = (outDir / "ckpt/m-2.weights.h5").string();
        QVERIFY2(message.size() >= expected.size() + full.size() &&
                     message.compare(message.size() - expected.size() - full.size(), std::string::npos, expected + full) == 0,
                 message.c_str());
        QCOMPARE(run["epochs"].get<int>(), continueOnError ? 3 : 2);
        QCOMPARE(int(readCheckpoint(outDir / "ckpt/m-1.weights.h5").variables.size()), 4);
        QVERIFY(fs::is_directory(outDir / "ckpt/m-2.weights.h5"));
        QVERIFY(fs::is_empty(outDir / "ckpt/m-2.weights.h5"));
        QCOMPARE(tempFilesUnder(outDir), 0);
    }

    /// Through the command line: exit code 1 and a message naming the path and the cause.
    void cliReportsWriteFailure_data()
    {
        QTest::addColumn<QString>("filepath");
        QTest::addColumn<QString>("inject");
        QTest::addColumn<QString>("cause");
        QTest::newRow("path is a directory") << "ckpt" << ""
                                             << "Please specify a non-directory filepath for ModelCheckpoint. "
                                                "Filepath used is an existing directory: ";
        QTest::newRow("parent is a regular file") << "blocker/m.weights.h5" << "" << "blocker";
        QTest::newRow("injected EIO at write") << "m.weights.h5" << "write" << "Input/output error"; // the CLI never calls setlocale: C messages
        QTest::newRow("injected EIO at rename") << "m.weights.h5" << "rename" << "Input/output error";
    }
    void cliReportsWriteFailure()
    {
        QFETCH(QString, filepath);
        QFETCH(QString, inject);
        QFETCH(QString, cause);
        QTemporaryDir tmp;
        QDir(tmp.path()).mkpath("ckpt");
        { QFile f(tmp.filePath("blocker")); QVERIFY(f.open(QIODevice::WriteOnly)); f.write("not a dir"); }
        Project project = makeProject(filepath == "ckpt" ? "ckpt.weights.h5" : filepath.toStdString(), false);
        if (filepath == "ckpt")
            QDir(tmp.path()).mkpath("ckpt.weights.h5");
        writeProjectFile(tmp.filePath("p.json"), project);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (!inject.isEmpty())
            env.insert("CKLAB_FAULT_INJECT", inject);
        const auto r = runCli({"run", "p.json", "--events", "ev.jsonl", "-q"}, tmp.path(), env);
        QVERIFY2(r.exitCode == 1, qPrintable(QString("exit %1, stderr: %2").arg(r.exitCode).arg(r.err)));
        QVERIFY2(r.err.contains(cause), qPrintable(r.err));
        // The error line names the file.
        const QString shown = filepath == "ckpt" ? "ckpt.weights.h5" : filepath;
        QVERIFY2(r.err.contains(shown), qPrintable(r.err));
        QCOMPARE(tempFilesUnder(tmp.path().toStdString()), 0);
        if (filepath == "m.weights.h5")
            QVERIFY(!QFile::exists(tmp.filePath("m.weights.h5")));
    }
};

QTEST_GUILESS_MAIN(TestDiskFaults)
#include "TestDiskFaults.moc"
