// The engine's matrix products: every instruction-set variant this CPU supports against a plain
// double-precision triple loop, the run-time choice of the variant, and that the AVX kernels
// share no out-of-line code with the rest of the binary (which would break portability).
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/nn/MatMul.h"
#include "tests/support/ObjectSymbols.h"

using namespace cklab;

namespace {

Matrix filled(Eigen::Index rows, Eigen::Index cols, std::uint32_t seed)
{
    Matrix m(rows, cols);
    std::uint32_t state = seed;
    for (Eigen::Index r = 0; r < rows; ++r) {
        for (Eigen::Index c = 0; c < cols; ++c) {
            state = state * 1664525u + 1013904223u; // LCG: values in [-1, 1)
            m(r, c) = static_cast<float>(state >> 8) / static_cast<float>(1u << 23) - 1.0f;
        }
    }
    return m;
}

// Reference c = op(a) * op(b) in double precision.
Matrix reference(const Matrix& a, const Matrix& b, bool transA, bool transB)
{
    const Eigen::Index m = transA ? a.cols() : a.rows();
    const Eigen::Index k = transA ? a.rows() : a.cols();
    const Eigen::Index n = transB ? b.rows() : b.cols();
    Matrix c(m, n);
    for (Eigen::Index i = 0; i < m; ++i) {
        for (Eigen::Index j = 0; j < n; ++j) {
            double sum = 0.0;
            for (Eigen::Index p = 0; p < k; ++p)
                sum += static_cast<double>(transA ? a(p, i) : a(i, p)) * static_cast<double>(transB ? b(j, p) : b(p, j));
            c(i, j) = static_cast<float>(sum);
        }
    }
    return c;
}

// Relative to the magnitude of the terms: float32 accumulation over k terms of size <= 1.
void compare(const Matrix& got, const Matrix& want, Eigen::Index k, const char* what)
{
    QCOMPARE(got.rows(), want.rows());
    QCOMPARE(got.cols(), want.cols());
    const double bound = 1e-6 * static_cast<double>(k) + 1e-6;
    for (Eigen::Index i = 0; i < got.rows(); ++i)
        for (Eigen::Index j = 0; j < got.cols(); ++j)
            if (std::abs(static_cast<double>(got(i, j)) - static_cast<double>(want(i, j))) > bound)
                QFAIL(qPrintable(QString("%1: (%2, %3) is %4, expected %5").arg(what).arg(i).arg(j).arg(got(i, j)).arg(want(i, j))));
}

const MatMulIsa kAll[] = {MatMulIsa::Baseline, MatMulIsa::Avx2, MatMulIsa::Avx512};

} // namespace

class TestMatMul : public QObject {
    Q_OBJECT

private slots:
    void cleanup() { setMatMulIsa(m_default); }

    void everyVariantMatchesReference_data()
    {
        QTest::addColumn<int>("isa");
        QTest::addColumn<int>("m");
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("n");
        for (MatMulIsa isa : kAll) {
            if (!matMulIsaSupported(isa))
                continue;
            const QByteArray name(matMulIsaName(isa).data(), static_cast<int>(matMulIsaName(isa).size()));
            QTest::newRow(name + " 1x1x1") << static_cast<int>(isa) << 1 << 1 << 1;
            QTest::newRow(name + " small, coefficient-wise 17x33x5") << static_cast<int>(isa) << 17 << 33 << 5;
            // The small path's tiles: 4-row blocks plus a rest, a 16-column tile plus a narrow one.
            QTest::newRow(name + " small, tile rests 13x7x17") << static_cast<int>(isa) << 13 << 7 << 17;
            // ... and a depth over one 128-row panel, resumed from the partial sums.
            QTest::newRow(name + " small, deep 3x300x20") << static_cast<int>(isa) << 3 << 300 << 20;
            QTest::newRow(name + " M layer 128x784x256") << static_cast<int>(isa) << 128 << 784 << 256;
            QTest::newRow(name + " tail 67x130x29") << static_cast<int>(isa) << 67 << 130 << 29;
        }
    }

    void everyVariantMatchesReference()
    {
        QFETCH(int, isa);
        QFETCH(int, m);
        QFETCH(int, k);
        QFETCH(int, n);
        setMatMulIsa(static_cast<MatMulIsa>(isa));
        const Matrix a = filled(m, k, 1), b = filled(k, n, 2);
        Matrix c(3, 3); // wrong shape on purpose: the products resize
        matMul(a, b, c);
        compare(c, reference(a, b, false, false), k, "a * b");
        const Matrix at = filled(k, m, 3);
        matMulAtB(at, b, c);
        compare(c, reference(at, b, true, false), k, "a^T * b");
        const Matrix bt = filled(n, k, 4);
        matMulABt(a, bt, c);
        compare(c, reference(a, bt, false, true), k, "a * b^T");
    }

    void emptyOperandsGiveZeroOrEmpty()
    {
        const Matrix a(0, 4), b = filled(4, 3, 5);
        Matrix c;
        matMul(a, b, c);
        QCOMPARE(c.rows(), Eigen::Index(0));
        QCOMPARE(c.cols(), Eigen::Index(3));
        const Matrix x(2, 0), y(0, 3);
        matMul(x, y, c);
        QCOMPARE(c.rows(), Eigen::Index(2));
        QVERIFY(c.isZero(0.0f));
    }

    void mismatchedShapesThrow()
    {
        Matrix c;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, matMul(filled(2, 3, 1), filled(4, 2, 2), c));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, matMulAtB(filled(2, 3, 1), filled(4, 2, 2), c));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, matMulABt(filled(2, 3, 1), filled(4, 2, 2), c));
    }

    void defaultIsTheWidestTheCpuRuns()
    {
        if (qEnvironmentVariableIsSet("CKLAB_ISA"))
            QSKIP("CKLAB_ISA chooses the variant in this environment");
#if defined(__GNUC__) && defined(__x86_64__)
        // Independent of MatMul.cpp's own check: what the CPU reports.
        const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
        const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        const MatMulIsa want = avx512 ? MatMulIsa::Avx512 : avx2 ? MatMulIsa::Avx2 : MatMulIsa::Baseline;
        if (!matMulIsaSupported(MatMulIsa::Avx2))
            QSKIP("built without the AVX kernels (CKLAB_ISA_DISPATCH=OFF)");
        QCOMPARE(m_default, want);
#else
        QCOMPARE(m_default, MatMulIsa::Baseline);
#endif
        QVERIFY(matMulIsaSupported(MatMulIsa::Baseline));
    }

    void avxKernelsShareNoCodeWithTheRest_data()
    {
        QTest::addColumn<QString>("object");
        QTest::addColumn<QString>("eigenName");
        const QString dir = QStringLiteral(CKLAB_BINARY_DIR "/core/CMakeFiles/cklab_core.dir/nn/gemm/");
        QTest::newRow("avx2") << dir + "MatMulAvx2.cpp.o" << "EigenAvx2Kernel";
        QTest::newRow("avx512") << dir + "MatMulAvx512.cpp.o" << "EigenAvx512Kernel";
    }

    // A weak (inline/template) symbol defined by an AVX object could be picked by the linker for
    // the whole program and then run on a CPU without AVX. Every such symbol must be private to
    // the variant: inside its renamed Eigen namespace or its own kernel functions.
    void avxKernelsShareNoCodeWithTheRest()
    {
        QFETCH(QString, object);
        QFETCH(QString, eigenName);
        if (!matMulIsaSupported(MatMulIsa::Avx2) || !QFile::exists(object))
            QSKIP("AVX kernels not built here");
        const auto symbols = test::definedSymbols(object);
        if (!symbols)
            QSKIP("nm not available");
        const QList<QByteArray> outside = test::sharedWeakCodeOutside(*symbols, eigenName.toUtf8());
        QVERIFY2(outside.isEmpty(), outside.join('\n').constData());
        // The product does instantiate Eigen templates out of line (nm read the right file).
        QVERIFY(std::ranges::any_of(*symbols, test::isSharedWeakCode));
    }

private:
    MatMulIsa m_default = matMulIsa();
};

QTEST_GUILESS_MAIN(TestMatMul)
#include "TestMatMul.moc"
