// Weights-only save of the 784-256-256-10 MLP (~1.1 MB) with fsync, against writing and
// fsyncing the same number of raw bytes in the same directory. Prints figures; not a test.
// Usage: bench_checkpoint_save [DIR] [N] [cold]   (default DIR: ./bench_checkpoint_tmp, N = 30;
//        cold: no writer warm-up before the first save)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "core/io/AtomicFile.h"
#include "core/io/CheckpointFile.h"
#include "core/io/SaveScratch.h"
#include "core/io/WeightsH5.h"
#include "core/model/Model.h"

using namespace cklab;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void rawWrite(const fs::path& path, const std::vector<char>& bytes)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || ::write(fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size()) || ::fsync(fd) != 0) {
        std::perror("raw write");
        std::exit(1);
    }
    ::close(fd);
}

struct Stats {
    double median, max;
};

Stats stats(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    const double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return {median, v.back()};
}

} // namespace

int main(int argc, char** argv)
{
    const fs::path dir = argc > 1 ? fs::path(argv[1]) : fs::current_path() / "bench_checkpoint_tmp";
    const int n = argc > 2 ? std::max(1, std::atoi(argv[2])) : 30;
    const bool cold = argc > 3 && std::string(argv[3]) == "cold"; // no warm-up: the first save pays it
    fs::create_directories(dir);

    ModelSpec spec;
    spec.inputDim = 784;
    for (int units : {256, 256, 10}) {
        LayerSpec l;
        l.units = units;
        l.activation = units == 10 ? Activation::Softmax : Activation::Relu;
        spec.layers.push_back(l);
    }
    Model model(spec, CompileConfig{});
    Rng rng(1);
    model.initialize(rng);
    SaveOptions weightsOnly;
    weightsOnly.includeOptimizer = false;

    const fs::path ckpt = dir / "bench.weights.h5";
    const fs::path raw = dir / "bench.raw";
    CheckpointContent content;
    content.spec = spec;
    for (const Matrix* m : model.network().variables())
        content.variables.push_back(*m);

    // The first save of a process. A training run's checkpoint policies warm the writer up when
    // training starts (warmUpCheckpointWriter: HDF5's start-up and the writer's first buffers,
    // no file); the first save comes after that. Then, for contrast, the first atomic write of
    // raw bytes into a directory nothing has been written to yet (the directory's creation is
    // committed by that first fsync).
    auto tFirst = Clock::now();
    if (!cold)
        (void)warmUpCheckpointWriter(ckpt.string(), model, weightsOnly);
    const double warmUpMs = cold ? 0.0 : msSince(tFirst);
    tFirst = Clock::now();
    const std::int64_t size = saveCheckpoint(ckpt, model, weightsOnly);
    const double firstSaveMs = msSince(tFirst);
    const fs::path freshDir = dir / "fresh";
    fs::create_directories(freshDir);
    const std::vector<char> firstBytes(static_cast<std::size_t>(size), '\x5a');
    tFirst = Clock::now();
    writeBytesAtomically(freshDir / "first.raw", firstBytes.data(), firstBytes.size());
    const double freshDirWriteMs = msSince(tFirst);
    tFirst = Clock::now();
    writeBytesAtomically(freshDir / "second.raw", firstBytes.data(), firstBytes.size());
    const double secondWriteMs = msSince(tFirst);
    const std::vector<char> bytes(static_cast<std::size_t>(size), '\x5a');
    rawWrite(raw, bytes);

    // As a training run saves (FileCheckpointStore): one scratch, paged in by the warm-up.
    SaveScratch scratch;
    (void)warmUpCheckpointWriter(ckpt.string(), model, weightsOnly, scratch);
    SaveScratch imageScratch;
    weightsH5Image(content, ckpt.string(), imageScratch);

    // Interleaved so that disk hiccups hit all alike.
    std::vector<double> saveMs, freshMs, rawMs, atomicMs, imageMs;
    for (int i = 0; i < n; ++i) {
        auto t0 = Clock::now();
        saveCheckpoint(ckpt, model, weightsOnly, scratch);
        saveMs.push_back(msSince(t0));
        t0 = Clock::now();
        saveCheckpoint(ckpt, model, weightsOnly); // fresh memory for every save (before issue 7's fix)
        freshMs.push_back(msSince(t0));
        t0 = Clock::now();
        rawWrite(raw, bytes);
        rawMs.push_back(msSince(t0));
        t0 = Clock::now();
        writeBytesAtomically(raw, bytes.data(), bytes.size());
        atomicMs.push_back(msSince(t0));
        t0 = Clock::now();
        weightsH5Image(content, ckpt.string(), imageScratch); // reused memory, as in the save above
        imageMs.push_back(msSince(t0));
    }
    const Stats s = stats(saveMs);
    const Stats f = stats(freshMs);
    const Stats r = stats(rawMs);
    const Stats a = stats(atomicMs);
    const Stats im = stats(imageMs);
    std::printf("model 784-256-256-10, %lld parameters, file %lld bytes, N=%d, dir %s\n", model.network().parameterCount(),
                static_cast<long long>(size), n, dir.string().c_str());
    std::printf("checkpoint save (.weights.h5, atomic, fsync): median %8.3f ms  max %8.3f ms\n", s.median, s.max);
    std::printf("  the same in fresh memory every save:        median %8.3f ms  max %8.3f ms\n", f.median, f.max);
    std::printf("raw write + fsync of the same bytes:          median %8.3f ms  max %8.3f ms\n", r.median, r.max);
    std::printf("  of which: HDF5 image in memory:             median %8.3f ms  max %8.3f ms\n", im.median, im.max);
    std::printf("  of which: raw bytes, atomic (temp, fsync, rename, dir fsync): median %8.3f ms  max %8.3f ms\n",
                a.median, a.max);
    std::printf("ratio of medians: %.2fx (target <= 2x)\n", s.median / r.median);
    std::printf("first in this process: writer warm-up (HDF5 start-up, first buffers; at training start) %.3f ms, "
                "then first save %.3f ms\n", warmUpMs, firstSaveMs);
    std::printf("atomic raw write of the same bytes into a fresh directory: first %.3f ms, second %.3f ms\n",
                freshDirWriteMs, secondWriteMs);
    std::error_code ec;
    fs::remove(ckpt, ec);
    fs::remove(raw, ec);
    fs::remove(freshDir / "first.raw", ec);
    fs::remove(freshDir / "second.raw", ec);
    fs::remove(freshDir, ec);
    fs::remove(dir, ec); // only if empty: never deletes a user's directory content

    return 0;
}
