// Rules and deviations of spec checkpointing.md beyond the §9 rows: path templates, auto mode,
// validation texts, counting, retention, save_last, write failures, events, resume state.
// Core headers first: core/optim/Optimizer.h has a member named `slots`, a Qt keyword macro.
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/base/Errors.h"
#include "core/train/PathTemplate.h"
#include "core/io/CheckpointFile.h"
#include "core/model/Model.h"
#include "tests/support/CheckpointHarness.h"

#include <QtTest>

using namespace cklab;

namespace {

CheckpointConfig cfg(const std::string& filepath, const std::string& monitor = "val_loss", bool bestOnly = false,
                     const std::string& saveFreq = "epoch")
{
    CheckpointConfig c;
    c.filepath = filepath;
    c.monitor = monitor;
    c.saveBestOnly = bestOnly;
    c.saveFreq = saveFreq;
    c.verbose = 1;
    return c;
}

QStringList toList(const std::vector<std::string>& v)
{
    QStringList out;
    for (const auto& s : v)
        out << QString::fromStdString(s);
    return out;
}

QStringList toList(const std::set<std::string>& v)
{
    return toList(std::vector<std::string>(v.begin(), v.end()));
}

std::unique_ptr<Model> tinyModel()
{
    ModelSpec spec;
    spec.inputDim = 2;
    LayerSpec dense;
    dense.units = 2;
    dense.activation = Activation::Softmax;
    spec.layers.push_back(dense);
    return std::make_unique<Model>(spec, CompileConfig{});
}

// Keys of an event that must be identical between a live and a resumed/replayed run.
QString eventKey(const CheckpointEvent& e)
{
    return QString("%1|%2|%3|%4|%5|%6|%7|%8|%9")
        .arg(QString::fromStdString(e.policy))
        .arg(e.epoch)
        .arg(e.batch ? *e.batch : -1)
        .arg(e.value ? QString::number(*e.value, 'g', 17) : "none")
        .arg(e.bestBefore ? QString::number(*e.bestBefore, 'g', 17) : "none")
        .arg(QString::fromStdString(std::string(actionName(e.action))))
        .arg(QString::fromUtf8(reasonName(e.reason).data()))
        .arg(QString::fromStdString(e.path))
        .arg(QString::fromStdString(e.message));
}

} // namespace

class TestModelCheckpoint : public QObject {
    Q_OBJECT
private slots:
    void pathTemplate_data();
    void pathTemplate();
    void perSaveFieldsAndPreview();
    void autoMode_data();
    void autoMode();
    void unknownModeWarnsAndFallsBack();
    void explicitModeWins();
    void validation_data();
    void validation();
    void checkKeysReportsMissingKeys();
    void checkKeysFormatsTheTemplateBeforeTheRun();
    void thresholdEqualityMax();
    void nanAfterBestKeepsBest();
    void batchAliasWithoutEpochHooks();
    void intSaveFreqBestOnlyResetsOnDeclinedAttempt();
    void batchStringMeansOne();
    void formatErrorBeforeDecision();
    void maxToKeepOldest();
    void maxToKeepWorstByValue();
    void maxToKeepFixedPathNothingToDo();
    void saveLast_data();
    void saveLast();
    void noSaveAtTrainEndWithoutSaveLast();
    void writeFailureStopsTraining();
    void writeFailureContinueOnError();
    void eventsCarryFields();
    void verboseZeroPrintsOnlyWarnings();
    void stateRoundTripGivesSameEvents();
    void realFilesRow2AndRetention();
    void realFilesDirectoryPathIsAnError();
    void includeOptimizer_data();
    void includeOptimizer();
};

void TestModelCheckpoint::pathTemplate_data()
{
    QTest::addColumn<QString>("templ");
    QTest::addColumn<int>("batch");  // -1: epoch level
    QTest::addColumn<QString>("expected");
    // Expected strings computed with CPython's str.format (epoch 0 -> 1, batch index 11 -> 12).
    QTest::newRow("align") << "{epoch:>3}" << -1 << "  1";
    QTest::newRow("exp") << "{loss:.3e}" << -1 << "1.235e+03";
    QTest::newRow("repr float") << "{one}-{tenth}-{tiny}" << -1 << "1.0-0.1-1e-07";
    QTest::newRow("int as float") << "{epoch:.2f}" << -1 << "1.00";
    QTest::newRow("zero pad") << "{epoch:02d}-{batch:04d}" << 11 << "01-0012";
    QTest::newRow("escapes") << "{{x}}-{epoch}" << -1 << "{x}-1";
    QTest::newRow("sign zero pad") << "{neg:08.3f}" << -1 << "-001.500";
    QTest::newRow("hex") << "{epoch:x}" << -1 << "1";
    QTest::newRow("g") << "{small:g}" << -1 << "1.234e-05";
    QTest::newRow("nan") << "{nan}" << -1 << "nan";
    QTest::newRow("missing key") << "{a}{b}" << -1 << "Failed to format this callback filepath: \"{a}{b}\". Reason: 'a'";
    QTest::newRow("float with d") << "{loss:d}" << -1
                                  << "Failed to format this callback filepath: \"{loss:d}\". Reason: Unknown format code 'd' "
                                     "for object of type 'float'";
    QTest::newRow("positional") << "{}.keras" << -1
                                << "Failed to format this callback filepath: \"{}.keras\". Reason: Replacement index 0 out "
                                   "of range for positional args tuple";
    QTest::newRow("batch at epoch level") << "{batch}" << -1
                                          << "Failed to format this callback filepath: \"{batch}\". Reason: 'batch'";
    // Our limit (kMaxFieldWidth = 255; Python has none): the fuzzer's hang, and its neighbours.
    QTest::newRow("width at limit") << "{epoch:0255d}" << -1 << QString(254, '0') + "1";
    QTest::newRow("precision at limit") << "{one:.255f}" << -1 << "1." + QString(255, '0');
    QTest::newRow("huge width") << "{epoch:0244444444d}" << -1
                                << "Failed to format this callback filepath: \"{epoch:0244444444d}\". Reason: width 244444444 "
                                   "of field 'epoch' is above the limit of 255";
    QTest::newRow("width 256") << "a{loss:256}" << -1
                               << "Failed to format this callback filepath: \"a{loss:256}\". Reason: width 256 of field "
                                  "'loss' is above the limit of 255";
    QTest::newRow("huge precision") << "{epoch}-{loss:.99999999999f}" << -1
                                    << "Failed to format this callback filepath: \"{epoch}-{loss:.99999999999f}\". Reason: "
                                       "precision 99999999999 of field 'loss' is above the limit of 255";
    // fuzz_path_template: an unclosed field is formatted (padded) before fmt reports the '}'.
    QTest::newRow("unclosed field, huge width") << "{epoch:0244444445e" << -1
                                                << "Failed to format this callback filepath: \"{epoch:0244444445e\". Reason: "
                                                   "width 244444445 of field 'epoch' is above the limit of 255";
    QTest::newRow("digit fill is not a width") << "{epoch:9>3}" << -1 << "991";
    QTest::newRow("digit fill, huge width") << "{epoch:9>1000}" << -1
                                            << "Failed to format this callback filepath: \"{epoch:9>1000}\". Reason: width 1000 "
                                               "of field 'epoch' is above the limit of 255";
}

void TestModelCheckpoint::pathTemplate()
{
    QFETCH(QString, templ);
    QFETCH(int, batch);
    QFETCH(QString, expected);
    const Logs logs{{"loss", 1234.56}, {"one", 1.0}, {"tenth", 0.1}, {"tiny", 1e-7}, {"neg", -1.5},
                    {"small", 0.00001234}, {"nan", std::numeric_limits<double>::quiet_NaN()}};
    QString got;
    try {
        got = QString::fromStdString(
            formatPath(templ.toStdString(), 0, batch < 0 ? std::nullopt : std::optional<int>(batch), logs));
    } catch (const ConfigError& e) {
        got = QString::fromStdString(e.what());
    }
    QCOMPARE(got, expected);
}

void TestModelCheckpoint::perSaveFieldsAndPreview()
{
    QVERIFY(!hasPerSaveFields("ck/{{literal}}.keras"));
    QVERIFY(hasPerSaveFields("ck/{epoch}.keras"));
    QCOMPARE(templateFieldNames("a{epoch:{w}d}{{b}}{loss}"), (std::vector<std::string>{"epoch", "w", "loss"}));
    const auto ok = preview("w-{epoch:02d}-{val_loss:.2f}.keras", {{"val_loss", 0.5}});
    QVERIFY(ok.ok);
    QCOMPARE(QString::fromStdString(ok.path), QString("w-01-0.50.keras"));
    const auto bad = preview("w-{batch}.keras", {}, false);
    QVERIFY(!bad.ok);
    QCOMPARE(QString::fromStdString(bad.error), QString("Failed to format this callback filepath: \"w-{batch}.keras\". Reason: 'batch'"));
    QVERIFY(preview("w-{batch}.keras", {}, true).ok);
}

void TestModelCheckpoint::autoMode_data()
{
    QTest::addColumn<QString>("monitor");
    QTest::addColumn<QString>("expected");  // "min", "max" or "error"
    QTest::newRow("loss") << "loss" << "min";
    QTest::newRow("val_loss") << "val_loss" << "min";
    QTest::newRow("one val_ stripped") << "val_val_loss" << "min";
    QTest::newRow("custom_loss") << "val_custom_loss" << "min";
    QTest::newRow("mse") << "mse" << "min";
    QTest::newRow("mae") << "val_mae" << "min";
    QTest::newRow("mean_squared_error") << "mean_squared_error" << "min";
    QTest::newRow("crossentropy") << "val_binary_crossentropy" << "min";
    QTest::newRow("_error") << "mean_squared_logarithmic_error" << "min";
    QTest::newRow("accuracy") << "accuracy" << "max";
    QTest::newRow("val_acc") << "val_acc" << "max";
    QTest::newRow("categorical_accuracy") << "val_categorical_accuracy" << "max";
    QTest::newRow("sparse") << "sparse_categorical_accuracy" << "max";
    QTest::newRow("auc") << "val_auc" << "max";
    QTest::newRow("precision") << "precision" << "max";
    QTest::newRow("recall") << "recall" << "max";
    QTest::newRow("f1_score") << "val_f1_score" << "max";
    QTest::newRow("unknown") << "lr" << "error";
    QTest::newRow("val_ alone") << "val_" << "error";
}

void TestModelCheckpoint::autoMode()
{
    QFETCH(QString, monitor);
    QFETCH(QString, expected);
    const CheckpointConfig c = cfg("m.keras", monitor.toStdString(), true);
    if (expected == "error") {
        const QString text = QString("ModelCheckpoint callback received monitor=%1, but Keras isn't able to automatically "
                                     "determine whether that metric should be maximized or minimized. Pass `mode='max'` "
                                     "in order to monitor based on the highest metric value, or pass `mode='min'` in order "
                                     "to use the lowest value.")
                                 .arg(monitor);
        QCOMPARE(toList(c.validate()), QStringList{text});
        QVERIFY_THROWS_EXCEPTION(ConfigError, test::Harness{c});
        return;
    }
    test::Harness h(c);
    QCOMPARE(h.policy->monitorMode(), expected == "min" ? MonitorMode::Min : MonitorMode::Max);
    QCOMPARE(h.policy->best(), expected == "min" ? std::numeric_limits<double>::infinity()
                                                 : -std::numeric_limits<double>::infinity());
}

void TestModelCheckpoint::unknownModeWarnsAndFallsBack()
{
    CheckpointConfig c = cfg("m.keras", "val_accuracy", true);
    c.mode = "maximum";
    QCOMPARE(toList(c.warnings()), QStringList{"ModelCheckpoint mode 'maximum' is unknown, fallback to auto mode."});
    test::Harness h(c);
    QCOMPARE(toList(h.messages), QStringList{"ModelCheckpoint mode 'maximum' is unknown, fallback to auto mode."});
    QCOMPARE(h.policy->monitorMode(), MonitorMode::Max);
}

void TestModelCheckpoint::explicitModeWins()
{
    CheckpointConfig c = cfg("m.keras", "accuracy", true);
    c.mode = "min";
    test::Harness h(c);
    QCOMPARE(h.policy->monitorMode(), MonitorMode::Min);
    QCOMPARE(h.run("EE 0 accuracy=.5; EE 1 accuracy=.7; EE 2 accuracy=.4"), std::string());
    QCOMPARE(int(h.store->writeLog.size()), 2);  // .5 and .4
    CheckpointConfig unknownButExplicit = cfg("m.keras", "lr", true);
    unknownButExplicit.mode = "max";
    QVERIFY(unknownButExplicit.validate().empty());
}

void TestModelCheckpoint::validation_data()
{
    QTest::addColumn<QString>("filepath");
    QTest::addColumn<bool>("weightsOnly");
    QTest::addColumn<QString>("saveFreq");
    QTest::addColumn<int>("maxToKeep");  // 0: unset
    QTest::addColumn<QStringList>("problems");
    QTest::newRow("keras ok") << "m.keras" << false << "epoch" << 0 << QStringList{};
    QTest::newRow("legacy h5 ok") << "m.h5" << false << "batch" << 3 << QStringList{};
    QTest::newRow("weights ok") << "w.weights.h5" << true << "7" << 1 << QStringList{};
    QTest::newRow("bad model suffix")
        << "model.pt" << false << "epoch" << 0
        << QStringList{"The filepath provided must end in `.keras` (Keras model format). Received: filepath=model.pt"};
    QTest::newRow("seed path weights only")
        << "model_checkpoint_ex1/best_weights" << true << "epoch" << 0
        << QStringList{"When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must end in "
                       "`.weights.h5` (Keras weights format). Received: filepath=model_checkpoint_ex1/best_weights"};
    QTest::newRow("unrecognized save_freq")
        << "m.keras" << false << "often" << 0
        << QStringList{"Unrecognized save_freq: often. Expected save_freq are 'epoch' or integer values"};
    QTest::newRow("float save_freq")
        << "m.keras" << false << "2.5" << 0
        << QStringList{"Unrecognized save_freq: 2.5. Expected save_freq are 'epoch' or integer values"};
    QTest::newRow("zero save_freq")
        << "m.keras" << false << "0" << 0
        << QStringList{"save_freq must be 'epoch', 'batch' or a positive integer number of batches. Received: save_freq=0"};
    QTest::newRow("negative save_freq")
        << "m.keras" << false << "-2" << 0
        << QStringList{"save_freq must be 'epoch', 'batch' or a positive integer number of batches. Received: save_freq=-2"};
    QTest::newRow("max_to_keep 0 and bad suffix")
        << "m.txt" << false << "epoch" << -1
        << QStringList{"The filepath provided must end in `.keras` (Keras model format). Received: filepath=m.txt",
                       "max_to_keep must be at least 1 (leave it unset to keep every file). Received: max_to_keep=0"};
}

void TestModelCheckpoint::validation()
{
    QFETCH(QString, filepath);
    QFETCH(bool, weightsOnly);
    QFETCH(QString, saveFreq);
    QFETCH(int, maxToKeep);
    QFETCH(QStringList, problems);
    CheckpointConfig c = cfg(filepath.toStdString(), "val_loss", false, saveFreq.toStdString());
    c.saveWeightsOnly = weightsOnly;
    if (maxToKeep != 0)
        c.maxToKeep = maxToKeep < 0 ? 0 : maxToKeep;
    QCOMPARE(toList(c.validate()), problems);
    if (!problems.isEmpty()) {
        try {
            ModelCheckpoint policy(c, std::make_shared<SimulatedCheckpointStore>());
            QFAIL("the constructor must refuse an invalid config");
        } catch (const ConfigError& e) {
            QCOMPARE(toList(e.problems()), problems);
        }
    }
}

void TestModelCheckpoint::checkKeysReportsMissingKeys()
{
    const std::vector<std::string> epochKeys{"accuracy", "loss"};
    CheckpointConfig c = cfg("m-{epoch}-{val_loss:.2f}.keras", "val_loss", true);
    const auto problems = c.checkKeys(epochKeys, epochKeys);
    QCOMPARE(int(problems.size()), 2);
    QVERIFY(QString::fromStdString(problems[0]).contains("{val_loss}"));
    QVERIFY(QString::fromStdString(problems[1]).contains("monitor 'val_loss'"));
    CheckpointConfig batch = cfg("m-{batch}-{val_loss}.keras", "loss", false, "3");
    const auto p2 = batch.checkKeys({"loss", "val_loss"}, {"loss"});
    QCOMPARE(int(p2.size()), 1);  // {batch} is fine at batch level, val_loss is not
    QVERIFY(QString::fromStdString(p2[0]).contains("batch-level"));
}

void TestModelCheckpoint::checkKeysFormatsTheTemplateBeforeTheRun()
{
    // Issue 14, item 4: a format spec str.format refuses is found before the run, not at its
    // first save; names that are all known are formatted with a sample value.
    const std::vector<std::string> keys{"accuracy", "loss"};
    const auto bad = cfg("ckpt-{epoch:02q}.keras", "loss", false).checkKeys(keys, keys);
    QCOMPARE(int(bad.size()), 1);
    QVERIFY2(QString::fromStdString(bad[0]).startsWith("filepath") && QString::fromStdString(bad[0]).contains("02q"),
             bad[0].c_str());
    const auto floatAsInt = cfg("ckpt-{loss:d}.keras", "loss", false).checkKeys(keys, keys);
    QCOMPARE(int(floatAsInt.size()), 1);
    QVERIFY(cfg("ckpt-{epoch:02d}-{loss:.3f}.keras", "loss", false).checkKeys(keys, keys).empty());
}

void TestModelCheckpoint::thresholdEqualityMax()
{
    CheckpointConfig c = cfg("m.keras", "val_accuracy", true);
    c.initialValueThreshold = 0.75;
    test::Harness h(c);
    QCOMPARE(h.run("EE 0 val_accuracy=.75; EE 1 val_accuracy=.7500001"), std::string());
    QCOMPARE(toList(h.messages), (QStringList{"Epoch 1: val_accuracy did not improve from 0.75000",
                                              "Epoch 2: val_accuracy improved from 0.75000 to 0.75000, saving model to m.keras"}));
}

void TestModelCheckpoint::nanAfterBestKeepsBest()
{
    test::Harness h(cfg("m.keras", "val_loss", true));
    QCOMPARE(h.run("EE 0 val_loss=.5; EE 1 val_loss=nan; EE 2 val_loss=.6; EE 3 val_loss=.4"), std::string());
    QCOMPARE(int(h.store->writeLog.size()), 2);
    QCOMPARE(h.policy->best(), 0.4);
    QCOMPARE(QString::fromStdString(h.messages[1]), QString("Epoch 2: val_loss did not improve from 0.50000"));
}

void TestModelCheckpoint::batchAliasWithoutEpochHooks()
{
    // Tutorial style: only on_batch_end; the epoch stays 0 (Epoch 1) until an epoch hook says otherwise.
    test::Harness h(cfg("b{batch}.keras", "loss", false, "batch"));
    QCOMPARE(h.run("B 0 loss=1; B 1 loss=1; B 2 loss=1"), std::string());
    QCOMPARE(toList(h.store->writeLog), (QStringList{"b1.keras", "b2.keras", "b3.keras"}));
    QCOMPARE(QString::fromStdString(h.messages.back()), QString("Epoch 1: saving model to b3.keras"));
    // An epoch end without an epoch begin moves batch saves to the next epoch.
    test::Harness h2(cfg("e{epoch}b{batch}.keras", "loss", false, "1"));
    QCOMPARE(h2.run("B 0 loss=1; EE 0 loss=1; B 0 loss=1"), std::string());
    QCOMPARE(toList(h2.store->writeLog), (QStringList{"e1b1.keras", "e2b1.keras"}));
}

void TestModelCheckpoint::intSaveFreqBestOnlyResetsOnDeclinedAttempt()
{
    test::Harness h(cfg("m.keras", "loss", true, "2"));
    QCOMPARE(h.run("EB 0; BE 0 loss=1; BE 1 loss=1; BE 2 loss=2; EE 0 loss=1; EB 1; BE 0 loss=2; BE 1 loss=.5; BE 2 loss=.4"),
             std::string());
    // Attempts at e0/b1 (improved), e1/b0 (declined, still resets), e1/b2 (improved); never at e1/b1.
    QCOMPARE(int(h.events.size()), 3);
    QCOMPARE(h.events[0].reason, CheckpointReason::Improved);
    QCOMPARE(*h.events[1].batch, 0);
    QCOMPARE(h.events[1].reason, CheckpointReason::NotImproved);
    QCOMPARE(*h.events[2].batch, 2);
    QCOMPARE(*h.events[2].value, 0.4);
}

void TestModelCheckpoint::batchStringMeansOne()
{
    CheckpointConfig c = cfg("m.keras", "loss", false, "batch");
    QVERIFY(c.validate().empty());
    QCOMPARE(c.saveFreqBatches(), 1);
    test::Harness h(c);
    QCOMPARE(h.run("EB 0; BE 0 loss=1; BE 1 loss=1; EE 0 loss=1"), std::string());
    QCOMPARE(int(h.store->writeLog.size()), 2);  // no save at epoch end in batch mode
}

void TestModelCheckpoint::formatErrorBeforeDecision()
{
    // Monitor absent would skip, but the template fails first (spec §4.4 step 1).
    test::Harness h(cfg("m-{val_loss}.keras", "val_loss", true));
    const std::string error = h.run("EE 0 loss=1");
    QCOMPARE(QString::fromStdString(error), QString("Failed to format this callback filepath: \"m-{val_loss}.keras\". Reason: 'val_loss'"));
    QCOMPARE(int(h.events.size()), 1);
    QCOMPARE(h.events[0].action, CheckpointAction::Error);
    QCOMPARE(h.events[0].reason, CheckpointReason::FormatFailed);
}

void TestModelCheckpoint::maxToKeepOldest()
{
    CheckpointConfig c = cfg("m-{epoch}.keras", "loss");
    c.maxToKeep = 2;
    test::Harness h(c);
    QCOMPARE(h.run("EE 0 loss=1; EE 1 loss=.5; EE 2 loss=2; EE 3 loss=.1"), std::string());
    QCOMPARE(toList(h.store->removeLog), (QStringList{"m-1.keras", "m-2.keras"}));
    QCOMPARE(toList(h.store->files()), (QStringList{"m-3.keras", "m-4.keras"}));
    QVERIFY(h.messages.size() >= 3);
    QCOMPARE(QString::fromStdString(h.messages[3]), QString("Epoch 3: deleted m-1.keras (max_to_keep=2)"));
    QCOMPARE(h.events[3].action, CheckpointAction::Delete);
    QCOMPARE(h.events[3].reason, CheckpointReason::MaxToKeep);
    QCOMPARE(int(h.policy->keptFiles().size()), 2);
}

void TestModelCheckpoint::maxToKeepWorstByValue()
{
    // A resumed run knows its older files from the state: a (older, better) and b (newer, worse).
    CheckpointConfig c = cfg("m-{epoch}.keras", "val_loss", true);
    c.maxToKeep = 2;
    test::Harness h(c);
    nlohmann::json state = h.policy->state();
    state["kept"] = nlohmann::json::array({{{"path", "a.keras"}, {"value", 0.3}, {"epoch", 0}, {"batch", nullptr}},
                                           {{"path", "b.keras"}, {"value", 0.9}, {"epoch", 1}, {"batch", nullptr}}});
    h.policy->restoreState(state);
    QCOMPARE(h.run("EE 2 val_loss=.5"), std::string());
    QCOMPARE(toList(h.store->removeLog), QStringList{"b.keras"});
    QCOMPARE(QString::fromStdString(h.policy->keptFiles()[0].path), QString("a.keras"));
    QCOMPARE(QString::fromStdString(h.policy->keptFiles()[1].path), QString("m-3.keras"));
    // max_to_keep = 1: only the just-written (= best) file stays, the previous best is deleted.
    CheckpointConfig one = cfg("m-{epoch}.keras", "val_loss", true);
    one.maxToKeep = 1;
    test::Harness h1(one);
    QCOMPARE(h1.run("EE 0 val_loss=.5; EE 1 val_loss=.6; EE 2 val_loss=.4"), std::string());
    QCOMPARE(toList(h1.store->files()), QStringList{"m-3.keras"});
    QCOMPARE(QString::fromStdString(h1.policy->bestPath()), QString("m-3.keras"));
}

void TestModelCheckpoint::maxToKeepFixedPathNothingToDo()
{
    CheckpointConfig c = cfg("fixed.keras", "loss");
    c.maxToKeep = 1;
    test::Harness h(c);
    QCOMPARE(h.run("EE 0 loss=1; EE 1 loss=1; EE 2 loss=1"), std::string());
    QVERIFY(h.store->removeLog.empty());
    QCOMPARE(int(h.store->writeLog.size()), 3);
    QCOMPARE(toList(h.store->files()), QStringList{"fixed.keras"});
}

void TestModelCheckpoint::saveLast_data()
{
    QTest::addColumn<QString>("filepath");
    QTest::addColumn<bool>("weightsOnly");
    QTest::addColumn<QString>("expected");
    QTest::newRow("keras in dir") << "ck/best-{epoch}.keras" << false << "ck/last.keras";
    QTest::newRow("weights") << "out/w-{epoch:02d}.weights.h5" << true << "out/last.weights.h5";
    QTest::newRow("legacy h5") << "m-{epoch}.h5" << false << "last.h5";
    QTest::newRow("dir with field") << "run{epoch}/m.keras" << false << "run2/last.keras";
}

void TestModelCheckpoint::saveLast()
{
    QFETCH(QString, filepath);
    QFETCH(bool, weightsOnly);
    QFETCH(QString, expected);
    CheckpointConfig c = cfg(filepath.toStdString(), "loss", false, "2");
    c.saveWeightsOnly = weightsOnly;
    c.saveLast = true;
    test::Harness h(c);
    // Batches after the last save attempt (e1 b0) are only kept by save_last.
    QCOMPARE(h.run("TB; EB 0; BE 0 loss=1; BE 1 loss=1; EE 0 loss=1; EB 1; BE 0 loss=1; EE 1 loss=1; TE loss=1"), std::string());
    QCOMPARE(int(h.store->writeLog.size()), 2);
    QCOMPARE(QString::fromStdString(h.store->writeLog.back()), expected);
    QCOMPARE(h.events.back().reason, CheckpointReason::SaveLast);
    QCOMPARE(h.events.back().epoch, 1);
    QCOMPARE(QString::fromStdString(h.messages.back()), "Epoch 2: saving model to " + expected);
}

void TestModelCheckpoint::noSaveAtTrainEndWithoutSaveLast()
{
    test::Harness h(cfg("m.keras", "loss", false, "5"));
    QCOMPARE(h.run("TB; EB 0; BE 0 loss=1; BE 1 loss=1; EE 0 loss=1; TE loss=1"), std::string());
    QVERIFY(h.store->writeLog.empty());
    QVERIFY(h.events.empty());
}

void TestModelCheckpoint::writeFailureStopsTraining()
{
    auto model = tinyModel();
    test::Harness h(cfg("m.keras", "val_loss", true));
    h.policy->setModel(model.get());
    h.store->failWrites = true;
    QCOMPARE(h.run("TB; EE 0 val_loss=.5"), std::string());
    QVERIFY(model->stopTraining);
    QCOMPARE(h.events.back().action, CheckpointAction::Error);
    QCOMPARE(h.events.back().reason, CheckpointReason::WriteFailed);
    QCOMPARE(h.events.back().path, std::string("m.keras"));
    QCOMPARE(QString::fromStdString(h.policy->lastError()), QString("m.keras: injected write failure"));
    QCOMPARE(QString::fromStdString(h.messages.back()), QString("m.keras: injected write failure"));
    // Not saved, so not best: the next equal value still improves.
    QCOMPARE(h.policy->best(), std::numeric_limits<double>::infinity());
}

void TestModelCheckpoint::writeFailureContinueOnError()
{
    auto model = tinyModel();
    CheckpointConfig c = cfg("m-{epoch}.keras", "loss");
    c.continueOnError = true;
    test::Harness h(c);
    h.policy->setModel(model.get());
    h.store->failWrites = true;
    QCOMPARE(h.run("TB; EE 0 loss=1"), std::string());
    QVERIFY(!model->stopTraining);
    QCOMPARE(h.events.back().action, CheckpointAction::Error);
    h.store->failWrites = false;
    QCOMPARE(h.run("EE 1 loss=1"), std::string());
    QCOMPARE(h.events.back().action, CheckpointAction::Save);
    QCOMPARE(toList(h.store->files()), QStringList{"m-2.keras"});
    QCOMPARE(int(h.policy->keptFiles().size()), 1);  // a failed write is not retained
}

void TestModelCheckpoint::eventsCarryFields()
{
    CheckpointConfig c = cfg("m-{epoch}-{batch}.keras", "loss", true, "2");
    c.name = "best-loss";
    test::Harness h(c);
    QCOMPARE(h.run("EB 0; BE 0 loss=3; BE 1 loss=2; EB 1; BE 0 loss=4; BE 1 loss=5"), std::string());
    QCOMPARE(int(h.events.size()), 2);
    const CheckpointEvent& save = h.events[0];
    QCOMPARE(save.policy, std::string("best-loss"));
    QCOMPARE(save.epoch, 0);
    QCOMPARE(save.batch, std::optional<int>(1));
    QCOMPARE(save.monitor, std::string("loss"));
    QCOMPARE(save.value, std::optional<double>(2.0));
    QCOMPARE(*save.bestBefore, std::numeric_limits<double>::infinity());
    QCOMPARE(save.action, CheckpointAction::Save);
    QCOMPARE(save.reason, CheckpointReason::Improved);
    QCOMPARE(save.path, std::string("m-1-2.keras"));
    QCOMPARE(save.bytes, std::int64_t(0));       // simulated store
    QCOMPARE(save.durationMs, 0.0);              // simulated: deterministic replay events
    QCOMPARE(save.message, std::string("Epoch 1: loss improved from inf to 2.00000, saving model to m-1-2.keras"));
    const CheckpointEvent& skip = h.events[1];
    QCOMPARE(skip.epoch, 1);
    QCOMPARE(skip.batch, std::optional<int>(1));
    QCOMPARE(skip.action, CheckpointAction::Skip);
    QCOMPARE(skip.reason, CheckpointReason::NotImproved);
    QCOMPARE(*skip.bestBefore, 2.0);
    QCOMPARE(skip.path, std::string("m-2-2.keras"));
    QCOMPARE(QString::fromStdString(std::string(actionName(CheckpointAction::Delete))), QString("delete"));
}

void TestModelCheckpoint::verboseZeroPrintsOnlyWarnings()
{
    CheckpointConfig c = cfg("m.keras", "val_loss", true);
    c.verbose = 0;
    test::Harness h(c);
    QCOMPARE(h.run("EE 0 loss=1; EE 1 val_loss=1; EE 2 val_loss=2"), std::string());
    // The missing-monitor text is a warning in Keras (printed whatever the verbosity).
    QCOMPARE(toList(h.messages), QStringList{"Can save best model only with val_loss available, skipping."});
    QCOMPARE(int(h.events.size()), 3);
    QCOMPARE(h.events[2].message, std::string("Epoch 3: val_loss did not improve from 1.00000"));
}

void TestModelCheckpoint::stateRoundTripGivesSameEvents()
{
    CheckpointConfig c = cfg("m-{epoch}-{batch}.keras", "loss", true, "3");
    c.maxToKeep = 2;
    const std::string first = "TB; EB 0; BE 0 loss=5; BE 1 loss=4; BE 2 loss=3; BE 3 loss=3.5; EE 0 loss=3; EB 1; BE 0 loss=2";
    const std::string second = "BE 1 loss=2.5; BE 2 loss=1; BE 3 loss=.5; EE 1 loss=1; EB 2; BE 0 loss=.4; BE 1 loss=.3; "
                               "BE 2 loss=.2; BE 3 loss=.1; EE 2 loss=.2; TE";
    test::Harness straight(c);
    QCOMPARE(straight.run(first), std::string());
    const auto split = straight.events.size();
    QCOMPARE(straight.run(second), std::string());

    test::Harness a(c);
    QCOMPARE(a.run(first), std::string());
    // Through text, as the backup file stores it.
    const nlohmann::json state = nlohmann::json::parse(a.policy->state().dump());
    test::Harness b(c);
    b.policy->restoreState(state);
    QCOMPARE(b.run(second), std::string());

    QStringList expected, got;
    for (auto i = split; i < straight.events.size(); ++i)
        expected << eventKey(straight.events[i]);
    for (const auto& e : b.events)
        got << eventKey(e);
    QVERIFY(expected.size() >= 3);
    QCOMPARE(got, expected);
    QCOMPARE(b.policy->keptFiles().size(), straight.policy->keptFiles().size());
    for (std::size_t i = 0; i < b.policy->keptFiles().size(); ++i)
        QCOMPARE(b.policy->keptFiles()[i].path, straight.policy->keptFiles()[i].path);
    QCOMPARE(b.policy->best(), straight.policy->best());
}

void TestModelCheckpoint::realFilesRow2AndRetention()
{
    QTemporaryDir dir;
    auto model = tinyModel();
    CheckpointConfig c = cfg((dir.path() + "/ck/{epoch:03d}-{loss:.4f}-{val_loss:.2f}.keras").toStdString());
    c.maxToKeep = 1;
    std::vector<CheckpointEvent> events;
    ModelCheckpoint policy(c, nullptr, [](const std::string&) {});
    policy.setEventSink([&](const CheckpointEvent& e) { events.push_back(e); });
    policy.setModel(model.get());
    policy.onEpochEnd(0, Logs{{"loss", .5}, {"val_loss", .912}});
    QVERIFY(QFileInfo::exists(dir.filePath("ck/001-0.5000-0.91.keras")));  // ck/ created
    policy.onEpochEnd(1, Logs{{"loss", .5}, {"val_loss", .8}});
    // Only the newest is kept; no temporary file is left beside it.
    QCOMPARE(QDir(dir.filePath("ck")).entryList(QDir::Files | QDir::Hidden), QStringList{"002-0.5000-0.80.keras"});
    QCOMPARE(int(events.size()), 3);
    QCOMPARE(events[1].action, CheckpointAction::Save);
    QCOMPARE(events[1].bytes, std::int64_t(QFileInfo(dir.filePath("ck/002-0.5000-0.80.keras")).size()));
    QVERIFY(events[1].durationMs > 0.0);
    QCOMPARE(events[2].action, CheckpointAction::Delete);
    QCOMPARE(events[2].bytes, events[0].bytes);  // freed what the first save wrote
    const auto loaded = readCheckpoint(dir.filePath("ck/002-0.5000-0.80.keras").toStdString());
    QCOMPARE(loaded.format, CheckpointFormat::Keras);
    QVERIFY(!model->stopTraining);
}

void TestModelCheckpoint::realFilesDirectoryPathIsAnError()
{
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkdir("taken.keras"));
    auto model = tinyModel();
    const std::string path = (dir.path() + "/taken.keras").toStdString();
    std::vector<CheckpointEvent> events;
    ModelCheckpoint policy(cfg(path), nullptr, [](const std::string&) {});
    policy.setEventSink([&](const CheckpointEvent& e) { events.push_back(e); });
    policy.setModel(model.get());
    policy.onEpochEnd(0, Logs{{"val_loss", 1.0}});
    QCOMPARE(int(events.size()), 1);
    QCOMPARE(events[0].action, CheckpointAction::Error);
    QVERIFY(QString::fromStdString(events[0].message)
                .endsWith(QString::fromStdString("Please specify a non-directory filepath for ModelCheckpoint. Filepath "
                                                 "used is an existing directory: " + path)));
    QVERIFY(model->stopTraining);
    QVERIFY(QFileInfo(QString::fromStdString(path)).isDir());
}

void TestModelCheckpoint::includeOptimizer_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("include");
    for (const char* file : {"w.weights.h5", "m.keras", "m.h5"}) {
        QTest::addRow("%s with optimizer", file) << QString(file) << true;
        QTest::addRow("%s without optimizer", file) << QString(file) << false;
    }
}

void TestModelCheckpoint::includeOptimizer()
{
    // include_optimizer (ours): the optimizer's slots go into the file only when asked for; the
    // weights are there either way.
    QFETCH(QString, file);
    QFETCH(bool, include);
    QTemporaryDir dir;
    auto model = tinyModel();
    Matrix x(1, 2), y(1, 2);
    x << 0.5f, -1.0f;
    y << 1.0f, 0.0f;
    Rng rng(1);
    model->trainStep(x, y, rng); // the optimizer has its slots now
    CheckpointConfig c = cfg(dir.filePath(file).toStdString());
    c.saveWeightsOnly = file.endsWith(".weights.h5");
    c.includeOptimizer = include;
    ModelCheckpoint policy(c, nullptr, [](const std::string&) {});
    policy.setModel(model.get());
    policy.onEpochEnd(0, Logs{{"val_loss", 1.0}});
    const auto loaded = readCheckpoint(dir.filePath(file).toStdString());
    QCOMPARE(loaded.variables.size(), std::size_t(2));
    QCOMPARE(loaded.optimizer.has_value(), include);
    if (include)
        QCOMPARE(loaded.optimizer->slotValues.size(), model->optimizer().state().slotValues.size());
}

QTEST_APPLESS_MAIN(TestModelCheckpoint)
#include "TestModelCheckpoint.moc"
