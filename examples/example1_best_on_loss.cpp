// Tutorial example 1: keep the best weights by training loss (min), loop written by hand.
//
//   ckpt = ModelCheckpoint('model_checkpoint_ex1/best.weights.h5', monitor='loss',
//                          save_best_only=True, save_weights_only=True, mode='min', verbose=1)
//
// (The tutorial's 'model_checkpoint_ex1/best_weights' is refused by Keras 3: a weights file must
// end in .weights.h5.) Usage: example1_best_on_loss <output dir>
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
    config.filepath = (out / "model_checkpoint_ex1" / "best.weights.h5").string();
    config.monitor = "loss";
    config.saveBestOnly = true;
    config.saveWeightsOnly = true;
    config.mode = "min";
    config.verbose = 1;
    ModelCheckpoint ckpt(config);
    ckpt.setModel(&model);

    for (int epoch = 0; epoch < 10; ++epoch) {
        // One gradient step on the whole data set per epoch, as in the tutorial.
        const MetricSums sums = model.trainStep(data.x, data.y, rng);
        const Logs logs = sums.means(model.metricNames());
        ckpt.onEpochEnd(epoch, {{"loss", logs.at("loss")}});
    }
    ckpt.onTrainEnd();
    return ckpt.lastError().empty() ? 0 : 1;
}
