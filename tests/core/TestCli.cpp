// checkpointlab-cli end to end: the real binary, run through QProcess (tests/support/CliProcess.h).
// The --events file: TestCliEvents.
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#if __has_include(<hdf5.h>)
#include <hdf5.h>
#else
#include <hdf5/serial/hdf5.h> // Debian: the serial flavour's headers are not on the default path
#endif
#include <nlohmann/json.hpp>

#include "core/base/Errors.h"
#include "core/data/CsvReader.h"
#include "core/io/CheckpointFile.h"
#include "core/nn/Parallelism.h"
#include "core/nn/Rng.h"
#include "core/model/Model.h"
#include "tests/support/CliProcess.h"
#include "tests/support/ConvSpecs.h"

using namespace cklab;
using namespace cklab::test;
using nlohmann::json;

namespace {

/// A small compiled model with deterministic weights.
Model smallModel()
{
    ModelSpec spec;
    spec.inputDim = 3;
    LayerSpec hidden;
    hidden.units = 4;
    hidden.activation = Activation::Relu;
    LayerSpec out;
    out.units = 2;
    out.activation = Activation::Softmax;
    spec.layers = {hidden, out};
    Model model(spec, CompileConfig{});
    Rng rng(123);
    model.initialize(rng);
    return model;
}

const char* kSmallProject = R"({
  "format_version": 1,
  "model": {"input_dim": 3, "layers": [{"type": "dense", "units": 4, "activation": "relu"},
                                       {"type": "dense", "units": 2, "activation": "softmax"}]},
  "data": {"source": "generator", "generator": "uniform", "samples": 20, "features": 3, "classes": 2}
})";

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private slots:
    void runExampleOne()
    {
        QTemporaryDir dir;
        const auto r = runCli({"run", "--example", "1", "--events", "ev.jsonl", "--summary", "s.json"}, dir.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(QFile::exists(dir.filePath("model_checkpoint_ex1/best.weights.h5")));

        // Keras-style console: header per epoch, one progress line (100 samples, full batch = 1 step).
        const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.first(), QString("Epoch 1/10"));
        QVERIFY(lines.contains("Epoch 10/10"));
        const QRegularExpression progress(R"(^1/1 - \d+s \d+(ms|us)/step - accuracy: \d\.\d{4} - loss: \d+\.\d{4}$)");
        QCOMPARE(lines.filter(progress).size(), 10);
        QVERIFY2(lines[2].startsWith("Epoch 1: loss improved from inf to "), qPrintable(lines[2]));
        QVERIFY(lines[2].endsWith(", saving model to model_checkpoint_ex1/best.weights.h5"));

        const auto events = jsonLines(readAll(dir.filePath("ev.jsonl")));
        QVERIFY(events.size() >= 22);
        QCOMPARE(events.front()["event"], json("train_begin"));
        QCOMPARE(events.front()["steps_per_epoch"], json(1));
        QCOMPARE(events.back()["event"], json("train_end"));
        QCOMPARE(events.back()["reason"], json("completed"));
        int epochEnds = 0, saves = 0, decisions = 0;
        double lastSaved = std::numeric_limits<double>::infinity();
        std::map<int, double> lossOfEpoch;
        for (const auto& e : events) {
            if (e["event"] == "epoch_end") {
                QCOMPARE(e["epoch"].get<int>(), epochEnds);
                lossOfEpoch[epochEnds++] = e["logs"]["loss"].get<double>();
            }
            if (e["event"] == "checkpoint") {
                ++decisions;
                QCOMPARE(e["policy"], json("best_on_loss"));
                QCOMPARE(e["batch"], json(nullptr));
                if (e["action"] == "save") {
                    ++saves;
                    // best-only on loss, mode min: every save is a strict improvement
                    QVERIFY(e["value"].get<double>() < lastSaved);
                    lastSaved = e["value"].get<double>();
                    QCOMPARE(e["path"], json("model_checkpoint_ex1/best.weights.h5"));
                }
            }
        }
        QCOMPARE(epochEnds, 10);
        QCOMPARE(decisions, 10);
        for (const auto& e : events)
            QVERIFY2(e["event"] != "batch_end", "batch lines only with --events-batches");
        // the monitored value of each decision is that epoch's logged loss
        for (const auto& e : events)
            if (e["event"] == "checkpoint")
                QCOMPARE(e["value"].get<double>(), lossOfEpoch[e["epoch"].get<int>()]);

        const json summary = json::parse(readAll(dir.filePath("s.json")).toStdString());
        for (const char* key : {"samples_per_sec", "epochs", "steps", "n_saves", "ckpt_save_ms_median", "ckpt_save_ms_max",
                                "final_logs", "peak_rss_mb", "wall_s"})
            QVERIFY2(summary.contains(key), key);
        QCOMPARE(summary["epochs"], json(10));
        QCOMPARE(summary["steps"], json(10));
        QCOMPARE(summary["n_saves"].get<int>(), saves);
        QVERIFY(saves >= 1);
        QVERIFY(summary["ckpt_save_ms_max"].get<double>() >= summary["ckpt_save_ms_median"].get<double>());
        QVERIFY(summary["peak_rss_mb"].get<double>() > 1.0);
        QCOMPARE(summary["final_logs"]["loss"].get<double>(), lossOfEpoch[9]);
    }

    void runOverridesAndQuiet()
    {
        QTemporaryDir dir;
        const auto r = runCli({"run", "--example", "3", "--epochs", "2", "--quiet", "--out-dir", "out"}, dir.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        // 100 samples in batches of 25: 4 batches per epoch, one file per batch, {epoch}/{batch} 1-based
        const QStringList files = QDir(dir.filePath("out/model_checkpoint_ex3")).entryList(QDir::Files, QDir::Name);
        QCOMPARE(files.size(), 8);
        QCOMPARE(files.first(), QString("weights-e01-b01.weights.h5"));
        QCOMPARE(files.last(), QString("weights-e02-b04.weights.h5"));
    }

    // --threads reaches the engine (reported in the summary with the matrix-product ISA), and the
    // thread count does not change the result: products split rows/columns, never the sum order.
    void runThreadsIsReportedAndDeterministic()
    {
        QTemporaryDir dir;
        json summaries[2];
        for (int threads : {1, 2}) {
            const QString file = QString("s%1.json").arg(threads);
            const auto r = runCli({"run", "--example", "3", "--epochs", "2", "--quiet", "--out-dir", "out",
                                   "--threads", QString::number(threads), "--summary", file},
                                  dir.path());
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            summaries[threads - 1] = json::parse(readAll(dir.filePath(file)).toStdString());
        }
        QCOMPARE(summaries[0]["threads"].get<int>(), 1);
        QCOMPARE(summaries[1]["threads"].get<int>(), 2); // the product pool (or OpenMP) uses what was asked
        const std::string isa = summaries[0]["matmul_isa"].get<std::string>();
        QVERIFY2(isa == "baseline" || isa == "avx2" || isa == "avx512", isa.c_str());
        QCOMPARE(summaries[1]["final_logs"]["loss"].get<double>(), summaries[0]["final_logs"]["loss"].get<double>());
    }

    void replayConformance_data()
    {
        QTest::addColumn<QString>("historyName");
        QTest::addColumn<QByteArray>("history");
        QTest::addColumn<QByteArray>("policy");
        QTest::addColumn<QStringList>("expected"); // "action epoch batch path | message"

        QTest::newRow("row 3, csv") << "h.csv" << QByteArray("epoch,loss,val_loss\n0,1,0.5\n1,1,0.6\n2,1,0.4\n3,1,0.4\n")
                                    << QByteArray(R"({"name": "p", "filepath": "best.keras", "save_best_only": true})")
                                    << QStringList{
                                           "save 0 - best.keras | Epoch 1: val_loss improved from inf to 0.50000, saving model to best.keras",
                                           "skip 1 - best.keras | Epoch 2: val_loss did not improve from 0.50000",
                                           "save 2 - best.keras | Epoch 3: val_loss improved from 0.50000 to 0.40000, saving model to best.keras",
                                           "skip 3 - best.keras | Epoch 4: val_loss did not improve from 0.40000"};
        QTest::newRow("row 6, jsonl") << "h.jsonl"
                                      << QByteArray(R"({"hook":"epoch_begin","epoch":0}
{"hook":"batch_end","batch":0,"logs":{"loss":1}}
{"hook":"batch_end","batch":1,"logs":{"loss":1}}
{"hook":"batch_end","batch":2,"logs":{"loss":1}}
{"hook":"epoch_end","epoch":0,"logs":{"loss":1}}
{"hook":"epoch_begin","epoch":1}
{"hook":"batch_end","batch":0,"logs":{"loss":1}}
{"hook":"batch_end","batch":1,"logs":{"loss":1}}
{"hook":"batch_end","batch":2,"logs":{"loss":1}}
{"hook":"epoch_end","epoch":1,"logs":{"loss":1}}
{"hook":"train_end"}
)")
                                      << QByteArray(R"([{"name": "p", "filepath": "e{epoch}-b{batch}.keras", "save_freq": 2}])")
                                      << QStringList{"save 0 1 e1-b2.keras | Epoch 1: saving model to e1-b2.keras",
                                                     "save 1 0 e2-b1.keras | Epoch 2: saving model to e2-b1.keras",
                                                     "save 1 2 e2-b3.keras | Epoch 2: saving model to e2-b3.keras"};
        QTest::newRow("row 7, format error") << "h.jsonl"
                                             << QByteArray(R"({"hook":"batch_end","batch":0,"logs":{"loss":1}}
{"hook":"batch_end","batch":1,"logs":{"loss":1}}
)") << QByteArray(R"({"name": "p", "filepath": "m-{val_loss:.2f}.keras", "save_freq": 2})")
                                             << QStringList{"error 0 1 - | Failed to format this callback filepath: \"m-{val_loss:.2f}.keras\". Reason: 'val_loss'"};
        QTest::newRow("row 12, csv NA") << "h.csv" << QByteArray("epoch,loss,val_loss\n0,0.9,NA\n1,0.8,0.5\n")
                                        << QByteArray(R"({"name": "p", "filepath": "b.keras", "save_best_only": true})")
                                        << QStringList{"skip 0 - b.keras | Can save best model only with val_loss available, skipping.",
                                                       "save 1 - b.keras | Epoch 2: val_loss improved from inf to 0.50000, saving model to b.keras"};
        QTest::newRow("row 13") << "h.jsonl"
                                << QByteArray(R"({"hook":"batch_end","batch":0,"logs":{"loss":1}}
{"hook":"batch_end","batch":1,"logs":{"loss":1}}
{"hook":"epoch_end","epoch":0,"logs":{"loss":1}}
{"hook":"epoch_begin","epoch":1}
{"hook":"batch_end","batch":0,"logs":{"loss":1}}
{"hook":"batch_end","batch":1,"logs":{"loss":1}}
{"hook":"epoch_end","epoch":1,"logs":{"loss":1}}
{"hook":"epoch_begin","epoch":2}
{"hook":"batch_end","batch":0,"logs":{"loss":1}}
{"hook":"batch_end","batch":1,"logs":{"loss":1}}
{"hook":"epoch_end","epoch":2,"logs":{"loss":1}}
)") << QByteArray(R"({"name": "p", "filepath": "m-e{epoch}-b{batch}.keras", "save_freq": 4})")
                                << QStringList{"save 1 1 m-e2-b2.keras | Epoch 2: saving model to m-e2-b2.keras"};
        QTest::newRow("row 14") << "h.jsonl"
                                << QByteArray(R"({"hook":"batch_end","batch":0,"logs":{"loss":1.0}}
{"hook":"batch_end","batch":1,"logs":{"loss":0.9}}
{"hook":"batch_end","batch":2,"logs":{"loss":0.95}}
)") << QByteArray(R"({"name": "p", "filepath": "b.keras", "monitor": "loss", "save_freq": 1, "save_best_only": true})")
                                << QStringList{"save 0 0 b.keras | Epoch 1: loss improved from inf to 1.00000, saving model to b.keras",
                                               "save 0 1 b.keras | Epoch 1: loss improved from 1.00000 to 0.90000, saving model to b.keras",
                                               "skip 0 2 b.keras | Epoch 1: loss did not improve from 0.90000"};
        // Issue 14 / 16 item 11: Python's json.dumps writes bare NaN and Infinity, Windows tools a BOM.
        QTest::newRow("json.dumps NaN, BOM") << "h.jsonl"
                                             << QByteArray("\xEF\xBB\xBF" R"({"hook": "epoch_end", "epoch": 0, "logs": {"loss": 1.0, "val_loss": NaN}}
{"hook": "epoch_end", "epoch": 1, "logs": {"loss": 0.9, "val_loss": 0.5}}
{"hook": "epoch_end", "epoch": 2, "logs": {"loss": 0.8, "val_loss": Infinity}}
{"hook": "epoch_end", "epoch": 3, "logs": {"loss": 0.7, "val_loss": 0.25, "val_accuracy": -Infinity}}
)") << QByteArray(R"({"name": "p", "filepath": "best.keras", "save_best_only": true})")
                                             << QStringList{"skip 0 - best.keras | Epoch 1: val_loss did not improve from inf",
                                                            "save 1 - best.keras | Epoch 2: val_loss improved from inf to 0.50000, saving model to best.keras",
                                                            "skip 2 - best.keras | Epoch 3: val_loss did not improve from 0.50000",
                                                            "save 3 - best.keras | Epoch 4: val_loss improved from 0.50000 to 0.25000, saving model to best.keras"};
        QTest::newRow("csv, BOM") << "h.csv" << QByteArray("\xEF\xBB\xBF" "epoch,loss,val_loss\r\n0,1,0.5\r\n1,1,0.4\r\n")
                                  << QByteArray(R"({"name": "p", "filepath": "best.keras", "save_best_only": true})")
                                  << QStringList{"save 0 - best.keras | Epoch 1: val_loss improved from inf to 0.50000, saving model to best.keras",
                                                 "save 1 - best.keras | Epoch 2: val_loss improved from 0.50000 to 0.40000, saving model to best.keras"};
    }

    void replayConformance()
    {
        QFETCH(QString, historyName);
        QFETCH(QByteArray, history);
        QFETCH(QByteArray, policy);
        QFETCH(QStringList, expected);
        QTemporaryDir dir;
        writeFile(dir.filePath(historyName), history);
        writeFile(dir.filePath("policy.json"), policy);
        const auto r = runCli({"replay", "--history", historyName, "--policy", "policy.json"}, dir.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QStringList got;
        for (const auto& d : jsonLines(r.out)) {
            QCOMPARE(d["policy"], json("p"));
            for (const char* key : {"policy", "epoch", "batch", "action", "reason", "path", "monitor", "value", "best_before", "message"})
                QVERIFY2(d.contains(key), key);
            const auto text = [](const json& v) {
                return v.is_null() ? std::string("-") : v.is_string() ? v.get<std::string>() : v.dump();
            };
            got << QString::fromStdString(d["action"].get<std::string>() + " " + text(d["epoch"]) + " " + text(d["batch"]) +
                                          " " + text(d["path"]) + " | " + text(d["message"]));
        }
        QCOMPARE(got, expected);
        QVERIFY(QDir(dir.path()).entryList(QDir::Files).size() == 2); // replay writes no file
    }

    void replayRetentionAcrossPolicies()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath("h.csv"), "epoch,loss\n0,0.5\n1,0.4\n2,0.3\n");
        writeFile(dir.filePath("a.json"), R"([{"name": "keep1", "filepath": "e{epoch}.keras", "max_to_keep": 1},
                                              {"name": "all", "filepath": "f{epoch}.keras"}])");
        const auto r = runCli({"replay", "--history", "h.csv", "--policy", "a.json"}, dir.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        int deletes = 0, saves = 0;
        for (const auto& d : jsonLines(r.out)) {
            if (d["action"] == "delete") {
                ++deletes;
                QCOMPARE(d["policy"], json("keep1"));
            }
            saves += d["action"] == "save";
        }
        QCOMPARE(saves, 6);   // 3 epochs x 2 policies
        QCOMPARE(deletes, 2); // keep1 keeps only the newest of its three files
    }

    void inspectEachFormat_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        QTest::addColumn<bool>("hasArchitecture");
        QTest::addColumn<QString>("group"); // where the first Dense layer's variables live (file-formats.md)
        QTest::addColumn<QString>("kernel");
        QTest::addColumn<QString>("bias");
        QTest::newRow("weights.h5") << "m.weights.h5" << "format: weights.h5" << false << "layers/dense" << "vars/0" << "vars/1";
        QTest::newRow("keras") << "m.keras" << "format: keras" << true << "layers/dense" << "vars/0" << "vars/1";
        QTest::newRow("legacy h5") << "m.h5" << "format: h5" << true << "model_weights/dense/dense" << "kernel:0" << "bias:0";
    }

    void inspectKerasWrittenFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("optimizer");
        QTest::newRow("legacy h5, adam") << "seq_adam.h5" << "optimizer: adam, iterations 3, learning_rate 0.01, 10 slot";
        QTest::newRow("legacy h5, rmsprop") << "seq_rmsprop_momentum.h5" << "optimizer: rmsprop, iterations 3";
        QTest::newRow("keras, sgd") << "fun_sgd_momentum.keras" << "optimizer: sgd, iterations 3";
        QTest::newRow("legacy h5, uncompiled") << "fun_uncompiled.h5" << "optimizer: not stored";
    }

    void inspectKerasWrittenFiles()
    {
        // Files Keras 3 wrote (tests/data/keras): the optimizer state Keras stores is shown.
        QFETCH(QString, file);
        QFETCH(QString, optimizer);
        QTemporaryDir dir;
        const auto r = runCli({"inspect", QStringLiteral(CKLAB_SOURCE_DIR "/tests/data/keras/") + file}, dir.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(optimizer), qPrintable(r.out));
    }

    void inspectConvKernel_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("weights.h5") << "conv.weights.h5";
        QTest::newRow("keras") << "conv.keras";
        QTest::newRow("legacy h5") << "conv.h5";
    }

    void inspectConvKernel()
    {
        // A conv kernel (kh, kw, in, out) = (3, 2, 2, 5) is shown with Keras' 4-D shape and, per
        // filter, a kh x kw grid of input channel 0 - not as the flat [12, 5] the engine holds.
        QFETCH(QString, file);
        ModelSpec spec = testspecs::imageSpec({4, 4, 2});
        LayerSpec flatten;
        flatten.kind = LayerSpec::Kind::Flatten;
        spec.layers = {testspecs::conv(5, {3, 2}), flatten, testspecs::dense(2, Activation::Softmax)};
        Model model(spec, CompileConfig{});
        Rng rng(5);
        model.initialize(rng);
        Matrix& kernel = *model.network().variables()[0];
        QCOMPARE(kernel.rows(), Eigen::Index(12));
        for (Eigen::Index r = 0; r < kernel.rows(); ++r)
            for (Eigen::Index f = 0; f < kernel.cols(); ++f)
                kernel(r, f) = float(r) + 0.25f * float(f); // row r = (ky * kw + kx) * in + c
        QTemporaryDir dir;
        saveCheckpoint(dir.filePath(file).toStdString(), model);
        const auto r = runCli({"inspect", file}, dir.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QRegularExpression(" \\[3, 2, 2, 5\\]\n")), qPrintable(r.out));
        QVERIFY2(!r.out.contains("[12, 5]"), qPrintable(r.out));
        QVERIFY2(r.out.contains("    filter 1 of 5, input channel 0 of 2 (3 x 2):\n"
                                "         0.2500    2.2500\n"
                                "         4.2500    6.2500\n"
                                "         8.2500   10.2500\n"),
                 qPrintable(r.out));
        QVERIFY(r.out.contains("filter 3 of 5"));
        QVERIFY(!r.out.contains("filter 4 of 5"));
        QVERIFY(r.out.contains("    ... 1 more filter(s)\n"));
    }

    void inspectEachFormat()
    {
        QFETCH(QString, file);
        QFETCH(QString, format);
        QFETCH(bool, hasArchitecture);
        QFETCH(QString, group);
        QFETCH(QString, kernel);
        QFETCH(QString, bias);
        QTemporaryDir dir;
        const Model model = smallModel();
        saveCheckpoint(dir.filePath(file).toStdString(), model);
        const auto r = runCli({"inspect", file}, dir.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(format), qPrintable(r.out));
        // kernel [in, out] and bias [out] of both Dense layers, in Keras' group names
        const auto line = [&](const QString& path, const QString& shape) {
            return QRegularExpression("\\n  " + QRegularExpression::escape(path) + " +" + QRegularExpression::escape(shape) + "\\n");
        };
        QVERIFY2(r.out.contains(line(group + "/" + kernel, "[3, 4]")), qPrintable(r.out));
        QVERIFY(r.out.contains(line(group + "/" + bias, "[4]")));
        QVERIFY(r.out.contains(line(QString(group).replace("dense", "dense_1") + "/" + kernel, "[4, 2]")));
        QCOMPARE(r.out.contains("input_dim 3, 26 parameters"), hasArchitecture); // 3*4+4 + 4*2+2
    }

    void predictEqualsInProcess()
    {
        QTemporaryDir dir;
        const Model model = smallModel();
        saveCheckpoint(dir.filePath("m.keras").toStdString(), model);
        saveCheckpoint(dir.filePath("m.weights.h5").toStdString(), model);
        writeFile(dir.filePath("p.json"), kSmallProject);
        writeFile(dir.filePath("x.csv"), "a,b,c\n0.5,-1,2\n1.25,0,0.1\n-3,4,0.7\n");
        Matrix x(3, 3);
        x << 0.5f, -1.f, 2.f, 1.25f, 0.f, 0.1f, -3.f, 4.f, 0.7f;
        const Matrix expected = model.predict(x);

        const QList<QStringList> invocations{{"predict", "--model", "m.keras", "--input", "x.csv", "--output", "y.csv"},
                                             {"predict", "--weights", "m.weights.h5", "--project", "p.json", "--input",
                                              "x.csv", "--output", "y.csv"}};
        for (const auto& args : invocations) {
            QFile::remove(dir.filePath("y.csv"));
            const auto r = runCli(args, dir.path());
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            std::vector<std::string> header;
            const Matrix y = readFeatureCsv(dir.filePath("y.csv").toStdString(), 2, &header);
            QCOMPARE(header, (std::vector<std::string>{"output_0", "output_1"}));
            QCOMPARE(y.rows(), Eigen::Index(3));
            for (Eigen::Index i = 0; i < 3; ++i)
                for (Eigen::Index j = 0; j < 2; ++j)
                    QCOMPARE(y(i, j), expected(i, j)); // 9 significant digits: exact float
        }
    }

    void predictStandardizedModelEverywhere()
    {
        // data.standardize is saved as the model's Normalization layer (issue 15): every saved form
        // of the model predicts the same from raw inputs. Before, predict --model gave the
        // predictions of un-standardised inputs (here off by up to 0.5) and Keras would too.
        QTemporaryDir dir;
        QByteArray csv = "size,temp,label\n";
        for (int i = 0; i < 40; ++i)
            csv += QByteArray::number(150.0 + 7.0 * (i % 9) + 3.0 * (i % 2)) + "," + QByteArray::number(-4.0 + 0.05 * i)
                   + "," + QByteArray::number(i % 2) + "\n";
        writeFile(dir.filePath("d.csv"), csv);
        writeFile(dir.filePath("p.json"), R"({
  "format_version": 1,
  "model": {"layers": [{"type": "dense", "units": 6, "activation": "tanh"},
                       {"type": "dense", "units": 2, "activation": "softmax"}]},
  "data": {"source": "csv", "path": "d.csv", "standardize": true, "batch_size": 8},
  "training": {"epochs": 3, "optimizer": {"type": "adam", "learning_rate": 0.05}},
  "checkpoints": [{"name": "k", "filepath": "m.keras"}, {"name": "h", "filepath": "m.h5"},
                  {"name": "w", "filepath": "m.weights.h5"}],
  "output_dir": "."
})");
        const auto run = runCli({"run", "p.json", "--quiet"}, dir.path());
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        writeFile(dir.filePath("x.csv"), "size,temp\n150,-4\n171,-2.5\n205,-1\n");

        // A weights file as written before issue 15: no Normalization layer; the statistics
        // then come from the project's data, as they always did.
        const LoadedCheckpoint keras = readCheckpoint(dir.filePath("m.keras").toStdString());
        QVERIFY(keras.spec && keras.spec->normalization);
        QCOMPARE(keras.spec->normalization->mean.size(), std::size_t(2));
        ModelSpec plain = *keras.spec;
        plain.normalization.reset();
        Model old(plain, CompileConfig{});
        Model ours(*keras.spec, CompileConfig{});
        loadIntoModel(keras, ours, false);
        for (std::size_t i = 0; i < ours.network().variables().size(); ++i)
            *old.network().variables()[i] = *ours.network().variables()[i];
        saveCheckpoint(dir.filePath("old.weights.h5").toStdString(), old);

        Matrix x(3, 2);
        x << 150.f, -4.f, 171.f, -2.5f, 205.f, -1.f;
        const Matrix expected = ours.predict(x); // our reader's model of m.keras, from raw inputs
        QVERIFY((expected - old.predict(x)).cwiseAbs().maxCoeff() > 1e-3f); // standardisation matters here
        const QList<QStringList> invocations{
            {"predict", "--model", "m.keras"}, {"predict", "--model", "m.h5"},
            {"predict", "--weights", "m.weights.h5", "--project", "p.json"},
            {"predict", "--weights", "m.keras", "--project", "p.json"},
            {"predict", "--weights", "old.weights.h5", "--project", "p.json"}};
        for (QStringList args : invocations) {
            QFile::remove(dir.filePath("y.csv"));
            args << "--input" << "x.csv" << "--output" << "y.csv";
            const auto r = runCli(args, dir.path());
            QVERIFY2(r.exitCode == 0, qPrintable(args.join(' ') + ": " + r.err));
            const Matrix y = readFeatureCsv(dir.filePath("y.csv").toStdString(), 2);
            const float diff = (y - expected).cwiseAbs().maxCoeff();
            QVERIFY2(diff < 1e-6f, qPrintable(args.join(' ') + QString(": max diff %1").arg(diff)));
        }
        // A file that standardises does not silently load into a model that does not.
        try {
            loadIntoModel(keras, old, false);
            QFAIL("a standardising file loaded into a model without standardisation");
        } catch (const ConfigError& e) {
            QVERIFY2(QString(e.what()).contains("layers/normalization: the file standardises its inputs"), e.what());
        }
    }

    void resumeWithStandardization()
    {
        // BackupAndRestore with data.standardize: the backup holds the Normalization layer too,
        // and a resumed run ends bit-identical to a straight one.
        const QByteArray project = R"({
  "format_version": 1,
  "model": {"layers": [{"type": "dense", "units": 5, "activation": "relu"},
                       {"type": "dropout", "rate": 0.2},
                       {"type": "dense", "units": 3, "activation": "softmax"}]},
  "data": {"source": "generator", "generator": "blobs", "samples": 30, "features": 3, "classes": 3,
           "standardize": true, "batch_size": 8, "validation_split": 0.2},
  "training": {"epochs": 4, "backup": {"enabled": true, "delete_checkpoint": false}},
  "checkpoints": [{"name": "k", "filepath": "m.keras"}],
  "output_dir": "."
})";
        QTemporaryDir straight, resumed;
        writeFile(straight.filePath("p.json"), project);
        writeFile(resumed.filePath("p.json"), project);
        QCOMPARE(runCli({"run", "p.json", "--quiet"}, straight.path()).exitCode, 0);
        QCOMPARE(runCli({"run", "p.json", "--quiet", "--epochs", "2"}, resumed.path()).exitCode, 0);
        const LoadedCheckpoint backup = readCheckpoint(resumed.filePath("backup/backup.weights.h5").toStdString());
        QVERIFY(backup.normalization);
        const auto again = runCli({"run", "p.json"}, resumed.path());
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QVERIFY2(again.out.contains("backup.weights.h5: epoch 3, batch 0"), qPrintable(again.out)); // resumed
        const LoadedCheckpoint a = readCheckpoint(straight.filePath("m.keras").toStdString());
        const LoadedCheckpoint b = readCheckpoint(resumed.filePath("m.keras").toStdString());
        QVERIFY(a.normalization && b.normalization);
        QCOMPARE(b.normalization->mean, a.normalization->mean);
        QCOMPARE(b.normalization->variance, a.normalization->variance);
        QCOMPARE(b.variables.size(), a.variables.size());
        for (std::size_t i = 0; i < a.variables.size(); ++i)
            QVERIFY(a.variables[i] == b.variables[i]);
        QCOMPARE(b.optimizer->iterations, a.optimizer->iterations);

        // A backup written before issue 15 (no Normalization layer) resumes the same way: the
        // statistics come from the data, as they did.
        QTemporaryDir old;
        writeFile(old.filePath("p.json"), project);
        QCOMPARE(runCli({"run", "p.json", "--quiet", "--epochs", "2"}, old.path()).exitCode, 0);
        const std::string backupPath = old.filePath("backup/backup.weights.h5").toStdString();
        const hid_t file = H5Fopen(backupPath.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        QVERIFY(file >= 0);
        QVERIFY(H5Ldelete(file, "layers/normalization", H5P_DEFAULT) >= 0);
        H5Fclose(file);
        QVERIFY(!readCheckpoint(backupPath).normalization);
        const auto fromOld = runCli({"run", "p.json"}, old.path());
        QVERIFY2(fromOld.exitCode == 0, qPrintable(fromOld.err));
        QVERIFY2(fromOld.out.contains("backup.weights.h5: epoch 3, batch 0"), qPrintable(fromOld.out));
        const LoadedCheckpoint c = readCheckpoint(old.filePath("m.keras").toStdString());
        for (std::size_t i = 0; i < a.variables.size(); ++i)
            QVERIFY(a.variables[i] == c.variables[i]);
        QCOMPARE(c.normalization->mean, a.normalization->mean);
    }

    void runStartsFromKerasFile()
    {
        // model.from_file (issue 15): fine-tune a model Keras wrote (Normalization, Dense, Dropout,
        // no-bias Dense, Adam state after 3 steps) for 3 epochs with a checkpoint policy; the
        // saved .keras holds the file's architecture and statistics and the continued Adam state.
        QTemporaryDir dir;
        const QString fixture = QStringLiteral(CKLAB_SOURCE_DIR "/tests/data/keras/seq_norm_adam.keras");
        const auto project = [&](const QString& optimizer, const QString& layers) {
            return QStringLiteral(R"({
  "format_version": 1,
  "model": {"from_file": "%1"%3},
  "data": {"source": "generator", "generator": "blobs", "samples": 24, "features": 4, "classes": 3, "batch_size": 8},
  "training": {"epochs": 3, "loss": "categorical_crossentropy", "optimizer": {"type": "%2", "learning_rate": 0.001}},
  "checkpoints": [{"name": "every", "filepath": "tuned.keras"}, {"name": "w", "filepath": "tuned.weights.h5"}],
  "output_dir": "."
})").arg(fixture, optimizer, layers).toUtf8();
        };
        writeFile(dir.filePath("p.json"), project("adam", ""));
        const auto r = runCli({"run", "p.json"}, dir.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QVERIFY2(!r.out.contains("fresh optimizer state"), qPrintable(r.out));

        const LoadedCheckpoint keras = readCheckpoint(fixture.toStdString());
        const LoadedCheckpoint tuned = readCheckpoint(dir.filePath("tuned.keras").toStdString());
        QVERIFY(tuned.spec && tuned.spec->normalization);
        QCOMPARE(tuned.spec->layers.size(), keras.spec->layers.size());
        for (std::size_t i = 0; i < keras.spec->layers.size(); ++i) {
            QCOMPARE(tuned.spec->layers[i].units, keras.spec->layers[i].units);
            QCOMPARE(int(tuned.spec->layers[i].kind), int(keras.spec->layers[i].kind));
            QCOMPARE(tuned.spec->layers[i].useBias, keras.spec->layers[i].useBias);
        }
        QCOMPARE(tuned.spec->normalization->mean, keras.spec->normalization->mean);
        QCOMPARE(tuned.spec->normalization->variance, keras.spec->normalization->variance);
        QVERIFY(tuned.optimizer);
        QCOMPARE(tuned.optimizer->iterations, keras.optimizer->iterations + 9); // 3 epochs of 3 steps
        QCOMPARE(tuned.variables.size(), keras.variables.size());
        float moved = 0.0f;
        for (std::size_t i = 0; i < keras.variables.size(); ++i) {
            QCOMPARE(tuned.variables[i].rows(), keras.variables[i].rows());
            moved = std::max(moved, (tuned.variables[i] - keras.variables[i]).cwiseAbs().maxCoeff());
        }
        QVERIFY(moved > 0.0f && moved < 0.1f); // trained on, from the file's weights
        // The tuned file loads back and predicts what the weights file does with the same architecture.
        Model fromKeras(*tuned.spec, *tuned.compile);
        loadIntoModel(tuned, fromKeras, true);
        QCOMPARE(fromKeras.optimizer().iterations(), tuned.optimizer->iterations);

        // Our own file continues the same way: 3 more epochs from tuned.keras.
        QVERIFY(QFile::copy(dir.filePath("tuned.keras"), dir.filePath("ours.keras")));
        writeFile(dir.filePath("o.json"), project("adam", "").replace(fixture.toUtf8(), "ours.keras"));
        const auto ours = runCli({"run", "o.json"}, dir.path());
        QVERIFY2(ours.exitCode == 0, qPrintable(ours.err));
        QVERIFY2(!ours.out.contains("fresh optimizer state"), qPrintable(ours.out));
        QCOMPARE(readCheckpoint(dir.filePath("tuned.keras").toStdString()).optimizer->iterations,
                 keras.optimizer->iterations + 18);

        // Another optimizer: the file's state is not taken, and the run says so.
        writeFile(dir.filePath("p.json"), project("sgd", ""));
        const auto sgd = runCli({"run", "p.json"}, dir.path());
        QVERIFY2(sgd.exitCode == 0, qPrintable(sgd.err));
        QVERIFY2(sgd.out.contains("Warning: model.from_file: " + fixture
                                  + ": its optimizer state is adam's, the run uses sgd: the run starts with a fresh "
                                    "optimizer state"), qPrintable(sgd.out));
        QCOMPARE(readCheckpoint(dir.filePath("tuned.keras").toStdString()).optimizer->iterations, 9);

        // Layers that differ from the file's are named.
        writeFile(dir.filePath("p.json"),
                  project("adam", R"(, "layers": [{"type": "dense", "units": 7, "activation": "relu"}])"));
        const auto differ = runCli({"run", "p.json"}, dir.path());
        QCOMPARE(differ.exitCode, 2);
        QVERIFY2(differ.err.contains("model.from_file: " + fixture
                                     + ": layer 0 is Dense(6, relu) in the file, model.layers[0] is Dense(7, relu)"),
                 qPrintable(differ.err));

        // A weights file whose shapes are not the model's: the variable and both shapes.
        writeFile(dir.filePath("w.json"), QStringLiteral(R"({
  "format_version": 1,
  "model": {"from_file": "tuned.weights.h5", "layers": [
    {"type": "dense", "units": 7, "activation": "relu"}, {"type": "dropout", "rate": 0.25},
    {"type": "dense", "units": 5, "activation": "tanh", "use_bias": false}, {"type": "dense", "units": 3, "activation": "softmax"}]},
  "data": {"source": "generator", "generator": "blobs", "samples": 24, "features": 4, "classes": 3, "standardize": true},
  "training": {"epochs": 1}, "output_dir": "."
})").toUtf8());
        const auto shapes = runCli({"run", "w.json"}, dir.path());
        QCOMPARE(shapes.exitCode, 2);
        QVERIFY2(shapes.err.contains("model.from_file: " + dir.filePath("tuned.weights.h5")
                                     + ": layers/dense/vars/0: expected shape [4, 7], file has [4, 6]"),
                 qPrintable(shapes.err));

        // A missing file.
        writeFile(dir.filePath("m.json"), project("adam", "").replace(fixture.toUtf8(), "nope.keras"));
        const auto missing = runCli({"run", "m.json"}, dir.path());
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains("model.from_file: " + dir.filePath("nope.keras") + ": does not exist"),
                 qPrintable(missing.err));
    }

    void badInputs_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing project") << QStringList{"run", "nope.json"} << 2 << "error: nope.json: no such file";
        QTest::newRow("malformed json") << QStringList{"run", "malformed.json"} << 2
                                        << "error: malformed.json: malformed JSON at line 2, column 2: "; // the second '}' of "}}"
        QTest::newRow("unknown key") << QStringList{"run", "typo.json"} << 2
                                     << "error: typo.json: training.epocs: unknown key; did you mean \"epochs\"?";
        QTest::newRow("wrong type") << QStringList{"run", "type.json"} << 2
                                    << "error: type.json: training.epochs: must be an integer, got \"ten\"";
        QTest::newRow("missing data file") << QStringList{"run", "nodata.json"} << 1 << "missing.csv";
        // Issue 16, item 13: our words, not "filesystem error: cannot create directories: ... [path]".
        QTest::newRow("float out of range") << QStringList{"run", "huge.json"} << 2
                                            << "error: huge.json: training.optimizer.learning_rate: must be within ±3.4e38 (a 32-bit float), got 1e+300";
        QTest::newRow("output folder is a file") << QStringList{"run", "blocked.json"} << 1
                                                 << "/blocker/run: cannot create the output folder: Not a directory";
        QTest::newRow("example out of range") << QStringList{"run", "--example", "4"} << 2 << "--example";
        QTest::newRow("project and example") << QStringList{"run", "typo.json", "--example", "1"} << 2
                                             << "error: run: give either a PROJECT file or --example N";
        QTest::newRow("epochs 0") << QStringList{"run", "--example", "1", "--epochs", "0"} << 2 << "--epochs";
        QTest::newRow("threads 0") << QStringList{"run", "--example", "1", "--threads", "0"} << 2 << "--threads";
        QTest::newRow("no command") << QStringList{} << 2 << "subcommand";
        QTest::newRow("missing history") << QStringList{"replay", "--history", "none.csv", "--policy", "good.json"} << 2
                                         << "error: none.csv: no such file";
        QTest::newRow("unreadable history") << QStringList{"replay", "--history", "bad.csv", "--policy", "good.json"} << 2
                                            << "error: bad.csv:1: not a Keras CSVLogger history: the header must start with \"epoch\", got \"loss,acc\"";
        QTest::newRow("bad history line") << QStringList{"replay", "--history", "bad.jsonl", "--policy", "good.json"} << 2
                                          << "error: bad.jsonl:2: hook: must be one of";
        QTest::newRow("policy error") << QStringList{"replay", "--history", "good.csv", "--policy", "weights.json"} << 2
                                      << "error: weights.json: filepath: When using `save_weights_only=True` in `ModelCheckpoint`, "
                                         "the filepath provided must end in `.weights.h5` (Keras weights format). Received: filepath=w.h5";
        QTest::newRow("policy save_freq") << QStringList{"replay", "--history", "good.csv", "--policy", "freq.json"} << 2
                                          << "error: freq.json: [1].save_freq: must be \"epoch\", \"batch\" or a positive integer, got -3";
        // Issue 16 items 6 and 12: one JSON reader (core/base/JsonText) for project, policy and history files.
        QTest::newRow("policy duplicate key") << QStringList{"replay", "--history", "good.csv", "--policy", "dup.json"} << 2
                                              << "error: dup.json: [0].filepath: duplicate key \"filepath\" at line 1, "
                                                 "column 26 (first at line 1, column 3)";
        QTest::newRow("project duplicate key") << QStringList{"run", "dupproject.json"} << 2
                                               << "error: dupproject.json: training.epochs: duplicate key \"epochs\" at line 2, "
                                                  "column 28 (first at line 2, column 15)";
        QTest::newRow("history duplicate key") << QStringList{"replay", "--history", "dup.jsonl", "--policy", "good.json"}
                                               << 2
                                               << "error: dup.jsonl:2: logs.loss: duplicate key \"loss\" at column 50 "
                                                  "(first at column 39)";
        QTest::newRow("policy nested 100000 deep") << QStringList{"replay", "--history", "good.csv", "--policy", "deep.json"}
                                                   << 2 << "error: deep.json: nested deeper than 64 levels of arrays and objects "
                                                           "at line 1, column 65";
        QTest::newRow("history nested 100000 deep") << QStringList{"replay", "--history", "deep.jsonl", "--policy", "good.json"}
                                                    << 2 << "error: deep.jsonl:1: nested deeper than 64 levels of arrays and "
                                                            "objects at column 93";
        QTest::newRow("foreign file") << QStringList{"inspect", "foreign.keras"} << 1 << "foreign.keras";
        QTest::newRow("predict without model") << QStringList{"predict", "--input", "x.csv"} << 2
                                               << "error: predict: give either --model";
        QTest::newRow("weights without project") << QStringList{"predict", "--weights", "w.weights.h5", "--input", "x.csv"}
                                                 << 2 << "error: predict: --weights needs --project";
    }

    void badInputs()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QTemporaryDir dir;
        writeFile(dir.filePath("malformed.json"), "{\n}}\n");
        writeFile(dir.filePath("typo.json"), R"({"format_version": 1, "model": {"layers": [{"type": "dense", "units": 2}]},
                                                "training": {"epocs": 3}})");
        writeFile(dir.filePath("type.json"), R"({"format_version": 1, "model": {"layers": [{"type": "dense", "units": 2}]},
                                                "training": {"epochs": "ten"}})");
        writeFile(dir.filePath("nodata.json"), R"({"format_version": 1, "model": {"layers": [{"type": "dense", "units": 2}]},
                                                  "data": {"source": "csv", "path": "missing.csv"}})");
        writeFile(dir.filePath("huge.json"), R"({"format_version": 1, "model": {"layers": [{"type": "dense", "units": 2}]},
                                               "training": {"optimizer": {"type": "sgd", "learning_rate": 1e300}}})");
        writeFile(dir.filePath("blocker"), "a file where the output folder should be\n");
        writeFile(dir.filePath("blocked.json"), R"({"format_version": 1, "model": {"layers": [{"type": "dense", "units": 2}]},
                                                  "training": {"epochs": 1}, "output_dir": "blocker/run"})");
        writeFile(dir.filePath("good.csv"), "epoch,loss\n0,1\n");
        writeFile(dir.filePath("bad.csv"), "loss,acc\n1,2\n");
        writeFile(dir.filePath("bad.jsonl"), "{\"hook\":\"epoch_begin\",\"epoch\":0}\n{\"hook\":\"epoch_ending\",\"epoch\":0}\n");
        writeFile(dir.filePath("good.json"), R"({"filepath": "a.keras"})");
        writeFile(dir.filePath("weights.json"), R"({"filepath": "w.h5", "save_weights_only": true})");
        writeFile(dir.filePath("freq.json"), R"([{"filepath": "a.keras"}, {"filepath": "b.keras", "save_freq": -3}])");
        writeFile(dir.filePath("foreign.keras"), "this is not a zip archive\n");
        writeFile(dir.filePath("x.csv"), "1,2\n");
        writeFile(dir.filePath("dup.json"), R"([{"filepath": "a.keras", "filepath": "b.keras"}])");
        writeFile(dir.filePath("dupproject.json"), R"({"format_version": 1, "model": {"layers": [{"type": "dense", "units": 2}]},
 "training": {"epochs": 3, "epochs": 30}})");
        writeFile(dir.filePath("dup.jsonl"), "{\"hook\":\"epoch_begin\",\"epoch\":0}\n"
                                             "{\"hook\":\"epoch_end\",\"epoch\":0,\"logs\":{\"loss\":1.0,\"loss\":0.5}}\n");
        writeFile(dir.filePath("deep.json"), QByteArray(100000, '[') + QByteArray(100000, ']'));
        writeFile(dir.filePath("deep.jsonl"), "{\"hook\":\"train_begin\",\"logs\":" + QByteArray(100000, '[') +
                                                  QByteArray(100000, ']') + "}\n");
        const auto r = runCli(args, dir.path());
        QVERIFY2(r.exitCode == exitCode, qPrintable(QString("exit %1, stderr:\n%2").arg(r.exitCode).arg(r.err)));
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    void helpForEveryCommand_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("main") << QStringList{"--help"} << "replay";
        QTest::newRow("run") << QStringList{"run", "--help"} << "--events";
        QTest::newRow("run batches") << QStringList{"run", "--help"} << "--events-batches";
        QTest::newRow("replay") << QStringList{"replay", "--help"} << "--history";
        QTest::newRow("inspect") << QStringList{"inspect", "--help"} << "file";
        QTest::newRow("predict") << QStringList{"predict", "--help"} << "--weights";
    }

    void helpForEveryCommand()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        const auto r = runCli(args, dir.path());
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("Usage"));
        QVERIFY(r.out.contains(mentions));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "TestCli.moc"
