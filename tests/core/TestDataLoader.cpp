// DataConfig validation, the loading pipeline (sources, Keras-style split from the end,
// standardisation, target encodings, validation file), the preview and the shipped Iris data.
#include <QtTest>

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/base/Errors.h"
#include "core/data/CsvReader.h"
#include "core/data/DataLoader.h"
#include "core/data/Generators.h"
#include "core/data/IrisData.h"
#include "core/nn/Rng.h"

using namespace cklab;

namespace {

DataConfig uniform(int samples, int features = 3, int classes = 3)
{
    DataConfig c;
    c.generator = "uniform";
    c.samples = samples;
    c.features = features;
    c.classes = classes;
    return c;
}

QStringList toQt(const std::vector<std::string>& v)
{
    QStringList out;
    for (const auto& s : v)
        out << QString::fromStdString(s);
    return out;
}

} // namespace

class TestDataLoader : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // Issue 14, item 4: the data files are checked before a run, named with the folder relative
    // paths resolve against.
    void checkDataFilesNamesMissingFiles()
    {
        DataConfig c;
        c.source = "csv";
        c.path = "nope.csv";
        c.validationPath = "sub";
        QVERIFY(QDir(m_dir.path()).mkpath("sub"));
        const auto problems = checkDataFiles(c, m_dir.path().toStdString());
        QCOMPARE(int(problems.size()), 2);
        const QString first = QString::fromStdString(problems[0]);
        QVERIFY2(first.startsWith("data.path: no such file: ") && first.contains(QDir(m_dir.path()).filePath("nope.csv"))
                     && first.contains("relative paths resolve against"), qPrintable(first));
        QVERIFY(QString::fromStdString(problems[1]).startsWith("data.validation_path: not a file: "));
        QFile f(QDir(m_dir.path()).filePath("nope.csv"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        c.validationPath.clear();
        QVERIFY(checkDataFiles(c, m_dir.path().toStdString()).empty());
        c.source = "generator";
        c.path = "missing.csv";
        QVERIFY(checkDataFiles(c, m_dir.path().toStdString()).empty()); // not read by this source
    }

    void validate_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QStringList>("problems");
        QTest::newRow("default ok") << "" << "" << QStringList{};
        QTest::newRow("split") << "validation_split" << "1.5" << QStringList{"data.validation_split: must be in [0, 1), got 1.5"};
        QTest::newRow("split negative") << "validation_split" << "-0.1" << QStringList{"data.validation_split: must be in [0, 1), got -0.1"};
        QTest::newRow("source") << "source" << "xls"
                                << QStringList{"data.source: must be one of \"generator\", \"csv\", \"hdf5\", \"idx\", \"numpy\", \"iris\", \"fashion_mnist\", got \"xls\""};
        QTest::newRow("generator") << "generator" << "sine"
                                   << QStringList{"data.generator: must be one of \"uniform\", \"blobs\", \"moons\", \"circles\", \"spirals\", \"xor\", got \"sine\""};
        QTest::newRow("samples") << "samples" << "0" << QStringList{"data.samples: must be > 0, got 0"};
        QTest::newRow("classes") << "classes" << "1" << QStringList{"data.classes: must be >= 2 for generator \"uniform\", got 1"};
        QTest::newRow("batch") << "batch_size" << "-1" << QStringList{"data.batch_size: must be >= 0 (0 = full batch), got -1"};
        QTest::newRow("csv path") << "source" << "csv" << QStringList{"data.path: required for source \"csv\""};
        QTest::newRow("hdf5 path") << "source" << "hdf5" << QStringList{"data.path: required for source \"hdf5\""};
    }

    void validate()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QStringList, problems);
        DataConfig c;
        if (key == "validation_split") c.validationSplit = value.toDouble();
        if (key == "source") c.source = value.toStdString();
        if (key == "generator") c.generator = value.toStdString();
        if (key == "samples") c.samples = value.toInt();
        if (key == "classes") c.classes = value.toInt();
        if (key == "batch_size") c.batchSize = value.toInt();
        QCOMPARE(toQt(c.validate()), problems);
    }

    void validateReportsEverythingAtOnce()
    {
        DataConfig c;
        c.samples = -5;
        c.classes = 1;
        c.batchSize = -2;
        c.validationSplit = 1.0;
        QCOMPARE(c.validate().size(), std::size_t(4));
        // Classes < 2 is fine where the generator does not read it (moons has two).
        c = DataConfig{};
        c.generator = "moons";
        c.classes = 1;
        QVERIFY(c.validate().empty());
        c = DataConfig{};
        c.source = "iris";
        c.validationPath = "v.csv";
        QCOMPARE(toQt(c.validate()), QStringList{"data.validation_path: only for sources \"csv\", \"hdf5\", \"idx\" and \"numpy\", not \"iris\""});
        QVERIFY_THROWS_EXCEPTION(ConfigError, loadData(c, TargetEncoding::Index, 1, {}));
    }

    void encodingForLoss()
    {
        QCOMPARE(targetEncodingFor(LossKind::CategoricalCrossentropy), TargetEncoding::OneHot);
        QCOMPARE(targetEncodingFor(LossKind::SparseCategoricalCrossentropy), TargetEncoding::Index);
        QCOMPARE(targetEncodingFor(LossKind::BinaryCrossentropy), TargetEncoding::Binary);
        QCOMPARE(targetEncodingFor(LossKind::MeanSquaredError), TargetEncoding::OneHot);
        QCOMPARE(targetEncodingFor(LossKind::MeanAbsoluteError), TargetEncoding::OneHot);
    }

    void generatorSeedIsDerivedFromRunSeed()
    {
        const DataSplit s = loadData(uniform(50), TargetEncoding::Index, 123, {});
        Rng dataRng(123ULL ^ 0x9E3779B97F4A7C15ULL);
        QCOMPARE(s.train.x(0, 0), dataRng.uniformFloat());
        Rng runRng(123);
        QVERIFY(s.train.x(0, 0) != runRng.uniformFloat());
        QVERIFY(loadData(uniform(50), TargetEncoding::Index, 123, {}).train.x == s.train.x);
        QVERIFY(loadData(uniform(50), TargetEncoding::Index, 124, {}).train.x != s.train.x);
    }

    void splitTakesTheLastRows_data()
    {
        QTest::addColumn<int>("samples");
        QTest::addColumn<double>("fraction");
        QTest::addColumn<int>("trainRows"); // Keras: floor(n * (1 - fraction))
        QTest::newRow("10 x 0.3") << 10 << 0.3 << 7;
        QTest::newRow("10 x 0.25") << 10 << 0.25 << 7;
        QTest::newRow("100 x 0.2") << 100 << 0.2 << 80;
        QTest::newRow("7 x 0.5") << 7 << 0.5 << 3;
        QTest::newRow("none") << 10 << 0.0 << 10;
    }

    void splitTakesTheLastRows()
    {
        QFETCH(int, samples);
        QFETCH(double, fraction);
        QFETCH(int, trainRows);
        DataConfig c = uniform(samples);
        const Dataset all = loadData(c, TargetEncoding::Index, 9, {}).train;
        c.validationSplit = fraction;
        const DataSplit s = loadData(c, TargetEncoding::Index, 9, {});
        QCOMPARE(s.train.size(), trainRows);
        QCOMPARE(s.validation.size(), samples - trainRows);
        QVERIFY(s.train.x == all.x.topRows(trainRows));
        QVERIFY(s.train.y == all.y.topRows(trainRows));
        if (trainRows == samples)
            return; // no validation part (an empty matrix; Eigen compares only equal shapes)
        QVERIFY(s.validation.x == all.x.bottomRows(samples - trainRows));
        QVERIFY(s.validation.y == all.y.bottomRows(samples - trainRows));
    }

    void splitLeavingAnEmptyPartIsAnError()
    {
        DataConfig c = uniform(3);
        c.validationSplit = 0.1; // floor(2.7) = 2 train, 1 validation: fine
        QCOMPARE(loadData(c, TargetEncoding::Index, 1, {}).validation.size(), 1);
        c.samples = 1;
        try {
            loadData(c, TargetEncoding::Index, 1, {});
            QFAIL("no error");
        } catch (const ConfigError& e) {
            // floor(1 * 0.9) = 0 training rows
            QCOMPARE(QString(e.what()), QString("data.validation_split: 0.1 of 1 rows leaves an empty training set"));
        }
        c.samples = 10;
        c.validationSplit = 1e-17; // 1 - 1e-17 == 1 in double: floor(10 * 1) = 10 training rows
        try {
            loadData(c, TargetEncoding::Index, 1, {});
            QFAIL("no error");
        } catch (const ConfigError& e) {
            QCOMPARE(QString(e.what()), QString("data.validation_split: 1e-17 of 10 rows leaves an empty validation set"));
        }
    }

    void standardisationUsesTrainStatistics()
    {
        DataConfig c = uniform(40, 4);
        c.validationSplit = 0.25;
        const DataSplit raw = loadData(c, TargetEncoding::Index, 5, {});
        c.standardize = true;
        const DataSplit s = loadData(c, TargetEncoding::Index, 5, {});
        for (int j = 0; j < 4; ++j) {
            double mean = 0, sq = 0;
            for (int i = 0; i < 30; ++i)
                mean += raw.train.x(i, j);
            mean /= 30;
            for (int i = 0; i < 30; ++i)
                sq += (raw.train.x(i, j) - mean) * (raw.train.x(i, j) - mean);
            const double sd = std::sqrt(sq / 30);
            QVERIFY(std::abs(s.train.x.col(j).cast<double>().mean()) < 1e-5);
            const double var = s.train.x.col(j).cast<double>().array().square().mean();
            QVERIFY(std::abs(var - 1.0) < 1e-5);
            QVERIFY(std::abs(s.featureMean(j) - mean) < 1e-6);
            QVERIFY(std::abs(s.featureStd(j) - sd) < 1e-6);
            // Validation rows: scaled with the TRAINING statistics, not their own.
            for (int i = 0; i < 10; ++i)
                QVERIFY(std::abs(s.validation.x(i, j) - (raw.validation.x(i, j) - mean) / sd) < 1e-5);
        }
    }

    void constantColumnIsOnlyCentred()
    {
        DataSplit s;
        s.train.x = Matrix::Constant(4, 1, 3.0f);
        standardize(s);
        QVERIFY(s.train.x.isZero());
    }

    void encodings()
    {
        Dataset d;
        d.x = Matrix::Zero(3, 1);
        d.y = (Matrix(3, 1) << 2, 0, 1).finished();
        d.numClasses = 3;
        Dataset oneHot = d;
        encodeTargets(oneHot, TargetEncoding::OneHot);
        QVERIFY(oneHot.y == (Matrix(3, 3) << 0, 0, 1, 1, 0, 0, 0, 1, 0).finished());
        Dataset index = d;
        encodeTargets(index, TargetEncoding::Index);
        QVERIFY(index.y == d.y);
        Dataset binary = d;
        QVERIFY_THROWS_EXCEPTION(ConfigError, encodeTargets(binary, TargetEncoding::Binary));
        binary.y = (Matrix(3, 1) << 1, 0, 1).finished();
        binary.numClasses = 2;
        encodeTargets(binary, TargetEncoding::Binary);
        QVERIFY(binary.y == (Matrix(3, 1) << 1, 0, 1).finished());
        for (int i = 0; i < 3; ++i)
            QCOMPARE(classOfRow(oneHot.y, i), static_cast<int>(d.y(i, 0)));
    }

    void csvWithValidationFileSharesClassNumbering()
    {
        const QString dir = m_dir.path();
        std::ofstream(m_dir.filePath("train.csv").toStdString()) << "a,b,kind\n1,2,red\n3,4,blue\n5,6,red\n";
        std::ofstream(m_dir.filePath("val.csv").toStdString()) << "a,b,kind\n7,8,blue\n9,10,green\n";
        DataConfig c;
        c.source = "csv";
        c.path = "train.csv"; // relative to the base dir
        c.validationPath = "val.csv";
        const DataSplit s = loadData(c, TargetEncoding::OneHot, 1, dir.toStdString());
        QCOMPARE(s.train.numClasses, 3);
        QCOMPARE(s.validation.numClasses, 3);
        QCOMPARE(s.train.y.cols(), 3);
        QVERIFY(s.validation.y == (Matrix(2, 3) << 0, 1, 0, 0, 0, 1).finished()); // blue = 1, green = 2
        QCOMPARE(s.train.classNames, (std::vector<std::string>{"red", "blue", "green"}));

        std::ofstream(m_dir.filePath("narrow.csv").toStdString()) << "a,kind\n7,blue\n";
        c.validationPath = "narrow.csv";
        try {
            loadData(c, TargetEncoding::OneHot, 1, dir.toStdString());
            QFAIL("no error");
        } catch (const IoError& e) {
            QCOMPARE(QString(e.what()), m_dir.filePath("narrow.csv") + ": has 1 feature columns but the training data has 2");
        }
    }

    void irisEmbeddedEqualsShippedFile()
    {
        std::ifstream in(CKLAB_SOURCE_DIR "/resources/data/iris.csv", std::ios::binary);
        QVERIFY(in.good());
        std::ostringstream text;
        text << in.rdbuf();
        QVERIFY(text.str() == irisCsvText());
    }

    void irisSource()
    {
        DataConfig c;
        c.source = "iris";
        const DataSplit s = loadData(c, TargetEncoding::Index, 1, {});
        QCOMPARE(s.train.size(), 150);
        QCOMPARE(s.train.features(), 4);
        QCOMPARE(s.train.classNames, (std::vector<std::string>{"setosa", "versicolor", "virginica"}));
        const DataPreview p = preview(s.train, 5);
        QCOMPARE(p.classCounts, (std::vector<long long>{50, 50, 50}));
        // Known column sums of Fisher's data (means 5.843, 3.057, 3.758, 1.199 cm).
        QVERIFY(std::abs(s.train.x.col(0).sum() - 876.5f) < 0.01f);
        QVERIFY(std::abs(s.train.x.col(1).sum() - 458.6f) < 0.01f);
        QVERIFY(std::abs(s.train.x.col(2).sum() - 563.7f) < 0.01f);
        QVERIFY(std::abs(s.train.x.col(3).sum() - 179.9f) < 0.01f);
        // Fixed order, independent of the seed, and mixed so that a 20 % split holds every species.
        QVERIFY(loadData(c, TargetEncoding::Index, 2, {}).train.x == s.train.x);
        c.validationSplit = 0.2;
        const DataPreview v = preview(loadData(c, TargetEncoding::OneHot, 1, {}).validation, 0);
        QCOMPARE(v.totalRows, 30);
        for (long long n : v.classCounts)
            QVERIFY(n > 0);
    }

    void previewRows()
    {
        Dataset d;
        d.x = (Matrix(3, 2) << 1.5f, 2, 3, 4, 5, 6).finished();
        d.y = (Matrix(3, 2) << 0, 1, 1, 0, 0, 1).finished(); // one-hot
        d.numClasses = 2;
        d.featureNames = {"a", "b"};
        d.classNames = {"no", "yes"};
        const DataPreview p = preview(d, 2);
        QCOMPARE(p.columns, (std::vector<std::string>{"a", "b", "label"}));
        QCOMPARE(p.rows.size(), std::size_t(2));
        QCOMPARE(p.rows[0], (std::vector<std::string>{"1.5", "2", "yes"}));
        QCOMPARE(p.classCounts, (std::vector<long long>{1, 2}));
        QCOMPARE(p.totalRows, 3);
    }
};

QTEST_APPLESS_MAIN(TestDataLoader)
#include "TestDataLoader.moc"
