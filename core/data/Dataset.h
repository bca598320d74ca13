#pragma once
/// In-memory data: features [n, d] and targets (encoding per loss, see core/loss/Loss.h).
#include <string>
#include <vector>

#include "core/nn/Tensor.h"

namespace cklab {

struct Dataset {
    Matrix x;                               ///< [n, d]
    Matrix y;                               ///< [n, k] one-hot / [n, 1] index / [n, k] values
    int numClasses = 0;                     ///< 0 for regression
    std::vector<std::string> featureNames;
    std::vector<std::string> classNames;    ///< index -> name (CSV string labels, Iris species)
    std::string source;                     ///< human description ("moons(n=200)", a file path)
    /// Shape of one sample: empty for tabular data ([d] implied); [H, W, C] for images, whose
    /// pixels are stored per row of x in channels-last order (H * W * C == d), exactly as
    /// numpy's x.reshape(n, -1) of a Keras (n, H, W, C) array.
    std::vector<int> sampleShape;

    long long size() const { return x.rows(); }
    int features() const { return static_cast<int>(x.cols()); }
    bool empty() const { return x.rows() == 0; }
};

} // namespace cklab
