// Generators: deterministic per seed, different across seeds, shapes, class balance and the
// geometry each one promises (checked with noise 0 against its defining equations).
#include <QtTest>

#include <cmath>
#include <numbers>

#include "core/base/Errors.h"
#include "core/data/Generators.h"
#include "core/nn/Rng.h"

using namespace cklab;

namespace {

Dataset make(const QString& name, int samples, std::uint64_t seed, float noise = 0.1f, int features = 5, int classes = 3)
{
    Rng rng(seed);
    return generateDataset(name.toStdString(), GeneratorParams{samples, features, classes, noise}, rng);
}

bool equal(const Dataset& a, const Dataset& b) { return a.x == b.x && a.y == b.y; }

std::vector<int> counts(const Dataset& d)
{
    std::vector<int> c(static_cast<std::size_t>(d.numClasses), 0);
    for (Eigen::Index i = 0; i < d.y.rows(); ++i)
        ++c.at(static_cast<std::size_t>(d.y(i, 0)));
    return c;
}

} // namespace

class TestDataGenerators : public QObject {
    Q_OBJECT

private slots:
    void allGenerators_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("features");
        QTest::addColumn<int>("classes");
        QTest::newRow("uniform") << "uniform" << 5 << 3;
        QTest::newRow("blobs") << "blobs" << 5 << 3;
        QTest::newRow("moons") << "moons" << 2 << 2;
        QTest::newRow("circles") << "circles" << 2 << 2;
        QTest::newRow("spirals") << "spirals" << 2 << 3;
        QTest::newRow("xor") << "xor" << 2 << 2;
    }

    void allGenerators()
    {
        QFETCH(QString, name);
        QFETCH(int, features);
        QFETCH(int, classes);
        const Dataset a = make(name, 301, 7);
        QCOMPARE(a.x.rows(), 301);
        QCOMPARE(a.x.cols(), features);
        QCOMPARE(a.y.rows(), 301);
        QCOMPARE(a.y.cols(), 1);
        QCOMPARE(a.numClasses, classes);
        QCOMPARE(static_cast<int>(a.classNames.size()), classes);
        QCOMPARE(static_cast<int>(a.featureNames.size()), features);
        QVERIFY(a.x.allFinite());
        QVERIFY(equal(a, make(name, 301, 7)));   // same seed, same data, bit for bit
        QVERIFY(!equal(a, make(name, 301, 8)));  // another seed, other data
        const auto c = counts(a);
        for (int k = 0; k < classes; ++k) {
            if (name == "uniform")
                QVERIFY2(c[static_cast<std::size_t>(k)] > 301 / classes / 2, "random labels roughly balanced");
            else
                QVERIFY2(std::abs(c[static_cast<std::size_t>(k)] - 301 / classes) <= 1, "exactly balanced");
        }
    }

    void uniformIsTheTutorialRecipe()
    {
        // x row by row with uniformFloat, then one below(classes) per row: recomputed here.
        const Dataset d = make("uniform", 20, 42, 0.1f, 4, 2);
        Rng rng(42);
        for (int i = 0; i < 20; ++i)
            for (int j = 0; j < 4; ++j)
                QCOMPARE(d.x(i, j), rng.uniformFloat());
        for (int i = 0; i < 20; ++i)
            QCOMPARE(d.y(i, 0), static_cast<float>(rng.below(2)));
        const Dataset big = make("uniform", 2000, 1, 0.1f, 5, 2);
        QVERIFY(big.x.minCoeff() >= 0.0f);
        QVERIFY(big.x.maxCoeff() < 1.0f);
        QVERIFY(std::abs(big.x.mean() - 0.5f) < 0.02f);
    }

    void moonsLieOnTheirHalfCircles()
    {
        const Dataset d = make("moons", 200, 3, 0.0f);
        for (Eigen::Index i = 0; i < d.x.rows(); ++i) {
            const float x = d.x(i, 0), y = d.x(i, 1);
            if (d.y(i, 0) == 0.0f) {
                QVERIFY(std::abs(x * x + y * y - 1.0f) < 1e-5f);
                QVERIFY(y >= -1e-6f);
            } else {
                QVERIFY(std::abs((x - 1) * (x - 1) + (y - 0.5f) * (y - 0.5f) - 1.0f) < 1e-5f);
                QVERIFY(y <= 0.5f + 1e-6f);
            }
        }
    }

    void circlesHaveRadiusOneAndHalf()
    {
        const Dataset d = make("circles", 200, 3, 0.0f);
        for (Eigen::Index i = 0; i < d.x.rows(); ++i) {
            const float r = std::hypot(d.x(i, 0), d.x(i, 1));
            QVERIFY(std::abs(r - (d.y(i, 0) == 0.0f ? 1.0f : 0.5f)) < 1e-5f);
        }
    }

    void xorLabelIsSignsDiffer()
    {
        const Dataset d = make("xor", 100, 5, 0.0f);
        for (Eigen::Index i = 0; i < d.x.rows(); ++i) {
            QCOMPARE(std::abs(d.x(i, 0)), 1.0f);
            QCOMPARE(std::abs(d.x(i, 1)), 1.0f);
            QCOMPARE(d.y(i, 0), (d.x(i, 0) > 0) != (d.x(i, 1) > 0) ? 1.0f : 0.0f);
        }
        // With noise the clusters stay around their corners.
        const Dataset n = make("xor", 400, 5, 0.1f);
        for (Eigen::Index i = 0; i < n.x.rows(); ++i)
            QCOMPARE(n.y(i, 0), (n.x(i, 0) > 0) != (n.x(i, 1) > 0) ? 1.0f : 0.0f);
    }

    void spiralArmsFollowTheirAngle()
    {
        const int arms = 3;
        const Dataset d = make("spirals", 300, 9, 0.0f, 2, arms);
        const double twoPi = 2 * std::numbers::pi;
        for (Eigen::Index i = 0; i < d.x.rows(); ++i) {
            const double r = std::hypot(d.x(i, 0), d.x(i, 1));
            QVERIFY(r < 1.0);
            if (r < 1e-3)
                continue;
            // theta = 2 pi (arm / arms + 1.5 r), compared modulo 2 pi.
            const double expected = twoPi * (d.y(i, 0) / arms + 1.5 * r);
            const double diff = std::remainder(std::atan2(d.x(i, 1), d.x(i, 0)) - expected, twoPi);
            QVERIFY2(std::abs(diff) < 1e-3, qPrintable(QString("row %1 off by %2").arg(i).arg(diff)));
        }
    }

    void blobsClusterAroundCentresInRange()
    {
        const Dataset d = make("blobs", 3000, 11, 0.0f, 3, 4);
        for (int c = 0; c < 4; ++c) {
            RowVector sum = RowVector::Zero(3);
            int n = 0;
            for (Eigen::Index i = 0; i < d.x.rows(); ++i)
                if (d.y(i, 0) == static_cast<float>(c)) {
                    sum += d.x.row(i);
                    ++n;
                }
            const RowVector mean = sum / static_cast<float>(n);
            // Unit std-dev, 750 samples: the mean is within 0.2 of the centre, centres in [-5, 5].
            QVERIFY(mean.cwiseAbs().maxCoeff() < 5.2f);
            RowVector var = RowVector::Zero(3);
            for (Eigen::Index i = 0; i < d.x.rows(); ++i)
                if (d.y(i, 0) == static_cast<float>(c))
                    var += (d.x.row(i) - mean).array().square().matrix();
            var /= static_cast<float>(n);
            for (int j = 0; j < 3; ++j)
                QVERIFY2(std::abs(var(j) - 1.0f) < 0.15f, "blob variance ~ 1");
        }
    }

    void badParametersName()
    {
        try {
            make("sine", 10, 1);
            QFAIL("no error for an unknown generator");
        } catch (const ConfigError& e) {
            QCOMPARE(QString(e.what()), QString("data.generator: must be one of \"uniform\", \"blobs\", \"moons\", "
                                                "\"circles\", \"spirals\", \"xor\", got \"sine\""));
        }
        try {
            make("blobs", 0, 1, 0.1f, 2, 1);
            QFAIL("no error for bad parameters");
        } catch (const ConfigError& e) {
            QCOMPARE(e.problems().size(), std::size_t(2));
            QCOMPARE(QString::fromStdString(e.problems()[0]), QString("data.samples: must be > 0, got 0"));
            QCOMPARE(QString::fromStdString(e.problems()[1]),
                     QString("data.classes: must be >= 2 for generator \"blobs\", got 1"));
        }
    }
};

QTEST_APPLESS_MAIN(TestDataGenerators)
#include "TestDataGenerators.moc"
