// EarlyStopping, TerminateOnNaN and CSVLogger (spec §8) driven by hand; expected traces worked
// out from Keras' algorithm by hand.
// Core headers first: core/optim/Optimizer.h has a member named `slots`, a Qt keyword macro.
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/base/Errors.h"
#include "core/train/CsvLogger.h"
#include "core/train/EarlyStopping.h"
#include "core/model/Model.h"
#include "core/train/TerminateOnNaN.h"
#include "tests/support/CheckpointHarness.h"

#include <QDir>
#include <QFileInfo>
#include <QFile>
#include <QtTest>

using namespace cklab;

namespace {

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

EarlyStoppingConfig es(const std::string& monitor, int patience, double minDelta = 0.0)
{
    EarlyStoppingConfig c;
    c.enabled = true;
    c.monitor = monitor;
    c.patience = patience;
    c.minDelta = minDelta;
    c.verbose = 1;
    return c;
}

std::string readFile(const QString& path)
{
    std::ifstream in(path.toStdString(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct Stopper {
    std::unique_ptr<Model> model = tinyModel();
    std::vector<std::string> messages;
    std::unique_ptr<EarlyStopping> cb;
    explicit Stopper(const EarlyStoppingConfig& c)
    {
        cb = std::make_unique<EarlyStopping>(c, [this](const std::string& m) { messages.push_back(m); });
        cb->setModel(model.get());
    }
    // Runs epochs with the given values until the model is told to stop; returns the epochs run.
    int run(const std::vector<double>& values, const std::string& key = "loss", int firstEpoch = 0)
    {
        int e = firstEpoch;
        for (double v : values) {
            Logs logs{{key, v}};
            cb->onEpochEnd(e++, logs);
            if (model->stopTraining)
                break;
        }
        return e - firstEpoch;
    }
};

} // namespace

class TestCallbacks : public QObject {
    Q_OBJECT
private slots:
    void earlyStoppingPatience_data();
    void earlyStoppingPatience();
    void earlyStoppingMinDelta();
    void earlyStoppingBaseline();
    void earlyStoppingStartFromEpoch();
    void earlyStoppingRestoreBestWeights();
    void earlyStoppingTexts();
    void earlyStoppingResumeState();
    void terminateOnNaN_data();
    void terminateOnNaN();
    void csvLoggerContent();
    void csvLoggerNoValidationAddsValColumns();
    void csvLoggerAppend();
    void csvLoggerNoticesItsFolderRemoved();
    void csvLoggerRefusesSymlinks();
    void csvLoggerResumeCutsBack();
};

void TestCallbacks::earlyStoppingPatience_data()
{
    QTest::addColumn<int>("patience");
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("values");
    QTest::addColumn<int>("stoppedEpoch");  // 0 = never stopped
    // patience 2: e2 wait 1, e3 wait 2 -> stop at epoch 3.
    QTest::newRow("patience 2") << 2 << "min" << "1 .9 .95 .96 .97" << 3;
    // patience 0 stops at the first non-improving epoch (never at epoch 0).
    QTest::newRow("patience 0") << 0 << "min" << "1 1.1 .5" << 1;
    QTest::newRow("tie is no improvement") << 1 << "min" << "1 1" << 1;
    QTest::newRow("keeps improving") << 1 << "min" << "5 4 3 2 1" << 0;
    QTest::newRow("max mode") << 1 << "max" << "1 2 2" << 2;
    QTest::newRow("nan is no improvement") << 1 << "min" << "1 nan" << 1;
}

void TestCallbacks::earlyStoppingPatience()
{
    QFETCH(int, patience);
    QFETCH(QString, mode);
    QFETCH(QString, values);
    QFETCH(int, stoppedEpoch);
    auto c = es("loss", patience);
    c.mode = mode.toStdString();
    Stopper s(c);
    std::vector<double> v;
    for (const auto& t : values.split(' '))
        v.push_back(t == "nan" ? std::nan("") : t.toDouble());
    s.cb->onTrainBegin();
    s.run(v);
    QCOMPARE(s.cb->stoppedEpoch(), stoppedEpoch);
    QCOMPARE(s.model->stopTraining, stoppedEpoch > 0);
    s.cb->onTrainEnd();
    if (stoppedEpoch > 0)
        QCOMPARE(QString::fromStdString(s.messages.back()), QString("Epoch %1: early stopping").arg(stoppedEpoch + 1));
    else
        QVERIFY(s.messages.empty());
}

void TestCallbacks::earlyStoppingMinDelta()
{
    // |min_delta| = .1: improvement needs current < best - .1.
    Stopper s(es("loss", 2, -0.1));
    s.cb->onTrainBegin();
    const std::vector<double> values{1, .95, .85, .8, .7};
    const std::vector<int> waits{0, 1, 0, 1, 0};
    for (int e = 0; e < 5; ++e) {
        s.cb->onEpochEnd(e, Logs{{"loss", values[e]}});
        QCOMPARE(s.cb->wait(), waits[e]);
    }
    QCOMPARE(*s.cb->best(), .7);
    QVERIFY(!s.model->stopTraining);
}

void TestCallbacks::earlyStoppingBaseline()
{
    // Values that improve on best but not on the baseline do not reset the wait.
    auto c = es("loss", 2);
    c.baseline = 0.5;
    Stopper s(c);
    s.cb->onTrainBegin();
    s.cb->onEpochEnd(0, Logs{{"loss", .8}});
    QCOMPARE(s.cb->wait(), 1);
    s.cb->onEpochEnd(1, Logs{{"loss", .7}});
    QCOMPARE(s.cb->wait(), 2);
    QVERIFY(!s.model->stopTraining);  // an improving epoch never stops
    s.cb->onEpochEnd(2, Logs{{"loss", .75}});
    QCOMPARE(s.cb->stoppedEpoch(), 2);
    // Beating the baseline resets.
    Stopper t(c);
    t.cb->onTrainBegin();
    t.cb->onEpochEnd(0, Logs{{"loss", .4}});
    QCOMPARE(t.cb->wait(), 0);
}

void TestCallbacks::earlyStoppingStartFromEpoch()
{
    auto c = es("loss", 0);
    c.startFromEpoch = 2;
    Stopper s(c);
    s.cb->onTrainBegin();
    QCOMPARE(s.run({1, 2, 3, 4}), 4);
    QCOMPARE(s.cb->stoppedEpoch(), 3);
    QCOMPARE(s.cb->bestEpoch(), 2);
}

void TestCallbacks::earlyStoppingRestoreBestWeights()
{
    auto c = es("val_loss", 1);
    c.restoreBestWeights = true;
    Stopper s(c);
    s.cb->onTrainBegin();
    const std::vector<double> values{.6, .5, .7};
    for (int e = 0; e < 3; ++e) {
        for (Matrix* v : s.model->network().variables())
            v->setConstant(float(e + 1));
        s.cb->onEpochEnd(e, Logs{{"val_loss", values[e]}});
    }
    QCOMPARE(s.cb->stoppedEpoch(), 2);
    s.cb->onTrainEnd();
    for (Matrix* v : s.model->network().variables())
        QCOMPARE(v->maxCoeff(), 2.0f);  // the weights of epoch 1 (best)
    QCOMPARE(s.messages, (std::vector<std::string>{"Epoch 3: early stopping",
                                                   "Restoring model weights from the end of the best epoch: 2."}));
}

void TestCallbacks::earlyStoppingTexts()
{
    try {
        EarlyStopping bad(es("lr", 0));
        QFAIL("unresolvable auto mode must throw");
    } catch (const ConfigError& e) {
        QCOMPARE(QString::fromStdString(e.problems().front()),
                 QString("EarlyStopping callback received monitor=lr but Keras isn't able to automatically determine "
                         "whether that metric should be maximized or minimized. Pass `mode='max'` in order to do early "
                         "stopping based on the highest metric value, or pass `mode='min'` in order to use the lowest value."));
    }
    auto c = es("val_accuracy", 0);
    c.mode = "biggest";
    Stopper s(c);
    QCOMPARE(s.messages, std::vector<std::string>{"EarlyStopping mode biggest is unknown, fallback to auto mode."});
    QCOMPARE(s.cb->monitorMode(), MonitorMode::Max);
    s.cb->onEpochEnd(0, Logs{{"loss", 1}, {"accuracy", .5}});
    QCOMPARE(QString::fromStdString(s.messages.back()),
             QString("Early stopping conditioned on metric `val_accuracy` which is not available. Available metrics are: "
                     "accuracy,loss"));
}

void TestCallbacks::earlyStoppingResumeState()
{
    auto c = es("loss", 2);
    c.restoreBestWeights = true;
    Stopper a(c);
    for (Matrix* v : a.model->network().variables())
        v->setConstant(7.0f);
    a.cb->onTrainBegin();
    a.run({1, .5, .6});
    const auto state = nlohmann::json::parse(a.cb->state().dump());
    Stopper b(c);
    b.cb->onTrainBegin();  // a fresh run's reset, then the backup's state
    b.cb->restoreState(state);
    QCOMPARE(b.cb->wait(), 1);
    QCOMPARE(*b.cb->best(), .5);
    b.run({.7}, "loss", 3);
    QCOMPARE(b.cb->stoppedEpoch(), 3);
    b.cb->onTrainEnd();
    // The restored best weights are those a had at its epoch 1 (all 7), not b's own.
    for (const Matrix* v : std::as_const(b.model->network()).variables()) {
        QCOMPARE(v->minCoeff(), 7.0f);
        QCOMPARE(v->maxCoeff(), 7.0f);
    }
    // trainBegin resets everything.
    b.cb->onTrainBegin();
    QCOMPARE(b.cb->wait(), 0);
    QVERIFY(!b.cb->best());
}

void TestCallbacks::terminateOnNaN_data()
{
    QTest::addColumn<double>("loss");
    QTest::addColumn<bool>("stops");
    QTest::newRow("finite") << 1e30 << false;
    QTest::newRow("nan") << std::nan("") << true;
    QTest::newRow("inf") << HUGE_VAL << true;
    QTest::newRow("-inf") << -HUGE_VAL << true;
}

void TestCallbacks::terminateOnNaN()
{
    QFETCH(double, loss);
    QFETCH(bool, stops);
    auto model = tinyModel();
    std::vector<std::string> messages;
    TerminateOnNaN cb([&](const std::string& m) { messages.push_back(m); });
    cb.setModel(model.get());
    cb.onTrainBegin();
    cb.onTrainBatchEnd(0, Logs{{"loss", 1.0}});
    cb.onTrainBatchEnd(1, Logs{{"loss", loss}});
    QCOMPARE(model->stopTraining, stops);
    QCOMPARE(messages.size(), std::size_t(stops ? 1 : 0));
    if (stops) {
        QCOMPARE(QString::fromStdString(messages[0]), QString("Batch 1: Invalid loss, terminating training"));
        QCOMPARE(cb.terminatedAtBatch(), 1);
    }
}

void TestCallbacks::csvLoggerContent()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("sub/log.csv");
    CsvLogger cb(path.toStdString(), ";");
    cb.onTrainBegin();
    cb.onEpochEnd(0, Logs{{"loss", .5}, {"accuracy", .75}, {"val_loss", 1.0}, {"val_accuracy", 0.1 + 0.2}});
    cb.onEpochEnd(1, Logs{{"loss", 1e-7}, {"accuracy", 1.0}});
    cb.onTrainEnd();
    // Python: csv rows end with \r\n; floats as repr(); missing keys "NA".
    QCOMPARE(readFile(path), std::string("epoch;accuracy;loss;val_accuracy;val_loss\r\n"
                                         "0;0.75;0.5;0.30000000000000004;1.0\r\n"
                                         "1;1.0;1e-07;NA;NA\r\n"));
}

void TestCallbacks::csvLoggerNoValidationAddsValColumns()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("log.csv");
    CsvLogger cb(path.toStdString());
    cb.onTrainBegin();
    cb.onEpochEnd(0, Logs{{"loss", 2.0}});
    cb.onEpochEnd(1, Logs{{"loss", 1.5}, {"val_loss", 3.0}});
    cb.onTrainEnd();
    QCOMPARE(readFile(path), std::string("epoch,loss,val_loss\r\n0,2.0,NA\r\n1,1.5,3.0\r\n"));
}

// Issue 16, item 15: the output folder removed mid-run: the next row is an error naming the
// file, not a write into a deleted file; a file put in its place is noticed too.
void TestCallbacks::csvLoggerNoticesItsFolderRemoved()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath("out");
    const QString path = folder + "/log.csv";
    CsvLogger cb(path.toStdString());
    cb.onTrainBegin();
    cb.onEpochEnd(0, Logs{{"loss", 2.0}});
    QVERIFY(QDir(folder).removeRecursively());
    try {
        cb.onEpochEnd(1, Logs{{"loss", 1.5}});
        QFAIL("a row went into the removed file");
    } catch (const IoError& e) {
        QCOMPARE(QString::fromStdString(e.path()), path);
        QVERIFY2(QString::fromUtf8(e.what()).contains("removed during the run"), e.what());
    }
    QVERIFY(!QFileInfo::exists(folder));

    CsvLogger replaced(path.toStdString());
    replaced.onTrainBegin();
    replaced.onEpochEnd(0, Logs{{"loss", 2.0}});
    QVERIFY(QFile::remove(path));
    QFile other(path);
    QVERIFY(other.open(QIODevice::WriteOnly));
    other.close();
    QVERIFY_THROWS_EXCEPTION(IoError, replaced.onEpochEnd(1, Logs{{"loss", 1.5}}));
}

// Issue 16, item 3: a link at the log's name is not written through.
void TestCallbacks::csvLoggerRefusesSymlinks()
{
    QTemporaryDir dir;
    const QString target = dir.filePath("precious.txt");
    QFile f(target);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("keep me");
    f.close();
    const QString path = dir.filePath("log.csv");
    QVERIFY(QFile::link(target, path));
    CsvLogger cb(path.toStdString());
    cb.onTrainBegin();
    try {
        cb.onEpochEnd(0, Logs{{"loss", 2.0}});
        QFAIL("wrote through the link");
    } catch (const IoError& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains("symbolic link"), e.what());
    }
    QCOMPARE(readFile(target), std::string("keep me"));
}

void TestCallbacks::csvLoggerAppend()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("log.csv");
    {
        CsvLogger first(path.toStdString());
        first.onTrainBegin();
        first.onEpochEnd(0, Logs{{"loss", 2.0}, {"val_loss", 1.0}});
        first.onTrainEnd();
    }
    {
        CsvLogger appended(path.toStdString(), ",", true);
        appended.onTrainBegin();
        appended.onEpochEnd(0, Logs{{"loss", 0.25}, {"val_loss", 0.5}});
        appended.onTrainEnd();
    }
    QCOMPARE(readFile(path), std::string("epoch,loss,val_loss\r\n0,2.0,1.0\r\n0,0.25,0.5\r\n"));
    {
        CsvLogger overwrite(path.toStdString());
        overwrite.onTrainBegin();
        overwrite.onEpochEnd(0, Logs{{"loss", 4.0}, {"val_loss", 1.0}});
        overwrite.onTrainEnd();
    }
    QCOMPARE(readFile(path), std::string("epoch,loss,val_loss\r\n0,4.0,1.0\r\n"));
}

void TestCallbacks::csvLoggerResumeCutsBack()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("log.csv");
    CsvLogger a(path.toStdString());
    a.onTrainBegin();
    a.onEpochEnd(0, Logs{{"loss", 2.0}, {"val_loss", 1.0}});
    const auto backup = nlohmann::json::parse(a.state().dump());
    a.onEpochEnd(1, Logs{{"loss", 9.0}, {"val_loss", 9.0}});  // after the backup: lost with the crash
    // A fresh process resumes from the backup and redoes epoch 1.
    CsvLogger b(path.toStdString());
    b.onTrainBegin();
    b.restoreState(backup);
    b.onEpochEnd(1, Logs{{"loss", 1.5}, {"val_loss", 0.5}});
    b.onTrainEnd();
    QCOMPARE(readFile(path), std::string("epoch,loss,val_loss\r\n0,2.0,1.0\r\n1,1.5,0.5\r\n"));
}

QTEST_APPLESS_MAIN(TestCallbacks)
#include "TestCallbacks.moc"
