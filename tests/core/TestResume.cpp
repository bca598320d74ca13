// Exact resume through BackupAndRestore: a run interrupted mid-epoch and restarted with fresh
// objects (as a new process would build them) ends bit-identical to an uninterrupted run, with
// the same checkpoint events after the resume point and the same retention lists and files.
// Core headers first: core/optim/Optimizer.h has a member named `slots`, a Qt keyword macro.
#include <filesystem>
#include <memory>

#include "core/checkpoint/BackupAndRestore.h"
#include "core/checkpoint/ModelCheckpoint.h"
#include "core/data/Generators.h"
#include "core/train/CsvLogger.h"
#include "core/train/EarlyStopping.h"
#include "core/train/Trainer.h"

#include <QtTest>

using namespace cklab;

namespace {

struct Event {
    int epoch;
    int batch;
    std::string action, reason, path, message;
    double value;
    bool operator==(const Event&) const = default;
};

// Stops the trainer (as the Stop button would) after a given batch.
class StopAt : public Callback {
public:
    StopAt(Trainer* t, int epoch, int batch) : m_trainer(t), m_epoch(epoch), m_batch(batch) {}

protected:
    void trainBatchEnd(int batch, Logs&) override
    {
        if (m_trainer->epoch() == m_epoch && batch == m_batch)
            m_trainer->requestStop(StopMode::Now);
    }

private:
    Trainer* m_trainer;
    int m_epoch, m_batch;
};

// Everything one "process" builds: data, model, trainer, callbacks.
struct Session {
    Dataset train, validation;
    std::unique_ptr<Model> model;
    std::unique_ptr<Trainer> trainer;
    std::shared_ptr<ModelCheckpoint> checkpoint;
    std::vector<Event> events;

    Session(const QString& dir, std::optional<std::pair<int, int>> stopAt, std::uint64_t initSeed)
    {
        Rng dataRng(3);
        GeneratorParams params;
        params.samples = 120;
        Dataset all = generateDataset("blobs", params, dataRng);
        train = all;
        train.x = all.x.topRows(100);
        train.y = all.y.topRows(100);
        validation = all;
        validation.x = all.x.bottomRows(20);
        validation.y = all.y.bottomRows(20);

        ModelSpec spec;
        spec.inputDim = train.features();
        spec.layers = {LayerSpec{LayerSpec::Kind::Dense, 8, Activation::Relu},
                       LayerSpec{LayerSpec::Kind::Dropout, 0, Activation::Linear, true, 0.25f},
                       LayerSpec{LayerSpec::Kind::Dense, 2, Activation::Softmax}};
        CompileConfig compile;
        compile.loss = LossKind::SparseCategoricalCrossentropy;
        model = std::make_unique<Model>(spec, compile);
        Rng init(initSeed);  // a resumed session starts from other weights: the backup must replace them
        model->initialize(init);

        TrainerConfig tc;
        tc.epochs = 4;
        tc.batchSize = 16;  // 7 batches per epoch
        tc.seed = 11;
        trainer = std::make_unique<Trainer>(*model, train, &validation, tc);

        CheckpointConfig cc;
        cc.filepath = (dir + "/ck/m-{epoch:02d}-{batch:02d}.weights.h5").toStdString();
        cc.saveWeightsOnly = true;
        cc.monitor = "loss";
        cc.saveBestOnly = true;
        cc.saveFreq = "3";
        cc.maxToKeep = 2;
        checkpoint = std::make_shared<ModelCheckpoint>(cc, nullptr, [](const std::string&) {});
        checkpoint->setEventSink([this, dir](const CheckpointEvent& e) {
            std::string path = e.path;
            path.erase(0, dir.toStdString().size());
            std::string message = e.message;
            if (const auto at = message.find(dir.toStdString()); at != std::string::npos)
                message.erase(at, dir.toStdString().size());
            events.push_back({e.epoch, e.batch.value_or(-1), std::string(actionName(e.action)), std::string(reasonName(e.reason)), path, message,
                              e.value.value_or(-1)});
        });
        EarlyStoppingConfig es;
        es.monitor = "val_loss";
        es.patience = 50;
        trainer->callbacks().add(checkpoint);
        trainer->callbacks().add(std::make_shared<EarlyStopping>(es, [](const std::string&) {}));
        if (stopAt)
            trainer->callbacks().add(std::make_shared<StopAt>(trainer.get(), stopAt->first, stopAt->second));
        trainer->callbacks().add(
            std::make_shared<BackupAndRestore>((dir + "/backup").toStdString(), "1", true, trainer.get()));
    }

    std::vector<Matrix> weights() const
    {
        std::vector<Matrix> out;
        for (const Matrix* v : std::as_const(model->network()).variables())
            out.push_back(*v);
        return out;
    }
};

QStringList filesIn(const QString& dir)
{
    return QDir(dir).entryList(QDir::Files, QDir::Name);
}

} // namespace

class TestResume : public QObject {
    Q_OBJECT
private slots:
    void interruptedRunEndsBitIdentical();
    void mustBeLastCallback();
};

void TestResume::interruptedRunEndsBitIdentical()
{
    QTemporaryDir straightDir, resumedDir;

    Session straight(straightDir.path(), std::nullopt, 1);
    const TrainResult r0 = straight.trainer->fit();
    QCOMPARE(r0.reason, StopReason::Completed);
    QVERIFY(!QFileInfo::exists(straightDir.filePath("backup/backup.weights.h5")));  // deleted at the end

    // Interrupted after batch 3 of epoch 1 (0-based).
    std::size_t eventsBefore = 0;
    {
        Session first(resumedDir.path(), std::make_pair(1, 3), 1);
        const TrainResult r1 = first.trainer->fit();
        QCOMPARE(r1.reason, StopReason::Requested);
        QCOMPARE(first.trainer->epoch(), 1);
        QCOMPARE(first.trainer->batchInEpoch(), 4);
        QVERIFY(QFileInfo::exists(resumedDir.filePath("backup/backup.weights.h5")));
        eventsBefore = first.events.size();
        QVERIFY(eventsBefore > 0);
        // The first part of the events equals the straight run's.
        for (std::size_t i = 0; i < eventsBefore; ++i)
            QVERIFY(first.events[i] == straight.events[i]);
    }
    // A new "process": new objects, other initial weights, same backup directory.
    Session second(resumedDir.path(), std::nullopt, 999);
    const TrainResult r2 = second.trainer->fit();
    QCOMPARE(r2.reason, StopReason::Completed);
    QCOMPARE(r2.epochsCompleted, 3);  // epochs 1 (rest), 2, 3

    const auto a = straight.weights();
    const auto b = second.weights();
    QCOMPARE(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(a[i].rows(), b[i].rows());
        QVERIFY2(std::memcmp(a[i].data(), b[i].data(), sizeof(float) * std::size_t(a[i].size())) == 0,
                 qPrintable(QString("variable %1 differs").arg(i)));
    }
    // Events after the resume point: identical (paths relative to each run's folder).
    QCOMPARE(second.events.size(), straight.events.size() - eventsBefore);
    for (std::size_t i = 0; i < second.events.size(); ++i)
        QVERIFY2(second.events[i] == straight.events[eventsBefore + i],
                 qPrintable(QString::fromStdString(second.events[i].message + " vs " + straight.events[eventsBefore + i].message)));
    // Retention lists and the files left on disk.
    const auto& keptA = straight.checkpoint->keptFiles();
    const auto& keptB = second.checkpoint->keptFiles();
    QCOMPARE(keptA.size(), keptB.size());
    for (std::size_t i = 0; i < keptA.size(); ++i) {
        QCOMPARE(std::filesystem::path(keptA[i].path).filename(), std::filesystem::path(keptB[i].path).filename());
        QCOMPARE(keptA[i].value, keptB[i].value);
    }
    QCOMPARE(filesIn(resumedDir.filePath("ck")), filesIn(straightDir.filePath("ck")));
    QVERIFY(!filesIn(straightDir.filePath("ck")).isEmpty());
    QVERIFY(!QFileInfo::exists(resumedDir.filePath("backup/backup.weights.h5")));
}

void TestResume::mustBeLastCallback()
{
    QTemporaryDir dir;
    Session s(dir.path(), std::nullopt, 1);
    s.trainer->callbacks().add(std::make_shared<CsvLogger>(dir.filePath("log.csv").toStdString()));
    const TrainResult r = s.trainer->fit();
    QCOMPARE(r.reason, StopReason::Error);
    QVERIFY(QString::fromStdString(r.error).contains("BackupAndRestore must be the last callback"));
}

QTEST_APPLESS_MAIN(TestResume)
#include "TestResume.moc"
