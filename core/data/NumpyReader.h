#pragma once
/// Data from NumPy files: one .npy per array (np.save), or a .npz archive of named arrays
/// (np.savez / np.savez_compressed, as Keras' own mnist.npz: x_train, y_train, x_test, y_test).
/// x: (N, D) tabular, (N, H, W) grey images -> sampleShape [H, W, 1], (N, H, W, C) -> [H, W, C]
/// (channels last, each sample one row in C order). y: (N,) or (N, 1) class indices (any integer
/// type, bool, or integral floats) or (N, k) one-hot. Errors name the file (and the archive entry:
/// "data.npz:x_train.npy: ...") and what would be valid.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/data/Dataset.h"
#include "core/data/NpyFormat.h"

namespace cklab {

struct NumpyOptions {
    bool scale = true;                  ///< uint8 x divided by 255 into [0, 1]
    long long limit = 0;                ///< keep the first `limit` samples (0 = all)
    std::uint64_t maxBytes = kMaxNpyBytes;
};

/// x and y (already parsed) into a Dataset; `xName`/`yName` name them in errors.
Dataset numpyDataset(const NpyArray& x, const std::string& xName, const NpyArray& y, const std::string& yName,
                     const NumpyOptions& options = {});

/// x from `xFile`, y from `yFile` (two .npy files).
Dataset readNpyDataset(const std::filesystem::path& xFile, const std::filesystem::path& yFile,
                       const NumpyOptions& options = {});

/// Arrays `xKey` and `yKey` of a .npz archive (the keys np.savez was given, without ".npy").
/// A missing key lists the keys the archive holds.
Dataset readNpzDataset(const std::filesystem::path& archive, const std::string& xKey, const std::string& yKey,
                       const NumpyOptions& options = {});

/// The array names of a .npz archive, in archive order.
std::vector<std::string> npzKeys(const std::filesystem::path& archive);

} // namespace cklab
