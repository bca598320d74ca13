// The matrix products' thread pool: every chunk runs exactly once at any thread count, runs
// from several threads at once do not mix, and a product gives the same bits at 1, 2 and 3
// threads (the chunking depends only on the shape: resume on another --threads reproduces).
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <cstring>
#include <thread>
#include <vector>

#include "core/nn/MatMul.h"
#include "core/nn/Parallelism.h"
#include "core/nn/WorkerPool.h"
#include "core/optim/Adam.h"

using namespace cklab;

namespace {

Matrix filled(Eigen::Index rows, Eigen::Index cols, std::uint32_t seed)
{
    Matrix m(rows, cols);
    std::uint32_t state = seed;
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        state = state * 1664525u + 1013904223u;
        m.data()[i] = static_cast<float>(state >> 8) / static_cast<float>(1u << 23) - 1.0f;
    }
    return m;
}

// Threads of this process (Linux /proc), -1 where it cannot be read.
int processThreads()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("Threads:"))
            return line.mid(8).trimmed().toInt();
    }
    return -1;
}

bool sameBits(const Matrix& a, const Matrix& b)
{
    return a.rows() == b.rows() && a.cols() == b.cols()
        && std::memcmp(a.data(), b.data(), sizeof(float) * static_cast<std::size_t>(a.size())) == 0;
}

} // namespace

class TestWorkerPool : public QObject {
    Q_OBJECT

private slots:
    void everyChunkRunsOnce_data()
    {
        QTest::addColumn<int>("threads");
        QTest::addColumn<int>("count");
        for (int t : {1, 2, 3})
            for (int c : {0, 1, 2, 7})
                QTest::newRow(qPrintable(QString("%1 threads, %2 chunks").arg(t).arg(c))) << t << c;
    }

    void everyChunkRunsOnce()
    {
        QFETCH(int, threads);
        QFETCH(int, count);
        WorkerPool pool;
        pool.setThreads(threads);
        QCOMPARE(pool.threads(), threads);
        for (int round = 0; round < 50; ++round) {
            std::vector<std::atomic<int>> calls(static_cast<std::size_t>(count));
            pool.run(count, [&](int i) { calls[static_cast<std::size_t>(i)].fetch_add(1); });
            for (int i = 0; i < count; ++i)
                QCOMPARE(calls[static_cast<std::size_t>(i)].load(), 1);
        }
    }

    // Workload S: every product is too small to split, so --threads 2 must run exactly what
    // --threads 1 runs, without an idle helper thread beside it.
    void helpersStartWithTheFirstSplitRun()
    {
        const int before = processThreads();
        if (before < 0)
            QSKIP("/proc/self/status not readable");
        {
            WorkerPool pool;
            pool.setThreads(3);
            QCOMPARE(pool.threads(), 3);
            pool.run(1, [](int) {});
            QCOMPARE(processThreads(), before);
            pool.run(2, [](int) {});
            QCOMPARE(processThreads(), before + 2);
            pool.setThreads(1);
            pool.run(2, [](int) {});
            QCOMPARE(processThreads(), before);
        }
        QCOMPARE(processThreads(), before);
    }

    void halvesCoverTheRangeOnce_data()
    {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("minItems");
        QTest::addColumn<int>("align");
        QTest::addColumn<int>("middle"); // where the second block starts; 0 = one block
        QTest::newRow("below the minimum: one block") << 1000 << 1001 << 16 << 0;
        QTest::newRow("shorter than two aligned blocks") << 20 << 1 << 16 << 0;
        QTest::newRow("even") << 1024 << 100 << 64 << 512;
        QTest::newRow("rounded to the alignment") << 1000 << 100 << 64 << 512;
        QTest::newRow("unaligned rows") << 129 << 2 << 1 << 64;
    }

    void halvesCoverTheRangeOnce()
    {
        QFETCH(int, n);
        QFETCH(int, minItems);
        QFETCH(int, align);
        QFETCH(int, middle);
        const int threadsBefore = threadCount();
        for (int threads : {1, 2}) {
            setThreadCount(threads);
            std::vector<std::atomic<int>> hits(static_cast<std::size_t>(n));
            std::mutex mutex;
            std::vector<std::pair<long, long>> blocks;
            runHalves(n, minItems, align, [&](long begin, long end) {
                {
                    std::lock_guard lock(mutex);
                    blocks.emplace_back(begin, end);
                }
                for (long i = begin; i < end; ++i)
                    hits[static_cast<std::size_t>(i)].fetch_add(1);
            });
            for (int i = 0; i < n; ++i)
                QCOMPARE(hits[static_cast<std::size_t>(i)].load(), 1);
            std::sort(blocks.begin(), blocks.end());
            if (middle == 0) {
                QCOMPARE(blocks.size(), std::size_t{1});
            } else {
                QCOMPARE(blocks.size(), std::size_t{2});
                QCOMPARE(blocks[1].first, long{middle});
            }
        }
        setThreadCount(threadsBefore);
    }

    // Adam updates a large variable in two halves on the pool: the same bits at 1 and 2 threads
    // (each half is the element-wise kernel, whose result does not depend on where a block
    // starts: TestKernelsIsa).
    void adamHalvesGiveTheSameBits()
    {
        if (parallelBuild())
            QSKIP("CKLAB_OPENMP build");
        const int threadsBefore = threadCount();
        const Matrix start = filled(300, 333, 7); // 99 900 elements: split
        const Matrix small = filled(3, 5, 8);     // not split
        std::vector<Matrix> results;
        for (int threads : {1, 2, 1}) {
            setThreadCount(threads);
            OptimizerConfig config = OptimizerConfig::defaultsFor("adam");
            config.learningRate = 0.01f;
            Adam adam(config);
            Matrix w = start, b = small;
            std::vector<Matrix*> vars{&w, &b};
            for (int step = 0; step < 3; ++step) {
                const std::vector<Matrix> grads{filled(300, 333, 10 + step), filled(3, 5, 20 + step)};
                adam.apply(vars, grads);
            }
            QVERIFY(!sameBits(w, start)); // it did update
            results.push_back(w);
            results.push_back(b);
        }
        setThreadCount(threadsBefore);
        for (std::size_t i = 2; i < results.size(); ++i)
            QVERIFY2(sameBits(results[i], results[i % 2]), qPrintable(QString("result %1 differs").arg(i)));
        // The same update row by row, each row a variable too small to split: every element of
        // both halves was updated exactly like this (nothing skipped, nothing done twice).
        std::vector<Matrix> rows;
        for (Eigen::Index r = 0; r < start.rows(); ++r)
            rows.push_back(start.row(r));
        std::vector<Matrix*> rowVars;
        for (Matrix& row : rows)
            rowVars.push_back(&row);
        OptimizerConfig config = OptimizerConfig::defaultsFor("adam");
        config.learningRate = 0.01f;
        Adam byRows(config);
        for (int step = 0; step < 3; ++step) {
            const Matrix grad = filled(300, 333, 10 + step);
            std::vector<Matrix> rowGrads;
            for (Eigen::Index r = 0; r < grad.rows(); ++r)
                rowGrads.push_back(grad.row(r));
            byRows.apply(rowVars, rowGrads);
        }
        for (Eigen::Index r = 0; r < start.rows(); ++r)
            QVERIFY2(sameBits(rows[static_cast<std::size_t>(r)], results[0].row(r)), qPrintable(QString("row %1").arg(r)));
    }

    void helpersDoWork()
    {
        WorkerPool pool;
        pool.setThreads(2);
        // Chunk 0 waits (bounded) until another thread has run chunk 1: only a helper can.
        std::atomic<bool> secondDone{false};
        std::thread::id firstThread, secondThread;
        pool.run(2, [&](int i) {
            if (i == 1) {
                secondThread = std::this_thread::get_id();
                secondDone = true;
                return;
            }
            firstThread = std::this_thread::get_id();
            for (int spin = 0; spin < 5000 && !secondDone; ++spin)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        });
        QVERIFY(secondDone);
        QVERIFY(firstThread != secondThread);
    }

    void concurrentRunsStayApart()
    {
        WorkerPool pool;
        pool.setThreads(2);
        std::atomic<int> sumA{0}, sumB{0};
        auto work = [&pool](std::atomic<int>& sum, int weight) {
            for (int round = 0; round < 200; ++round)
                pool.run(4, [&](int i) { sum.fetch_add(weight * (i + 1)); });
        };
        std::thread other(work, std::ref(sumB), 100);
        work(sumA, 1);
        other.join();
        QCOMPARE(sumA.load(), 200 * 10);
        QCOMPARE(sumB.load(), 200 * 1000);
    }

    void productsHaveTheSameBitsAtAnyThreadCount_data()
    {
        QTest::addColumn<int>("isa");
        for (MatMulIsa isa : {MatMulIsa::Baseline, MatMulIsa::Avx2, MatMulIsa::Avx512}) {
            if (matMulIsaSupported(isa))
                QTest::newRow(matMulIsaName(isa).data()) << static_cast<int>(isa);
        }
    }

    void productsHaveTheSameBitsAtAnyThreadCount()
    {
        QFETCH(int, isa);
        if (parallelBuild())
            QSKIP("CKLAB_OPENMP build: Eigen's OpenMP GEMM blocks k by the thread count (docs/benchmarks.md)");
        const MatMulIsa before = matMulIsa();
        const int threadsBefore = threadCount();
        setMatMulIsa(static_cast<MatMulIsa>(isa));
        // M's three products (forward, kernel gradient, input gradient) and an odd shape; all
        // above the size at which products are cut into chunks.
        const Matrix x = filled(128, 784, 1), w = filled(784, 256, 2), dz = filled(128, 256, 3);
        const Matrix odd = filled(203, 117, 4), oddB = filled(117, 301, 5);
        std::vector<Matrix> first;
        for (int threads : {1, 2, 3}) {
            setThreadCount(threads);
            QCOMPARE(threadCount(), threads);
            std::vector<Matrix> now(4);
            matMul(x, w, now[0]);
            matMulAtB(x, dz, now[1]);
            matMulABt(dz, w, now[2]);
            matMul(odd, oddB, now[3]);
            if (first.empty())
                first = now;
            for (std::size_t i = 0; i < now.size(); ++i)
                QVERIFY2(sameBits(now[i], first[i]), qPrintable(QString("product %1 differs at %2 threads").arg(i).arg(threads)));
        }
        // And the chunked product is still the product (against a double-precision sum).
        for (int r : {0, 77, 202}) {
            for (int c : {0, 150, 300}) {
                double sum = 0.0;
                for (int p = 0; p < 117; ++p)
                    sum += static_cast<double>(odd(r, p)) * oddB(p, c);
                QVERIFY(std::abs(first[3](r, c) - sum) < 1e-4);
            }
        }
        setThreadCount(threadsBefore);
        setMatMulIsa(before);
    }
};

QTEST_GUILESS_MAIN(TestWorkerPool)
#include "TestWorkerPool.moc"
