// The element-wise kernels (Adam update, activations forward and backward) of every
// instruction-set variant this CPU supports: against double-precision formulas, against the
// baseline variant within a stated tolerance, bit-identical for a given variant whatever the
// operands' addresses (resume determinism), and free of weak code shared with the rest.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/nn/Activation.h"
#include "core/nn/IsaKernels.h"
#include "tests/support/ObjectSymbols.h"

using namespace cklab;

namespace {

const MatMulIsa kAll[] = {MatMulIsa::Baseline, MatMulIsa::Avx2, MatMulIsa::Avx512};
const Activation kActivations[] = {Activation::Linear, Activation::Relu,      Activation::Sigmoid,
                                   Activation::Tanh,   Activation::Softmax,   Activation::LeakyRelu,
                                   Activation::Elu,    Activation::Gelu,      Activation::Softplus};

// Values in [lo, hi) from a fixed LCG (independent of the code under test).
std::vector<float> values(std::size_t n, std::uint32_t seed, float lo, float hi)
{
    std::vector<float> v(n);
    std::uint32_t state = seed;
    for (float& x : v) {
        state = state * 1664525u + 1013904223u;
        x = lo + (hi - lo) * static_cast<float>(state >> 8) / static_cast<float>(1u << 24);
    }
    return v;
}

// f(z) in double precision, row-wise for softmax.
std::vector<double> forwardReference(Activation a, const std::vector<float>& z, long rows, long cols)
{
    std::vector<double> out(z.size());
    for (long r = 0; r < rows; ++r) {
        double maxValue = -1e300, sum = 0.0;
        for (long j = 0; j < cols; ++j)
            maxValue = std::max(maxValue, static_cast<double>(z[r * cols + j]));
        for (long j = 0; j < cols; ++j)
            sum += std::exp(z[r * cols + j] - maxValue);
        for (long j = 0; j < cols; ++j) {
            const double x = z[r * cols + j];
            double y = x;
            switch (a) {
            case Activation::Linear: break;
            case Activation::Relu: y = std::max(x, 0.0); break;
            case Activation::Sigmoid: y = 1.0 / (1.0 + std::exp(-x)); break;
            case Activation::Tanh: y = std::tanh(x); break;
            case Activation::Softmax: y = std::exp(x - maxValue) / sum; break;
            case Activation::LeakyRelu: y = x > 0 ? x : 0.2 * x; break;
            case Activation::Elu: y = x > 0 ? x : std::exp(x) - 1.0; break;
            case Activation::Gelu: y = 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))); break;
            case Activation::Softplus: y = std::log1p(std::exp(x)); break;
            }
            out[r * cols + j] = y;
        }
    }
    return out;
}

struct Result {
    std::vector<float> zBiased, out, dZ;
    bool inPlaceSame = false; // forward with out == z gave the same bits as the fused bias + forward
};

// Runs biasForward, forward (in place) and backward of one variant on the given operands.
Result run(const simd::Kernels& k, Activation a, const std::vector<float>& z, const std::vector<float>& bias,
           const std::vector<float>& dOut, long rows, long cols)
{
    Result r;
    r.zBiased = z;
    r.out.assign(z.size(), 0.0f);
    k.biasForward(static_cast<int>(a), bias.data(), r.zBiased.data(), r.out.data(), rows, cols);
    std::vector<float> inPlace = r.zBiased;
    k.forward(static_cast<int>(a), inPlace.data(), inPlace.data(), rows, cols);
    r.inPlaceSame = std::memcmp(inPlace.data(), r.out.data(), inPlace.size() * sizeof(float)) == 0;
    r.dZ.assign(z.size(), 0.0f);
    k.backward(static_cast<int>(a), r.zBiased.data(), r.out.data(), dOut.data(), r.dZ.data(), rows, cols);
    return r;
}

bool near(double got, double want, double relTol)
{
    return std::abs(got - want) <= relTol * std::max(1.0, std::abs(want));
}

QByteArray isaName(MatMulIsa isa)
{
    return QByteArray(matMulIsaName(isa).data(), static_cast<int>(matMulIsaName(isa).size()));
}

} // namespace

class TestKernelsIsa : public QObject {
    Q_OBJECT

private slots:
    void activationsMatchDoubleAndBaseline_data()
    {
        QTest::addColumn<int>("isa");
        QTest::addColumn<int>("activation");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        for (MatMulIsa isa : kAll) {
            if (!matMulIsaSupported(isa))
                continue;
            for (Activation a : kActivations) {
                const QByteArray name = isaName(isa) + ' ' + QByteArray(activationName(a).data());
                // Shapes: a hidden layer (whole packets), the output of M/L (10: a partial packet
                // per row for AVX-512), odd widths (tails of every packet size).
                QTest::newRow(name + " 8x256") << static_cast<int>(isa) << static_cast<int>(a) << 8 << 256;
                QTest::newRow(name + " 13x10") << static_cast<int>(isa) << static_cast<int>(a) << 13 << 10;
                QTest::newRow(name + " 5x37") << static_cast<int>(isa) << static_cast<int>(a) << 5 << 37;
                QTest::newRow(name + " 3x1") << static_cast<int>(isa) << static_cast<int>(a) << 3 << 1;
            }
        }
    }

    // Tolerance: float32 results within 2e-6 relative (to max(1, |value|)) of the double-precision
    // formula, and every variant within 2e-6 of the baseline variant; the fast polynomial tanh
    // and exp of Eigen are accurate to a few units in the last place (1.2e-7 each).
    void activationsMatchDoubleAndBaseline()
    {
        QFETCH(int, isa);
        QFETCH(int, activation);
        QFETCH(int, rows);
        QFETCH(int, cols);
        const auto a = static_cast<Activation>(activation);
        const std::size_t n = static_cast<std::size_t>(rows) * cols;
        const std::vector<float> z = values(n, 11, -4.0f, 4.0f);
        const std::vector<float> bias = values(static_cast<std::size_t>(cols), 12, -0.5f, 0.5f);
        const std::vector<float> dOut = values(n, 13, -1.0f, 1.0f);
        const Result got = run(isaKernels(static_cast<MatMulIsa>(isa)), a, z, bias, dOut, rows, cols);
        const Result base = run(isaKernels(MatMulIsa::Baseline), a, z, bias, dOut, rows, cols);

        QVERIFY(got.inPlaceSame);
        const std::vector<double> want = forwardReference(a, got.zBiased, rows, cols);
        for (std::size_t i = 0; i < n; ++i) {
            QCOMPARE(got.zBiased[i], z[i] + bias[i % static_cast<std::size_t>(cols)]);
            QVERIFY2(near(got.out[i], want[i], 2e-6), qPrintable(QString("out[%1] = %2, want %3").arg(i).arg(got.out[i]).arg(want[i])));
            QVERIFY2(near(got.out[i], base.out[i], 2e-6), qPrintable(QString("out[%1] = %2, baseline %3").arg(i).arg(got.out[i]).arg(base.out[i])));
            QVERIFY2(near(got.dZ[i], base.dZ[i], 2e-6), qPrintable(QString("dZ[%1] = %2, baseline %3").arg(i).arg(got.dZ[i]).arg(base.dZ[i])));
        }
        // The derivative against a central difference of the double formula (softmax: the row
        // Jacobian-vector product), which checks the backward formulas of every variant.
        for (long r = 0; r < rows; ++r) {
            for (long j = 0; j < cols; ++j) {
                const std::size_t i = static_cast<std::size_t>(r * cols + j);
                double want = 0.0;
                const double h = 1e-3;
                std::vector<float> zp(got.zBiased.begin() + r * cols, got.zBiased.begin() + (r + 1) * cols);
                std::vector<float> zm = zp;
                zp[static_cast<std::size_t>(j)] += static_cast<float>(h);
                zm[static_cast<std::size_t>(j)] -= static_cast<float>(h);
                const double hp = zp[static_cast<std::size_t>(j)] - static_cast<double>(got.zBiased[i]);
                const double hm = static_cast<double>(got.zBiased[i]) - zm[static_cast<std::size_t>(j)];
                const std::vector<double> fp = forwardReference(a, zp, 1, cols), fm = forwardReference(a, zm, 1, cols);
                for (long q = 0; q < cols; ++q)
                    want += dOut[static_cast<std::size_t>(r * cols + q)] * (fp[q] - fm[q]) / (hp + hm);
                const bool kink = (a == Activation::Relu || a == Activation::LeakyRelu || a == Activation::Elu)
                                  && std::abs(got.zBiased[i]) < 2 * h;
                if (!kink)
                    QVERIFY2(std::abs(got.dZ[i] - want) <= 1e-3 * std::max(1.0, std::abs(want)),
                             qPrintable(QString("dZ[%1] = %2, central difference %3").arg(i).arg(got.dZ[i]).arg(want)));
            }
        }
    }

    void adamMatchesDoubleAndBaseline_data()
    {
        QTest::addColumn<int>("isa");
        QTest::addColumn<int>("n");
        for (MatMulIsa isa : kAll) {
            if (!matMulIsaSupported(isa))
                continue;
            QTest::newRow(isaName(isa) + " 4096") << static_cast<int>(isa) << 4096;
            QTest::newRow(isaName(isa) + " 1000+7") << static_cast<int>(isa) << 1007;
            QTest::newRow(isaName(isa) + " 3") << static_cast<int>(isa) << 3;
        }
    }

    // Three steps of the Keras 3 update against double precision (2e-6 relative to the weights)
    // and against the baseline variant.
    void adamMatchesDoubleAndBaseline()
    {
        QFETCH(int, isa);
        QFETCH(int, n);
        const auto size = static_cast<std::size_t>(n);
        const std::vector<float> w0 = values(size, 21, -1.0f, 1.0f);
        std::vector<float> w = w0, m(size, 0.0f), v(size, 0.0f), bw = w0, bm = m, bv = v;
        std::vector<double> dw(w0.begin(), w0.end()), dm(size, 0.0), dv(size, 0.0);
        for (int t = 1; t <= 3; ++t) {
            const std::vector<float> g = values(size, 30u + static_cast<std::uint32_t>(t), -2.0f, 2.0f);
            const simd::AdamStep step{0.9f, 0.999f, 0.01f * std::sqrt(1.0f - std::pow(0.999f, float(t))) / (1.0f - std::pow(0.9f, float(t))), 1e-7f};
            isaKernels(static_cast<MatMulIsa>(isa)).adam(w.data(), g.data(), m.data(), v.data(), n, step);
            isaKernels(MatMulIsa::Baseline).adam(bw.data(), g.data(), bm.data(), bv.data(), n, step);
            for (std::size_t i = 0; i < size; ++i) {
                dm[i] += (g[i] - dm[i]) * (1.0 - 0.9f);
                dv[i] += (double(g[i]) * g[i] - dv[i]) * (1.0 - 0.999f);
                dw[i] -= double(step.alpha) * dm[i] / (std::sqrt(dv[i]) + 1e-7f);
            }
        }
        for (std::size_t i = 0; i < size; ++i) {
            QVERIFY2(near(w[i], dw[i], 2e-6), qPrintable(QString("w[%1] = %2, want %3").arg(i).arg(w[i]).arg(dw[i])));
            QVERIFY2(near(m[i], dm[i], 2e-6), qPrintable(QString("m[%1] = %2, want %3").arg(i).arg(m[i]).arg(dm[i])));
            QVERIFY2(near(v[i], dv[i], 2e-6), qPrintable(QString("v[%1] = %2, want %3").arg(i).arg(v[i]).arg(dv[i])));
            QVERIFY2(near(w[i], bw[i], 2e-6), qPrintable(QString("w[%1] = %2, baseline %3").arg(i).arg(w[i]).arg(bw[i])));
        }
    }

    void sameBitsAtEveryAddress_data()
    {
        QTest::addColumn<int>("isa");
        for (MatMulIsa isa : kAll) {
            if (matMulIsaSupported(isa))
                QTest::newRow(isaName(isa)) << static_cast<int>(isa);
        }
    }

    // Resume determinism: a resumed process holds its matrices at other heap addresses than the
    // uninterrupted one. Operands shifted by 0..16 floats (every alignment up to 64 bytes) must
    // give the same bits, for every activation and the Adam update.
    void sameBitsAtEveryAddress()
    {
        QFETCH(int, isa);
        const simd::Kernels& k = isaKernels(static_cast<MatMulIsa>(isa));
        const long rows = 3, cols = 45;
        const std::size_t n = rows * cols;
        const std::vector<float> z = values(n, 41, -4.0f, 4.0f), bias = values(cols, 42, -1.0f, 1.0f),
                                 dOut = values(n, 43, -1.0f, 1.0f), g = values(n, 44, -1.0f, 1.0f);
        const simd::AdamStep step{0.9f, 0.999f, 0.003f, 1e-7f};
        for (Activation a : kActivations) {
            std::vector<float> first;
            for (std::size_t shift = 0; shift <= 16; ++shift) {
                std::vector<float> zs(n + shift), bs(cols + shift), outs(n + shift), ds(n + shift), dzs(n + shift);
                std::copy(z.begin(), z.end(), zs.begin() + shift);
                std::copy(bias.begin(), bias.end(), bs.begin() + shift);
                std::copy(dOut.begin(), dOut.end(), ds.begin() + shift);
                k.biasForward(static_cast<int>(a), bs.data() + shift, zs.data() + shift, outs.data() + shift, rows, cols);
                k.backward(static_cast<int>(a), zs.data() + shift, outs.data() + shift, ds.data() + shift,
                           dzs.data() + shift, rows, cols);
                std::vector<float> now(outs.begin() + shift, outs.end());
                now.insert(now.end(), dzs.begin() + shift, dzs.end());
                if (shift == 0)
                    first = now;
                QVERIFY2(std::memcmp(first.data(), now.data(), first.size() * sizeof(float)) == 0,
                         qPrintable(QString("%1 differs at a shift of %2 floats").arg(activationName(a).data()).arg(shift)));
            }
        }
        std::vector<float> first;
        for (std::size_t shift = 0; shift <= 16; ++shift) {
            std::vector<float> w(n + shift, 0.5f), m(n + shift, 0.1f), v(n + shift, 0.2f), gs(n + shift);
            std::copy(g.begin(), g.end(), gs.begin() + shift);
            k.adam(w.data() + shift, gs.data() + shift, m.data() + shift, v.data() + shift, static_cast<long>(n), step);
            std::vector<float> now(w.begin() + shift, w.end());
            if (shift == 0)
                first = now;
            QVERIFY2(std::memcmp(first.data(), now.data(), first.size() * sizeof(float)) == 0,
                     qPrintable(QString("adam differs at a shift of %1 floats").arg(shift)));
        }
    }

    // The public functions use the chosen variant: forcing another one changes nothing for a
    // comparison-only activation (ReLU) and at most the last bits for exp-based ones.
    void publicFunctionsFollowTheChosenVariant()
    {
        const MatMulIsa before = matMulIsa();
        Matrix z(4, 20);
        const std::vector<float> v = values(80, 51, -3.0f, 3.0f);
        std::memcpy(z.data(), v.data(), v.size() * sizeof(float));
        Matrix reluOut, sigOut;
        for (MatMulIsa isa : kAll) {
            if (!matMulIsaSupported(isa))
                continue;
            setMatMulIsa(isa);
            Matrix out, sig;
            applyActivation(Activation::Relu, z, out);
            applyActivation(Activation::Sigmoid, z, sig);
            if (reluOut.size() == 0) {
                reluOut = out;
                sigOut = sig;
            }
            QCOMPARE(out, reluOut);
            QVERIFY(sig.isApprox(sigOut, 1e-6f));
            QCOMPARE(out, z.cwiseMax(0.0f));
        }
        setMatMulIsa(before);
    }

    void avxKernelsShareNoCodeWithTheRest_data()
    {
        QTest::addColumn<QString>("object");
        QTest::addColumn<QString>("eigenName");
        const QString dir = QStringLiteral(CKLAB_BINARY_DIR "/core/CMakeFiles/cklab_core.dir/nn/simd/");
        QTest::newRow("avx2") << dir + "VectorAvx2.cpp.o" << "EigenAvx2Vector";
        QTest::newRow("avx512") << dir + "VectorAvx512.cpp.o" << "EigenAvx512Vector";
    }

    // As TestMatMul::avxKernelsShareNoCodeWithTheRest: a weak symbol of an AVX object could be
    // picked by the linker for the whole program. Here all helpers are internal (anonymous
    // namespace), so any weak code symbol must be in the renamed Eigen namespace.
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
        // The object does hold the variant (nm read the right file).
        QVERIFY(std::ranges::any_of(*symbols, [](const test::DefinedSymbol& symbol) {
            return symbol.type == "T" && symbol.name.startsWith("cklab::simd::kernels");
        }));
    }
};

QTEST_GUILESS_MAIN(TestKernelsIsa)
#include "TestKernelsIsa.moc"
