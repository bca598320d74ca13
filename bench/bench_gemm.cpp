// Float32 matrix-multiply throughput of Eigen as built here (the machine's own limit for the
// engine): C = A * B for the product shapes the benchmark workloads use, best of several runs.
// Usage: bench_gemm [threads]   (threads > 1 only has an effect in an OpenMP build)
#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "core/nn/Tensor.h"

namespace {

double gflops(Eigen::Index m, Eigen::Index k, Eigen::Index n)
{
    const cklab::Matrix a = cklab::Matrix::Random(m, k);
    const cklab::Matrix b = cklab::Matrix::Random(k, n);
    cklab::Matrix c(m, n);
    const double flop = 2.0 * static_cast<double>(m) * static_cast<double>(k) * static_cast<double>(n);
    // Enough repetitions for ~0.2 s of work at 20 GFLOP/s, at least 3.
    const int reps = std::max(3, static_cast<int>(4e9 / flop));
    double best = 1e30;
    for (int round = 0; round < 5; ++round) {
        const auto t0 = std::chrono::steady_clock::now();
        for (int r = 0; r < reps; ++r)
            c.noalias() = a * b;
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
    Eigen::setNbThreads(threads);
    std::printf("{\"eigen_threads\": %d, \"simd\": \"%s\", \"results\": [", Eigen::nbThreads(), Eigen::SimdInstructionSetsInUse());
    struct Shape { Eigen::Index m, k, n; const char* what; };
    const Shape shapes[] = {
        {128, 784, 256, "M forward layer 1"},
        {784, 128, 256, "M kernel gradient layer 1"},
        {256, 512, 512, "L forward hidden"},
        {1024, 1024, 1024, "square 1024"},
    };
    gflops(512, 512, 512); // warm-up (clock ramp, page faults): the first shape measured was 3-5x low
    bool first = true;
    for (const Shape& s : shapes) {
        std::printf("%s\n  {\"m\": %ld, \"k\": %ld, \"n\": %ld, \"what\": \"%s\", \"gflops\": %.2f}", first ? "" : ",",
                    static_cast<long>(s.m), static_cast<long>(s.k), static_cast<long>(s.n), s.what, gflops(s.m, s.k, s.n));
        first = false;
    }
    std::printf("\n]}\n");
    return 0;
}
