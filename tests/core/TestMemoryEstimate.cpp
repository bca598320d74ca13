// Memory bombs (issue 16 item 8a, 8d): a project whose model or data needs more memory than the
// limit is refused before anything is allocated, with the estimate and the limit in the message
// (the same text in the GUI's live validation and the CLI: validateProject); an allocation that
// fails anyway is named, not a bare "std::bad_alloc".
#include <QTemporaryDir>
#include <QtTest>

#include <cstdlib>
#include <fstream>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/base/Errors.h"
#include "core/base/OutOfMemory.h"
#include "core/project/MemoryEstimate.h"
#include "core/project/ProjectRun.h"
#include "core/project/ProjectValidation.h"
#include "tests/support/ConvSpecs.h"

#undef slots // OptimizerState has a member called `slots`, which Qt defines as a macro.

using namespace cklab;

namespace {

/// Sets CKLAB_MEMORY_LIMIT for one test and restores it.
struct LimitVariable {
    explicit LimitVariable(const char* value) { setenv("CKLAB_MEMORY_LIMIT", value, 1); }
    ~LimitVariable() { unsetenv("CKLAB_MEMORY_LIMIT"); }
};

Project denseProject(std::initializer_list<int> units)
{
    Project p;
    for (int u : units) {
        LayerSpec dense;
        dense.units = u;
        p.model.layers.push_back(dense);
    }
    p.training.epochs = 1;
    return p;
}

QString memoryProblemOf(const Project& p)
{
    for (const auto& problem : validateProject(p))
        if (problem.find("memory") != std::string::npos)
            return QString::fromStdString(problem);
    return {};
}

} // namespace

class TestMemoryEstimate : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void estimateCountsEachPart()
    {
        ModelSpec spec;
        spec.inputDim = 5;
        LayerSpec a, b;
        a.units = 7;
        b.units = 3;
        spec.layers = {a, b};
        OptimizerConfig adam; // 2 slots per variable
        const MemoryEstimate e = estimateMemory(spec, adam, 100, 5, 1, 10);
        const double params = 5 * 7 + 7 + 7 * 3 + 3; // 66
        QCOMPARE(e.parameters, params * 4);
        QCOMPARE(e.optimizer, 2 * params * 4);
        QCOMPARE(e.gradients, params * 4);
        QCOMPARE(e.checkpoints, 3 * params * 4);
        QCOMPARE(e.activations, 3.0 * 10 * (5 + 7 + 3) * 4);
        QCOMPARE(e.data, 100.0 * 6 * 4);
    }

    void convnetCountsShapesAndIm2col()
    {
        // Keras' simple MNIST convnet: 34 826 parameters (model.summary()); per sample the
        // outputs 26*26*32 + 13*13*32 + 11*11*64 + 5*5*64 + 1600 + 1600 + 10, plus the im2col
        // matrices 26*26*9*1 and 11*11*9*32.
        const ModelSpec spec = testspecs::mnistConvnet();
        OptimizerConfig adam;
        const MemoryEstimate e = estimateMemory(spec, adam, 60000, 784, 10, 128);
        QCOMPARE(e.parameters, 34826.0 * 4);
        QCOMPARE(e.optimizer, 2 * 34826.0 * 4);
        const double outputs = 26 * 26 * 32 + 13 * 13 * 32 + 11 * 11 * 64 + 5 * 5 * 64 + 1600 + 1600 + 10;
        const double im2col = 26 * 26 * 9 * 1 + 11 * 11 * 9 * 32;
        QCOMPARE(e.activations, 3.0 * 128 * (784 + outputs + im2col) * 4);
    }

    void limitFromTheEnvironment()
    {
        {
            const LimitVariable v("8G");
            QCOMPARE(*memoryLimit().bytes, 8.0 * 1024 * 1024 * 1024);
        }
        {
            const LimitVariable v("50%");
            QCOMPARE(*memoryLimit().bytes, physicalMemoryBytes() / 2);
        }
        {
            const LimitVariable v("lots");
            QCOMPARE(QString::fromStdString(memoryLimit().problem),
                     QString("CKLAB_MEMORY_LIMIT: must be a number of bytes with an optional K, M, G or T, or a share of "
                             "physical memory such as 75%, got 'lots'"));
        }
        QVERIFY(!memoryLimit().bytes || *memoryLimit().bytes == physicalMemoryBytes() / 2); // the default
    }

    /// 1e9 features of a generator (was a bare std::bad_alloc) and layers of 30 000 units
    /// (23 GiB, was accepted): refused by validateProject, with estimate and limit.
    void bombsAreRefusedBeforeTheRun()
    {
        const LimitVariable v("4G");
        Project features = denseProject({2});
        features.data.generator = "blobs";
        features.data.features = 1000000000;
        QCOMPARE(memoryProblemOf(features),
                 QString("model: this run needs about 782.3 GiB of memory (parameters 7.5 GiB, optimizer state 14.9 GiB, "
                         "gradients 7.5 GiB, checkpoint images 22.4 GiB, activations of a batch 357.6 GiB, data 372.5 GiB), "
                         "more than the limit of 4.0 GiB (CKLAB_MEMORY_LIMIT=4G); make the model, the data or the batch smaller"));
        QCOMPARE(memoryProblemOf(denseProject({30000, 30000, 2})),
                 QString("model: this run needs about 23.5 GiB of memory (parameters 3.4 GiB, optimizer state 6.7 GiB, "
                         "gradients 3.4 GiB, checkpoint images 10.1 GiB, activations of a batch 22.0 MiB), more than the "
                         "limit of 4.0 GiB (CKLAB_MEMORY_LIMIT=4G); make the model, the data or the batch smaller"));
        QCOMPARE(memoryProblemOf(denseProject({64, 2})), QString()); // an ordinary project fits
    }

    /// Data from a file is counted once it is read, before the model is built.
    void dataFileIsCountedWhenLoaded()
    {
        QTemporaryDir dir;
        {
            std::ofstream csv((dir.path() + "/d.csv").toStdString());
            csv << "a,b,label\n";
            for (int i = 0; i < 2000; ++i)
                csv << i << "," << i * 2 << "," << i % 2 << "\n";
        }
        Project p = denseProject({2});
        p.data.source = "csv";
        p.data.path = "d.csv";
        const LimitVariable v("20K");
        QCOMPARE(memoryProblemOf(p), QString()); // unknown before the file is read
        RunOptions options;
        options.baseDir = dir.path().toStdString();
        options.outputDir = (dir.path() + "/out").toStdString();
        QString error;
        try {
            ProjectRun run(p, options);
        } catch (const ConfigError& e) {
            error = QString::fromUtf8(e.what());
        }
        QVERIFY2(error.startsWith("data: this run needs about 32.9 KiB of memory (activations of a batch 1.5 KiB, data 31.2 KiB)"), qPrintable(error));
        QVERIFY2(error.contains("more than the limit of 20.0 KiB (CKLAB_MEMORY_LIMIT=20K)"), qPrintable(error));
    }

    /// An allocation that fails anyway says what was being allocated. Real: a child process
    /// with a 1 GiB address-space limit loads a 2 GiB data set.
    void failedAllocationIsNamed()
    {
#if defined(__SANITIZE_ADDRESS__)
        QSKIP("ASan reserves terabytes of address space; RLIMIT_AS cannot be used under it");
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
        QSKIP("ASan reserves terabytes of address space; RLIMIT_AS cannot be used under it");
#endif
#endif
        int fds[2];
        QVERIFY(pipe(fds) == 0);
        const pid_t pid = fork();
        QVERIFY(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            const rlimit limit{rlim_t(1) << 30, rlim_t(1) << 30};
            setrlimit(RLIMIT_AS, &limit);
            setenv("CKLAB_MEMORY_LIMIT", "1T", 1);
            Project p = denseProject({2});
            p.data.generator = "blobs";
            p.data.samples = 1000000;
            p.data.features = 500;
            std::string text = "no error";
            try {
                ProjectRun run(p);
            } catch (const std::exception& e) {
                text = e.what();
            }
            (void)!write(fds[1], text.data(), text.size());
            _exit(0);
        }
        close(fds[1]);
        std::string text;
        char buffer[512];
        for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;)
            text.append(buffer, static_cast<std::size_t>(n));
        close(fds[0]);
        int status = 0;
        waitpid(pid, &status, 0);
        QCOMPARE(QString::fromStdString(text),
                 QString("out of memory while loading the data set (the allocation failed); make the model, the data "
                         "or the batch smaller, or set CKLAB_MEMORY_LIMIT lower so the run is refused before it starts"));
    }
};

QTEST_GUILESS_MAIN(TestMemoryEstimate)
#include "TestMemoryEstimate.moc"
