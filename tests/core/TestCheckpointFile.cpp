// Round trips of the three checkpoint formats and the reader's refusals (file-formats spec).
#include <QTemporaryDir>
#include <QtTest>

#include <cerrno>
#include <cstring>
#include <fstream>
#if __has_include(<hdf5.h>)
#include <hdf5.h>
#else
#include <hdf5/serial/hdf5.h> // Debian: the serial flavour's headers are not on the default path
#endif

#include "core/base/Errors.h"
#include "core/io/CheckpointFile.h"
#include "core/model/Model.h"

// OptimizerState has a member called `slots`, which Qt defines as a macro.
#undef slots

using namespace cklab;

namespace {

ModelSpec mlpSpec(std::vector<int> units, int inputDim = 5, bool withDropout = true)
{
    ModelSpec spec;
    spec.inputDim = inputDim;
    spec.name = "mlp";
    for (std::size_t i = 0; i < units.size(); ++i) {
        LayerSpec dense;
        dense.units = units[i];
        dense.activation = i + 1 == units.size() ? Activation::Softmax : Activation::Relu;
        spec.layers.push_back(dense);
        if (withDropout && i == 0) {
            LayerSpec dropout;
            dropout.kind = LayerSpec::Kind::Dropout;
            dropout.rate = 0.25f;
            spec.layers.push_back(dropout);
        }
    }
    return spec;
}

Matrix inputs(int rows, int cols, std::uint64_t seed)
{
    Rng rng(seed);
    Matrix x(rows, cols);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            x(r, c) = rng.uniform(-1.0f, 1.0f);
    return x;
}

Matrix oneHot(int rows, int classes)
{
    Matrix y = Matrix::Zero(rows, classes);
    for (int r = 0; r < rows; ++r)
        y(r, r % classes) = 1.0f;
    return y;
}

/// A model with trained weights and a built optimizer (three Adam steps).
std::unique_ptr<Model> trainedModel(const ModelSpec& spec, std::uint64_t seed)
{
    auto model = std::make_unique<Model>(spec, CompileConfig{});
    Rng rng(seed);
    model->initialize(rng);
    const Matrix x = inputs(8, spec.inputDim, seed + 1);
    const Matrix y = oneHot(8, spec.outputDim());
    for (int i = 0; i < 3; ++i)
        model->trainStep(x, y, rng);
    return model;
}

bool bitEqual(const Matrix& a, const Matrix& b)
{
    return a.rows() == b.rows() && a.cols() == b.cols()
        && std::memcmp(a.data(), b.data(), sizeof(float) * static_cast<std::size_t>(a.size())) == 0;
}

QString fileIn(const QTemporaryDir& dir, const QString& name) { return dir.filePath(name); }

} // namespace

class TestCheckpointFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Issue 16, item 10: a .weights.h5 whose variables were created in another order (h5py
    // with track_order, a rewrite) is the same file: read by name, not by position.
    void weightsReadByNameNotCreationOrder()
    {
        QTemporaryDir dir;
        const std::string path = fileIn(dir, "w.weights.h5").toStdString();
        auto saved = trainedModel(mlpSpec({4, 2}), 3);
        saveCheckpoint(path, *saved);
        {
            const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
            QVERIFY(file >= 0);
            const char* varsPath = "layers/dense/vars";
            std::vector<std::vector<float>> data(2);
            std::vector<std::vector<hsize_t>> dims(2);
            for (int i = 0; i < 2; ++i) {
                const hid_t ds = H5Dopen2(file, (std::string(varsPath) + "/" + std::to_string(i)).c_str(), H5P_DEFAULT);
                const hid_t space = H5Dget_space(ds);
                dims[i].resize(std::size_t(H5Sget_simple_extent_ndims(space)));
                H5Sget_simple_extent_dims(space, dims[i].data(), nullptr);
                hsize_t n = 1;
                for (hsize_t d : dims[i])
                    n *= d;
                data[i].resize(n);
                QVERIFY(H5Dread(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data[i].data()) >= 0);
                H5Sclose(space);
                H5Dclose(ds);
            }
            QVERIFY(H5Ldelete(file, varsPath, H5P_DEFAULT) >= 0);
            const hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
            H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
            const hid_t vars = H5Gcreate2(file, varsPath, H5P_DEFAULT, gcpl, H5P_DEFAULT);
            for (int i : {1, 0}) { // the bias first
                const hid_t space = H5Screate_simple(int(dims[i].size()), dims[i].data(), nullptr);
                const hid_t ds = H5Dcreate2(vars, std::to_string(i).c_str(), H5T_IEEE_F32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
                QVERIFY(H5Dwrite(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data[i].data()) >= 0);
                H5Dclose(ds);
                H5Sclose(space);
            }
            H5Gclose(vars);
            H5Pclose(gcpl);
            H5Fclose(file);
        }
        const LoadedCheckpoint c = readCheckpoint(path);
        const auto savedVars = saved->network().variables();
        QCOMPARE(c.variables.size(), savedVars.size());
        for (std::size_t i = 0; i < savedVars.size(); ++i)
            QVERIFY2(bitEqual(c.variables[i], *savedVars[i]), c.variablePaths[i].c_str());
    }

    void formatForPath_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("format");
        QTest::newRow("weights") << "a/best.weights.h5" << "weights.h5";
        QTest::newRow("keras") << "m-01.keras" << "keras";
        QTest::newRow("legacy") << "model.h5" << "h5";
        QTest::newRow("weights-without-dot") << "bestweights.h5" << "h5";
        QTest::newRow("other") << "model.pt" << "";
        QTest::newRow("bare") << "weights" << "";
    }
    void formatForPath()
    {
        QFETCH(QString, path);
        QFETCH(QString, format);
        const auto f = cklab::formatForPath(path.toStdString());
        QCOMPARE(f ? QString::fromStdString(std::string(formatName(*f))) : QString(), format);
    }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("format");
        QTest::newRow("weights.h5") << "ckpt.weights.h5" << int(CheckpointFormat::WeightsH5);
        QTest::newRow("keras") << "ckpt.keras" << int(CheckpointFormat::Keras);
        QTest::newRow("legacy h5") << "ckpt.h5" << int(CheckpointFormat::LegacyH5);
    }
    void roundTrip()
    {
        QFETCH(QString, name);
        QFETCH(int, format);
        QTemporaryDir dir;
        const std::string path = fileIn(dir, name).toStdString();
        const ModelSpec spec = mlpSpec({10, 2});
        auto saved = trainedModel(spec, 7);
        SaveOptions options;
        options.trainingState = nlohmann::json{{"epoch", 3}, {"rng", "12 34"}, {"order", {4, 1, 0}}};
        const std::int64_t bytes = saveCheckpoint(path, *saved, options);
        QCOMPARE(bytes, static_cast<std::int64_t>(std::filesystem::file_size(path)));

        const LoadedCheckpoint c = readCheckpoint(path);
        QCOMPARE(int(c.format), format);
        QCOMPARE(c.file.string(), path);
        const auto savedVars = saved->network().variables();
        QCOMPARE(c.variables.size(), savedVars.size());
        for (std::size_t i = 0; i < savedVars.size(); ++i)
            QVERIFY2(bitEqual(c.variables[i], *savedVars[i]), c.variablePaths[i].c_str());
        QVERIFY(c.trainingState.has_value());
        QCOMPARE(*c.trainingState, *options.trainingState);
        QCOMPARE(QString::fromStdString(c.formatVersion), QString("1"));

        const OptimizerState expected = saved->optimizer().state();
        QVERIFY(c.optimizer.has_value());
        QCOMPARE(c.optimizer->iterations, expected.iterations);
        QCOMPARE(c.optimizer->iterations, std::int64_t(3));
        QCOMPARE(c.optimizer->learningRate, expected.learningRate);
        QCOMPARE(QString::fromStdString(c.optimizer->name), QString::fromStdString(expected.name));
        QCOMPARE(c.optimizer->slotValues.size(), expected.slotValues.size());
        QVERIFY(!expected.slotValues.empty());
        for (std::size_t i = 0; i < expected.slotValues.size(); ++i)
            QVERIFY(bitEqual(c.optimizer->slotValues[i], expected.slotValues[i]));

        if (c.format == CheckpointFormat::WeightsH5) {
            QCOMPARE(c.variablePaths.front(), std::string("layers/dense/vars/0"));
            QCOMPARE(c.variablePaths.back(), std::string("layers/dense_1/vars/1"));
            QVERIFY(!c.spec.has_value());
        } else {
            QVERIFY(c.spec.has_value());
            QCOMPARE(c.spec->inputDim, 5);
            QCOMPARE(QString::fromStdString(c.spec->name), QString("mlp"));
            QCOMPARE(c.spec->layers.size(), spec.layers.size());
            for (std::size_t i = 0; i < spec.layers.size(); ++i) {
                QCOMPARE(int(c.spec->layers[i].kind), int(spec.layers[i].kind));
                QCOMPARE(c.spec->layers[i].units, spec.layers[i].units);
                QCOMPARE(int(c.spec->layers[i].activation), int(spec.layers[i].activation));
                QCOMPARE(c.spec->layers[i].rate, spec.layers[i].rate);
                QCOMPARE(c.spec->layers[i].useBias, spec.layers[i].useBias);
            }
            QVERIFY(c.compile.has_value());
            QCOMPARE(int(c.compile->loss), int(saved->compileConfig().loss));
            QCOMPARE(c.compile->metrics, saved->compileConfig().metrics);
            QCOMPARE(QString::fromStdString(c.compile->optimizer.type), QString("adam"));
            QCOMPARE(c.compile->optimizer.learningRate, saved->compileConfig().optimizer.learningRate);
            QCOMPARE(c.compile->optimizer.beta2, saved->compileConfig().optimizer.beta2);
            QCOMPARE(c.compile->optimizer.epsilon, saved->compileConfig().optimizer.epsilon);
        }

        // Into a model trained from another seed: same predictions, and one more identical step
        // gives bit-identical weights (the optimizer state came back too).
        auto restored = trainedModel(spec, 99);
        QVERIFY(!bitEqual(restored->predict(inputs(2, 5, 1)), saved->predict(inputs(2, 5, 1))));
        loadIntoModel(c, *restored);
        const Matrix x = inputs(6, 5, 123);
        QVERIFY(bitEqual(restored->predict(x), saved->predict(x)));
        const Matrix y = oneHot(6, 2);
        Rng r1(5), r2(5);
        saved->trainStep(x, y, r1);
        restored->trainStep(x, y, r2);
        const auto a = saved->network().variables();
        const auto b = restored->network().variables();
        for (std::size_t i = 0; i < a.size(); ++i)
            QVERIFY(bitEqual(*a[i], *b[i]));
    }

    void withoutOptimizer()
    {
        QTemporaryDir dir;
        const std::string path = fileIn(dir, "w.weights.h5").toStdString();
        auto model = trainedModel(mlpSpec({4, 3}, 2, false), 1);
        SaveOptions options;
        options.includeOptimizer = false;
        saveCheckpoint(path, *model, options);
        const LoadedCheckpoint c = readCheckpoint(path);
        QVERIFY(!c.optimizer.has_value());
        QVERIFY(!c.trainingState.has_value());
        QVERIFY(c.formatVersion.empty()); // no training state: no /checkpointlab, pure Keras layout
        QCOMPARE(c.variables.size(), std::size_t(4));
    }

    void shapeMismatchNamesPathAndShapes_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expectedLine");
        QTest::newRow("weights.h5") << "s.weights.h5" << "layers/dense_1/vars/0: expected shape [10, 2], file has [2, 10]";
        QTest::newRow("keras") << "s.keras" << "layers/dense_1/vars/0: expected shape [10, 2], file has [2, 10]";
        QTest::newRow("legacy") << "s.h5" << "model_weights/dense_1/dense_1/kernel:0: expected shape [10, 2], file has [2, 10]";
    }
    void shapeMismatchNamesPathAndShapes()
    {
        QFETCH(QString, name);
        QFETCH(QString, expectedLine);
        QTemporaryDir dir;
        const std::string path = fileIn(dir, name).toStdString();
        saveCheckpoint(path, *trainedModel(mlpSpec({2, 10}, 5, false), 3));
        Model target(mlpSpec({10, 2}, 5, false), CompileConfig{});
        Rng rng(4);
        target.initialize(rng);
        const Matrix before = *target.network().variables()[0];
        try {
            loadIntoModel(readCheckpoint(path), target);
            QFAIL("loading a mismatching file must throw");
        } catch (const ConfigError& e) {
            const QStringList lines = QString::fromUtf8(e.what()).split('\n');
            QVERIFY2(lines.contains(QString::fromStdString(path) + ": " + expectedLine), e.what());
            QVERIFY2(lines.first().startsWith(QString::fromStdString(path) + ": "), e.what());
        }
        QVERIFY(bitEqual(*target.network().variables()[0], before)); // nothing half-loaded
    }

    void missingBiasIsReported()
    {
        QTemporaryDir dir;
        const std::string path = fileIn(dir, "nb.weights.h5").toStdString();
        ModelSpec noBias = mlpSpec({3, 2}, 4, false);
        noBias.layers[0].useBias = false;
        saveCheckpoint(path, *trainedModel(noBias, 3));
        Model target(mlpSpec({3, 2}, 4, false), CompileConfig{});
        try {
            loadIntoModel(readCheckpoint(path), target);
            QFAIL("must throw");
        } catch (const ConfigError& e) {
            QCOMPARE(QString::fromUtf8(e.what()),
                     QString::fromStdString(path) + ": layers/dense/vars/1: missing in the file (expected shape [3])");
        }
    }

    void refusesNonCheckpointFiles_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("cause");
        QTest::newRow("text") << "notes.weights.h5" << QByteArray("hello, not a checkpoint\n")
                              << "not a checkpoint file: neither HDF5 (.weights.h5, .h5) nor a zip archive (.keras)";
        QTest::newRow("empty") << "empty.keras" << QByteArray()
                               << "not a checkpoint file: neither HDF5 (.weights.h5, .h5) nor a zip archive (.keras)";
        QTest::newRow("broken zip") << "broken.keras" << QByteArray("PK\x03\x04garbage-garbage-garbage", 27)
                                    << "not a readable zip archive";
        QTest::newRow("broken hdf5") << "broken.h5" << QByteArray("\x89HDF\r\n\x1a\nxxxxxxxxxxxxxxxxxxxxxxxxxx", 34)
                                     << "/: opening the file: ";
    }
    void refusesNonCheckpointFiles()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(QString, cause);
        QTemporaryDir dir;
        const std::string path = fileIn(dir, name).toStdString();
        {
            std::ofstream out(path, std::ios::binary);
            out.write(content.constData(), content.size());
        }
        try {
            readCheckpoint(path);
            QFAIL("must throw");
        } catch (const IoError& e) {
            QCOMPARE(QString::fromStdString(e.path()), QString::fromStdString(path));
            QVERIFY2(QString::fromUtf8(e.what()).startsWith(QString::fromStdString(path) + ": " + cause), e.what());
        }
    }

    void missingFile()
    {
        QTemporaryDir dir;
        const std::string path = fileIn(dir, "absent.keras").toStdString();
        QVERIFY_THROWS_EXCEPTION(IoError, readCheckpoint(path));
        try {
            readCheckpoint(path);
        } catch (const IoError& e) {
            QCOMPARE(QString::fromUtf8(e.what()), QString::fromStdString(path) + ": " + QString::fromUtf8(std::strerror(ENOENT)));
        }
    }

    void directoryPathGivesKerasMessage()
    {
        QTemporaryDir dir;
        const QString path = fileIn(dir, "best.weights.h5");
        QVERIFY(QDir().mkpath(path));
        auto model = trainedModel(mlpSpec({3, 2}, 2, false), 1);
        try {
            saveCheckpoint(path.toStdString(), *model);
            QFAIL("must throw");
        } catch (const IoError& e) {
            QCOMPARE(QString::fromUtf8(e.what()),
                     "Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an existing directory: "
                         + path);
            QCOMPARE(QString::fromStdString(e.path()), path);
        }
    }

    void unsupportedSuffix()
    {
        QTemporaryDir dir;
        const std::string path = fileIn(dir, "model.pt").toStdString();
        auto model = trainedModel(mlpSpec({3, 2}, 2, false), 1);
        QVERIFY_THROWS_EXCEPTION(IoError, saveCheckpoint(path, *model));
        QVERIFY(!std::filesystem::exists(path));
    }
};

QTEST_GUILESS_MAIN(TestCheckpointFile)
#include "TestCheckpointFile.moc"
