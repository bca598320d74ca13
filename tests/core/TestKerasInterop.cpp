// Files written by real Keras (tests/data/keras, made by write_fixtures.py there) are read by our
// readers and predict what Keras predicted; files we write have the optimizer slots Keras has.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#if __has_include(<hdf5.h>)
#include <hdf5.h>
#else
#include <hdf5/serial/hdf5.h> // Debian: the serial flavour's headers are not on the default path
#endif
#include <nlohmann/json.hpp>
#include <zip.h>

#include "core/base/Errors.h"
#include "core/io/CheckpointFile.h"
#include "core/io/KerasConfig.h"
#include "core/model/Model.h"

// OptimizerState has a member called `slots`, which Qt defines as a macro.
#undef slots

using namespace cklab;
using nlohmann::json;

namespace {

const std::string kFixtures = std::string(CKLAB_SOURCE_DIR) + "/tests/data/keras/";

const json& expected()
{
    static const json e = [] {
        std::ifstream in(kFixtures + "expected.json");
        return json::parse(in);
    }();
    return e;
}

Matrix matrixFrom(const json& rows)
{
    Matrix m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size()));
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (std::size_t c = 0; c < rows[r].size(); ++c)
            m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = rows[r][c].get<float>();
    return m;
}

/// The optimizers we have, each as its Keras fixture case (tests/data/keras/expected.json).
struct OptimizerCase {
    const char* fixture;
    OptimizerConfig config;
};

std::vector<OptimizerCase> optimizerCases()
{
    auto make = [](const char* type, float lr, float momentum = 0.0f, bool nesterov = false) {
        OptimizerConfig c = OptimizerConfig::defaultsFor(type);
        c.learningRate = lr;
        c.momentum = momentum;
        c.nesterov = nesterov;
        if (std::string(type) == "adamw")
            c.weightDecay = 0.01f;
        return c;
    };
    return {{"seq_sgd", make("sgd", 0.05f)},
            {"seq_sgd_nesterov", make("sgd", 0.05f, 0.8f, true)},
            {"seq_adam", make("adam", 0.01f)},
            {"seq_adamw", make("adamw", 0.01f)},
            {"seq_rmsprop_momentum", make("rmsprop", 0.01f, 0.5f)}};
}

/// Shapes of optimizer slot datasets in an HDF5 file, in Keras order: optimizer/vars/2... of a
/// weights file, or the weight_names after iterations and learning rate of a legacy .h5.
std::vector<std::vector<hsize_t>> slotShapesInHdf5(hid_t file)
{
    auto shapeOf = [](hid_t loc, const std::string& name) {
        const hid_t set = H5Dopen2(loc, name.c_str(), H5P_DEFAULT);
        const hid_t space = H5Dget_space(set);
        std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)));
        H5Sget_simple_extent_dims(space, dims.data(), nullptr);
        H5Sclose(space);
        H5Dclose(set);
        return dims;
    };
    std::vector<std::vector<hsize_t>> shapes;
    if (H5Lexists(file, "optimizer_weights", H5P_DEFAULT) > 0) {
        const hid_t group = H5Gopen2(file, "optimizer_weights", H5P_DEFAULT);
        const hid_t attr = H5Aopen(group, "weight_names", H5P_DEFAULT);
        const hid_t type = H5Aget_type(attr);
        const hid_t space = H5Aget_space(attr);
        const auto count = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
        std::vector<std::string> names;
        if (H5Tis_variable_str(type) > 0) { // h5py (Keras 3)
            std::vector<char*> ptrs(count, nullptr);
            H5Aread(attr, type, ptrs.data());
            names.assign(ptrs.begin(), ptrs.end());
            H5Dvlen_reclaim(type, space, H5P_DEFAULT, ptrs.data());
        } else { // fixed-length (ours, as Keras 2)
            const std::size_t size = H5Tget_size(type);
            std::vector<char> buffer(count * size + 1, '\0');
            H5Aread(attr, type, buffer.data());
            for (std::size_t i = 0; i < count; ++i)
                names.emplace_back(buffer.data() + i * size, strnlen(buffer.data() + i * size, size));
        }
        for (std::size_t i = 2; i < count; ++i)
            shapes.push_back(shapeOf(group, names[i]));
        H5Sclose(space);
        H5Tclose(type);
        H5Aclose(attr);
        H5Gclose(group);
        return shapes;
    }
    for (int i = 2; H5Lexists(file, ("optimizer/vars/" + std::to_string(i)).c_str(), H5P_DEFAULT) > 0; ++i)
        shapes.push_back(shapeOf(file, "optimizer/vars/" + std::to_string(i)));
    return shapes;
}

/// One entry of a .keras archive, copied out to `to`.
void extractEntry(const QString& archivePath, const char* entry, const QString& to)
{
    int error = 0;
    zip_t* archive = zip_open(archivePath.toLocal8Bit().constData(), ZIP_RDONLY, &error);
    QVERIFY(archive != nullptr);
    zip_stat_t st;
    zip_stat_init(&st);
    QVERIFY(zip_stat(archive, entry, 0, &st) == 0);
    std::vector<char> bytes(st.size);
    zip_file_t* file = zip_fopen(archive, entry, 0);
    QVERIFY(file != nullptr);
    QCOMPARE(zip_fread(file, bytes.data(), bytes.size()), static_cast<zip_int64_t>(bytes.size()));
    zip_fclose(file);
    zip_discard(archive);
    std::ofstream(to.toStdString(), std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::vector<hsize_t>> slotShapesInFile(const QString& path, const QTemporaryDir& scratch)
{
    QString h5 = path;
    if (path.endsWith(".keras")) {
        h5 = scratch.filePath("extracted.weights.h5");
        extractEntry(path, "model.weights.h5", h5);
    }
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const hid_t file = H5Fopen(h5.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0)
        return {};
    auto shapes = slotShapesInHdf5(file);
    H5Fclose(file);
    return shapes;
}

/// With CKLAB_KERAS_EXPORT set, our files also go there with our predictions, for loading them in
/// real Keras by hand (tests/data/keras/load_ours_in_keras.py); the tests never need Keras.
void exportForKeras(const QString& file, const std::string& name, const Model& model, const json& inputs)
{
    const QString dir = qEnvironmentVariable("CKLAB_KERAS_EXPORT");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    const QString suffix = file.mid(file.indexOf('.'));
    const QString target = dir + "/" + QString::fromStdString(name) + suffix;
    QFile::remove(target);
    QFile::copy(file, target);
    const Matrix p = model.predict(matrixFrom(inputs));
    json rows = json::array();
    for (Eigen::Index r = 0; r < p.rows(); ++r) {
        json row = json::array();
        for (Eigen::Index c = 0; c < p.cols(); ++c)
            row.push_back(p(r, c));
        rows.push_back(row);
    }
    std::ofstream((dir + "/" + QString::fromStdString(name) + ".json").toStdString())
        << json{{"inputs", inputs}, {"predictions", rows}}.dump();
}

std::string shapesText(const std::vector<std::vector<hsize_t>>& shapes)
{
    json j = json::array();
    for (const auto& s : shapes)
        j.push_back(s);
    return j.dump();
}

/// The Keras-written fixture's architecture and optimizer, trained a few steps by us.
std::unique_ptr<Model> ourModelLike(const std::string& fixture, const OptimizerConfig& optimizer)
{
    const LoadedCheckpoint keras = readCheckpoint(kFixtures + fixture + ".keras");
    CompileConfig compile = *keras.compile;
    compile.optimizer = optimizer;
    auto model = std::make_unique<Model>(*keras.spec, compile);
    Rng rng(15);
    model->initialize(rng);
    const Matrix x = matrixFrom(expected()["cases"][fixture]["inputs"]);
    Matrix y = Matrix::Zero(x.rows(), keras.spec->outputDim());
    for (Eigen::Index r = 0; r < y.rows(); ++r)
        y(r, r % y.cols()) = 1.0f;
    for (int step = 0; step < 3; ++step)
        model->trainStep(x, y, rng);
    return model;
}

/// Runs a test body; an exception (a reader refusing a file) fails the row instead of the run.
template <typename Body>
void guarded(Body&& body)
{
    try {
        body();
    } catch (const std::exception& e) {
        QFAIL(e.what());
    }
}

} // namespace

class TestKerasInterop : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsKerasFiles_data();
    void readsKerasFiles();
    void slotShapesAsKeras_data();
    void slotShapesAsKeras();
    void refusesBranchingGraphs();
    void refusesBranchingKeras2Graphs();
    void withoutOptimizerIsUncompiled_data();
    void withoutOptimizerIsUncompiled();
    void normalizationAsKeras_data();
    void normalizationAsKeras();
    void convnetFilesAsKeras_data();
    void convnetFilesAsKeras();
};

void TestKerasInterop::readsKerasFiles_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("suffix");
    for (const auto& [name, c] : expected()["cases"].items()) {
        if (c.value("refused", false))
            continue;
        for (const char* suffix : {".keras", ".weights.h5", ".h5"})
            QTest::addRow("%s%s", name.c_str(), suffix) << QString::fromStdString(name) << QString(suffix);
    }
}

void TestKerasInterop::readsKerasFiles()
{
    // Keras' predictions from our reading of its file: architecture (Sequential or a Functional
    // chain, Dropout, no-bias Dense), weights, compile config and optimizer state.
    guarded([&] {
        QFETCH(QString, fixture);
        QFETCH(QString, suffix);
        const json& c = expected()["cases"][fixture.toStdString()];
        const std::string path = kFixtures + fixture.toStdString() + suffix.toStdString();
        LoadedCheckpoint ck;
        try {
            ck = readCheckpoint(path);
        } catch (const IoError& e) {
            QFAIL(e.what());
        }
        const bool weightsOnly = suffix == ".weights.h5";
        QCOMPARE(ck.spec.has_value(), !weightsOnly);
        const ModelSpec spec = weightsOnly ? *readCheckpoint(kFixtures + fixture.toStdString() + ".keras").spec : *ck.spec;
        const bool compiled = c["compiled"].get<bool>();
        if (!weightsOnly) {
            QCOMPARE(ck.compile.has_value(), compiled);
            if (compiled)
                QCOMPARE(std::string(lossName(ck.compile->loss)), c["loss"].get<std::string>() == "mse"
                                                                      ? std::string("mean_squared_error")
                                                                      : c["loss"].get<std::string>());
        }
        QCOMPARE(ck.optimizer.has_value(), compiled);
        CompileConfig compile = ck.compile.value_or(CompileConfig{});
        if (compiled && weightsOnly)
            compile.optimizer = readCheckpoint(kFixtures + fixture.toStdString() + ".keras").compile->optimizer;
        Model model(spec, compile);
        try {
            loadIntoModel(ck, model, true);
        } catch (const ConfigError& e) {
            QFAIL(e.what());
        }
        if (compiled) {
            const json& o = c["optimizer"];
            QCOMPARE(ck.optimizer->name, compile.optimizer.type);
            QCOMPARE(ck.optimizer->iterations, o["iterations"].get<std::int64_t>());
            QCOMPARE(ck.optimizer->slotValues.size(), o["slot_shapes"].size());
            QCOMPARE(model.optimizer().iterations(), o["iterations"].get<std::int64_t>());
        }
        const Matrix x = matrixFrom(c["inputs"]);
        const Matrix want = matrixFrom(c["predictions"]);
        const Matrix got = model.predict(x);
        QCOMPARE(got.rows(), want.rows());
        QCOMPARE(got.cols(), want.cols());
        const float diff = (got - want).cwiseAbs().maxCoeff();
        QVERIFY2(diff < 1e-5f, qPrintable(QString("max |ours - Keras| = %1").arg(diff)));
    });
}

void TestKerasInterop::slotShapesAsKeras_data()
{
    QTest::addColumn<int>("optimizer");
    QTest::addColumn<QString>("suffix");
    const auto cases = optimizerCases();
    for (std::size_t i = 0; i < cases.size(); ++i)
        for (const char* suffix : {".keras", ".weights.h5", ".h5"})
            QTest::addRow("%s%s", cases[i].fixture + 4, suffix) << int(i) << QString(suffix);
}

void TestKerasInterop::slotShapesAsKeras()
{
    // Our file of the fixture's model and optimizer holds the slots Keras holds: same count, same
    // order, same shapes ([units] for a bias). Keras refuses the file otherwise.
    guarded([&] {
        QFETCH(int, optimizer);
        QFETCH(QString, suffix);
        const OptimizerCase oc = optimizerCases()[static_cast<std::size_t>(optimizer)];
        const auto model = ourModelLike(oc.fixture, oc.config);
        QTemporaryDir dir;
        const QString ours = dir.filePath("ours" + suffix);
        saveCheckpoint(ours.toStdString(), *model);
        exportForKeras(ours, std::string("ours_") + (oc.fixture + 4), *model, expected()["cases"][oc.fixture]["inputs"]);
        std::vector<std::vector<hsize_t>> want;
        for (const auto& s : expected()["cases"][oc.fixture]["optimizer"]["slot_shapes"])
            want.push_back(s.get<std::vector<hsize_t>>());
        const QString keras = QString::fromStdString(kFixtures + oc.fixture) + suffix;
        QCOMPARE(shapesText(slotShapesInFile(keras, dir)), shapesText(want)); // the fixture itself
        QCOMPARE(shapesText(slotShapesInFile(ours, dir)), shapesText(want));
        // And it reads back into a fresh model with the same state.
        Model fresh(model->network().spec(), model->compileConfig());
        loadIntoModel(readCheckpoint(ours.toStdString()), fresh, true);
        QCOMPARE(fresh.optimizer().state().slotValues.size(), want.size());
    });
}

void TestKerasInterop::refusesBranchingGraphs()
{
    // Keras 3 wrote fun_branching.keras: "a" feeds "b" and "c", which "join" concatenates.
    try {
        readCheckpoint(kFixtures + "fun_branching.keras");
        QFAIL("a branching Functional model was read");
    } catch (const IoError& e) {
        const QString message = e.what();
        QVERIFY2(message.contains("layer \"a\" has 2 outbound nodes (\"b\", \"c\")"), qPrintable(message));
        QVERIFY2(message.contains("only chains of layers are supported"), qPrintable(message));
    }
}

void TestKerasInterop::refusesBranchingKeras2Graphs()
{
    // tf.keras 2 spells inbound nodes [[["layer", node, tensor, {}]]].
    const json input = {{"class_name", "InputLayer"}, {"name", "in"},
                        {"config", {{"name", "in"}, {"batch_input_shape", {nullptr, 3}}}}, {"inbound_nodes", json::array()}};
    auto dense = [](const char* name, std::vector<std::string> from) {
        json node = json::array();
        for (const auto& f : from)
            node.push_back(json::array({f, 0, 0, json::object()}));
        return json{{"class_name", "Dense"}, {"name", name},
                    {"config", {{"name", name}, {"units", 2}, {"activation", "relu"}, {"use_bias", true}}},
                    {"inbound_nodes", json::array({node})}};
    };
    json chain = {{"class_name", "Functional"},
                  {"config", {{"name", "m"}, {"layers", {input, dense("d1", {"in"}), dense("d2", {"d1"})}},
                              {"input_layers", {{"in", 0, 0}}}, {"output_layers", {{"d2", 0, 0}}}}}};
    const ModelSpec spec = modelSpecFromJson(chain);
    QCOMPARE(spec.inputDim, 3);
    QCOMPARE(spec.layers.size(), std::size_t(2));
    QCOMPARE(spec.layers[1].name, std::string("d2"));
    json joined = chain;
    joined["config"]["layers"].push_back(dense("j", {"d1", "d2"}));
    joined["config"]["output_layers"] = {{"j", 0, 0}};
    try {
        modelSpecFromJson(joined);
        QFAIL("a join was read");
    } catch (const std::invalid_argument& e) {
        QVERIFY2(QString(e.what()).contains("layer \"d1\" has 2 outbound nodes (\"d2\", \"j\")"), e.what());
    }
}

void TestKerasInterop::withoutOptimizerIsUncompiled_data()
{
    QTest::addColumn<QString>("suffix");
    QTest::newRow("keras") << ".keras";
    QTest::newRow("h5") << ".h5";
}

void TestKerasInterop::withoutOptimizerIsUncompiled()
{
    // include_optimizer false writes what Keras writes for a model without optimizer state: an
    // uncompiled model (compile_config {} / no training_config), which Keras loads without
    // building an optimizer and warning that it skips its variables.
    guarded([&] {
        QFETCH(QString, suffix);
        const OptimizerCase oc = optimizerCases()[2];
        const auto model = ourModelLike(oc.fixture, oc.config);
        QTemporaryDir dir;
        const QString path = dir.filePath("m" + suffix);
        SaveOptions options;
        options.includeOptimizer = false;
        saveCheckpoint(path.toStdString(), *model, options);
        exportForKeras(path, "ours_no_optimizer", *model, expected()["cases"][oc.fixture]["inputs"]);
        const LoadedCheckpoint ck = readCheckpoint(path.toStdString());
        QVERIFY(!ck.compile);
        QVERIFY(!ck.optimizer);
        if (suffix == ".keras") {
            extractEntry(path, "config.json", dir.filePath("config.json"));
            std::ifstream in(dir.filePath("config.json").toStdString());
            const json config = json::parse(in);
            QCOMPARE(config.value("compile_config", json()).dump(), std::string("{}"));
            QVERIFY(slotShapesInFile(path, dir).empty());
        }
    });
}


void TestKerasInterop::normalizationAsKeras_data()
{
    QTest::addColumn<QString>("suffix");
    for (const char* suffix : {".keras", ".weights.h5", ".h5"})
        QTest::newRow(suffix + 1) << QString(suffix);
}

void TestKerasInterop::normalizationAsKeras()
{
    // A model that standardises (data.standardize) is saved with a leading Normalization layer
    // laid out as Keras 3.16 lays out an adapt()ed one (seq_norm_adam, written by Keras):
    // layers/normalization/vars 0 mean [4], 1 variance [4], 2 count (int32 scalar) - or, in a
    // legacy .h5, the first layer of model_weights with weights mean, variance, count. It reads
    // back with the same statistics and predicts the same from raw inputs.
    guarded([&] {
        QFETCH(QString, suffix);
        const auto model = ourModelLike("seq_norm_adam", OptimizerConfig::defaultsFor("adam"));
        QVERIFY(model->network().spec().normalization);
        QTemporaryDir dir;
        const QString ours = dir.filePath("ours" + suffix);
        saveCheckpoint(ours.toStdString(), *model);
        exportForKeras(ours, "ours_norm", *model, expected()["cases"]["seq_norm_adam"]["inputs"]);

        QString h5 = ours;
        if (suffix == ".keras") {
            h5 = dir.filePath("extracted.weights.h5");
            extractEntry(ours, "model.weights.h5", h5);
        }
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
        const hid_t file = H5Fopen(h5.toLocal8Bit().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
        QVERIFY(file >= 0);
        const std::string base = suffix == ".h5" ? "model_weights/normalization/normalization/" : "layers/normalization/vars/";
        const std::vector<std::string> names = suffix == ".h5" ? std::vector<std::string>{"mean:0", "variance:0", "count:0"}
                                                               : std::vector<std::string>{"0", "1", "2"};
        for (std::size_t i = 0; i < names.size(); ++i) {
            const hid_t set = H5Dopen2(file, (base + names[i]).c_str(), H5P_DEFAULT);
            QVERIFY2(set >= 0, (base + names[i]).c_str());
            const hid_t space = H5Dget_space(set);
            const hid_t type = H5Dget_type(set);
            QCOMPARE(H5Sget_simple_extent_ndims(space), i < 2 ? 1 : 0);
            QCOMPARE(H5Tget_class(type), i < 2 ? H5T_FLOAT : H5T_INTEGER);
            H5Tclose(type);
            H5Sclose(space);
            H5Dclose(set);
        }
        H5Fclose(file);

        const LoadedCheckpoint back = readCheckpoint(ours.toStdString());
        QVERIFY(back.normalization);
        QCOMPARE(back.normalization->mean, model->network().spec().normalization->mean);
        QCOMPARE(back.normalization->variance, model->network().spec().normalization->variance);
        Model fresh(model->network().spec(), model->compileConfig());
        loadIntoModel(back, fresh, true);
        const Matrix x = matrixFrom(expected()["cases"]["seq_norm_adam"]["inputs"]);
        QCOMPARE((fresh.predict(x) - model->predict(x)).cwiseAbs().maxCoeff(), 0.0f);
    });
}


void TestKerasInterop::convnetFilesAsKeras_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("suffix");
    for (const char* fixture : {"conv_pool_adam", "conv_gap_rmsprop_momentum"})
        for (const char* suffix : {".keras", ".weights.h5", ".h5"})
            QTest::addRow("%s%s", fixture, suffix) << QString(fixture) << QString(suffix);
}

void TestKerasInterop::convnetFilesAsKeras()
{
    // Issue 17: our file of a Keras convnet, trained a few steps by us (BatchNormalization's
    // moving statistics move), has Keras' variables (conv kernels (kh, kw, in, out), the four
    // BatchNormalization variables), Keras' optimizer slots (none for the moving statistics)
    // and reads back to the same weights and predictions.
    guarded([&] {
        QFETCH(QString, fixture);
        QFETCH(QString, suffix);
        const std::string name = fixture.toStdString();
        const json& c = expected()["cases"][name];
        const LoadedCheckpoint keras = readCheckpoint(kFixtures + name + ".keras");
        const auto model = ourModelLike(name, keras.compile->optimizer);
        QTemporaryDir dir;
        const QString ours = dir.filePath("ours" + suffix);
        saveCheckpoint(ours.toStdString(), *model);
        const LoadedCheckpoint back = readCheckpoint(ours.toStdString());
        std::vector<std::vector<std::int64_t>> shapes;
        for (const auto& s : c["weight_shapes"])
            shapes.push_back(s.get<std::vector<std::int64_t>>());
        QCOMPARE(back.variableShapes, shapes);
        std::vector<std::vector<hsize_t>> slots;
        for (const auto& s : c["optimizer"]["slot_shapes"])
            slots.push_back(s.get<std::vector<hsize_t>>());
        QCOMPARE(shapesText(slotShapesInFile(ours, dir)), shapesText(slots));
        QCOMPARE(shapesText(slotShapesInFile(QString::fromStdString(kFixtures + name) + suffix, dir)), shapesText(slots));
        Model fresh(model->network().spec(), model->compileConfig());
        loadIntoModel(back, fresh, true);
        const auto a = model->network().variables();
        const auto b = std::as_const(fresh).network().variables();
        for (std::size_t i = 0; i < a.size(); ++i)
            QVERIFY2(*a[i] == *b[i], qPrintable(QString("variable %1 differs after the round trip").arg(i)));
        const Matrix x = matrixFrom(c["inputs"]);
        QVERIFY(fresh.predict(x) == model->predict(x));
        QCOMPARE(fresh.optimizer().state().slotValues.size(), slots.size());
        // For load_ours_in_keras.py: Keras cannot predict conv layers without jax, so it compares
        // model.weights with ours.
        const QString exportDir = qEnvironmentVariable("CKLAB_KERAS_EXPORT");
        if (!exportDir.isEmpty()) {
            QDir().mkpath(exportDir);
            const QString base = exportDir + "/ours_" + fixture;
            QFile::remove(base + suffix);
            QFile::copy(ours, base + suffix);
            json weights = json::array();
            for (const Matrix* v : a)
                weights.push_back(std::vector<float>(v->data(), v->data() + v->size()));
            std::ofstream((base + ".json").toStdString()) << json{{"inputs", c["inputs"]}, {"weights", weights}}.dump();
        }
    });
}

QTEST_APPLESS_MAIN(TestKerasInterop)
#include "TestKerasInterop.moc"
