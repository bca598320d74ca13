// Writes one small trained model in the three checkpoint formats, plus the inputs, our own
// predictions and a plain description of the architecture, for keras_layout_check.py.
// Usage: cklab_write_keras_fixtures OUTDIR [--normalized | --conv]
// --normalized: the model standardises its inputs (data.standardize) with a leading Keras
// Normalization layer; the inputs are then on a raw scale far from the standardised one.
// --conv: a small convnet on 8x8x2 images (issue 17): Conv2D, MaxPooling2D, Conv2D with same
// padding and strides, BatchNormalization, AveragePooling2D (same), Flatten, Dropout, Dense.
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/io/CheckpointFile.h"
#include "core/model/Model.h"
#include "core/nn/LayerShapes.h"

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

LayerSpec windowLayer(LayerSpec::Kind kind, std::array<int, 2> size, Padding padding, std::array<int, 2> strides)
{
    LayerSpec l;
    l.kind = kind;
    (kind == LayerSpec::Kind::Conv2D ? l.kernelSize : l.poolSize) = size;
    l.padding = padding;
    l.strides = strides;
    return l;
}

void convnet(ModelSpec& spec)
{
    spec.name = "convnet";
    spec.inputShape = {8, 8, 2};
    spec.inputDim = 8 * 8 * 2;
    LayerSpec c1 = windowLayer(LayerSpec::Kind::Conv2D, {3, 3}, Padding::Valid, {0, 0});
    c1.filters = 4;
    c1.activation = Activation::Relu;
    LayerSpec c2 = windowLayer(LayerSpec::Kind::Conv2D, {2, 3}, Padding::Same, {2, 1});
    c2.filters = 3;
    c2.activation = Activation::Tanh;
    c2.name = "strided";
    LayerSpec bn;
    bn.kind = LayerSpec::Kind::BatchNormalization;
    bn.momentum = 0.5f; // moves the statistics visibly in 4 steps
    LayerSpec flatten;
    flatten.kind = LayerSpec::Kind::Flatten;
    LayerSpec dropout;
    dropout.kind = LayerSpec::Kind::Dropout;
    dropout.rate = 0.25f;
    spec.layers = {c1, windowLayer(LayerSpec::Kind::MaxPooling2D, {2, 2}, Padding::Valid, {0, 0}), c2, bn,
                   windowLayer(LayerSpec::Kind::AveragePooling2D, {2, 2}, Padding::Same, {0, 0}), flatten, dropout,
                   dense(3, Activation::Softmax)};
}

} // namespace

int main(int argc, char** argv)
{
    const bool normalized = argc == 3 && std::string(argv[2]) == "--normalized";
    const bool conv = argc == 3 && std::string(argv[2]) == "--conv";
    if (argc != 2 && !normalized && !conv) {
        std::cerr << "usage: cklab_write_keras_fixtures OUTDIR [--normalized | --conv]\n";
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
    if (conv)
        convnet(spec);
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
        if (conv) // pixel values in [0, 1)
            x.row(r) = x.row(r).array() * 0.25f + 0.5f;
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
    if (!spec.inputShape.empty())
        arch["input_shape"] = spec.inputShape;
    for (const auto& l : spec.layers) {
        nlohmann::json layer{{"class", std::string(layerClassName(l.kind))}, {"name", l.name}};
        switch (l.kind) {
        case LayerSpec::Kind::Dropout: layer["rate"] = l.rate; break;
        case LayerSpec::Kind::Dense:
            layer.update({{"units", l.units}, {"use_bias", l.useBias}, {"activation", std::string(activationName(l.activation))}});
            break;
        case LayerSpec::Kind::Conv2D:
            layer.update({{"filters", l.filters}, {"kernel_size", l.kernelSize}, {"strides", l.effectiveStrides()},
                          {"padding", std::string(paddingName(l.padding))}, {"use_bias", l.useBias},
                          {"activation", std::string(activationName(l.activation))}});
            break;
        case LayerSpec::Kind::MaxPooling2D:
        case LayerSpec::Kind::AveragePooling2D:
            layer.update({{"pool_size", l.poolSize}, {"strides", l.effectiveStrides()}, {"padding", std::string(paddingName(l.padding))}});
            break;
        case LayerSpec::Kind::BatchNormalization:
            layer.update({{"momentum", l.momentum}, {"epsilon", l.epsilon}, {"center", l.center}, {"scale", l.scale}});
            break;
        case LayerSpec::Kind::Reshape: layer["target_shape"] = l.targetShape; break;
        default: break;
        }
        arch["layers"].push_back(layer);
    }
    std::ofstream(dir / "arch.json") << arch.dump(2);
    std::cout << "wrote fixtures to " << dir.string() << "\n";
    return 0;
}
