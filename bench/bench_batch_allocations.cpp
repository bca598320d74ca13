// Heap allocations per training batch, counted by interposing malloc/calloc/realloc in this
// executable (glibc): once for Model::trainStep alone (forward, loss, backward, Adam) and once
// for whole Trainer::fit() epochs (batch gather, callbacks, running logs included).
// The M workload's model and batch (784-256-256-10, batch 128). Prints figures; not a test.
// Usage: bench_batch_allocations
#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "core/data/Dataset.h"
#include "core/nn/Rng.h"
#include "core/model/Model.h"
#include "core/train/Trainer.h"

extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* p, std::size_t size);
}

namespace {

std::atomic<long long> g_allocations{0};

} // namespace

extern "C" void* malloc(std::size_t size)
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_malloc(size);
}

extern "C" void* calloc(std::size_t count, std::size_t size)
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_calloc(count, size);
}

extern "C" void* realloc(void* p, std::size_t size)
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_realloc(p, size);
}

using namespace cklab;

namespace {

Dataset randomData(int n, int d, int classes, Rng& rng)
{
    Dataset data;
    data.x.resize(n, d);
    data.y = Matrix::Zero(n, classes);
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < d; ++j)
            data.x(i, j) = rng.uniformFloat();
        data.y(i, static_cast<int>(rng.uniformFloat() * static_cast<float>(classes)) % classes) = 1.0f;
    }
    data.numClasses = classes;
    return data;
}

Model makeModel()
{
    ModelSpec spec;
    spec.inputDim = 784;
    for (int units : {256, 256, 10}) {
        LayerSpec l;
        l.units = units;
        l.activation = units == 10 ? Activation::Softmax : Activation::Relu;
        spec.layers.push_back(l);
    }
    CompileConfig compile;
    compile.optimizer = OptimizerConfig::defaultsFor("adam");
    return Model(spec, compile);
}

} // namespace

int main()
{
    constexpr int kBatch = 128, kBatches = 50;
    Rng rng(7);
    const Dataset data = randomData(kBatch * kBatches, 784, 10, rng);

    Model model = makeModel();
    model.initialize(rng);
    const Matrix x = data.x.topRows(kBatch), y = data.y.topRows(kBatch);
    for (int i = 0; i < 3; ++i) // warm-up: caches and optimizer slots are built here
        model.trainStep(x, y, rng);
    long long before = g_allocations.load();
    for (int i = 0; i < kBatches; ++i)
        model.trainStep(x, y, rng);
    const double perStep = static_cast<double>(g_allocations.load() - before) / kBatches;

    Model fitted = makeModel();
    fitted.initialize(rng);
    TrainerConfig config;
    config.epochs = 1;
    config.batchSize = kBatch;
    Trainer warm(fitted, data, nullptr, config);
    warm.fit();
    config.epochs = 3;
    Trainer trainer(fitted, data, nullptr, config);
    before = g_allocations.load();
    const TrainResult result = trainer.fit();
    const double perBatch = static_cast<double>(g_allocations.load() - before) / static_cast<double>(result.steps);

    std::printf("heap allocations per batch (784-256-256-10, batch %d): Model::trainStep %.2f, "
                "Trainer::fit %.2f (%lld steps, epoch set-up and end included)\n",
                kBatch, perStep, perBatch, result.steps);
    return 0;
}
