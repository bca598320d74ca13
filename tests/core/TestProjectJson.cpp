// Project <-> JSON: round trip of every field, defaults, and the exact problem texts of bad input.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/base/Errors.h"
#include "core/io/AtomicFile.h"
#include "core/project/EventJson.h"
#include "core/project/ProjectJson.h"
#include "core/project/ProjectValidation.h"
#include "core/project/ShippedExamples.h"

using namespace cklab;
using nlohmann::json;

namespace {

/// A project in which every field differs from its default.
Project everyFieldSet()
{
    Project p;
    p.name = "all fields";
    p.model.name = "mlp";
    p.model.inputDim = 4;
    LayerSpec dense;
    dense.units = 7;
    dense.activation = Activation::Tanh;
    dense.useBias = false;
    dense.name = "hidden";
    LayerSpec dropout;
    dropout.kind = LayerSpec::Kind::Dropout;
    dropout.rate = 0.25f;
    dropout.name = "drop";
    LayerSpec out;
    out.units = 3;
    out.activation = Activation::Softmax;
    p.model.layers = {dense, dropout, out};
    auto& d = p.data;
    d.source = "csv";
    d.generator = "blobs";
    d.samples = 321;
    d.features = 4;
    d.classes = 3;
    d.noise = 0.3f;
    d.path = "data/train.csv";
    d.labelColumn = "species";
    d.xDataset = "features";
    d.yDataset = "labels";
    d.validationPath = "data/val.csv";
    d.validationSplit = 0.0;
    d.batchSize = 0;
    d.shuffle = false;
    d.standardize = true;
    auto& t = p.training;
    t.epochs = 17;
    t.seed = 18446744073709551615ULL; // the largest seed must survive JSON
    t.compile.loss = LossKind::SparseCategoricalCrossentropy;
    t.compile.metrics = {"accuracy", "mae"};
    t.compile.optimizer.type = "rmsprop";
    t.compile.optimizer.learningRate = 0.0123f;
    t.compile.optimizer.beta1 = 0.8f;
    t.compile.optimizer.beta2 = 0.95f;
    t.compile.optimizer.epsilon = 1e-6f;
    t.compile.optimizer.momentum = 0.5f;
    t.compile.optimizer.nesterov = true;
    t.compile.optimizer.rho = 0.7f;
    t.compile.optimizer.weightDecay = 0.01f;
    t.terminateOnNaN = false;
    t.earlyStopping = {true, "val_accuracy", 0.01, 3, 1, "max", 0.5, true, 2};
    t.csvLogger = {true, "log.csv", ";", true};
    t.backup = {true, "bk", "7", false};
    CheckpointConfig a;
    a.name = "best";
    a.filepath = "ck/{epoch:02d}-{val_loss:.3f}.weights.h5";
    a.monitor = "val_accuracy";
    a.verbose = 2;
    a.saveBestOnly = true;
    a.saveWeightsOnly = true;
    a.mode = "max";
    a.saveFreq = "epoch";
    a.initialValueThreshold = 0.75;
    a.maxToKeep = 4;
    a.saveLast = true;
    a.continueOnError = true;
    a.includeOptimizer = false;
    CheckpointConfig b;
    b.name = "batches";
    b.filepath = "b/e{epoch}-b{batch}.keras";
    b.saveFreq = "25";
    CheckpointConfig c;
    c.name = "every";
    c.filepath = "e.h5";
    c.saveFreq = "batch";
    p.checkpoints = {a, b, c};
    p.outputDir = "out/run1";
    return p;
}

QStringList problemsOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const ConfigError& e) {
        QStringList out;
        for (const auto& p : e.problems())
            out << QString::fromStdString(p);
        return out;
    }
    return {};
}

const char* kBase = R"({
  "format_version": 1,
  "model": {"layers": [{"type": "dense", "units": 2, "activation": "softmax"}]},
  "data": {"source": "generator", "generator": "uniform", "samples": 20, "features": 3, "classes": 2,
           "batch_size": "full"},
  "training": {"epochs": 2, "loss": "categorical_crossentropy", "metrics": ["accuracy"]},
  "checkpoints": [{"name": "a", "filepath": "a.keras", "monitor": "loss", "save_best_only": true},
                  {"name": "b", "filepath": "b-{epoch}.keras"}]
})";

std::string patched(const char* patch)
{
    json base = json::parse(kBase);
    base.merge_patch(json::parse(patch));
    return base.dump(2);
}

} // namespace

class TestProjectJson : public QObject {
    Q_OBJECT

private slots:
    void roundTripOfEveryField()
    {
        const Project p = everyFieldSet();
        const json j = projectToJson(p);
        std::vector<std::string> problems;
        const Project q = projectFromJson(j, problems);
        QVERIFY2(problems.empty(), problems.empty() ? "" : problems.front().c_str());

        QCOMPARE(q.name, p.name);
        QCOMPARE(q.model.name, p.model.name);
        QCOMPARE(q.model.inputDim, 4);
        QCOMPARE(q.model.layers.size(), std::size_t(3));
        QCOMPARE(q.model.layers[0].units, 7);
        QVERIFY(q.model.layers[0].activation == Activation::Tanh);
        QCOMPARE(q.model.layers[0].useBias, false);
        QCOMPARE(q.model.layers[0].name, std::string("hidden"));
        QVERIFY(q.model.layers[1].kind == LayerSpec::Kind::Dropout);
        QCOMPARE(q.model.layers[1].rate, 0.25f);
        QCOMPARE(q.model.layers[1].name, std::string("drop"));
        QVERIFY(q.model.layers[2].name.empty());
        QCOMPARE(q.data.source, p.data.source);
        QCOMPARE(q.data.generator, p.data.generator);
        QCOMPARE(q.data.samples, 321);
        QCOMPARE(q.data.features, 4);
        QCOMPARE(q.data.classes, 3);
        QCOMPARE(q.data.noise, 0.3f);
        QCOMPARE(q.data.path, p.data.path);
        QCOMPARE(q.data.labelColumn, p.data.labelColumn);
        QCOMPARE(q.data.xDataset, p.data.xDataset);
        QCOMPARE(q.data.yDataset, p.data.yDataset);
        QCOMPARE(q.data.validationPath, p.data.validationPath);
        QCOMPARE(q.data.batchSize, 0);
        QCOMPARE(j["data"]["batch_size"], json("full"));
        QCOMPARE(q.data.shuffle, false);
        QCOMPARE(q.data.standardize, true);
        const auto& t = q.training;
        QCOMPARE(t.epochs, 17);
        QCOMPARE(t.seed, p.training.seed);
        QVERIFY(t.compile.loss == LossKind::SparseCategoricalCrossentropy);
        QVERIFY(t.compile.metrics == p.training.compile.metrics);
        const auto& o = t.compile.optimizer;
        QCOMPARE(o.type, std::string("rmsprop"));
        QCOMPARE(o.learningRate, 0.0123f);
        QCOMPARE(o.beta1, 0.8f);
        QCOMPARE(o.beta2, 0.95f);
        QCOMPARE(o.epsilon, 1e-6f);
        QCOMPARE(o.momentum, 0.5f);
        QCOMPARE(o.nesterov, true);
        QCOMPARE(o.rho, 0.7f);
        QCOMPARE(o.weightDecay, 0.01f);
        // floats are written as their shortest decimal, not as the widened double
        QCOMPARE(j["training"]["optimizer"]["learning_rate"].dump(), std::string("0.0123"));
        QCOMPARE(t.terminateOnNaN, false);
        const auto& e = t.earlyStopping;
        QVERIFY(e.enabled && e.monitor == "val_accuracy" && e.minDelta == 0.01 && e.patience == 3 && e.verbose == 1);
        QVERIFY(e.mode == "max" && e.baseline == 0.5 && e.restoreBestWeights && e.startFromEpoch == 2);
        QVERIFY(t.csvLogger.enabled && t.csvLogger.filename == "log.csv" && t.csvLogger.separator == ";" &&
                t.csvLogger.append);
        QVERIFY(t.backup.enabled && t.backup.backupDir == "bk" && t.backup.saveFreq == "7" && !t.backup.deleteCheckpoint);
        QCOMPARE(j["training"]["backup"]["save_freq"], json(7));
        QCOMPARE(q.checkpoints.size(), std::size_t(3));
        const auto& a = q.checkpoints[0];
        QCOMPARE(a.name, std::string("best"));
        QCOMPARE(a.filepath, p.checkpoints[0].filepath);
        QCOMPARE(a.monitor, std::string("val_accuracy"));
        QCOMPARE(a.verbose, 2);
        QVERIFY(a.saveBestOnly && a.saveWeightsOnly && a.mode == "max" && a.saveFreq == "epoch");
        QCOMPARE(a.initialValueThreshold, std::optional<double>(0.75));
        QCOMPARE(a.maxToKeep, std::optional<int>(4));
        QVERIFY(a.saveLast && a.continueOnError && !a.includeOptimizer);
        QVERIFY(q.checkpoints[1].includeOptimizer); // the default
        QCOMPARE(q.checkpoints[1].saveFreq, std::string("25"));
        QCOMPARE(j["checkpoints"][1]["save_freq"], json(25));
        QVERIFY(!q.checkpoints[1].initialValueThreshold && !q.checkpoints[1].maxToKeep);
        QCOMPARE(j["checkpoints"][1]["max_to_keep"], json(nullptr));
        QCOMPARE(q.checkpoints[2].saveFreq, std::string("batch"));
        QCOMPARE(q.outputDir, std::string("out/run1"));
        // and the JSON of the re-read project is the same JSON
        QCOMPARE(projectToJson(q), j);
    }

    void saveAndLoadFile()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("p.json").toStdString();
        Project p;
        p.model.layers.resize(1);
        p.model.layers[0].units = 2;
        p.model.layers[0].activation = Activation::Softmax;
        p.name = "saved";
        saveProjectFile(path, p);
        const Project q = loadProjectFile(path);
        QCOMPARE(q.name, std::string("saved"));
        QCOMPARE(projectToText(q), projectToText(p));
        QCOMPARE(QString::fromStdString(readTextFile(path)), QString::fromStdString(projectToText(p)));
    }

    /// The save is AtomicFile's (issue 18): a fault at any step up to the rename throws an
    /// IoError naming the file, keeps the previous file byte for byte and leaves no temp file.
    /// The old temp+rename copy ignored the injector, so "after" overwrote "before".
    void failedSaveKeepsPreviousFile_data()
    {
        QTest::addColumn<int>("step");
        QTest::newRow("write") << int(AtomicStep::Write);
        QTest::newRow("fsync") << int(AtomicStep::Fsync);
        QTest::newRow("rename") << int(AtomicStep::Rename);
    }
    void failedSaveKeepsPreviousFile()
    {
        QFETCH(int, step);
        struct InjectorReset {
            ~InjectorReset() { setFaultInjector(nullptr); }
        } reset;
        QTemporaryDir dir;
        const std::string path = dir.filePath("p.json").toStdString();
        Project before;
        before.model.layers.resize(1);
        before.model.layers[0].units = 2;
        before.model.layers[0].activation = Activation::Softmax;
        before.name = "before";
        saveProjectFile(path, before);
        const std::string saved = readTextFile(path);
        Project after = before;
        after.name = "after";
        setFaultInjector([step](AtomicStep s, const std::filesystem::path&) { return int(s) == step; });
        QString what;
        try {
            saveProjectFile(path, after);
        } catch (const IoError& e) {
            what = e.what();
        }
        setFaultInjector(nullptr);
        QVERIFY2(what.startsWith(QString::fromStdString(path + ": ")), qPrintable("no IoError naming the file: " + what));
        QCOMPARE(readTextFile(path), saved);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"p.json"});
        // Without the fault the same save goes through.
        saveProjectFile(path, after);
        QCOMPARE(loadProjectFile(path).name, std::string("after"));
    }

    void missingFileIsIoError()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("nope.json").toStdString();
        try {
            loadProjectFile(path);
            QFAIL("no exception");
        } catch (const IoError& e) {
            QCOMPARE(QString(e.what()), QString::fromStdString(path + ": " + std::strerror(ENOENT)));
        }
    }

    void defaultsOfAMinimalProject()
    {
        const Project p = parseProjectText(R"({"format_version": 1,
            "model": {"layers": [{"type": "dense", "units": 2, "activation": "softmax"}]},
            "training": {"optimizer": {"type": "sgd"}}})",
                                           "min.json");
        const Project defaults;
        QCOMPARE(p.name, defaults.name);
        QCOMPARE(p.model.inputDim, 0);
        QVERIFY(p.model.layers[0].useBias);
        QCOMPARE(p.data.batchSize, DataConfig{}.batchSize);
        QCOMPARE(p.training.epochs, TrainingConfig{}.epochs);
        QCOMPARE(p.outputDir, defaults.outputDir);
        QVERIFY(p.checkpoints.empty());
        // Keras' SGD default learning rate (0.01), not Adam's
        QCOMPARE(p.training.compile.optimizer.learningRate, 0.01f);
        QCOMPARE(p.training.compile.optimizer.type, std::string("sgd"));
    }

    void malformedJsonNamesLineAndColumn()
    {
        // line 3 is `  "model": }`: the '}' is the 12th character of the line.
        const auto problems = problemsOf([] { parseProjectText("{\n  \"format_version\": 1,\n  \"model\": }\n", "p.json"); });
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems[0].startsWith("p.json: malformed JSON at line 3, column 12: syntax error"), qPrintable(problems[0]));
    }

    void numberOverflowIsMalformedJson()
    {
        // A fuzz finding: nlohmann throws out_of_range (not parse_error) for a number beyond double.
        const auto problems = problemsOf([] { parseProjectText("-5e1615", "p.json"); });
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems[0], QString("p.json: malformed JSON: number overflow parsing '-5e1615'"));
    }

    // Issue 16 items 11, 12 and 6, handled for every reader by core/base/JsonText.
    void byteOrderMarkIsSkipped()
    {
        const Project p = parseProjectText("\xEF\xBB\xBF" + std::string(kBase), "p.json");
        QCOMPARE(p.checkpoints.size(), std::size_t(2));
    }

    void duplicateKeyIsAnError()
    {
        // Used to be read silently, the last one winning: 20 epochs where the file also says 2.
        std::string text = kBase;
        text.replace(text.find("\"epochs\": 2"), 11, "\"epochs\": 2, \"epochs\": 20");
        QCOMPARE(problemsOf([&] { parseProjectText(text, "p.json"); }),
                 QStringList{"p.json: training.epochs: duplicate key \"epochs\" at line 6, column 29 (first at line 6, "
                             "column 16); a key may appear once per object"});
        text = kBase;
        text.replace(text.find("{\"name\": \"b\", "), 14, "{\"name\": \"b\", \"name\": \"c\", ");
        QCOMPARE(problemsOf([&] { parseProjectText(text, "p.json"); }),
                 QStringList{"p.json: checkpoints[1].name: duplicate key \"name\" at line 8, column 33 (first at line 8, "
                             "column 20); a key may appear once per object"});
    }

    void deepNestingIsAnErrorNotACrash()
    {
        // 100 000 brackets overflowed the stack of the reader (issue 16 item 6).
        for (const std::string& deep : {std::string(100000, '[') + std::string(100000, ']'),
                                        "{\"model\": " + std::string(100000, '{') + std::string(100000, '}') + "}"}) {
            const auto problems = problemsOf([&] { parseProjectText(deep, "p.json"); });
            QCOMPARE(problems.size(), 1);
            QVERIFY2(problems[0].startsWith("p.json: nested deeper than 64 levels of arrays and objects at line 1, column "),
                     qPrintable(problems[0]));
        }
    }

    void nonFiniteNumbersAreRefusedInProjects()
    {
        // The reader reads Python's NaN token (for histories); a project's numbers must still be finite.
        std::string text = patched(R"({"training": {"optimizer": {"learning_rate": 12345.5}}})");
        text.replace(text.find("12345.5"), 7, "NaN");
        const auto problems = problemsOf([&] { parseProjectText(text, "p.json"); });
        QVERIFY2(problems.contains("p.json: training.optimizer.learning_rate: must be a finite number, got NaN"),
                 qPrintable(problems.join('\n')));
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("patch");
        QTest::addColumn<QString>("expected");
        QTest::newRow("wrong type") << R"({"training": {"epochs": "ten"}})"
                                    << R"(p.json: training.epochs: must be an integer, got "ten")";
        QTest::newRow("unknown key, close") << R"({"training": {"optimzer": {}}})"
                                            << R"(p.json: training.optimzer: unknown key; did you mean "optimizer"?)";
        QTest::newRow("unknown key, far")
            << R"({"colour": "red"})"
            << "p.json: colour: unknown key; valid keys: format_version, name, model, data, training, checkpoints, output_dir";
        QTest::newRow("save_freq negative")
            << R"({"checkpoints": [{"name": "a", "filepath": "a.keras"}, {"name": "b", "filepath": "b.keras", "save_freq": -3}]})"
            << R"(p.json: checkpoints[1].save_freq: must be "epoch", "batch" or a positive integer, got -3)";
        QTest::newRow("save_freq word")
            << R"({"checkpoints": [{"name": "a", "filepath": "a.keras", "save_freq": "hourly"}]})"
            << R"(p.json: checkpoints[0].save_freq: must be "epoch", "batch" or a positive integer, got "hourly")";
        QTest::newRow("save_freq type")
            << R"({"checkpoints": [{"name": "a", "filepath": "a.keras", "save_freq": true}]})"
            << R"(p.json: checkpoints[0].save_freq: must be "epoch", "batch" or a positive integer, got true)";
        QTest::newRow("batch_size 0") << R"({"data": {"batch_size": 0}})"
                                      << R"(p.json: data.batch_size: must be "full" or a positive integer, got 0)";
        QTest::newRow("bool type") << R"({"data": {"shuffle": "yes"}})"
                                   << R"(p.json: data.shuffle: must be true or false, got "yes")";
        QTest::newRow("format version") << R"({"format_version": 2})"
                                        << "p.json: format_version: must be 1 (the only version this program reads), got 2";
        QTest::newRow("layer type") << R"({"model": {"layers": [{"type": "conv", "units": 2}]}})"
                                    << R"(p.json: model.layers[0].type: must be one of "dense", "dropout", "conv2d", "max_pooling2d", )"
                                       R"("average_pooling2d", "global_average_pooling2d", "flatten", "reshape", )"
                                       R"("batch_normalization", got "conv")";
        QTest::newRow("dropout has no units")
            << R"({"model": {"layers": [{"type": "dense", "units": 2}, {"type": "dropout", "units": 3}]}})"
            << "p.json: model.layers[1].units: not used by a dropout layer";
        QTest::newRow("units 0 (ModelSpec rule)") << R"({"model": {"layers": [{"type": "dense", "units": 0}]}})"
                                                  << "p.json: model.layers[0].units: must be a positive integer, got 0";
        QTest::newRow("unknown metric (CompileConfig rule)")
            << R"({"training": {"metrics": ["accuracy", "acc"]}})"
            << "p.json: training.metrics[1]: must be one of accuracy, mse, mae, got 'acc'";
        QTest::newRow("validation split (DataConfig rule)") << R"({"data": {"validation_split": 1.5}})"
                                                           << "p.json: data.validation_split: must be in [0, 1), got 1.5";
        QTest::newRow("weights-only suffix (CheckpointConfig rule)")
            << R"({"checkpoints": [{"name": "a", "filepath": "best.h5", "save_weights_only": true}]})"
            << "p.json: checkpoints[0].filepath: When using `save_weights_only=True` in `ModelCheckpoint`, the filepath "
               "provided must end in `.weights.h5` (Keras weights format). Received: filepath=best.h5";
        QTest::newRow("monitor without validation data")
            << R"({"checkpoints": [{"name": "a", "filepath": "a.keras", "monitor": "val_loss", "save_best_only": true}]})"
            << "p.json: checkpoints[0].monitor: 'val_loss' is not in this run's epoch-level logs, so no checkpoint would "
               "ever be saved (available: epoch, loss, accuracy); this run has no validation data (set "
               "data.validation_split or data.validation_path)";
        QTest::newRow("val key at batch level")
            << R"({"data": {"validation_split": 0.2}, "checkpoints": [{"name": "a", "filepath": "m-{val_loss:.2f}.keras", "save_freq": 2}]})"
            << "p.json: checkpoints[0].filepath: uses {val_loss}, which this run's batch-level logs will not contain "
               "(available: epoch, batch, loss, accuracy)";
        QTest::newRow("duplicate names")
            << R"({"checkpoints": [{"name": "a", "filepath": "a.keras"}, {"name": "a", "filepath": "b.keras"}]})"
            << R"(p.json: checkpoints[1].name: "a" is already the name of checkpoints[0]; names must be unique)";
        QTest::newRow("null threshold ok, string not")
            << R"({"checkpoints": [{"name": "a", "filepath": "a.keras", "initial_value_threshold": "low"}]})"
            << R"(p.json: checkpoints[0].initial_value_threshold: must be a number or null, got "low")";
        QTest::newRow("max_to_keep 0 (CheckpointConfig rule)")
            << R"({"checkpoints": [{"name": "a", "filepath": "a.keras", "max_to_keep": 0}]})"
            << "p.json: checkpoints[0].max_to_keep: max_to_keep must be at least 1 (leave it unset to keep every file). "
               "Received: max_to_keep=0";
        QTest::newRow("optimizer type with suggestion")
            << R"({"training": {"optimizer": {"type": "adan"}}})"
            << R"(p.json: training.optimizer.type: must be one of "sgd", "adam", "adamw", "rmsprop", got "adan" (did you mean "adam"?))";
        QTest::newRow("backup save_freq (BackupAndRestore rule)")
            << R"({"training": {"backup": {"enabled": true, "save_freq": 0}}})"
            << "p.json: training.backup.save_freq: BackupAndRestore: save_freq must be 'epoch' or a positive integer "
               "number of batches. Received: save_freq=0";
        QTest::newRow("learning rate (OptimizerConfig rule)")
            << R"({"training": {"optimizer": {"learning_rate": -1}}})"
            << "p.json: training.optimizer.learning_rate: must be > 0, got -1";
    }

    void badInput()
    {
        QFETCH(QString, patch);
        QFETCH(QString, expected);
        const std::string text = patched(patch.toUtf8().constData());
        const auto problems = problemsOf([&] { parseProjectText(text, "p.json"); });
        QVERIFY2(problems.contains(expected), qPrintable("got:\n" + problems.join('\n')));
    }

    void everyProblemAtOnce()
    {
        const std::string text = patched(R"({"training": {"epochs": "ten", "seed": -1},
            "data": {"batch_size": "half"},
            "checkpoints": [{"name": "a", "filepath": "a.keras", "save_freq": 0, "verbos": 1}]})");
        const auto problems = problemsOf([&] { parseProjectText(text, "p.json"); });
        QCOMPARE(problems.size(), 5);
        QVERIFY(problems.contains(R"(p.json: training.epochs: must be an integer, got "ten")"));
        QVERIFY(problems.contains("p.json: training.seed: must be a non-negative integer, got -1"));
        QVERIFY(problems.contains(R"(p.json: data.batch_size: must be "full" or a positive integer, got "half")"));
        QVERIFY(problems.contains(R"(p.json: checkpoints[0].verbos: unknown key; did you mean "verbose"?)"));
        QVERIFY(problems.contains(R"(p.json: checkpoints[0].save_freq: must be "epoch", "batch" or a positive integer, got 0)"));
    }

    void shippedExamplesMatchFiles()
    {
        QCOMPARE(shippedExamples().size(), std::size_t(6));
        for (const auto& example : shippedExamples()) {
            const std::string path = std::string(CKLAB_SOURCE_DIR) + "/resources/examples/" + std::string(example.fileName);
            QCOMPARE(QString::fromStdString(readTextFile(path)), QString::fromStdString(std::string(example.json)));
            // and every shipped project is valid
            const auto problems = problemsOf([&] { parseProjectText(std::string(example.json), path); });
            QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
        }
        QVERIFY(shippedExample(0) == nullptr);
        QVERIFY(shippedExample(4) == nullptr);
        const Project ex1 = parseProjectText(std::string(shippedExample(1)->json), "ex1");
        QCOMPARE(ex1.checkpoints.size(), std::size_t(1));
        QCOMPARE(ex1.checkpoints[0].filepath, std::string("model_checkpoint_ex1/best.weights.h5"));
        QVERIFY(ex1.checkpoints[0].saveBestOnly && ex1.checkpoints[0].saveWeightsOnly);
        QCOMPARE(ex1.checkpoints[0].monitor, std::string("loss"));
        QCOMPARE(ex1.checkpoints[0].mode, std::string("min"));
        QCOMPARE(ex1.data.batchSize, 0);
        QCOMPARE(ex1.training.epochs, 10);
        const Project ex2 = parseProjectText(std::string(shippedExample(2)->json), "ex2");
        QCOMPARE(ex2.checkpoints[0].monitor, std::string("val_accuracy"));
        QVERIFY(ex2.data.validationSplit > 0.0);
        const Project ex3 = parseProjectText(std::string(shippedExample(3)->json), "ex3");
        QCOMPARE(ex3.checkpoints[0].saveFreq, std::string("batch"));
        QVERIFY(ex3.checkpoints[0].filepath.find("{batch") != std::string::npos);
    }

    void checkpointEventJson()
    {
        CheckpointEvent e;
        e.policy = "best";
        e.epoch = 2;
        e.monitor = "val_loss";
        e.value = 0.25;
        e.bestBefore = std::numeric_limits<double>::infinity();
        e.action = CheckpointAction::Save;
        e.reason = CheckpointReason::Improved;
        e.path = "best.keras";
        const json j = checkpointEventToJson(e);
        QCOMPARE(j["batch"], json(nullptr));
        QCOMPARE(j["best_before"], json("inf"));
        QCOMPARE(j["value"], json(0.25));
        QCOMPARE(j["action"], json("save"));
        QCOMPARE(j["message"], json(nullptr));
        e.batch = 4;
        e.value.reset();
        const json k = checkpointEventToJson(e);
        QCOMPARE(k["batch"], json(4));
        QCOMPARE(k["value"], json(nullptr));
        QCOMPARE(checkpointEventLineJson(e)["event"], json("checkpoint"));
    }
};

QTEST_GUILESS_MAIN(TestProjectJson)
#include "TestProjectJson.moc"
