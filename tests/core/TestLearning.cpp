// Small problems learned to >= 95 % accuracy within a fixed budget: XOR through the Trainer,
// two moons through a loop written by hand over the core API (as a user would).
#include <QtTest>
#undef slots

#include "core/data/Generators.h"
#include "core/loss/Loss.h"
#include "core/train/History.h"
#include "core/train/Trainer.h"

using namespace cklab;

namespace {

LayerSpec dense(int units, Activation a)
{
    return LayerSpec{LayerSpec::Kind::Dense, units, a, true, 0.0f, {}};
}

double accuracyOf(const Model& model, const Dataset& data)
{
    const MetricSums sums = model.evaluate(data.x, data.y);
    return sums.means(model.metricNames()).at("accuracy");
}

} // namespace

class TestLearning : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void xorWithTrainer()
    {
        GeneratorParams params;
        params.samples = 200;
        params.noise = 0.2f;
        Rng dataRng(1);
        const Dataset train = generateDataset("xor", params, dataRng);
        const Dataset val = generateDataset("xor", params, dataRng);
        QCOMPARE(train.y.cols(), 1);

        ModelSpec spec;
        spec.inputDim = 2;
        spec.layers = {dense(8, Activation::Tanh), dense(1, Activation::Sigmoid)};
        CompileConfig compile;
        compile.loss = LossKind::BinaryCrossentropy;
        compile.optimizer = OptimizerConfig::defaultsFor("adam");
        compile.optimizer.learningRate = 0.05f;
        Model model(spec, compile);
        Rng init(2);
        model.initialize(init);
        const double before = accuracyOf(model, val);

        Trainer trainer(model, train, &val, TrainerConfig{60, 32, true, 3});
        auto history = std::make_shared<History>();
        trainer.callbacks().add(history);
        const TrainResult r = trainer.fit();
        QCOMPARE(r.reason, StopReason::Completed);
        const double valAccuracy = r.finalLogs.at("val_accuracy");
        qInfo("xor: val_accuracy %.4f (before training %.4f), loss %.4f -> %.4f", valAccuracy, before,
              history->series("loss").front(), history->series("loss").back());
        QVERIFY2(valAccuracy >= 0.95, qPrintable(QString::number(valAccuracy)));
        QVERIFY(history->series("loss").back() < history->series("loss").front());
        QCOMPARE(valAccuracy, accuracyOf(model, val));
    }

    void moonsWithHandWrittenLoop()
    {
        GeneratorParams params;
        params.samples = 400;
        params.noise = 0.1f;
        Rng dataRng(4);
        const Dataset train = generateDataset("moons", params, dataRng);
        const Dataset val = generateDataset("moons", params, dataRng);

        ModelSpec spec;
        spec.inputDim = 2;
        spec.layers = {dense(16, Activation::Relu), dense(16, Activation::Relu), dense(2, Activation::Softmax)};
        CompileConfig compile;
        compile.loss = LossKind::SparseCategoricalCrossentropy;
        compile.optimizer = OptimizerConfig::defaultsFor("adam");
        compile.optimizer.learningRate = 0.01f;
        Model model(spec, compile);
        Rng rng(5);
        model.initialize(rng);

        History history;
        history.setModel(&model);
        history.onTrainBegin();
        const int batch = 32;
        for (int epoch = 0; epoch < 100; ++epoch) {
            history.onEpochBegin(epoch);
            MetricSums running;
            for (Eigen::Index start = 0; start < train.x.rows(); start += batch) {
                const Eigen::Index n = std::min<Eigen::Index>(batch, train.x.rows() - start);
                running.add(model.trainStep(train.x.middleRows(start, n), train.y.middleRows(start, n), rng));
            }
            Logs logs = running.means(model.metricNames());
            const Logs valLogs = model.evaluate(val.x, val.y).means(model.metricNames(), "val_");
            logs.insert(valLogs.begin(), valLogs.end());
            history.onEpochEnd(epoch, logs);
        }
        history.onTrainEnd();
        const double valAccuracy = history.epochLogs().back().at("val_accuracy");
        qInfo("moons: val_accuracy %.4f, accuracy %.4f", valAccuracy, history.epochLogs().back().at("accuracy"));
        QCOMPARE(history.epochs().size(), std::size_t(100));
        QVERIFY2(valAccuracy >= 0.95, qPrintable(QString::number(valAccuracy)));
        QVERIFY(history.series("val_loss").back() < history.series("val_loss").front());
    }
};

QTEST_APPLESS_MAIN(TestLearning)
#include "TestLearning.moc"
