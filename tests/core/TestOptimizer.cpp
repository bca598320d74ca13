// First two update steps of every optimizer against the Keras 3 formulas evaluated by hand in
// double precision, slot layouts, defaults, validation texts, and exact state round trips.
#include <QtTest>
// Core structs have members named `slots`; Qt's keyword macro must not rewrite them.
#undef slots

#include <cmath>

#include "core/base/Errors.h"
#include "core/optim/Optimizer.h"
#include "core/optim/OptimizerKind.h"

using namespace cklab;

namespace {

// Two variables (a 2x2 "kernel" and a 1x2 "bias") and two steps of fixed gradients.
struct Problem {
    std::vector<Matrix> vars;
    std::vector<std::vector<Matrix>> grads; // [step][variable]
};

Problem makeProblem()
{
    Problem p;
    Matrix k(2, 2), b(1, 2);
    k << 0.5f, -1.25f, 2.0f, 0.125f;
    b << 0.25f, -0.75f;
    p.vars = {k, b};
    Matrix gk1(2, 2), gb1(1, 2), gk2(2, 2), gb2(1, 2);
    gk1 << 0.1f, -0.4f, 1.5f, 0.0f;
    gb1 << -0.3f, 2.0f;
    gk2 << -0.2f, 0.3f, 0.7f, -1.1f;
    gb2 << 0.05f, -0.6f;
    p.grads = {{gk1, gb1}, {gk2, gb2}};
    return p;
}

std::vector<Matrix*> pointers(std::vector<Matrix>& vars)
{
    std::vector<Matrix*> out;
    for (Matrix& v : vars)
        out.push_back(&v);
    return out;
}

// Scalar reference of one element over the two steps; returns the weight after each step.
std::vector<double> reference(const OptimizerConfig& c, double w, const std::vector<double>& g)
{
    const double lr = c.learningRate;
    std::vector<double> out;
    double m = 0.0, v = 0.0;
    for (std::size_t t = 0; t < g.size(); ++t) {
        const double step = static_cast<double>(t + 1);
        if (c.type == "sgd") {
            if (c.momentum == 0.0f) {
                w -= lr * g[t];
            } else {
                m = c.momentum * m - lr * g[t];
                w += c.nesterov ? c.momentum * m - lr * g[t] : m;
            }
        } else if (c.type == "adam" || c.type == "adamw") {
            if (c.type == "adamw")
                w -= w * c.weightDecay * lr;
            const double alpha = lr * std::sqrt(1.0 - std::pow(double(c.beta2), step)) / (1.0 - std::pow(double(c.beta1), step));
            m += (g[t] - m) * (1.0 - c.beta1);
            v += (g[t] * g[t] - v) * (1.0 - c.beta2);
            w -= m * alpha / (std::sqrt(v) + c.epsilon);
        } else if (c.type == "rmsprop") {
            v = c.rho * v + (1.0 - c.rho) * g[t] * g[t];
            const double inc = lr * g[t] / std::sqrt(v + c.epsilon);
            if (c.momentum > 0.0f) {
                m = c.momentum * m + inc;
                w -= m;
            } else {
                w -= inc;
            }
        }
        out.push_back(w);
    }
    return out;
}

OptimizerConfig config(const QString& type, float lr, float momentum, bool nesterov)
{
    OptimizerConfig c = OptimizerConfig::defaultsFor(type.toStdString());
    c.learningRate = lr;
    c.momentum = momentum;
    c.nesterov = nesterov;
    return c;
}

bool bitEqual(const Matrix& a, const Matrix& b)
{
    return a.rows() == b.rows() && a.cols() == b.cols()
           && std::memcmp(a.data(), b.data(), sizeof(float) * static_cast<std::size_t>(a.size())) == 0;
}

} // namespace

class TestOptimizer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaults()
    {
        QCOMPARE(OptimizerConfig::defaultsFor("sgd").learningRate, 0.01f);
        QCOMPARE(OptimizerConfig::defaultsFor("adam").learningRate, 0.001f);
        QCOMPARE(OptimizerConfig::defaultsFor("adamw").learningRate, 0.001f);
        QCOMPARE(OptimizerConfig::defaultsFor("adamw").weightDecay, 0.004f);
        QCOMPARE(OptimizerConfig::defaultsFor("rmsprop").learningRate, 0.001f);
        QCOMPARE(OptimizerConfig::defaultsFor("rmsprop").rho, 0.9f);
        QCOMPARE(OptimizerConfig::defaultsFor("adam").beta1, 0.9f);
        QCOMPARE(OptimizerConfig::defaultsFor("adam").beta2, 0.999f);
        QCOMPARE(OptimizerConfig::defaultsFor("adam").epsilon, 1e-7f);
        QCOMPARE(OptimizerConfig::defaultsFor("sgd").momentum, 0.0f);
    }

    void validation()
    {
        OptimizerConfig c = OptimizerConfig::defaultsFor("adam");
        c.learningRate = -1.0f;
        c.beta1 = 1.0f;
        const auto problems = c.validate();
        QCOMPARE(problems.size(), std::size_t(2));
        QCOMPARE(problems[0], std::string("optimizer.learning_rate: must be > 0, got -1"));
        QCOMPARE(problems[1], std::string("optimizer.beta_1: must be in [0, 1), got 1"));
        QVERIFY_THROWS_EXCEPTION(ConfigError, makeOptimizer(c));
        OptimizerConfig unknown = OptimizerConfig::defaultsFor("adagrad");
        QCOMPARE(unknown.validate().size(), std::size_t(1));
        QCOMPARE(unknown.validate()[0], std::string("optimizer.type: must be one of sgd, adam, adamw, rmsprop, got 'adagrad'"));
    }

    /// One name table (issue 18): each kind's three spellings map back to it, unknown names to
    /// none, and every kind builds the optimizer whose state carries that name.
    void kindNameTable()
    {
        QCOMPARE(optimizerKindNames(), (std::vector<std::string>{"sgd", "adam", "adamw", "rmsprop"}));
        QCOMPARE(optimizerKinds().size(), std::size_t(4));
        for (const auto& info : optimizerKinds()) {
            QCOMPARE(optimizerKindFromName(info.name), std::optional<OptimizerKind>(info.kind));
            QCOMPARE(optimizerKindFromKerasClass(info.kerasClass), std::optional<OptimizerKind>(info.kind));
            QCOMPARE(optimizerKindName(info.kind), info.name);
            const auto optimizer = makeOptimizer(OptimizerConfig::defaultsFor(std::string(info.name)));
            QCOMPARE(optimizer->state().name, std::string(info.name));
        }
        QCOMPARE(optimizerKindInfo(OptimizerKind::RmsProp).kerasClass, std::string_view("RMSprop"));
        QCOMPARE(optimizerKindInfo(OptimizerKind::RmsProp).kerasVarName, std::string_view("rm_sprop"));
        QVERIFY(!optimizerKindFromName("Adam"));     // the class name is not our name
        QVERIFY(!optimizerKindFromKerasClass("adam"));
        QVERIFY(!optimizerKindFromName(""));
    }

    void firstSteps_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<float>("lr");
        QTest::addColumn<float>("momentum");
        QTest::addColumn<bool>("nesterov");
        QTest::addColumn<int>("slots");
        QTest::newRow("sgd") << "sgd" << 0.1f << 0.0f << false << 0;
        QTest::newRow("sgd momentum") << "sgd" << 0.1f << 0.9f << false << 2;
        QTest::newRow("sgd nesterov") << "sgd" << 0.05f << 0.8f << true << 2;
        QTest::newRow("adam") << "adam" << 0.01f << 0.0f << false << 4;
        QTest::newRow("adamw") << "adamw" << 0.1f << 0.0f << false << 4;
        QTest::newRow("rmsprop") << "rmsprop" << 0.01f << 0.0f << false << 2;
        QTest::newRow("rmsprop momentum") << "rmsprop" << 0.01f << 0.5f << false << 4;
    }

    void firstSteps()
    {
        QFETCH(QString, type);
        QFETCH(float, lr);
        QFETCH(float, momentum);
        QFETCH(bool, nesterov);
        QFETCH(int, slots);
        const OptimizerConfig c = config(type, lr, momentum, nesterov);
        auto opt = makeOptimizer(c);
        Problem p = makeProblem();
        const std::vector<Matrix> initial = p.vars;
        std::vector<std::vector<Matrix>> after;
        for (const auto& g : p.grads) {
            opt->apply(pointers(p.vars), g);
            after.push_back(p.vars);
        }
        for (std::size_t var = 0; var < initial.size(); ++var) {
            for (Eigen::Index i = 0; i < initial[var].size(); ++i) {
                const std::vector<double> expected = reference(
                    c, initial[var].data()[i], {p.grads[0][var].data()[i], p.grads[1][var].data()[i]});
                for (std::size_t t = 0; t < 2; ++t) {
                    const double got = after[t][var].data()[i];
                    QVERIFY2(std::abs(got - expected[t]) <= 2e-6 * std::max(1.0, std::abs(expected[t])),
                             qPrintable(QString("step %1 var %2 elem %3: got %4 expected %5").arg(t + 1).arg(var).arg(i)
                                            .arg(got, 0, 'g', 10).arg(expected[t], 0, 'g', 10)));
                }
            }
        }
        const OptimizerState state = opt->state();
        QCOMPARE(state.name, type.toStdString());
        QCOMPARE(state.iterations, std::int64_t(2));
        QCOMPARE(state.learningRate, lr);
        QCOMPARE(int(state.slotValues.size()), slots);
    }

    // Keras' /optimizer/vars order: Adam m0, v0, m1, v1; RMSprop velocities, then momentums.
    void slotLayout()
    {
        Problem p = makeProblem();
        auto adam = makeOptimizer(config("adam", 0.01f, 0.0f, false));
        adam->apply(pointers(p.vars), p.grads[0]);
        OptimizerState s = adam->state();
        QCOMPARE(s.slotValues[0].rows(), 2);
        QCOMPARE(s.slotValues[2].rows(), 1);
        // After one step m = 0.1 g, v = 0.001 g^2 (float32 1 - 0.999 is 0.001 to 1e-5 relative).
        QVERIFY(std::abs(s.slotValues[0](1, 0) - 0.1 * 1.5) < 1e-6);
        QVERIFY(std::abs(s.slotValues[1](1, 0) - 0.001 * 1.5 * 1.5) < 1e-4 * 0.001 * 1.5 * 1.5);
        QVERIFY(std::abs(s.slotValues[2](0, 1) - 0.1 * 2.0) < 1e-6);
        QVERIFY(std::abs(s.slotValues[3](0, 1) - 0.001 * 4.0) < 1e-4 * 0.001 * 4.0);

        Problem q = makeProblem();
        auto rms = makeOptimizer(config("rmsprop", 0.01f, 0.5f, false));
        rms->apply(pointers(q.vars), q.grads[0]);
        s = rms->state();
        QCOMPARE(s.slotValues.size(), std::size_t(4));
        QCOMPARE(s.slotValues[0].rows(), 2);  // velocity of the kernel
        QCOMPARE(s.slotValues[1].rows(), 1);  // velocity of the bias
        QCOMPARE(s.slotValues[2].rows(), 2);  // momentum of the kernel
        QVERIFY(std::abs(s.slotValues[1](0, 1) - 0.1f * 4.0f) < 1e-6f);
        QVERIFY(s.slotValues[3](0, 1) > 0.0f); // momentum holds the first increment
    }

    void stateRoundTrip_data() { firstSteps_data(); }

    // Two steps straight == one step, state into a fresh optimizer, one step; bit for bit.
    void stateRoundTrip()
    {
        QFETCH(QString, type);
        QFETCH(float, lr);
        QFETCH(float, momentum);
        QFETCH(bool, nesterov);
        const OptimizerConfig c = config(type, lr, momentum, nesterov);
        Problem straight = makeProblem();
        auto a = makeOptimizer(c);
        a->apply(pointers(straight.vars), straight.grads[0]);
        a->apply(pointers(straight.vars), straight.grads[1]);

        Problem resumed = makeProblem();
        auto b = makeOptimizer(c);
        b->apply(pointers(resumed.vars), resumed.grads[0]);
        const OptimizerState saved = b->state();
        auto fresh = makeOptimizer(c);
        fresh->setState(saved);
        fresh->apply(pointers(resumed.vars), resumed.grads[1]);
        for (std::size_t i = 0; i < straight.vars.size(); ++i)
            QVERIFY(bitEqual(straight.vars[i], resumed.vars[i]));
        QCOMPARE(fresh->state().iterations, std::int64_t(2));
    }

    void stateMismatch()
    {
        Problem p = makeProblem();
        auto adam = makeOptimizer(config("adam", 0.01f, 0.0f, false));
        adam->apply(pointers(p.vars), p.grads[0]);
        OptimizerState s = adam->state();
        auto sgd = makeOptimizer(config("sgd", 0.1f, 0.9f, false));
        QVERIFY_THROWS_EXCEPTION(ConfigError, sgd->setState(s));
        s.slotValues.pop_back();
        QVERIFY_THROWS_EXCEPTION(ConfigError, adam->setState(s));
        // An unbuilt optimizer accepts the state and checks it against the variables at apply().
        auto fresh = makeOptimizer(config("adam", 0.01f, 0.0f, false));
        fresh->setState(s);
        QVERIFY_THROWS_EXCEPTION(ConfigError, fresh->apply(pointers(p.vars), p.grads[1]));
    }
};

QTEST_APPLESS_MAIN(TestOptimizer)
#include "TestOptimizer.moc"
