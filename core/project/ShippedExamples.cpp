#include "core/project/ShippedExamples.h"

// The texts below are copies of resources/examples/*.json (TestProjectJson::shippedExamplesMatchFiles
// fails when they drift apart). Edit the file, then paste it here between the delimiters.

namespace cklab {

namespace {
constexpr std::string_view kExample0 = R"json({
  "format_version": 1,
  "name": "Example 1: best weights on the training loss",
  "model": {
    "input_dim": 5,
    "layers": [
      {"type": "dense", "units": 10, "activation": "relu"},
      {"type": "dense", "units": 2, "activation": "softmax"}
    ]
  },
  "data": {
    "source": "generator",
    "generator": "uniform",
    "samples": 100,
    "features": 5,
    "classes": 2,
    "batch_size": "full",
    "shuffle": false
  },
  "training": {
    "epochs": 10,
    "seed": 42,
    "loss": "categorical_crossentropy",
    "metrics": ["accuracy"],
    "optimizer": {"type": "adam", "learning_rate": 0.001}
  },
  "checkpoints": [
    {
      "name": "best_on_loss",
      "filepath": "model_checkpoint_ex1/best.weights.h5",
      "monitor": "loss",
      "mode": "min",
      "save_best_only": true,
      "save_weights_only": true,
      "verbose": 1
    }
  ],
  "output_dir": "."
}
)json";

constexpr std::string_view kExample1 = R"json({
  "format_version": 1,
  "name": "Example 2: best full model on validation accuracy",
  "model": {
    "input_dim": 5,
    "layers": [
      {"type": "dense", "units": 10, "activation": "relu"},
      {"type": "dense", "units": 2, "activation": "softmax"}
    ]
  },
  "data": {
    "source": "generator",
    "generator": "uniform",
    "samples": 100,
    "features": 5,
    "classes": 2,
    "validation_split": 0.2,
    "batch_size": 16
  },
  "training": {
    "epochs": 10,
    "seed": 42,
    "loss": "categorical_crossentropy",
    "metrics": ["accuracy"],
    "optimizer": {"type": "adam", "learning_rate": 0.01}
  },
  "checkpoints": [
    {
      "name": "best_on_val_accuracy",
      "filepath": "model_checkpoint_ex2/best.keras",
      "monitor": "val_accuracy",
      "mode": "max",
      "save_best_only": true,
      "verbose": 1
    }
  ],
  "output_dir": "."
}
)json";

constexpr std::string_view kExample2 = R"json({
  "format_version": 1,
  "name": "Example 3: weights after every batch",
  "model": {
    "input_dim": 5,
    "layers": [
      {"type": "dense", "units": 10, "activation": "relu"},
      {"type": "dense", "units": 2, "activation": "softmax"}
    ]
  },
  "data": {
    "source": "generator",
    "generator": "uniform",
    "samples": 100,
    "features": 5,
    "classes": 2,
    "batch_size": 25
  },
  "training": {
    "epochs": 3,
    "seed": 42,
    "loss": "categorical_crossentropy",
    "metrics": ["accuracy"],
    "optimizer": {"type": "adam", "learning_rate": 0.001}
  },
  "checkpoints": [
    {
      "name": "every_batch",
      "filepath": "model_checkpoint_ex3/weights-e{epoch:02d}-b{batch:02d}.weights.h5",
      "save_weights_only": true,
      "save_freq": "batch",
      "verbose": 1
    }
  ],
  "output_dir": "."
}
)json";

constexpr std::string_view kExample3 = R"json({
  "format_version": 1,
  "name": "Comparing checkpoint policies on two moons",
  "model": {
    "input_dim": 2,
    "layers": [
      {"type": "dense", "units": 16, "activation": "relu"},
      {"type": "dense", "units": 16, "activation": "relu"},
      {"type": "dense", "units": 2, "activation": "softmax"}
    ]
  },
  "data": {
    "source": "generator",
    "generator": "moons",
    "samples": 400,
    "noise": 0.2,
    "validation_split": 0.25,
    "batch_size": 32
  },
  "training": {
    "epochs": 20,
    "seed": 7,
    "loss": "categorical_crossentropy",
    "metrics": ["accuracy"],
    "optimizer": {"type": "adam", "learning_rate": 0.01},
    "csv_logger": {"enabled": true, "filename": "training.log"}
  },
  "checkpoints": [
    {
      "name": "every_epoch_keep_3",
      "filepath": "every_epoch/epoch-{epoch:02d}.keras",
      "max_to_keep": 3
    },
    {
      "name": "best_val_loss",
      "filepath": "best_val_loss.keras",
      "monitor": "val_loss",
      "save_best_only": true,
      "verbose": 1
    },
    {
      "name": "best_val_accuracy",
      "filepath": "best_val_accuracy/e{epoch:02d}-acc{val_accuracy:.3f}.weights.h5",
      "monitor": "val_accuracy",
      "mode": "max",
      "save_best_only": true,
      "save_weights_only": true,
      "max_to_keep": 2
    },
    {
      "name": "every_25_batches",
      "filepath": "batches/e{epoch:02d}-b{batch:02d}.weights.h5",
      "save_weights_only": true,
      "save_freq": 25,
      "save_last": true
    }
  ],
  "output_dir": "runs/compare_policies"
}
)json";

} // namespace

const std::vector<ShippedExample>& shippedExamples()
{
    static const std::vector<ShippedExample> examples{
        {1, "example1_best_on_loss.json", kExample0},
        {2, "example2_best_on_val_accuracy.json", kExample1},
        {3, "example3_save_every_batch.json", kExample2},
        {0, "compare_policies.json", kExample3},
    };
    return examples;
}

const ShippedExample* shippedExample(int number)
{
    for (const auto& example : shippedExamples())
        if (number > 0 && example.number == number)
            return &example;
    return nullptr;
}

} // namespace cklab
