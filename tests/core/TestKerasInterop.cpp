// Files written by real Keras (tests/data/keras, made by write_fixtures.py there) are read by our
// readers and predict what Keras predicted.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/base/Errors.h"
#include "core/io/CheckpointFile.h"
#include "core/io/KerasConfig.h"
#include "core/train/Model.h"

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
    void refusesBranchingGraphs();
    void refusesBranchingKeras2Graphs();
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

QTEST_APPLESS_MAIN(TestKerasInterop)
#include "TestKerasInterop.moc"
