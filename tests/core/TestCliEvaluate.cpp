// checkpointlab-cli evaluate end to end: a real short run writes the checkpoints, the real binary
// evaluates them; its matrix must equal the in-process core evaluation of the same file.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/project/CheckpointEvaluation.h"
#include "core/project/ProjectJson.h"
#include "tests/support/CliProcess.h"

using namespace cklab;
using namespace cklab::test;
using nlohmann::json;

namespace {

// Iris (three named species), a fifth held out: 30 validation samples.
const char* kIrisProject = R"({
  "format_version": 1,
  "name": "iris evaluate",
  "model": {"input_dim": 0, "layers": [{"type": "dense", "units": 8, "activation": "relu"},
                                       {"type": "dense", "units": 3, "activation": "softmax"}]},
  "data": {"source": "iris", "validation_split": 0.2, "batch_size": 16, "standardize": true},
  "training": {"epochs": 6, "seed": 3, "loss": "categorical_crossentropy", "metrics": ["accuracy"],
               "optimizer": {"type": "adam", "learning_rate": 0.02}},
  "checkpoints": [
    {"name": "weights", "filepath": "ck/last.weights.h5", "save_weights_only": true},
    {"name": "full", "filepath": "ck/last.keras"}
  ],
  "output_dir": "."
})";

const char* kNoValidation = R"({
  "format_version": 1,
  "model": {"input_dim": 3, "layers": [{"type": "dense", "units": 2, "activation": "softmax"}]},
  "data": {"source": "generator", "generator": "uniform", "samples": 20, "features": 3, "classes": 2},
  "training": {"epochs": 1},
  "checkpoints": [{"name": "w", "filepath": "w.weights.h5", "save_weights_only": true}],
  "output_dir": "."
})";

long long sum(const json& matrix)
{
    long long total = 0;
    for (const auto& row : matrix)
        for (const auto& v : row)
            total += v.get<long long>();
    return total;
}

} // namespace

class TestCliEvaluate : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        writeFile(m_dir.filePath("iris.json"), kIrisProject);
        const auto r = runCli({"run", "iris.json", "--quiet"}, m_dir.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(QFile::exists(m_dir.filePath("ck/last.weights.h5")));
        QVERIFY(QFile::exists(m_dir.filePath("ck/last.keras")));
    }

    void jsonEqualsCoreEvaluation()
    {
        const auto r = runCli({"evaluate", "--project", "iris.json", "--weights", "ck/last.weights.h5", "--json"},
                              m_dir.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const json j = json::parse(r.out.toStdString());
        QCOMPARE(j["data"], json("validation"));
        QCOMPARE(j["samples"], json(30));
        QCOMPARE(j["format"], json("weights.h5"));
        QCOMPARE(j["class_names"], json::array({"setosa", "versicolor", "virginica"}));
        QCOMPARE(sum(j["confusion_matrix"]), 30LL);

        CheckpointEvaluationRequest request;
        request.checkpoint = m_dir.filePath("ck/last.weights.h5").toStdString();
        RunOptions options;
        options.baseDir = m_dir.path().toStdString();
        const CheckpointEvaluation core =
            evaluateCheckpointFile(loadProjectFile(m_dir.filePath("iris.json").toStdString()), request, options);
        QCOMPARE(j["confusion_matrix"], json(core.evaluation.confusion));
        QCOMPARE(j["accuracy"].get<double>(), core.evaluation.accuracy);
        QVERIFY(std::abs(j["loss"].get<double>() - core.evaluation.logs.at("loss")) < 1e-12);
        QCOMPARE(j["misclassified"].size(), core.evaluation.misclassified.size());
        QCOMPARE(j["per_class"].size(), std::size_t(3));
        QCOMPARE(j["per_class"][0]["support"].get<long long>(), core.evaluation.perClass[0].support);
    }

    void fullModelAndTrainingData()
    {
        const auto w = runCli({"evaluate", "--project", "iris.json", "--weights", "ck/last.weights.h5", "--json"},
                              m_dir.path());
        const auto m = runCli({"evaluate", "--project", "iris.json", "--model", "ck/last.keras", "--json"}, m_dir.path());
        QVERIFY2(m.exitCode == 0, qPrintable(m.err));
        const json jw = json::parse(w.out.toStdString());
        const json jm = json::parse(m.out.toStdString());
        QCOMPARE(jm["format"], json("keras"));
        QCOMPARE(jm["confusion_matrix"], jw["confusion_matrix"]); // same weights, same data

        const auto t = runCli({"evaluate", "--project", "iris.json", "--model", "ck/last.keras", "--data", "train",
                               "--json"}, m_dir.path());
        QVERIFY2(t.exitCode == 0, qPrintable(t.err));
        const json jt = json::parse(t.out.toStdString());
        QCOMPARE(jt["data"], json("training"));
        QCOMPARE(jt["samples"], json(120));
        QCOMPARE(sum(jt["confusion_matrix"]), 120LL);
    }

    void textTableIsAligned()
    {
        const auto r = runCli({"evaluate", "--project", "iris.json", "--weights", "ck/last.weights.h5"}, m_dir.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList lines = r.out.split('\n');
        QVERIFY2(lines.first().contains("on the validation data, 30 samples"), qPrintable(r.out));
        QVERIFY(lines.filter(QRegularExpression("^accuracy: \\d")).size() == 1);
        const int header = int(lines.indexOf(QRegularExpression("^true \\\\ predicted +setosa +versicolor +virginica$")));
        QVERIFY2(header > 0, qPrintable(r.out));
        // Three rows named by species; every number ends in the column of its header's name.
        for (int i = 1; i <= 3; ++i) {
            const QString& row = lines[header + i];
            QCOMPARE(row.size(), lines[header].size());
            QVERIFY2(row.startsWith(QStringList{"setosa", "versicolor", "virginica"}[i - 1]), qPrintable(row));
        }
        QVERIFY(lines.filter(QRegularExpression("^class +support +predicted +recall +precision$")).size() == 1);
    }

    void errorsNameTheFile()
    {
        const auto missing = runCli({"evaluate", "--project", "iris.json", "--weights", "ck/nope.weights.h5"},
                                    m_dir.path());
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains("ck/nope.weights.h5: no such file"), qPrintable(missing.err));

        const auto weightsOnly = runCli({"evaluate", "--project", "iris.json", "--model", "ck/last.weights.h5"},
                                        m_dir.path());
        QCOMPARE(weightsOnly.exitCode, 2);
        QVERIFY2(weightsOnly.err.contains("last.weights.h5: holds weights only"), qPrintable(weightsOnly.err));

        writeFile(m_dir.filePath("bad.keras"), "not a zip");
        const auto corrupt = runCli({"evaluate", "--project", "iris.json", "--model", "bad.keras"}, m_dir.path());
        QCOMPARE(corrupt.exitCode, 1);
        QVERIFY2(corrupt.err.contains("bad.keras"), qPrintable(corrupt.err));

        const auto noProject = runCli({"evaluate", "--weights", "ck/last.weights.h5"}, m_dir.path());
        QCOMPARE(noProject.exitCode, 2);
        QVERIFY2(noProject.err.contains("--project"), qPrintable(noProject.err));

        const auto badData = runCli({"evaluate", "--project", "iris.json", "--weights", "ck/last.weights.h5",
                                     "--data", "test"}, m_dir.path());
        QCOMPARE(badData.exitCode, 2);
    }

    void validationAskedButAbsent()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath("p.json"), kNoValidation);
        QCOMPARE(runCli({"run", "p.json", "--quiet"}, dir.path()).exitCode, 0);
        const auto dflt = runCli({"evaluate", "--project", "p.json", "--weights", "w.weights.h5", "--json"}, dir.path());
        QVERIFY2(dflt.exitCode == 0, qPrintable(dflt.err));
        const json j = json::parse(dflt.out.toStdString());
        QCOMPARE(j["data"], json("training"));
        QCOMPARE(j["class_names"], json::array({"class 0", "class 1"})); // as the generator names them
        const auto asked = runCli({"evaluate", "--project", "p.json", "--weights", "w.weights.h5", "--data",
                                   "validation"}, dir.path());
        QCOMPARE(asked.exitCode, 2);
        QVERIFY2(asked.err.contains("no validation data"), qPrintable(asked.err));
    }
};

QTEST_GUILESS_MAIN(TestCliEvaluate)
#include "TestCliEvaluate.moc"
