// Tutorial example 2: keep the best full model by validation accuracy (max), with a
// validation step in the hand-written loop.
//
//   ckpt = ModelCheckpoint('model_checkpoint_ex2/best_model.keras', monitor='val_accuracy',
//                          save_best_only=True, mode='max', verbose=1)
//
// Usage: example2_best_on_val_accuracy <output dir>
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
    // The last 20 rows validate, as validation_split=0.2 would.
    const Eigen::Index nTrain = 80;
    const Matrix xTrain = data.x.topRows(nTrain), yTrain = data.y.topRows(nTrain);
    const Matrix xVal = data.x.bottomRows(data.x.rows() - nTrain), yVal = data.y.bottomRows(data.y.rows() - nTrain);

    ModelSpec spec;
    spec.inputDim = data.features();
    spec.layers = {LayerSpec{LayerSpec::Kind::Dense, 10, Activation::Relu},
                   LayerSpec{LayerSpec::Kind::Dense, 2, Activation::Softmax}};
    CompileConfig compile;
    compile.loss = LossKind::SparseCategoricalCrossentropy;
    compile.metrics = {"accuracy"};
    Model model(spec, compile);
    model.initialize(rng);

    CheckpointConfig config;
    config.filepath = (out / "model_checkpoint_ex2" / "best_model.keras").string();
    config.monitor = "val_accuracy";
    config.saveBestOnly = true;
    config.mode = "max";
    config.verbose = 1;
    ModelCheckpoint ckpt(config);
    ckpt.setModel(&model);

    for (int epoch = 0; epoch < 10; ++epoch) {
        Logs logs = model.trainStep(xTrain, yTrain, rng).means(model.metricNames());
        const Logs val = model.evaluate(xVal, yVal).means(model.metricNames(), "val_");
        logs.insert(val.begin(), val.end());
        ckpt.onEpochEnd(epoch, logs);
    }
    ckpt.onTrainEnd();
    return ckpt.lastError().empty() ? 0 : 1;
}
