#pragma once
/// Where the data comes from and how it is split and batched.
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/Dataset.h"

namespace cklab {

struct DataConfig {
    std::string source = "generator";   ///< "generator", "csv", "hdf5", "idx", "numpy" (.npy/.npz), "iris"
                                        ///< (shipped data set), "fashion_mnist" (Debian's dataset-fashion-mnist)
    std::string generator = "uniform";  ///< "uniform", "blobs", "moons", "circles", "spirals", "xor"
    int samples = 100;                  ///< generators
    int features = 5;                   ///< generators "uniform"/"blobs" (others are 2-D)
    int classes = 2;                    ///< generators "uniform"/"blobs"/"spirals"
    float noise = 0.1f;                 ///< generators: std-dev of the added noise
    std::string path;                   ///< csv/hdf5/.npz file, idx/.npy images (relative: to the project file's folder)
    std::string labelsPath;             ///< idx, numpy .npy: the labels file of `path`
    std::string labelColumn;            ///< csv: header name or 0-based index; empty = last column
    std::string xDataset = "X";         ///< hdf5 dataset path of features
    std::string yDataset = "y";         ///< hdf5 dataset path of labels
    std::string validationPath;         ///< optional separate validation file, same format as `path`
    std::string validationLabelsPath;   ///< idx, numpy .npy: the labels file of `validationPath`
    std::string xKey = "x_train";       ///< numpy .npz: the array of training samples
    std::string yKey = "y_train";       ///< numpy .npz: the array of training labels
    std::string validationXKey = "x_test"; ///< numpy .npz: validation samples; empty = none from the archive
    std::string validationYKey = "y_test"; ///< numpy .npz: validation labels (set exactly when validationXKey is)
    int limit = 0;                      ///< idx/fashion_mnist/numpy/hdf5: only the first N training samples (0 = all)
    bool scale = true;                  ///< uint8 images / 255 into [0, 1]: idx, fashion_mnist, numpy (any uint8 x),
                                        ///< hdf5 (uint8 x of rank 3 or 4; 2-D tables are read as they are)
    double validationSplit = 0.0;       ///< fraction in [0, 1) held out from the end, as Keras
    int batchSize = 32;                 ///< 0 = full batch
    bool shuffle = true;
    bool standardize = false;           ///< z-score with the training part's mean/std

    /// Source "numpy" with a path ending in ".npz" (any case): arrays chosen by key.
    bool numpyArchive() const;
    /// The shape of one sample when the source fixes it without reading a file (fashion_mnist:
    /// [28, 28, 1]); empty when only the data itself tells (files, generators).
    std::vector<int> knownSampleShape() const;
    /// Source "numpy" reading validation arrays from the .npz archive (validationXKey set).
    bool numpyArchiveValidation() const { return numpyArchive() && !validationXKey.empty(); }

    /// Every problem with its key, e.g. "data.validation_split: must be in [0, 1), got 1.5".
    std::vector<std::string> validate() const;
};

/// How labels become targets; chosen from the loss (see targetEncodingFor in core/data/DataLoader.h).
enum class TargetEncoding { OneHot, Index, Binary, Values };

struct DataSplit {
    Dataset train;
    Dataset validation;                 ///< empty when there is no validation data
    RowVector featureMean;              ///< standardisation statistics of the training part
    RowVector featureStd;               ///< (both empty when not standardised)
};

} // namespace cklab
