// The training state of a BackupAndRestore backup (/checkpointlab/training_state, JSON): the
// input is that JSON, restored into a real trainer with a ModelCheckpoint, an EarlyStopping and
// the BackupAndRestore itself — what a resume does after the weights are loaded. A hostile backup
// must end in one of our errors, never a JSON library exception, a crash or an allocation the
// file only declared.
#include <cstdint>
#include <memory>
#include <string>

#include "core/base/JsonText.h"
#include "core/checkpoint/BackupAndRestore.h"
#include "core/checkpoint/CheckpointStore.h"
#include "core/checkpoint/ModelCheckpoint.h"
#include "core/data/Generators.h"
#include "core/train/EarlyStopping.h"
#include "core/model/Model.h"
#include "core/train/Trainer.h"
#include "tests/fuzz/FuzzCommon.h"

namespace {

struct Fixture {
    cklab::Dataset data;
    std::unique_ptr<cklab::Model> model;
    Fixture()
    {
        cklab::Rng rng(1);
        cklab::GeneratorParams params;
        params.samples = 20;
        params.features = 3;
        data = cklab::generateDataset("blobs", params, rng);
        cklab::ModelSpec spec;
        spec.inputDim = 3;
        cklab::LayerSpec dense;
        dense.units = 2;
        spec.layers.push_back(dense);
        cklab::CompileConfig compile; // the generator's labels are class indices
        compile.loss = cklab::LossKind::SparseCategoricalCrossentropy;
        model = std::make_unique<cklab::Model>(spec, compile);
        model->initialize(rng);
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static Fixture fixture;
    const std::string text(reinterpret_cast<const char*>(data), size);
    // The trainer and its callbacks are built outside the check, so a setup that fails aborts
    // loudly: it once failed for every input (a loss that did not fit the labels), and then no
    // input reached the restore while every replay still passed.
    cklab::TrainerConfig config;
    config.epochs = 3;
    config.batchSize = 4;
    cklab::Trainer trainer(*fixture.model, fixture.data, nullptr, config);
    cklab::CheckpointConfig checkpoint;
    checkpoint.filepath = "best.keras";
    trainer.callbacks().add(std::make_shared<cklab::ModelCheckpoint>(checkpoint, std::make_shared<cklab::SimulatedCheckpointStore>()));
    trainer.callbacks().add(std::make_shared<cklab::EarlyStopping>(cklab::EarlyStoppingConfig{}));
    auto backup = std::make_shared<cklab::BackupAndRestore>("backup", "epoch", false, &trainer);
    trainer.callbacks().add(backup);
    cklab::fuzz::expectClearError([&] {
        const nlohmann::json state = cklab::parseJsonText(text, "backup.weights.h5");
        backup->restoreTrainingState(state, "backup.weights.h5");
    });
    return 0;
}
