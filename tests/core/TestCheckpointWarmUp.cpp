// The checkpoint writer's warm-up at the start of training (issue 7: the first save of a process
// paid HDF5's start-up): it builds the same bytes a save would write, writes nothing, and a
// policy runs it from trainBegin() with its filepath template.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <memory>

#include "core/checkpoint/ModelCheckpoint.h"
#include "core/io/CheckpointFile.h"
#include "core/model/Model.h"

#undef slots // OptimizerState has a member called `slots`

using namespace cklab;

namespace {

std::unique_ptr<Model> smallModel()
{
    ModelSpec spec;
    spec.inputDim = 6;
    for (int units : {8, 3}) {
        LayerSpec l;
        l.units = units;
        l.activation = units == 3 ? Activation::Softmax : Activation::Relu;
        spec.layers.push_back(l);
    }
    auto model = std::make_unique<Model>(spec, CompileConfig{});
    Rng rng(3);
    model->initialize(rng);
    return model;
}

// Records what ModelCheckpoint hands to prepare() and forwards to a real store.
class SpyStore : public FileCheckpointStore {
public:
    void prepare(const std::string& filepath, const Model* model) override
    {
        prepared.push_back(filepath);
        preparedModel = model;
        FileCheckpointStore::prepare(filepath, model);
    }
    std::vector<std::string> prepared;
    const Model* preparedModel = nullptr;
};

} // namespace

class TestCheckpointWarmUp : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void warmUpBuildsTheSavedBytesAndWritesNothing_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("includeOptimizer");
        QTest::newRow("weights.h5") << "w-{epoch:02d}.weights.h5" << true;
        QTest::newRow("weights.h5 model only") << "w.weights.h5" << false;
        QTest::newRow("keras") << "m.keras" << true;
        QTest::newRow("legacy h5") << "m.h5" << true;
    }

    void warmUpBuildsTheSavedBytesAndWritesNothing()
    {
        QFETCH(QString, name);
        QFETCH(bool, includeOptimizer);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto model = smallModel();
        SaveOptions options;
        options.includeOptimizer = includeOptimizer;
        const std::string path = (std::filesystem::path(dir.path().toStdString()) / name.toStdString()).string();
        const std::int64_t warm = warmUpCheckpointWriter(path, *model, options);
        QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).size(), 0);
        const std::int64_t saved = saveCheckpoint(dir.path().toStdString() + "/saved-" + name.toStdString().substr(name.indexOf('.')), *model, options);
        QVERIFY(warm > 0);
        // Same content, same format: the image is the file's size.
        QCOMPARE(warm, saved);
    }

    void unknownSuffixIsNoWork()
    {
        const auto model = smallModel();
        QCOMPARE(warmUpCheckpointWriter("/nonexistent/x.txt", *model), std::int64_t(0));
    }

    void policyPreparesItsStoreAtTrainBegin()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto model = smallModel();
        auto store = std::make_shared<SpyStore>();
        CheckpointConfig config;
        config.filepath = dir.path().toStdString() + "/best-{epoch:02d}.weights.h5";
        ModelCheckpoint policy(config, store, [](const std::string&) {});
        policy.setModel(model.get());
        QVERIFY(store->prepared.empty());
        policy.onTrainBegin();
        QCOMPARE(store->prepared.size(), std::size_t(1));
        QCOMPARE(store->prepared.front(), config.filepath);
        QCOMPARE(store->preparedModel, model.get());
        QVERIFY(store->warmUpMs() > 0.0);
        QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCheckpointWarmUp)
#include "TestCheckpointWarmUp.moc"
