// Checkpoint files (.weights.h5, .keras, legacy .h5): the first byte picks the suffix, the rest
// is the file. Truncated, bit-flipped, wrong shapes, huge declared sizes: clear errors only.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "core/io/CheckpointFile.h"
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
    cklab::fuzz::expectClearError([&] { (void)cklab::readCheckpoint(path); });
    return 0;
}
