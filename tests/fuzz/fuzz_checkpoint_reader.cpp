// Checkpoint files (.weights.h5, .keras, legacy .h5): the first byte picks the suffix, the rest
// is the file. Truncated, bit-flipped, wrong shapes, huge declared sizes: clear errors only.
// Read the way a file from outside is read: behind a forked child (readUntrustedCheckpoint), so
// libhdf5's own crashes and hangs on corrupt files become IoErrors. Coverage feedback comes from
// this process's second read, done only for files the child got through. A crash signal in the
// child just ends it; but an error that ASan detects there (a bad free() inside libhdf5, or a
// bug of ours) is still reported on stderr, and libFuzzer's death callback in the child saves
// the input as crash-<sha1>: triage those artifacts (docs/hardening.md).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "core/io/UntrustedCheckpoint.h"
#include "tests/fuzz/FuzzCommon.h"

namespace {

std::filesystem::path scratchDir()
{
    static const std::filesystem::path dir = [] {
        const std::filesystem::path base =
            std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
        auto d = base / ("cklab-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    return dir;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    static const char* suffixes[] = {"f.weights.h5", "f.keras", "f.h5"};
    const std::filesystem::path path = scratchDir() / suffixes[data[0] % 3];
    if (FILE* f = std::fopen(path.c_str(), "wb")) {
        std::fwrite(data + 1, 1, size - 1, f);
        std::fclose(f);
    }
    // 2 s: a valid checkpoint of this size reads in milliseconds; libFuzzer's -timeout is 10 s.
    cklab::fuzz::expectClearError([&] { (void)cklab::readUntrustedCheckpoint(path, std::chrono::seconds(2)); });
    return 0;
}
