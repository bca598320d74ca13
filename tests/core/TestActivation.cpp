// Activation values against the textbook formulas, evaluated in double.
#include <QtTest>

#include <cmath>
#include <numbers>

#include "core/nn/Activation.h"

using namespace cklab;

namespace {

double reference(const QString& name, double x)
{
    if (name == "linear") return x;
    if (name == "relu") return x > 0 ? x : 0.0;
    if (name == "sigmoid") return 1.0 / (1.0 + std::exp(-x));
    if (name == "tanh") return std::tanh(x);
    if (name == "leaky_relu") return x > 0 ? x : 0.2 * x;
    if (name == "elu") return x > 0 ? x : std::exp(x) - 1.0;
    if (name == "gelu") return 0.5 * x * (1.0 + std::erf(x / std::numbers::sqrt2));
    if (name == "softplus") return std::log1p(std::exp(x)); // inputs kept below overflow
    return std::nan("");
}

} // namespace

class TestActivation : public QObject {
    Q_OBJECT

private slots:
    void elementwise_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* n : {"linear", "relu", "sigmoid", "tanh", "leaky_relu", "elu", "gelu", "softplus"})
            QTest::newRow(n) << QString(n);
    }

    void elementwise()
    {
        QFETCH(QString, name);
        const auto a = activationFromName(name.toStdString());
        QVERIFY(a.has_value());
        const std::vector<double> xs{-30.0, -5.0, -1.5, -0.3, 0.0, 0.2, 0.9, 2.5, 8.0, 30.0};
        Matrix z(2, 5);
        for (int i = 0; i < 10; ++i)
            z(i / 5, i % 5) = static_cast<float>(xs[static_cast<std::size_t>(i)]);
        Matrix out;
        applyActivation(*a, z, out);
        Matrix inPlace = z;
        applyActivation(*a, inPlace);
        for (int i = 0; i < 10; ++i) {
            const double expected = reference(name, static_cast<double>(z(i / 5, i % 5)));
            const double got = out(i / 5, i % 5);
            QVERIFY2(std::abs(got - expected) <= 1e-6 * std::max(1.0, std::abs(expected)),
                     qPrintable(QString("%1(%2) = %3, expected %4").arg(name).arg(xs[static_cast<std::size_t>(i)]).arg(got).arg(expected)));
            QCOMPARE(inPlace(i / 5, i % 5), out(i / 5, i % 5));
        }
    }

    void softmaxRows()
    {
        Matrix z(3, 3);
        z << 1, 2, 3,
            1000, 1001, 1002,   // naive exp overflows float
            -5, -5, -5;
        Matrix out;
        applyActivation(Activation::Softmax, z, out);
        const double denom = 1.0 + std::exp(1.0) + std::exp(2.0);
        for (int r = 0; r < 2; ++r) {
            QVERIFY(std::abs(out(r, 0) - 1.0 / denom) < 1e-6);
            QVERIFY(std::abs(out(r, 1) - std::exp(1.0) / denom) < 1e-6);
            QVERIFY(std::abs(out(r, 2) - std::exp(2.0) / denom) < 1e-6);
        }
        for (int c = 0; c < 3; ++c)
            QVERIFY(std::abs(out(2, c) - 1.0 / 3.0) < 1e-6);
        QVERIFY(out.allFinite());
    }

    void names()
    {
        QCOMPARE(activationNames().size(), std::size_t(9));
        for (const std::string& n : activationNames()) {
            const auto a = activationFromName(n);
            QVERIFY(a.has_value());
            QCOMPARE(std::string(activationName(*a)), n);
        }
        QVERIFY(!activationFromName("swish").has_value());
        QVERIFY(!activationFromName("ReLU").has_value());
    }
};

QTEST_APPLESS_MAIN(TestActivation)
#include "TestActivation.moc"
