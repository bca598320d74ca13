// Float32 matrix-multiply throughput of the engine's product kernels as built here (the machine's
// own limit for the engine): c = a * b for the product shapes of the benchmark workloads, best of
// several runs, for every instruction-set variant this CPU supports (core/nn/MatMul.h).
// Usage: bench_gemm [threads]   (threads > 1 only has an effect in an OpenMP build)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/nn/MatMul.h"
#include "core/nn/Parallelism.h"

namespace {

double gflops(Eigen::Index m, Eigen::Index k, Eigen::Index n)
{
    const cklab::Matrix a = cklab::Matrix::Random(m, k);
    const cklab::Matrix b = cklab::Matrix::Random(k, n);
    cklab::Matrix c(m, n);
    const double flop = 2.0 * static_cast<double>(m) * static_cast<double>(k) * static_cast<double>(n);
    // Enough repetitions for ~0.1 s of work at 40 GFLOP/s, at least 3.
    const int reps = std::max(3, static_cast<int>(4e9 / flop));
    double best = 1e30;
    for (int round = 0; round < 5; ++round) {
        const auto t0 = std::chrono::steady_clock::now();
        for (int r = 0; r < reps; ++r)
            cklab::matMul(a, b, c);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        best = std::min(best, s / reps);
    }
    volatile float sink = c(0, 0);
    (void)sink;
    return flop / best / 1e9;
}

} // namespace

int main(int argc, char** argv)
{
    const int threads = argc > 1 ? std::atoi(argv[1]) : 1;
    cklab::setThreadCount(threads);
    const cklab::MatMulIsa defaultIsa = cklab::matMulIsa();
    std::printf("{\"threads\": %d, \"default_isa\": \"%s\", \"results\": [", cklab::threadCount(),
                std::string(cklab::matMulIsaName(defaultIsa)).c_str());
    struct Shape { Eigen::Index m, k, n; const char* what; };
    const Shape shapes[] = {
        {128, 784, 256, "M forward layer 1"},
        {784, 128, 256, "M kernel gradient layer 1"},
        {256, 512, 512, "L forward hidden"},
        {1024, 1024, 1024, "square 1024"},
    };
    bool first = true;
    for (cklab::MatMulIsa isa : {cklab::MatMulIsa::Baseline, cklab::MatMulIsa::Avx2, cklab::MatMulIsa::Avx512}) {
        if (!cklab::matMulIsaSupported(isa))
            continue;
        cklab::setMatMulIsa(isa);
        gflops(512, 512, 512); // warm-up (clock ramp, page faults): the first shape measured was 3-5x low
        for (const Shape& s : shapes) {
            std::printf("%s\n  {\"isa\": \"%s\", \"m\": %ld, \"k\": %ld, \"n\": %ld, \"what\": \"%s\", \"gflops\": %.2f}",
                        first ? "" : ",", std::string(cklab::matMulIsaName(isa)).c_str(), static_cast<long>(s.m),
                        static_cast<long>(s.k), static_cast<long>(s.n), s.what, gflops(s.m, s.k, s.n));
            first = false;
        }
    }
    std::printf("\n]}\n");
    return 0;
}
