// The memory a checkpoint writer reuses from save to save (core/io/SaveScratch, issue 7): the
// block handed to libhdf5's core driver behaves like realloc/free and is kept between saves,
// and saves through one scratch write what fresh saves write, in every format.
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <filesystem>
#include <memory>

#include "core/checkpoint/CheckpointStore.h"
#include "core/io/CheckpointFile.h"
#include "core/io/SaveScratch.h"
#include "core/model/Model.h"

#undef slots // OptimizerState has a member called `slots`

using namespace cklab;

namespace {

std::unique_ptr<Model> mlp(std::uint64_t seed)
{
    ModelSpec spec;
    spec.inputDim = 7;
    for (int units : {9, 4}) {
        LayerSpec l;
        l.units = units;
        l.activation = units == 4 ? Activation::Softmax : Activation::Relu;
        spec.layers.push_back(l);
    }
    auto model = std::make_unique<Model>(spec, CompileConfig{});
    Rng rng(seed);
    model->initialize(rng);
    return model;
}

// Every variable of `loaded` equals the model's, element by element.
bool holdsWeightsOf(const LoadedCheckpoint& loaded, const Model& model)
{
    const auto vars = model.network().variables();
    if (loaded.variables.size() != vars.size())
        return false;
    for (std::size_t i = 0; i < vars.size(); ++i) {
        const Matrix& a = loaded.variables[i];
        const Matrix& b = *vars[i];
        if (a.size() != b.size() || std::memcmp(a.data(), b.data(), sizeof(float) * static_cast<std::size_t>(a.size())) != 0)
            return false;
    }
    return true;
}

} // namespace

class TestSaveScratch : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void blockKeepsContentWhenGrownAndIsReused()
    {
        ReusableBlock block;
        auto* p = static_cast<unsigned char*>(block.resize(nullptr, 1000));
        QVERIFY(p != nullptr);
        for (int i = 0; i < 1000; ++i)
            p[i] = static_cast<unsigned char>(i * 7);
        auto* grown = static_cast<unsigned char*>(block.resize(p, 5000));
        QVERIFY(grown != nullptr);
        for (int i = 0; i < 1000; ++i)
            QCOMPARE(int(grown[i]), (i * 7) & 0xff);
        QCOMPARE(block.allocations(), 2);
        QVERIFY(block.inUse());
        block.release(grown);
        QVERIFY(!block.inUse());
        // The next image of the same or a smaller size gets the same memory, no allocation.
        void* again = block.resize(nullptr, 4096);
        QCOMPARE(again, static_cast<void*>(grown));
        QCOMPARE(block.resize(again, 5000), again);
        QCOMPARE(block.allocations(), 2);
        QCOMPARE(block.capacity(), std::size_t{5000});
        block.release(again);
    }

    void secondRequestWhileInUseIsServedSeparately()
    {
        ReusableBlock block;
        void* first = block.resize(nullptr, 64);
        auto* second = static_cast<char*>(block.resize(nullptr, 64));
        QVERIFY(second != nullptr);
        QVERIFY(second != first);
        std::memset(second, 1, 64);
        second = static_cast<char*>(block.resize(second, 128)); // realloc of the foreign block
        QVERIFY(second != nullptr);
        QCOMPARE(int(second[63]), 1);
        block.release(second); // freed (ASan would report a leak or a bad free otherwise)
        QVERIFY(block.inUse());
        QCOMPARE(block.allocations(), 1);
        block.release(first);
        QVERIFY(!block.inUse());
    }

    void oversizedBlockIsNotKept()
    {
        ReusableBlock block;
        void* big = block.resize(nullptr, kSaveScratchMaxBytes + 1);
        QVERIFY(big != nullptr);
        block.release(big);
        QCOMPARE(block.capacity(), std::size_t{0});
    }

    void savesThroughOneScratchRoundTripInEveryFormat_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("includeOptimizer");
        QTest::newRow("weights.h5") << "a.weights.h5" << false;
        QTest::newRow("weights.h5 with optimizer") << "a.weights.h5" << true;
        QTest::newRow("keras") << "a.keras" << true;
        QTest::newRow("legacy h5") << "a.h5" << true;
    }

    void savesThroughOneScratchRoundTripInEveryFormat()
    {
        QFETCH(QString, name);
        QFETCH(bool, includeOptimizer);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path path = std::filesystem::path(dir.path().toStdString()) / name.toStdString();
        SaveOptions options;
        options.includeOptimizer = includeOptimizer;
        SaveScratch scratch;
        const auto first = mlp(1);
        const auto second = mlp(2); // other weights, same shapes: the scratch's matrices are reused
        QVERIFY(warmUpCheckpointWriter(path.string(), *first, options, scratch) > 0);
        QVERIFY(!std::filesystem::exists(path));

        QVERIFY(saveCheckpoint(path, *first, options, scratch) > 0);
        QVERIFY(holdsWeightsOf(readCheckpoint(path), *first));
        QVERIFY(!holdsWeightsOf(readCheckpoint(path), *second));
        QVERIFY(saveCheckpoint(path, *second, options, scratch) > 0);
        const LoadedCheckpoint loaded = readCheckpoint(path);
        QVERIFY(holdsWeightsOf(loaded, *second));
        QCOMPARE(loaded.optimizer.has_value(), includeOptimizer);
        // A fresh save writes a file of the same size (HDF5's object times aside, the same bytes).
        const std::filesystem::path fresh = std::filesystem::path(dir.path().toStdString()) / ("fresh-" + name.toStdString());
        QCOMPARE(saveCheckpoint(fresh, *second, options), static_cast<std::int64_t>(std::filesystem::file_size(path)));
    }

    void storeWarmUpPagesTheMemoryEverySaveReuses()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto model = mlp(3);
        FileCheckpointStore store(false);
        QCOMPARE(store.scratch().hdf5File.allocations(), 0);
        store.prepare("w-{epoch:02d}.weights.h5", model.get());
        const int afterWarmUp = store.scratch().hdf5File.allocations();
        QVERIFY(afterWarmUp > 0);
        QVERIFY(store.scratch().hdf5File.capacity() > 0);
        QVERIFY(!store.scratch().bytes.empty());
        const char* bytesBefore = store.scratch().bytes.data();
        for (int i = 0; i < 3; ++i)
            QVERIFY(store.write(dir.path().toStdString() + "/w-0" + std::to_string(i) + ".weights.h5", model.get()) > 0);
        QCOMPARE(store.scratch().hdf5File.allocations(), afterWarmUp);
        QVERIFY(!store.scratch().hdf5File.inUse());
        QCOMPARE(store.scratch().bytes.data(), bytesBefore);
        QVERIFY(holdsWeightsOf(readCheckpoint(dir.path().toStdString() + "/w-02.weights.h5"), *model));
    }
};

QTEST_GUILESS_MAIN(TestSaveScratch)
#include "TestSaveScratch.moc"
