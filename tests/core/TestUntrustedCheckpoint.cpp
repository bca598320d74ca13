// Checkpoints from outside are read behind a child process (issue 8): libhdf5 1.10.8 crashes or
// hangs on some corrupt files (tests/data/hdf5-findings, found by fuzz_checkpoint_reader); that
// must become an IoError naming the file, within a bounded time, with this process alive.
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <functional>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <fcntl.h>
#include <unistd.h>

#include "core/base/Errors.h"
#include "core/io/CheckpointFile.h"
#include "core/io/IsolatedCall.h"
#include "core/io/UntrustedCheckpoint.h"
#include "core/model/Model.h"
#include "tests/support/SanitizerBuild.h"
#include "tests/support/SmallModel.h"

#undef slots // OptimizerState has a member called `slots`, which Qt defines as a macro.

using namespace cklab;
using namespace std::chrono_literals;

namespace {

/// 4 inputs -> Dense 6 -> Dense 3.
std::unique_ptr<Model> smallModel() { return test::smallDenseModel(4, {6, 3}, 7); }

std::string findingPath(const char* name)
{
    return std::string(CKLAB_SOURCE_DIR) + "/tests/data/hdf5-findings/" + name;
}

/// What the child does for each row of isolatedOutcomes: the argument says how it ends.
void endInChild(const std::string& how)
{
    if (how == "throws")
        throw std::runtime_error("refused");
    if (how == "segv")
        std::raise(SIGSEGV);
    if (how == "abort")
        std::abort();
    if (how == "exit 3")
        ::_exit(3);
    if (how == "endless loop")
        for (volatile bool spin = true; spin;) {
        }
}

CKLAB_ISOLATED_TASK(kEndInChild, "test-end", endInChild)

/// Ends with exit status 3 if descriptor number `fd` is open in the child, else normally.
void exitIfDescriptorOpen(const std::string& fd)
{
    if (::fcntl(std::stoi(fd), F_GETFD) != -1)
        ::_exit(3);
}

CKLAB_ISOLATED_TASK(kExitIfDescriptorOpen, "test-descriptor", exitIfDescriptorOpen)

std::string messageOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const IoError& e) {
        return e.what();
    } catch (const ConfigError& e) {
        return std::string("ConfigError: ") + e.what();
    }
    return "(no error)";
}

} // namespace

class TestUntrustedCheckpoint : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void isolatedOutcomes_data();
    void isolatedOutcomes();
    void childInheritsNoDescriptorAndNoTask();
    void validFileLoadsIdentically_data();
    void validFileLoadsIdentically();
    void ourOwnErrorsAreUnchanged();
    void hdf5HangBecomesTimeoutError();
    void hdf5CrashBecomesCrashError_data();
    void hdf5CrashBecomesCrashError();
    void concurrentSavesDoNotBlockTheChild();
};

void TestUntrustedCheckpoint::isolatedOutcomes_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("code");
    using K = IsolatedOutcome::Kind;
    QTest::newRow("returns") << int(K::Finished) << 0;
    QTest::newRow("throws") << int(K::Finished) << 0;
    QTest::newRow("segv") << int(K::Crashed) << int(SIGSEGV);
    QTest::newRow("abort") << int(K::Crashed) << int(SIGABRT);
    QTest::newRow("exit 3") << int(K::ExitedEarly) << 3;
    QTest::newRow("endless loop") << int(K::TimedOut) << 0;
}

void TestUntrustedCheckpoint::isolatedOutcomes()
{
    QFETCH(int, kind);
    QFETCH(int, code);
    QElapsedTimer clock;
    clock.start();
    const bool loops = kind == int(IsolatedOutcome::Kind::TimedOut);
    const IsolatedOutcome outcome = runIsolated(kEndInChild, QTest::currentDataTag(), loops ? 300ms : 20000ms);
    QCOMPARE(int(outcome.kind), kind);
    QCOMPARE(outcome.code, code);
    QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed())));
    if (kind == int(IsolatedOutcome::Kind::TimedOut))
        QVERIFY(clock.elapsed() >= 290);
}

void TestUntrustedCheckpoint::childInheritsNoDescriptorAndNoTask()
{
    // A descriptor the parent opened without O_CLOEXEC (a file another library keeps open)
    // stays out of the child.
    const int fd = ::open("/dev/null", O_RDONLY);
    QVERIFY(fd > 2);
    const IsolatedOutcome outcome = runIsolated(kExitIfDescriptorOpen, std::to_string(fd), 20000ms);
    QCOMPARE(int(outcome.kind), int(IsolatedOutcome::Kind::Finished));
    // The check itself can fail: the same task sees an open descriptor (stderr) as open.
    QCOMPARE(int(runIsolated(kExitIfDescriptorOpen, "2", 20000ms).kind), int(IsolatedOutcome::Kind::ExitedEarly));
    ::close(fd);
    // The task's name never reaches this process's own environment, so a program this one
    // starts (QProcess, a shell) runs normally.
    QCOMPARE(std::getenv("CKLAB_ISOLATED_TASK"), nullptr);
}

void TestUntrustedCheckpoint::validFileLoadsIdentically_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("weights.h5") << "m.weights.h5";
    QTest::newRow("keras") << "m.keras";
    QTest::newRow("legacy h5") << "m.h5";
}

void TestUntrustedCheckpoint::validFileLoadsIdentically()
{
    QFETCH(QString, name);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path path = dir.filePath(name).toStdString();
    auto model = smallModel();
    saveCheckpoint(path, *model);

    const LoadedCheckpoint direct = readCheckpoint(path);
    const LoadedCheckpoint guarded = readUntrustedCheckpoint(path);
    QCOMPARE(int(guarded.format), int(direct.format));
    QCOMPARE(guarded.spec.has_value(), direct.spec.has_value());
    QCOMPARE(guarded.optimizer.has_value(), direct.optimizer.has_value());
    QVERIFY(guarded.variablePaths == direct.variablePaths);
    QVERIFY(guarded.variableShapes == direct.variableShapes);
    QCOMPARE(guarded.variables.size(), model->network().variables().size());
    for (std::size_t i = 0; i < guarded.variables.size(); ++i)
        QVERIFY(guarded.variables[i] == *model->network().variables()[i]); // bit-exact, from the model
    QCOMPARE(guarded.file, path);
}

void TestUntrustedCheckpoint::ourOwnErrorsAreUnchanged()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path path = dir.filePath("t.weights.h5").toStdString();
    saveCheckpoint(path, *smallModel());
    std::filesystem::resize_file(path, 1000); // truncated: our own checks refuse it
    const std::string direct = messageOf([&] { readCheckpoint(path); });
    const std::string guarded = messageOf([&] { readUntrustedCheckpoint(path); });
    QVERIFY2(direct.rfind(path.string() + ": ", 0) == 0, direct.c_str());
    QCOMPARE(guarded, direct);

    const std::filesystem::path missing = dir.filePath("none.keras").toStdString();
    QCOMPARE(messageOf([&] { readUntrustedCheckpoint(missing); }), messageOf([&] { readCheckpoint(missing); }));
}

void TestUntrustedCheckpoint::hdf5HangBecomesTimeoutError()
{
    // H5Aread of the variable-length attribute model_config never returns (h5py hangs too).
    const std::string path = findingPath("hang-vlen-attribute.h5");
    QElapsedTimer clock;
    clock.start();
    const std::string message = messageOf([&] { readUntrustedCheckpoint(path, 700ms); });
    // Issue 16, item 13: a time-out is not called "corrupt".
    QCOMPARE(message, path + ": could not be read: reading did not finish within 0.7 s and was stopped; the file may be "
                             "damaged (HDF5 can loop on one), or very large for a busy machine: try again when it is idle");
    QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed())));
    // The default bound is what the brief promises users.
    QCOMPARE(kUntrustedReadTimeout.count(), 10000);
}

void TestUntrustedCheckpoint::hdf5CrashBecomesCrashError_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("perturb");
    // Corrupt dense link storage: libhdf5 frees a pointer read from uninitialised memory, so
    // whether it crashes depends on the heap's contents. The reading child runs with glibc's
    // fill byte (MALLOC_PERTURB_), which makes it certain there; here in the parent too, so
    // that a child which did not crash would make this test crash rather than pass.
    QTest::newRow("dense links (H5Literate)") << "crash-dense-links.weights.h5" << true;
    // A global heap object whose declared size runs far past the heap: H5HG_read copies
    // gigabytes (fuzz_checkpoint_reader, this session). h5py crashes on both files too.
    QTest::newRow("global heap (H5HG_read)") << "crash-global-heap-attribute.h5" << false;
}

void TestUntrustedCheckpoint::hdf5CrashBecomesCrashError()
{
    QFETCH(QString, file);
    QFETCH(bool, perturb);
    if (test::kAddressSanitizer)
        QSKIP("under ASan libhdf5's bad free()/memcpy is an ASan report in the child, which sanitize.sh counts; "
              "the Release run covers this");
#if defined(__GLIBC__) && defined(M_PERTURB)
    if (perturb)
        mallopt(M_PERTURB, 65);
#else
    if (perturb)
        QSKIP("needs glibc's M_PERTURB to make libhdf5's crash certain");
#endif
    const std::string path = findingPath(file.toStdString().c_str());
    QElapsedTimer clock;
    clock.start();
    const std::string message = messageOf([&] { readUntrustedCheckpoint(path); });
#if defined(__GLIBC__) && defined(M_PERTURB)
    mallopt(M_PERTURB, 0);
#endif
    QVERIFY2(message.rfind(path + ": could not be read: the HDF5 library crashed on it (signal ", 0) == 0,
             message.c_str());
    QVERIFY2(message.ends_with("); the file is corrupt"), message.c_str());
    QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed())));
    // This process is unharmed: a good file still loads.
    QTemporaryDir dir;
    const std::filesystem::path good = dir.filePath("g.weights.h5").toStdString();
    saveCheckpoint(good, *smallModel());
    QCOMPARE(readUntrustedCheckpoint(good).variables.size(), std::size_t(4));
}

void TestUntrustedCheckpoint::concurrentSavesDoNotBlockTheChild()
{
    // A fork()ed child would inherit every lock another thread holds at that moment (libhdf5's
    // while a save runs; under clang 14's ASan the allocator's) and could wait for it for ever: a
    // false "did not finish" error. The re-executed child shares none of them.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path read = dir.filePath("r.keras").toStdString();
    saveCheckpoint(read, *smallModel());
    std::atomic<bool> stop = false;
    std::atomic<int> saves = 0;
    std::thread saver([&] {
        auto model = smallModel();
        const std::filesystem::path out = dir.filePath("w.weights.h5").toStdString();
        while (!stop) {
            saveCheckpoint(out, *model);
            ++saves;
        }
    });
    std::string failure;
    for (int reads = 0; reads < 40; ++reads) {
        failure = messageOf([&] { readUntrustedCheckpoint(read, 5s); });
        if (failure != "(no error)")
            break;
    }
    stop = true;
    saver.join();
    QCOMPARE(failure, std::string("(no error)"));
    QVERIFY(saves > 0);
}

QTEST_GUILESS_MAIN(TestUntrustedCheckpoint)
#include "TestUntrustedCheckpoint.moc"
