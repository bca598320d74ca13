// Training throughput of Keras' "simple MNIST convnet" (Conv2D 32 3x3 relu, MaxPooling2D 2,
// Conv2D 64 3x3 relu, MaxPooling2D 2, Flatten, Dropout 0.5, Dense 10 softmax; Adam, categorical
// cross-entropy) on random 28x28x1 images, batch 128.
// Usage: bench_convnet [batches=40] [threads=1]
// Prints samples/s and the matrix-product kernels in use (CKLAB_ISA chooses them).
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>

#include "core/nn/MatMul.h"
#include "core/nn/Parallelism.h"
#include "core/model/Model.h"

using namespace cklab;

int main(int argc, char** argv)
{
    const int batches = argc > 1 ? std::atoi(argv[1]) : 40;
    const int threads = argc > 2 ? std::atoi(argv[2]) : 1;
    setThreadCount(threads);
    ModelSpec spec;
    spec.inputShape = {28, 28, 1};
    spec.inputDim = 784;
    auto conv = [](int filters) {
        LayerSpec l;
        l.kind = LayerSpec::Kind::Conv2D;
        l.filters = filters;
        l.kernelSize = {3, 3};
        l.activation = Activation::Relu;
        return l;
    };
    auto simple = [](LayerSpec::Kind kind) {
        LayerSpec l;
        l.kind = kind;
        return l;
    };
    LayerSpec dropout = simple(LayerSpec::Kind::Dropout);
    dropout.rate = 0.5f;
    LayerSpec dense;
    dense.units = 10;
    dense.activation = Activation::Softmax;
    spec.layers = {conv(32), simple(LayerSpec::Kind::MaxPooling2D), conv(64), simple(LayerSpec::Kind::MaxPooling2D),
                   simple(LayerSpec::Kind::Flatten), dropout, dense};
    Model model(spec, CompileConfig{});
    Rng rng(1);
    model.initialize(rng);
    const int batch = 128;
    Matrix x(batch, 784);
    Matrix y = Matrix::Zero(batch, 10);
    for (Eigen::Index i = 0; i < x.size(); ++i)
        x.data()[i] = rng.uniformFloat();
    for (int r = 0; r < batch; ++r)
        y(r, r % 10) = 1.0f;
    model.trainStep(x, y, rng); // warm-up: allocations, helper threads
    const std::clock_t cpuStart = std::clock();
    const auto start = std::chrono::steady_clock::now();
    for (int b = 0; b < batches; ++b)
        model.trainStep(x, y, rng);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double samplesPerSecond = batches * batch / seconds;
    // CPU time as well: on a shared machine the wall clock includes waiting for a core.
    const double cpuSeconds = double(std::clock() - cpuStart) / CLOCKS_PER_SEC;
    std::printf("mnist convnet: %d batches of %d in %.2f s on %d thread(s), kernels %s: %.0f samples/s, "
                "an epoch of 60000 in %.1f s\n",
                batches, batch, seconds, threadCount(), std::string(matMulIsaName(matMulIsa())).c_str(),
                samplesPerSecond, 60000.0 / samplesPerSecond);
    std::printf("  process CPU time %.2f s: %.0f samples per CPU-second\n", cpuSeconds, batches * batch / cpuSeconds);
    return 0;
}
