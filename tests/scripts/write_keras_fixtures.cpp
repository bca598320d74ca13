// Writes one small trained model in the three checkpoint formats, plus the inputs, our own
// predictions and a plain description of the architecture, for keras_layout_check.py.
// Usage: cklab_write_keras_fixtures OUTDIR [--normalized]
// --normalized: the model standardises its inputs (data.standardize) with a leading Keras
// Normalization layer; the inputs are then on a raw scale far from the standardised one.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/io/CheckpointFile.h"
#include "core/model/Model.h"

using namespace cklab;

namespace {

LayerSpec dense(int units, Activation activation, bool useBias = true, std::string name = {})
{
    LayerSpec l;
    l.units = units;
    l.activation = activation;
    l.useBias = useBias;
    l.name = std::move(name);
    return l;
}

void writeCsv(const std::filesystem::path& path, const Matrix& m)
{
    std::ofstream out(path);
    char buffer[32];
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        for (Eigen::Index c = 0; c < m.cols(); ++c) {
            std::snprintf(buffer, sizeof buffer, "%.9g", static_cast<double>(m(r, c)));
            out << (c ? "," : "") << buffer;
        }
        out << '\n';
    }
}

} // namespace

int main(int argc, char** argv)
{
    const bool normalized = argc == 3 && std::string(argv[2]) == "--normalized";
    if (argc != 2 && !normalized) {
        std::cerr << "usage: cklab_write_keras_fixtures OUTDIR [--normalized]\n";
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::filesystem::create_directories(dir);

    ModelSpec spec;
    spec.name = "mlp";
    spec.inputDim = 5;
    LayerSpec dropout;
    dropout.kind = LayerSpec::Kind::Dropout;
    dropout.rate = 0.2f;
    spec.layers = {dense(10, Activation::Relu), dropout, dense(7, Activation::Tanh, false, "hidden_no_bias"),
                   dense(3, Activation::Softmax)};
    const std::vector<float> mean{100.0f, -3.0f, 0.5f, 20.0f, 0.0f};
    const std::vector<float> scale{30.0f, 0.5f, 0.1f, 4.0f, 1.0f};
    if (normalized) {
        InputNormalization n;
        n.mean = mean;
        for (float s : scale)
            n.variance.push_back(s * s);
        spec.normalization = n;
    }
    CompileConfig compile;
    Model model(spec, compile);
    Rng rng(2024);
    model.initialize(rng);

    Matrix x(12, spec.inputDim);
    Matrix y = Matrix::Zero(12, 3);
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
        for (Eigen::Index c = 0; c < x.cols(); ++c) {
            x(r, c) = rng.uniform(-2.0f, 2.0f);
            if (normalized)
                x(r, c) = mean[std::size_t(c)] + scale[std::size_t(c)] * x(r, c);
        }
        y(r, r % 3) = 1.0f;
    }
    for (int step = 0; step < 4; ++step)
        model.trainStep(x, y, rng);

    SaveOptions options;
    options.trainingState = nlohmann::json{{"epoch", 1}, {"note", "fixture"}};
    for (const char* name : {"model.weights.h5", "model.keras", "model.h5"})
        saveCheckpoint(dir / name, model, options);
    writeCsv(dir / "inputs.csv", x);
    writeCsv(dir / "predictions.csv", model.predict(x));

    nlohmann::json arch = {{"input_dim", spec.inputDim}, {"name", spec.name}, {"optimizer", "adam"},
                           {"iterations", 4}, {"layers", nlohmann::json::array()}};
    if (spec.normalization)
        arch["normalization"] = {{"mean", spec.normalization->mean}, {"variance", spec.normalization->variance}};
    for (const auto& l : spec.layers) {
        if (l.kind == LayerSpec::Kind::Dropout)
            arch["layers"].push_back({{"class", "Dropout"}, {"rate", l.rate}});
        else
            arch["layers"].push_back({{"class", "Dense"}, {"units", l.units}, {"use_bias", l.useBias},
                                      {"activation", std::string(activationName(l.activation))}, {"name", l.name}});
    }
    std::ofstream(dir / "arch.json") << arch.dump(2);
    std::cout << "wrote fixtures to " << dir.string() << "\n";
    return 0;
}
