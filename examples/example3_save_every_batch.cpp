// Tutorial example 3: a checkpoint after every batch, with the batch number in the file name.
//
//   ckpt = ModelCheckpoint('model_checkpoint_ex3/model_e{epoch:02d}_b{batch:02d}.weights.h5',
//                          save_weights_only=True, save_freq='batch', verbose=1)
//   ... ckpt.on_batch_end(batch, logs) ...
//
// save_freq='batch' and on_batch_end are accepted here (Keras rejects the first and ignores the
// second for this callback). 2 epochs x 4 batches of 32 (the last one 4 rows) = 8 files.
// Usage: example3_save_every_batch <output dir>
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "core/checkpoint/ModelCheckpoint.h"
#include "core/data/Generators.h"
#include "core/nn/Rng.h"
#include "core/model/Model.h"

using namespace cklab;

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s <output dir>\n", argv[0]);
        return 2;
    }
    const std::filesystem::path out(argv[1]);

    Rng rng(42);
    GeneratorParams params;  // n = 100, d = 5, 2 classes
    const Dataset data = generateUniform(params, rng);

    ModelSpec spec;
    spec.inputDim = data.features();
    spec.layers = {LayerSpec{LayerSpec::Kind::Dense, 10, Activation::Relu},
                   LayerSpec{LayerSpec::Kind::Dense, 2, Activation::Softmax}};
    CompileConfig compile;
    compile.loss = LossKind::SparseCategoricalCrossentropy;
    Model model(spec, compile);
    model.initialize(rng);

    CheckpointConfig config;
    config.filepath = (out / "model_checkpoint_ex3" / "model_e{epoch:02d}_b{batch:02d}.weights.h5").string();
    config.saveWeightsOnly = true;
    config.saveFreq = "batch";
    config.verbose = 1;
    ModelCheckpoint ckpt(config);
    ckpt.setModel(&model);

    const int batchSize = 32;
    const auto n = static_cast<int>(data.x.rows());
    for (int epoch = 0; epoch < 2; ++epoch) {
        ckpt.onEpochBegin(epoch);  // optional, but without it every save says epoch 1
        MetricSums running;  // logs are running means since the epoch began, as Keras passes them
        for (int batch = 0; batch * batchSize < n; ++batch) {
            const int start = batch * batchSize;
            const int rows = std::min(batchSize, n - start);
            running.add(model.trainStep(data.x.middleRows(start, rows), data.y.middleRows(start, rows), rng));
            ckpt.onBatchEnd(batch, running.means(model.metricNames()));
        }
    }
    ckpt.onTrainEnd();
    return ckpt.lastError().empty() ? 0 : 1;
}
