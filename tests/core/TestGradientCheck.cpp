// Finite-difference checks of every activation, every loss (plain and fused), Dense layers
// with and without bias, Dropout and a 3-layer net. The engine is float32, so central
// differences use a step of 1e-3 and a tolerance that covers float rounding
// (~1e-7 relative in the loss, divided by 2h).
#include <QtTest>

#include <cmath>
#include <functional>

#include "core/loss/Loss.h"
#include "core/nn/Activation.h"
#include "core/nn/Rng.h"
#include "core/nn/Sequential.h"

using namespace cklab;

namespace {

constexpr float kStep = 1e-3f;

bool close(double numeric, double analytic, double absTol = 2e-3, double relTol = 2e-2)
{
    return std::abs(numeric - analytic) <= absTol + relTol * std::abs(analytic);
}

Matrix randomMatrix(Rng& rng, int rows, int cols, float lo, float hi)
{
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = rng.uniform(lo, hi);
    return m;
}

// Checks d f / d m against `analytic` for every element of m.
void checkAgainstNumeric(Matrix& m, const std::function<double()>& f, const Matrix& analytic, const QString& what)
{
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        const float saved = m.data()[i];
        m.data()[i] = saved + kStep;
        const double up = f();
        m.data()[i] = saved - kStep;
        const double down = f();
        m.data()[i] = saved;
        const double numeric = (up - down) / (2.0 * static_cast<double>(kStep));
        QVERIFY2(close(numeric, analytic.data()[i]),
                 qPrintable(QString("%1 element %2: numeric %3, analytic %4").arg(what).arg(i).arg(numeric).arg(analytic.data()[i])));
    }
}

Matrix oneHot(const std::vector<int>& classes, int k)
{
    Matrix y = Matrix::Zero(static_cast<Eigen::Index>(classes.size()), k);
    for (std::size_t i = 0; i < classes.size(); ++i)
        y(static_cast<Eigen::Index>(i), classes[i]) = 1.0f;
    return y;
}

} // namespace

class TestGradientCheck : public QObject {
    Q_OBJECT

private slots:
    void activation_data()
    {
        QTest::addColumn<QString>("name");
        for (const std::string& n : activationNames())
            QTest::newRow(n.c_str()) << QString::fromStdString(n);
    }

    void activation()
    {
        QFETCH(QString, name);
        const Activation a = *activationFromName(name.toStdString());
        Rng rng(11);
        Matrix z = randomMatrix(rng, 4, 5, -3.0f, 3.0f);
        // Keep away from the kinks of relu/leaky_relu/elu at 0, where differences straddle them.
        for (Eigen::Index i = 0; i < z.size(); ++i)
            if (std::abs(z.data()[i]) < 0.05f)
                z.data()[i] = 0.3f;
        const Matrix weights = randomMatrix(rng, 4, 5, -1.0f, 1.0f);
        auto objective = [&] {
            Matrix out;
            applyActivation(a, z, out);
            return (out.cast<double>().array() * weights.cast<double>().array()).sum();
        };
        Matrix out, dZ;
        applyActivation(a, z, out);
        activationBackward(a, z, out, weights, dZ);
        checkAgainstNumeric(z, objective, dZ, name);
    }

    void loss_data()
    {
        QTest::addColumn<QString>("loss");
        QTest::addColumn<QString>("activation");
        QTest::addColumn<bool>("expectFused");
        QTest::newRow("cce/softmax fused") << "categorical_crossentropy" << "softmax" << true;
        QTest::newRow("cce/sigmoid plain") << "categorical_crossentropy" << "sigmoid" << false;
        QTest::newRow("sparse/softmax fused") << "sparse_categorical_crossentropy" << "softmax" << true;
        QTest::newRow("sparse/softplus plain") << "sparse_categorical_crossentropy" << "softplus" << false;
        QTest::newRow("bce/sigmoid fused") << "binary_crossentropy" << "sigmoid" << true;
        QTest::newRow("bce/softmax plain") << "binary_crossentropy" << "softmax" << false;
        QTest::newRow("mse/linear") << "mean_squared_error" << "linear" << false;
        QTest::newRow("mse/tanh") << "mse" << "tanh" << false;
        QTest::newRow("mae/linear") << "mean_absolute_error" << "linear" << false;
        QTest::newRow("mae/elu") << "mae" << "elu" << false;
    }

    // Gradient w.r.t. the pre-activation z of the output layer, through the activation.
    void loss()
    {
        QFETCH(QString, loss);
        QFETCH(QString, activation);
        QFETCH(bool, expectFused);
        const LossKind kind = *lossFromName(loss.toStdString());
        const Activation act = *activationFromName(activation.toStdString());
        Rng rng(5);
        Matrix z = randomMatrix(rng, 6, 3, -2.0f, 2.0f);
        Matrix target;
        const std::vector<int> classes{0, 2, 1, 1, 0, 2};
        if (kind == LossKind::CategoricalCrossentropy)
            target = oneHot(classes, 3);
        else if (kind == LossKind::SparseCategoricalCrossentropy) {
            target.resize(6, 1);
            for (int i = 0; i < 6; ++i)
                target(i, 0) = static_cast<float>(classes[static_cast<std::size_t>(i)]);
        } else if (kind == LossKind::BinaryCrossentropy) {
            target = randomMatrix(rng, 6, 3, 0.0f, 1.0f).unaryExpr([](float v) { return v > 0.5f ? 1.0f : 0.0f; });
        } else {
            target = randomMatrix(rng, 6, 3, -1.5f, 1.5f);
        }
        auto objective = [&] {
            Matrix out;
            applyActivation(act, z, out);
            return computeLoss(kind, out, target, nullptr, act, nullptr);
        };
        Matrix out, grad, dZ;
        applyActivation(act, z, out);
        bool fused = false;
        computeLoss(kind, out, target, &grad, act, &fused);
        QCOMPARE(fused, expectFused);
        if (fused)
            dZ = grad;
        else
            activationBackward(act, z, out, grad, dZ);
        checkAgainstNumeric(z, objective, dZ, loss + "/" + activation);
    }

    void network_data()
    {
        QTest::addColumn<QString>("hidden");
        QTest::addColumn<bool>("bias");
        QTest::addColumn<float>("dropoutRate");
        QTest::addColumn<QString>("loss");
        QTest::newRow("dense linear, bias") << "linear" << true << 0.0f << "mean_squared_error";
        QTest::newRow("dense linear, no bias") << "linear" << false << 0.0f << "mean_squared_error";
        for (const std::string& n : activationNames()) {
            if (n == "linear")
                continue;
            QTest::newRow(("3 layers " + n).c_str()) << QString::fromStdString(n) << true << 0.0f << "categorical_crossentropy";
        }
        QTest::newRow("3 layers tanh, no bias, bce") << "tanh" << false << 0.0f << "binary_crossentropy";
        QTest::newRow("3 layers tanh, dropout, sparse") << "tanh" << true << 0.3f << "sparse_categorical_crossentropy";
    }

    void network()
    {
        QFETCH(QString, hidden);
        QFETCH(bool, bias);
        QFETCH(float, dropoutRate);
        QFETCH(QString, loss);
        const LossKind kind = *lossFromName(loss.toStdString());
        const Activation act = *activationFromName(hidden.toStdString());
        ModelSpec spec;
        spec.inputDim = 4;
        const bool single = kind == LossKind::MeanSquaredError;
        Activation outAct = Activation::Softmax;
        if (kind == LossKind::BinaryCrossentropy)
            outAct = Activation::Sigmoid;
        if (single) {
            spec.layers.push_back(LayerSpec{LayerSpec::Kind::Dense, 3, Activation::Linear, bias, 0.0f, {}});
        } else {
            spec.layers.push_back(LayerSpec{LayerSpec::Kind::Dense, 5, act, bias, 0.0f, {}});
            if (dropoutRate > 0.0f)
                spec.layers.push_back(LayerSpec{LayerSpec::Kind::Dropout, 0, Activation::Linear, true, dropoutRate, {}});
            spec.layers.push_back(LayerSpec{LayerSpec::Kind::Dense, 4, act, bias, 0.0f, {}});
            spec.layers.push_back(LayerSpec{LayerSpec::Kind::Dense, 3, outAct, bias, 0.0f, {}});
        }
        Sequential net(spec);
        Rng init(3);
        net.initialize(init);
        // Non-zero biases so that their gradient paths matter.
        auto vars = net.variables();
        for (std::size_t i = 0; i < vars.size(); ++i)
            if (vars[i]->rows() == 1)
                *vars[i] = randomMatrix(init, 1, static_cast<int>(vars[i]->cols()), -0.5f, 0.5f);
        Rng data(9);
        const Matrix x = randomMatrix(data, 7, 4, -1.0f, 1.0f);
        Matrix y;
        const std::vector<int> classes{0, 1, 2, 2, 1, 0, 1};
        if (kind == LossKind::SparseCategoricalCrossentropy) {
            y.resize(7, 1);
            for (int i = 0; i < 7; ++i)
                y(i, 0) = static_cast<float>(classes[static_cast<std::size_t>(i)]);
        } else if (kind == LossKind::CategoricalCrossentropy) {
            y = oneHot(classes, 3);
        } else if (kind == LossKind::BinaryCrossentropy) {
            y = oneHot(classes, 3);
        } else {
            y = randomMatrix(data, 7, 3, -1.0f, 1.0f);
        }
        // The same dropout mask for every forward pass: a fresh engine with the same seed.
        auto objective = [&] {
            Rng mask(21);
            const Matrix& out = net.forward(x, true, &mask);
            return computeLoss(kind, out, y, nullptr, outAct, nullptr);
        };
        Rng mask(21);
        const Matrix& out = net.forward(x, true, &mask);
        Matrix grad;
        bool fused = false;
        computeLoss(kind, out, y, &grad, single ? Activation::Linear : outAct, &fused);
        net.backward(grad, fused);
        const std::vector<Matrix> analytic = net.gradients();
        QCOMPARE(analytic.size(), vars.size());
        QCOMPARE(analytic.size(), std::size_t(single ? (bias ? 2 : 1) : (bias ? 6 : 3)));
        for (std::size_t i = 0; i < vars.size(); ++i)
            checkAgainstNumeric(*vars[i], objective, analytic[i], QString("%1 variable %2").arg(QTest::currentDataTag()).arg(i));
    }
};

QTEST_APPLESS_MAIN(TestGradientCheck)
#include "TestGradientCheck.moc"
