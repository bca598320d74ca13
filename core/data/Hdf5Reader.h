#pragma once
/// HDF5 input: features and labels as two datasets of one file (paths such as "X", "/data/y").
/// x: 2-D (or images, see readHdf5Dataset), any integer or float type, converted to float32. y: 1-D class indices (integer or
/// integral floats), 2-D [n, 1] indices, or 2-D [n, k] one-hot. HDF5's own error printing is
/// switched off; errors are IoError "<file>: <what is wrong with which dataset>".
#include <filesystem>
#include <string>

#include "core/data/Dataset.h"

namespace cklab {

/// Reads x and y ([n, 1] class indices; numClasses = k for one-hot, else max index + 1).
/// x of shape (N, H, W) or (N, H, W, C) are images: one row each in C order, sampleShape
/// [H, W, 1] / [H, W, C]; uint8 images are divided by 255 when `scaleImages` (2-D x never is).
Dataset readHdf5Dataset(const std::filesystem::path& path, const std::string& xDataset = "X",
                        const std::string& yDataset = "y", bool scaleImages = true);

/// Reads one 2-D numeric dataset as float32 (1-D is read as one column). Used for prediction input.
Matrix readHdf5Matrix(const std::filesystem::path& path, const std::string& dataset);

} // namespace cklab
