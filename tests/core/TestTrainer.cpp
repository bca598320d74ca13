// The training driver: hook order (spec §7), logs content, stop/pause controls, error paths,
// determinism and bit-identical resume from Trainer::state().
#include <QtTest>
// Core structs have members named `slots`; Qt's keyword macro must not rewrite them.
#undef slots

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/base/Errors.h"
#include "core/loss/Loss.h"
#include "core/train/History.h"
#include "core/train/Trainer.h"

using namespace cklab;

namespace {

/// Records every hook as "TB", "EB 0", "BB 1", "BE 1", "EE 0", "TE" and runs an optional action.
class Recorder : public Callback {
public:
    std::vector<std::string> events;
    std::vector<Logs> batchEndLogs;
    std::vector<Logs> epochEndLogs;
    Logs trainEndLogs;
    int trainEnds = 0;
    int epoch = -1;
    /// Called after recording, with the event text; may throw or control the trainer.
    std::function<void(const std::string&, Logs&)> action;

protected:
    void record(const std::string& e, Logs& logs)
    {
        events.push_back(e);
        if (action)
            action(e, logs);
    }
    void trainBegin(Logs& logs) override { record("TB", logs); }
    void epochBegin(int e, Logs& logs) override
    {
        epoch = e;
        record("EB " + std::to_string(e), logs);
    }
    void trainBatchBegin(int b, Logs& logs) override { record("BB " + std::to_string(b), logs); }
    void trainBatchEnd(int b, Logs& logs) override
    {
        batchEndLogs.push_back(logs);
        record("BE " + std::to_string(b), logs);
    }
    void epochEnd(int e, Logs& logs) override
    {
        epochEndLogs.push_back(logs);
        record("EE " + std::to_string(e), logs);
    }
    void trainEnd(Logs& logs) override
    {
        ++trainEnds;
        trainEndLogs = logs;
        record("TE", logs);
    }
};

Dataset makeData(int n, std::uint64_t seed)
{
    Rng rng(seed);
    Dataset d;
    d.x.resize(n, 3);
    d.y = Matrix::Zero(n, 2);
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < 3; ++j)
            d.x(i, j) = rng.uniform(-1.0f, 1.0f);
        d.y(i, d.x(i, 0) + d.x(i, 1) > 0.0f ? 1 : 0) = 1.0f;
    }
    d.numClasses = 2;
    return d;
}

std::unique_ptr<Model> makeModel(std::uint64_t initSeed, float dropout = 0.0f, const std::string& optimizer = "adam")
{
    ModelSpec spec;
    spec.inputDim = 3;
    spec.layers.push_back(LayerSpec{LayerSpec::Kind::Dense, 8, Activation::Relu, true, 0.0f, {}});
    if (dropout > 0.0f)
        spec.layers.push_back(LayerSpec{LayerSpec::Kind::Dropout, 0, Activation::Linear, true, dropout, {}});
    spec.layers.push_back(LayerSpec{LayerSpec::Kind::Dense, 2, Activation::Softmax, true, 0.0f, {}});
    CompileConfig compile;
    compile.loss = LossKind::CategoricalCrossentropy;
    compile.metrics = {"accuracy", "mae"};
    compile.optimizer = OptimizerConfig::defaultsFor(optimizer);
    compile.optimizer.learningRate = 0.05f;
    auto model = std::make_unique<Model>(spec, compile);
    Rng rng(initSeed);
    model->initialize(rng);
    return model;
}

std::vector<Matrix> weightsOf(Model& m)
{
    std::vector<Matrix> out;
    for (Matrix* v : m.network().variables())
        out.push_back(*v);
    return out;
}

bool bitEqual(const std::vector<Matrix>& a, const std::vector<Matrix>& b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].rows() != b[i].rows() || a[i].cols() != b[i].cols()
            || std::memcmp(a[i].data(), b[i].data(), sizeof(float) * static_cast<std::size_t>(a[i].size())) != 0)
            return false;
    }
    return true;
}

std::vector<std::string> expectedOrder(int epochs, int batches)
{
    std::vector<std::string> e{"TB"};
    for (int ep = 0; ep < epochs; ++ep) {
        e.push_back("EB " + std::to_string(ep));
        for (int b = 0; b < batches; ++b) {
            e.push_back("BB " + std::to_string(b));
            e.push_back("BE " + std::to_string(b));
        }
        e.push_back("EE " + std::to_string(ep));
    }
    e.push_back("TE");
    return e;
}

} // namespace

class TestTrainer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void hookOrder()
    {
        const Dataset train = makeData(10, 1);
        auto model = makeModel(2);
        Trainer trainer(*model, train, nullptr, TrainerConfig{2, 4, true, 3});
        QCOMPARE(trainer.stepsPerEpoch(), 3);
        auto rec = std::make_shared<Recorder>();
        auto history = std::make_shared<History>(true);
        trainer.callbacks().add(rec);
        trainer.callbacks().add(history);
        const TrainResult r = trainer.fit();
        QCOMPARE(rec->events, expectedOrder(2, 3));
        QCOMPARE(r.reason, StopReason::Completed);
        QCOMPARE(r.epochsCompleted, 2);
        QCOMPARE(r.steps, 6LL);
        QCOMPARE(r.samplesTrained, 20LL);
        QVERIFY(r.trainSeconds > 0.0);
        QCOMPARE(rec->trainEnds, 1);
        QCOMPARE(rec->trainEndLogs, rec->epochEndLogs.back());
        QCOMPARE(r.finalLogs, rec->epochEndLogs.back());
        QCOMPARE(history->epochs(), (std::vector<int>{0, 1}));
        QCOMPARE(history->epochLogs(), rec->epochEndLogs);
        QCOMPARE(history->batchLogs().size(), std::size_t(6));
        QCOMPARE(history->batchLogs()[4].epoch, 1);
        QCOMPARE(history->batchLogs()[4].batch, 1);
        QCOMPARE(rec->model(), model.get());
        // A fit() after completion has nothing left to do.
        rec->events.clear();
        trainer.fit();
        QCOMPARE(rec->events, (std::vector<std::string>{"TB", "TE"}));
    }

    // Batch end: sample-weighted running means since the epoch began, computed here by hand
    // from the pre-update outputs of a twin model; epoch end adds val_* only with validation data.
    void logsAreRunningMeans_data()
    {
        QTest::addColumn<bool>("withValidation");
        QTest::newRow("no validation") << false;
        QTest::newRow("validation") << true;
    }

    void logsAreRunningMeans()
    {
        QFETCH(bool, withValidation);
        const Dataset train = makeData(10, 4);
        const Dataset val = makeData(7, 5);
        auto model = makeModel(6);
        auto twin = makeModel(6);
        Trainer trainer(*model, train, withValidation ? &val : nullptr, TrainerConfig{2, 4, false, 0});
        auto rec = std::make_shared<Recorder>();
        std::vector<double> valLossSeen;
        rec->action = [&](const std::string& e, Logs&) {
            if (e.rfind("EE", 0) == 0 && withValidation) {
                const Matrix out = model->predict(val.x);
                valLossSeen.push_back(computeLoss(LossKind::CategoricalCrossentropy, out, val.y, nullptr, Activation::Softmax, nullptr));
            }
        };
        trainer.callbacks().add(rec);
        trainer.fit();

        Rng unused(0);
        const int sizes[3] = {4, 4, 2};
        std::size_t batchIndex = 0;
        for (int epoch = 0; epoch < 2; ++epoch) {
            double lossWeighted = 0.0, correct = 0.0, maeWeighted = 0.0;
            int seen = 0;
            for (int b = 0; b < 3; ++b) {
                const Matrix xs = train.x.middleRows(b * 4, sizes[b]);
                const Matrix ys = train.y.middleRows(b * 4, sizes[b]);
                const Matrix out = twin->predict(xs);
                lossWeighted += computeLoss(LossKind::CategoricalCrossentropy, out, ys, nullptr, Activation::Softmax, nullptr) * sizes[b];
                for (int i = 0; i < sizes[b]; ++i) {
                    const int predicted = out(i, 1) > out(i, 0) ? 1 : 0;
                    correct += ys(i, predicted) == 1.0f ? 1.0 : 0.0;
                    maeWeighted += (std::abs(out(i, 0) - ys(i, 0)) + std::abs(out(i, 1) - ys(i, 1))) / 2.0;
                }
                seen += sizes[b];
                twin->trainStep(xs, ys, unused);
                const Logs& logs = rec->batchEndLogs[batchIndex++];
                QCOMPARE(logs.size(), std::size_t(3));
                QVERIFY(std::abs(logs.at("loss") - lossWeighted / seen) < 1e-6);
                QVERIFY(std::abs(logs.at("accuracy") - correct / seen) < 1e-12);
                QVERIFY(std::abs(logs.at("mae") - maeWeighted / seen) < 1e-6);
            }
            const Logs& epochLogs = rec->epochEndLogs[static_cast<std::size_t>(epoch)];
            QCOMPARE(epochLogs.at("loss"), rec->batchEndLogs[batchIndex - 1].at("loss"));
            if (withValidation) {
                QCOMPARE(epochLogs.size(), std::size_t(6));
                QVERIFY(epochLogs.count("val_accuracy") == 1 && epochLogs.count("val_mae") == 1);
                QVERIFY(std::abs(epochLogs.at("val_loss") - valLossSeen[static_cast<std::size_t>(epoch)]) < 1e-6);
            } else {
                QCOMPARE(epochLogs.size(), std::size_t(3));
                QCOMPARE(epochLogs.count("val_loss"), std::size_t(0));
            }
        }
        QVERIFY(bitEqual(weightsOf(*model), weightsOf(*twin)));
    }

    void stopRequests()
    {
        const Dataset train = makeData(10, 1);
        {
            auto model = makeModel(2);
            Trainer trainer(*model, train, nullptr, TrainerConfig{3, 4, true, 3});
            auto rec = std::make_shared<Recorder>();
            rec->action = [&](const std::string& e, Logs&) {
                if (e == "BE 1")
                    trainer.requestStop();
            };
            trainer.callbacks().add(rec);
            const TrainResult r = trainer.fit();
            QCOMPARE(rec->events, (std::vector<std::string>{"TB", "EB 0", "BB 0", "BE 0", "BB 1", "BE 1", "TE"}));
            QCOMPARE(r.reason, StopReason::Requested);
            QCOMPARE(r.steps, 2LL);
            QCOMPARE(r.epochsCompleted, 0);
        }
        {
            auto model = makeModel(2);
            Trainer trainer(*model, train, nullptr, TrainerConfig{3, 4, true, 3});
            auto rec = std::make_shared<Recorder>();
            rec->action = [&](const std::string& e, Logs&) {
                if (e == "BE 0")
                    trainer.requestStop(StopMode::AtEpochEnd);
            };
            trainer.callbacks().add(rec);
            const TrainResult r = trainer.fit();
            QCOMPARE(rec->events, expectedOrder(1, 3));
            QCOMPARE(r.reason, StopReason::RequestedAtEpochEnd);
            QCOMPARE(r.epochsCompleted, 1);
        }
        {
            // Keras: stop_training set at a batch end ends the epoch early; epoch end still runs.
            auto model = makeModel(2);
            Trainer trainer(*model, train, nullptr, TrainerConfig{3, 4, true, 3});
            auto rec = std::make_shared<Recorder>();
            rec->action = [&](const std::string& e, Logs&) {
                if (e == "BE 1")
                    rec->model()->stopTraining = true;
            };
            trainer.callbacks().add(rec);
            const TrainResult r = trainer.fit();
            QCOMPARE(rec->events, (std::vector<std::string>{"TB", "EB 0", "BB 0", "BE 0", "BB 1", "BE 1", "EE 0", "TE"}));
            QCOMPARE(r.reason, StopReason::Callback);
        }
    }

    void hookExceptionEndsRun()
    {
        const Dataset train = makeData(10, 1);
        auto model = makeModel(2);
        Trainer trainer(*model, train, nullptr, TrainerConfig{3, 5, true, 3});
        auto rec = std::make_shared<Recorder>();
        rec->action = [&](const std::string& e, Logs&) {
            if (e == "EB 1")
                throw std::runtime_error("disk full");
        };
        trainer.callbacks().add(rec);
        const TrainResult r = trainer.fit();
        QCOMPARE(r.reason, StopReason::Error);
        QCOMPARE(r.error, std::string("disk full"));
        QCOMPARE(rec->trainEnds, 1);
        QCOMPARE(rec->events.back(), std::string("TE"));
        QCOMPARE(rec->events[rec->events.size() - 2], std::string("EB 1"));
        QCOMPARE(std::string(stopReasonName(r.reason)), std::string("error"));
    }

    void nonFiniteLossIsNotAnException()
    {
        Dataset train = makeData(10, 1);
        train.x(3, 1) = std::numeric_limits<float>::quiet_NaN();
        {
            auto model = makeModel(2);
            Trainer trainer(*model, train, nullptr, TrainerConfig{2, 4, false, 3});
            const TrainResult r = trainer.fit();
            QCOMPARE(r.reason, StopReason::Completed);
            QVERIFY(std::isnan(r.finalLogs.at("loss")));
        }
        {
            auto model = makeModel(2);
            Trainer trainer(*model, train, nullptr, TrainerConfig{2, 4, false, 3});
            auto rec = std::make_shared<Recorder>();
            rec->action = [&](const std::string& e, Logs& logs) {
                if (e.rfind("BE", 0) == 0 && !std::isfinite(logs.at("loss")))
                    rec->model()->stopTraining = true;
            };
            trainer.callbacks().add(rec);
            const TrainResult r = trainer.fit();
            QCOMPARE(r.reason, StopReason::NonFiniteLoss);
            QCOMPARE(r.steps, 1LL);
            QCOMPARE(rec->trainEnds, 1);
        }
    }

    void pauseAndResumeFromAnotherThread()
    {
        const Dataset train = makeData(12, 1);
        auto model = makeModel(2);
        Trainer trainer(*model, train, nullptr, TrainerConfig{3, 4, true, 3});
        std::atomic<int> batchesDone{0};
        auto rec = std::make_shared<Recorder>();
        rec->action = [&](const std::string& e, Logs&) {
            if (e.rfind("BE", 0) == 0 && ++batchesDone == 1)
                trainer.setPaused(true);
        };
        trainer.callbacks().add(rec);
        TrainResult result;
        std::thread worker([&] { result = trainer.fit(); });
        QTRY_VERIFY_WITH_TIMEOUT(batchesDone.load() == 1 && trainer.isPaused(), 5000);
        // Paused: no batch may run while we wait.
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        QCOMPARE(batchesDone.load(), 1);
        trainer.setPaused(false);
        worker.join();
        QCOMPARE(result.reason, StopReason::Completed);
        QCOMPARE(batchesDone.load(), 9);

        // A stop request releases a paused trainer.
        auto model2 = makeModel(2);
        Trainer trainer2(*model2, train, nullptr, TrainerConfig{3, 4, true, 3});
        trainer2.setPaused(true);
        TrainResult result2;
        std::thread worker2([&] { result2 = trainer2.fit(); });
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        trainer2.requestStop();
        worker2.join();
        QCOMPARE(result2.reason, StopReason::Requested);
        QCOMPARE(result2.steps, 0LL);
    }

    void determinism()
    {
        const Dataset train = makeData(40, 8);
        auto run = [&](std::uint64_t seed) {
            auto model = makeModel(seed, 0.3f);
            Trainer trainer(*model, train, nullptr, TrainerConfig{3, 8, true, seed});
            trainer.fit();
            return weightsOf(*model);
        };
        const auto a = run(42);
        const auto b = run(42);
        const auto c = run(43);
        QVERIFY(bitEqual(a, b));
        QVERIFY(!bitEqual(a, c));
        // The trainer's seed alone (shuffling, dropout) changes the result too.
        auto model = makeModel(42, 0.3f);
        Trainer trainer(*model, train, nullptr, TrainerConfig{3, 8, true, 7});
        trainer.fit();
        QVERIFY(!bitEqual(a, weightsOf(*model)));
    }

    // Interrupt at a hook, keep (weights, optimizer state, trainer state as JSON text), restore
    // into fresh objects from a trainBegin hook, continue: bit-identical to an uninterrupted run.
    void resumeIsBitIdentical_data()
    {
        QTest::addColumn<QString>("at");
        QTest::addColumn<int>("epoch");
        QTest::newRow("mid-epoch") << "BE 1" << 1;
        QTest::newRow("last batch") << "BE 4" << 1;
        QTest::newRow("epoch end") << "EE 0" << 0;
        QTest::newRow("first batch") << "BE 0" << 0;
    }

    void resumeIsBitIdentical()
    {
        QFETCH(QString, at);
        QFETCH(int, epoch);
        const Dataset train = makeData(37, 8);
        const Dataset val = makeData(9, 9);
        const TrainerConfig cfg{3, 8, true, 11};

        auto straightModel = makeModel(5, 0.25f);
        Trainer straight(*straightModel, train, &val, cfg);
        auto straightHistory = std::make_shared<History>();
        straight.callbacks().add(straightHistory);
        const TrainResult full = straight.fit();

        auto first = makeModel(5, 0.25f);
        Trainer interrupted(*first, train, &val, cfg);
        auto rec = std::make_shared<Recorder>();
        std::string savedState;
        std::vector<Matrix> savedWeights;
        OptimizerState savedOptimizer;
        rec->action = [&](const std::string& e, Logs&) {
            if (e == at.toStdString() && rec->epoch == epoch && savedState.empty()) {
                savedState = interrupted.state().dump();
                savedWeights = weightsOf(*first);
                savedOptimizer = first->optimizer().state();
                interrupted.requestStop();
            }
        };
        interrupted.callbacks().add(rec);
        QCOMPARE(interrupted.fit().reason, StopReason::Requested);
        QVERIFY(!savedState.empty());

        auto second = makeModel(99, 0.25f); // different initial weights: all must come from the save
        auto vars = second->network().variables();
        for (std::size_t i = 0; i < vars.size(); ++i)
            *vars[i] = savedWeights[i];
        second->optimizer().setState(savedOptimizer);
        Trainer resumed(*second, train, &val, TrainerConfig{3, 8, true, 12345});
        auto restorer = std::make_shared<Recorder>();
        restorer->action = [&](const std::string& e, Logs&) {
            if (e == "TB")
                resumed.restoreState(nlohmann::json::parse(savedState));
        };
        resumed.callbacks().add(restorer);
        const TrainResult rest = resumed.fit();
        QCOMPARE(rest.reason, StopReason::Completed);
        QVERIFY(bitEqual(weightsOf(*straightModel), weightsOf(*second)));
        QCOMPARE(rest.finalLogs, full.finalLogs);
        QCOMPARE(resumed.globalStep(), straight.globalStep());
        QCOMPARE(restorer->epochEndLogs.back(), straightHistory->epochLogs().back());
        // No epoch is begun twice: a mid-epoch resume continues with the next batch.
        if (at.startsWith("BE"))
            QVERIFY(restorer->events[1].rfind("BB", 0) == 0 || restorer->events[1].rfind("EE", 0) == 0);
        else
            QCOMPARE(restorer->events[1], std::string("EB 1"));
    }

    void badInput()
    {
        const Dataset train = makeData(10, 1);
        auto model = makeModel(2);
        Dataset wrong = train;
        wrong.y = Matrix::Zero(10, 3);
        try {
            Trainer t(*model, wrong, nullptr, TrainerConfig{-1, 4, true, 0});
            QFAIL("accepted");
        } catch (const ConfigError& e) {
            QCOMPARE(e.problems().size(), std::size_t(2));
            QCOMPARE(e.problems()[0], std::string("training.epochs: must be >= 0, got -1"));
            QVERIFY(e.problems()[1].find("data.train.y: has 3 columns") == 0);
        }
        Trainer t(*model, train, nullptr, TrainerConfig{1, 4, true, 0});
        nlohmann::json s = t.state();
        s["order"] = std::vector<int>{0, 1};
        s["epoch_in_progress"] = true;
        QVERIFY_THROWS_EXCEPTION(ConfigError, t.restoreState(s));
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "TestTrainer.moc"
