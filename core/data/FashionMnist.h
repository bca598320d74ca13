#pragma once
/// Fashion-MNIST (Xiao, Rasul, Vollgraf 2017: 28x28 grey images of 10 kinds of clothing) from
/// the files of Debian's package dataset-fashion-mnist: the official split, 60000 training
/// images and 10000 test images, the test set serving as validation data. Images are flattened
/// to 784 features (row-major), uint8 scaled to [0, 1] unless options.scale is false.
#include <filesystem>
#include <string>
#include <vector>

#include "core/data/DataConfig.h"
#include "core/data/IdxReader.h"

namespace cklab {

/// Where dataset-fashion-mnist installs its files.
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";
inline constexpr const char* kFashionMnistPackage = "dataset-fashion-mnist";

/// The folder the "fashion_mnist" source reads: $CKLAB_FASHION_MNIST_DIR when set and not empty
/// (the files somewhere else, or a test's folder), else kFashionMnistDir.
std::filesystem::path fashionMnistDir();

/// The ten class names, index = label (T-shirt/top ... Ankle boot).
const std::vector<std::string>& fashionMnistClassNames();

/// train = the first options.limit training images (all for 0), validation = all 10000 test
/// images. A missing folder or file is an IoError naming the folder and the apt package.
DataSplit loadFashionMnist(const IdxOptions& options, const std::filesystem::path& dir = fashionMnistDir());

} // namespace cklab
