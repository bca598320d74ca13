#pragma once
/// IDX files (the MNIST format of LeCun et al.; Fashion-MNIST uses it too), plain or gzip
/// compressed (".gz", read through zlib; a plain file is read the same way). Layout: magic
/// 00 00 <type> <rank>, then `rank` big-endian uint32 dimensions, then the values row-major.
/// Only type 0x08 (unsigned byte) is read. Every check names the file and what was expected:
/// the magic, each dimension (>= 1), the declared size against `maxBytes` and against the
/// data actually present (truncated, trailing bytes). Errors: IoError when the file cannot be
/// opened, DataFileError "<file>: <problem>" for its content.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/data/Dataset.h"

namespace cklab {

struct IdxOptions {
    bool scale = true;                      ///< uint8 / 255 into [0, 1]; false: the raw 0..255
    long long maxBytes = 1LL << 30;         ///< refuse files declaring more data than this
    long long limit = 0;                    ///< keep only the first `limit` records (0 = all)
};

/// The records of one IDX file: dims[0] records of the product of the other dims values each.
struct IdxArray {
    std::vector<std::uint32_t> dims;
    std::vector<std::uint8_t> values;       ///< row-major, the last dimension fastest
};

/// Reads and checks one IDX file (all of it: the trailing-bytes check needs the end).
IdxArray readIdxFile(const std::filesystem::path& path, long long maxBytes = IdxOptions{}.maxBytes);

/// Images (rank >= 2: N x H x W, N x H x W x C, ...) flattened per record, channels-last
/// row-major, into x [N, H*W*C]; labels (rank 1, N class indices) into y [N, 1]. The counts must
/// agree. numClasses = largest label + 1 (at least `minClasses`). sampleShape: [H, W, 1] for
/// rank 3, [H, W, C] for rank 4, empty (tabular) for rank 2 and above 4.
Dataset readIdxDataset(const std::filesystem::path& images, const std::filesystem::path& labels,
                       const IdxOptions& options = {}, int minClasses = 0);

} // namespace cklab
