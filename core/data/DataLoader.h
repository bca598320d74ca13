#pragma once
/// From a DataConfig to training/validation data ready for the model: produce or read the
/// data, split off the validation part (the LAST fraction of the rows, as Keras' validation_split,
/// no shuffling before the split), standardise with the training part's statistics and encode
/// the targets for the loss. The "iris" source is the embedded Iris data in one fixed shuffled
/// row order (the file is sorted by species), the same for every seed.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/data/DataConfig.h"
#include "core/loss/Loss.h"
#include "core/nn/ModelSpec.h"

namespace cklab {

/// CCE -> OneHot, sparse CCE -> Index, BCE -> Binary, MSE/MAE -> OneHot (classification data).
TargetEncoding targetEncodingFor(LossKind loss);

/// The seed the generators get from a run's seed: differs from it so that weight
/// initialisation and data do not draw the same numbers.
constexpr std::uint64_t dataSeed(std::uint64_t seed) { return seed ^ 0x9E3779B97F4A7C15ULL; }

/// Everything: validated config (ConfigError), data (IoError/DataFileError), split, optional
/// standardisation, target encoding. Relative paths are resolved against `baseDir`.
DataSplit loadData(const DataConfig& config, TargetEncoding encoding, std::uint64_t seed,
                   const std::filesystem::path& baseDir);

/// The checks of loadData that need the disk but not the data: each data file of a csv/hdf5/idx
/// source (path, labels_path, validation_path, validation_labels_path) exists and is a file,
/// resolved as loadData resolves it; for "fashion_mnist", that the package's folder exists.
/// Messages name the field, the absolute path and the folder relative paths resolve against.
/// Empty for the other sources, or when `config` itself is invalid (validate() says why).
std::vector<std::string> checkDataFiles(const DataConfig& config, const std::filesystem::path& baseDir);

/// The steps of loadData, for callers that compose their own pipeline.
/// loadRawData: labels as an [n, 1] index column; `validation` filled only from validationPath.
/// `seed` is the RUN's seed, exactly as for loadData (dataSeed() is applied inside): pass the
/// same value to both and the preview shows the rows the run trains on.
DataSplit loadRawData(const DataConfig& config, std::uint64_t seed, const std::filesystem::path& baseDir);
/// Moves the last floor-complement rows (Keras: split_at = floor(n * (1 - fraction))) into
/// the validation set. Throws ConfigError if either part would be empty. fraction 0: no-op.
DataSplit splitValidation(Dataset data, double fraction);
/// z-scores x of both parts with the training part's per-column mean and (population) std;
/// columns with std 0 are only centred. Stores the statistics in split.featureMean/featureStd.
void standardize(DataSplit& split);
/// Only the statistics of standardize(), into split.featureMean/featureStd; the data stays raw.
void computeStandardization(DataSplit& split);
/// The Keras Normalization layer that standardises like applyStandardization() with these
/// statistics: variance s * s (1 for a constant column, which is only centred).
InputNormalization standardizationLayer(const RowVector& mean, const RowVector& std);
/// Applies stored statistics (e.g. to prediction input).
void applyStandardization(Matrix& x, const RowVector& mean, const RowVector& std);
/// Index column [n, 1] -> the encoding (OneHot [n, numClasses], Index/Values unchanged,
/// Binary [n, 1] 0/1 - needs numClasses == 2, else ConfigError).
void encodeTargets(Dataset& data, TargetEncoding encoding);
/// Class index of row i of y in any encoding (argmax for more than one column).
int classOfRow(const Matrix& y, Eigen::Index row);

/// What the GUI shows of a data set.
struct DataPreview {
    std::vector<std::string> columns;           ///< feature names then "label"
    std::vector<std::vector<std::string>> rows; ///< first rows, formatted, label as class name
    std::vector<long long> classCounts;         ///< per class index (empty for regression)
    std::vector<std::string> classNames;
    long long totalRows = 0;
    int features = 0;
};

DataPreview preview(const Dataset& data, int rows);

} // namespace cklab
