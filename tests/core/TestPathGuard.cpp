// Path safety of checkpoint templates (issue 8, docs/checkpoint-semantics.md "Paths"):
// no accidental escape from the output directory, absolute paths only when typed, and file
// names from odd metric values (nan, inf, -inf, negative) valid on Linux, macOS and Windows.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/base/Errors.h"
#include "core/checkpoint/PathGuard.h"
#include "core/train/PathTemplate.h"
#include "core/project/ProjectJson.h"
#include "core/project/ProjectRun.h"

using namespace cklab;
namespace fs = std::filesystem;

namespace {

class Recorder : public RunObserver {
public:
    void checkpointEvent(const CheckpointEvent& e) override { events.push_back(e); }
    std::vector<CheckpointEvent> events;
};

Project oneEpochProject(const std::string& filepath)
{
    nlohmann::json j = nlohmann::json::parse(R"({
      "format_version": 1,
      "model": {"input_dim": 3, "layers": [{"type": "dense", "units": 2, "activation": "softmax"}]},
      "data": {"source": "generator", "generator": "uniform", "samples": 20, "features": 3, "classes": 2},
      "training": {"epochs": 1, "seed": 3, "loss": "categorical_crossentropy"},
      "checkpoints": [{"name": "p", "filepath": "", "save_weights_only": true}],
      "output_dir": "."
    })");
    j["checkpoints"][0]["filepath"] = filepath;
    return parseProject(j);
}

} // namespace

class TestPathGuard : public QObject {
    Q_OBJECT

private slots:
    void relativeAndAbsolute_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("problem");
        QTest::newRow("plain") << "m.keras" << true << "";
        QTest::newRow("subdir") << "ckpt/e01/m.weights.h5" << true << "";
        QTest::newRow("dot") << "./m.keras" << true << "";
        QTest::newRow("dotdot inside") << "a/../m.keras" << true << "";
        QTest::newRow("dotdot inside deep") << "a/b/../../m.keras" << true << "";
        QTest::newRow("leading dotdot") << "../m.keras" << false << "leaves the output directory";
        QTest::newRow("climbs above") << "a/../../m.keras" << false << "leaves the output directory";
        QTest::newRow("dotdot only") << ".." << false << "leaves the output directory";
        QTest::newRow("absolute") << "/tmp/elsewhere/m.keras" << true << "";
        QTest::newRow("absolute with dotdot") << "/tmp/a/../m.keras" << true << "";
        QTest::newRow("empty") << "" << false << "empty";
    }
    void relativeAndAbsolute()
    {
        QFETCH(QString, path);
        QFETCH(bool, ok);
        QFETCH(QString, problem);
        const auto result = checkpointPathProblem("/run/out", path.toStdString());
        QCOMPARE(!result.has_value(), ok);
        if (!ok) {
            QVERIFY2(QString::fromStdString(*result).contains(problem), result->c_str());
            QVERIFY_THROWS_EXCEPTION(IoError, guardCheckpointPath("/run/out", path.toStdString()));
        } else {
            const fs::path resolved = guardCheckpointPath("/run/out", path.toStdString());
            if (path.startsWith('/'))
                QCOMPARE(QString::fromStdString(resolved.string()), path); // written as typed
            else
                QCOMPARE(QString::fromStdString(resolved.string()), "/run/out/" + path);
        }
    }

    void portableNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("problem"); // empty: portable
        QTest::newRow("nan") << "m-nan.weights.h5" << "";
        QTest::newRow("inf") << "m-inf.keras" << "";
        QTest::newRow("-inf") << "m--inf.keras" << "";
        QTest::newRow("negative") << "-0.50.keras" << "";
        QTest::newRow("exponent") << "m-1e-05.keras" << "";
        QTest::newRow("percent comma plus") << "m-+1,234.5%.keras" << "";
        QTest::newRow("colon") << "m:1.keras" << "':'";
        QTest::newRow("star") << "m*.keras" << "'*'";
        QTest::newRow("question") << "m?.keras" << "'?'";
        QTest::newRow("quote") << "m\".keras" << "'\"'";
        QTest::newRow("less") << "m<.keras" << "'<'";
        QTest::newRow("greater") << "m>.keras" << "'>'";
        QTest::newRow("pipe") << "m|.keras" << "'|'";
        QTest::newRow("backslash") << "a\\b.keras" << "'\\'";
        QTest::newRow("control") << "m\t.keras" << "control character";
        QTest::newRow("trailing dot") << "dir." << "ends with a dot";
        QTest::newRow("trailing space") << "dir " << "ends with a dot or a space";
        QTest::newRow("device NUL") << "nul.keras" << "reserved device name";
        QTest::newRow("device COM1") << "COM1.weights.h5" << "reserved device name";
        QTest::newRow("not a device: nulx") << "nulx.keras" << "";
        QTest::newRow("not a device: COM0") << "COM0.keras" << "";
    }
    void portableNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, problem);
        const auto result = portableNameProblem(name.toStdString());
        QCOMPARE(result.has_value(), !problem.isEmpty());
        if (result)
            QVERIFY2(QString::fromStdString(*result).contains(problem), result->c_str());
        // The same rule applies to every component of a checkpoint path.
        QCOMPARE(checkpointPathProblem("/o", "sub/" + name.toStdString()).has_value(), !problem.isEmpty());
    }

    /// Odd metric values format (Python's rules, worked out by hand) into portable names.
    void formattedOddValuesArePortable_data()
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        QTest::addColumn<QString>("templ");
        QTest::addColumn<double>("loss");
        QTest::addColumn<QString>("expected");
        QTest::newRow("nan repr") << "m-{loss}.keras" << nan << "m-nan.keras";
        QTest::newRow("nan .2f") << "m-{loss:.2f}.keras" << nan << "m-nan.keras";
        QTest::newRow("inf") << "m-{loss}.keras" << inf << "m-inf.keras";
        QTest::newRow("-inf .3f") << "m-{loss:.3f}.keras" << -inf << "m--inf.keras";
        QTest::newRow("negative .2f") << "m-{loss:.2f}.keras" << -0.5 << "m--0.50.keras";
        QTest::newRow("small repr") << "m-{loss}.keras" << 1e-5 << "m-1e-05.keras";
        QTest::newRow("+e") << "m-{loss:+.1e}.keras" << -1234.5 << "m--1.2e+03.keras";
        QTest::newRow("in a directory") << "e{epoch:02d}-{loss:.1f}/w.weights.h5" << -inf << "e01--inf/w.weights.h5";
    }
    void formattedOddValuesArePortable()
    {
        QFETCH(QString, templ);
        QFETCH(double, loss);
        QFETCH(QString, expected);
        const std::string path = formatPath(templ.toStdString(), 0, std::nullopt, Logs{{"loss", loss}});
        QCOMPARE(QString::fromStdString(path), expected);
        QVERIFY(!checkpointPathProblem("/o", path).has_value());
    }

    /// A fill character in a format spec is the only way a value can carry a bad character;
    /// it comes from the template, so it is rejected, not rewritten.
    void fillCharacterFromTemplateIsRejected()
    {
        const std::string path = formatPath("m-{loss:*>6.2f}.keras", 0, std::nullopt, Logs{{"loss", 0.5}});
        QCOMPARE(QString::fromStdString(path), QString("m-**0.50.keras"));
        QVERIFY(checkpointPathProblem("/o", path).has_value());
    }

    /// Through a real run: an escaping template is an error event and nothing is written outside;
    /// an absolute template writes there and the event shows the absolute path.
    void runRejectsEscapeAndKeepsAbsolute()
    {
        QTemporaryDir tmp;
        const fs::path root(tmp.path().toStdString());
        const fs::path out = root / "out";
        {
            RunOptions options;
            options.outputDir = out;
            ProjectRun run(oneEpochProject("../escaped.weights.h5"), options);
            Recorder rec;
            run.setObserver(&rec);
            run.run();
            QCOMPARE(int(rec.events.size()), 1);
            QCOMPARE(rec.events[0].action, CheckpointAction::Error);
            QCOMPARE(QString::fromStdString(rec.events[0].path), QString("../escaped.weights.h5"));
            QVERIFY2(QString::fromStdString(rec.events[0].message).contains("leaves the output directory"),
                     rec.events[0].message.c_str());
            QVERIFY(!fs::exists(root / "escaped.weights.h5"));
        }
        {
            const std::string absolute = (root / "abs" / "m.weights.h5").string();
            RunOptions options;
            options.outputDir = out;
            ProjectRun run(oneEpochProject(absolute), options);
            Recorder rec;
            run.setObserver(&rec);
            run.run();
            QCOMPARE(int(rec.events.size()), 1);
            QCOMPARE(rec.events[0].action, CheckpointAction::Save);
            QCOMPARE(rec.events[0].path, absolute);
            QVERIFY(fs::is_regular_file(absolute));
            QVERIFY(!fs::exists(out / "abs"));
        }
    }
};

QTEST_GUILESS_MAIN(TestPathGuard)
#include "TestPathGuard.moc"
