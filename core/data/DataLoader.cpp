#include "core/data/DataLoader.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/base/Errors.h"
#include "core/data/CsvReader.h"
#include "core/data/FashionMnist.h"
#include "core/data/Generators.h"
#include "core/data/Hdf5Reader.h"
#include "core/data/IdxReader.h"
#include "core/data/IrisData.h"
#include "core/data/NumpyReader.h"
#include "core/nn/Rng.h"

namespace cklab {

namespace {

constexpr std::uint64_t kIrisOrderSeed = 1936;

std::filesystem::path resolve(const std::string& path, const std::filesystem::path& baseDir)
{
    std::filesystem::path p(path);
    return p.is_absolute() || baseDir.empty() ? p : baseDir / p;
}

IdxOptions idxOptions(const DataConfig& c)
{
    IdxOptions o;
    o.scale = c.scale;
    o.limit = c.limit;
    return o;
}

/// "[28, 28, 1]"; "[d] (tabular)" for an empty shape.
std::string shapeText(const std::vector<int>& shape)
{
    if (shape.empty())
        return "[d] (tabular)";
    std::string out;
    for (int d : shape)
        out += (out.empty() ? "[" : ", ") + std::to_string(d);
    return out + "]";
}

Dataset takeRows(const Dataset& d, Eigen::Index first, Eigen::Index count)
{
    Dataset out = d;
    out.x = d.x.middleRows(first, count);
    out.y = d.y.middleRows(first, count);
    return out;
}

/// The validation part has the training part's features and sample shape; both share one class
/// numbering: the larger one (the validation file may have appended class names, or carry a
/// higher index).
void checkValidationMatches(DataSplit& split, const std::string& valFile)
{
    if (split.validation.features() != split.train.features())
        throw IoError(valFile, fmt::format("has {} feature columns but the training data has {}",
                                           split.validation.features(), split.train.features()));
    if (split.validation.sampleShape != split.train.sampleShape)
        throw IoError(valFile, fmt::format("holds samples of shape {} but the training data's are {}",
                                           shapeText(split.validation.sampleShape), shapeText(split.train.sampleShape)));
    const int k = std::max(split.train.numClasses, split.validation.numClasses);
    split.train.numClasses = split.validation.numClasses = k;
    if (split.validation.classNames.size() > split.train.classNames.size())
        split.train.classNames = split.validation.classNames;
    else
        split.validation.classNames = split.train.classNames;
}

NumpyOptions numpyOptions(const DataConfig& c, bool training)
{
    NumpyOptions o;
    o.scale = c.scale;
    o.limit = training ? c.limit : 0;
    return o;
}

/// `labels` is the idx/.npy labels file of `file`; `training`: data.limit applies.
Dataset readFile(const DataConfig& c, const std::filesystem::path& file, const std::filesystem::path& labels,
                 bool training, const std::vector<std::string>& knownClasses)
{
    if (c.source == "csv")
        return readCsvDataset(file, c.labelColumn, knownClasses);
    if (c.source == "idx") {
        IdxOptions o = idxOptions(c);
        if (!training)
            o.limit = 0;
        return readIdxDataset(file, labels, o);
    }
    if (c.source == "numpy")
        return readNpyDataset(file, labels, numpyOptions(c, training));
    Dataset d = readHdf5Dataset(file, c.xDataset, c.yDataset, c.scale);
    if (training && c.limit > 0 && d.size() > c.limit)
        d = takeRows(d, 0, c.limit);
    return d;
}

} // namespace

TargetEncoding targetEncodingFor(LossKind loss)
{
    switch (loss) {
    case LossKind::CategoricalCrossentropy: return TargetEncoding::OneHot;
    case LossKind::SparseCategoricalCrossentropy: return TargetEncoding::Index;
    case LossKind::BinaryCrossentropy: return TargetEncoding::Binary;
    case LossKind::MeanSquaredError:
    case LossKind::MeanAbsoluteError: return TargetEncoding::OneHot;
    }
    return TargetEncoding::OneHot;
}

std::vector<std::string> checkDataFiles(const DataConfig& c, const std::filesystem::path& baseDir)
{
    std::vector<std::string> problems;
    if ((c.source != "csv" && c.source != "hdf5" && c.source != "idx" && c.source != "numpy" &&
         c.source != "fashion_mnist") ||
        !c.validate().empty())
        return problems;
    if (c.source == "fashion_mnist") {
        std::error_code ec;
        const std::filesystem::path dir = fashionMnistDir();
        if (!std::filesystem::is_directory(dir, ec))
            problems.push_back(fmt::format("data.source: \"fashion_mnist\" reads {}, which does not exist "
                                           "(install the Debian package {}: sudo apt-get install {})",
                                           dir.string(), kFashionMnistPackage, kFashionMnistPackage));
        return problems;
    }
    const auto check = [&](const char* field, const std::string& path) {
        if (path.empty())
            return;
        const std::filesystem::path file = std::filesystem::absolute(resolve(path, baseDir)).lexically_normal();
        std::error_code ec;
        const auto status = std::filesystem::status(file, ec);
        std::string why;
        if (!std::filesystem::exists(status))
            why = "no such file";
        else if (!std::filesystem::is_regular_file(status))
            why = "not a file";
        else
            return;
        std::string message = std::string("data.") + field + ": " + why + ": " + file.string();
        if (std::filesystem::path(path).is_relative() && !baseDir.empty())
            message += " (relative paths resolve against " + baseDir.string() + ")";
        problems.push_back(message);
    };
    check("path", c.path);
    check("labels_path", c.labelsPath);
    check("validation_path", c.validationPath);
    check("validation_labels_path", c.validationLabelsPath);
    return problems;
}

DataSplit loadRawData(const DataConfig& c, std::uint64_t seed, const std::filesystem::path& baseDir)
{
    throwIfInvalid(c.validate());
    DataSplit split;
    if (c.source == "generator") {
        Rng rng(dataSeed(seed));
        split.train = generateDataset(c.generator, GeneratorParams{c.samples, c.features, c.classes, c.noise}, rng);
    } else if (c.source == "iris") {
        split.train = parseCsvDataset(irisCsvText(), "iris.csv");
        split.train.source = "iris (R. A. Fisher, 1936)";
        // The file is sorted by species; a fixed permutation (independent of the run's seed)
        // lets a validation split from the end hold all three species.
        Rng order(kIrisOrderSeed);
        shuffleRows(split.train, order);
    } else if (c.source == "fashion_mnist") {
        split = loadFashionMnist(idxOptions(c), fashionMnistDir());
    } else if (c.numpyArchive()) {
        const std::filesystem::path archive = resolve(c.path, baseDir);
        split.train = readNpzDataset(archive, c.xKey, c.yKey, numpyOptions(c, true));
        if (c.numpyArchiveValidation()) {
            split.validation = readNpzDataset(archive, c.validationXKey, c.validationYKey, numpyOptions(c, false));
            checkValidationMatches(split, archive.string() + ":" + c.validationXKey + ".npy");
        }
    } else {
        split.train = readFile(c, resolve(c.path, baseDir), resolve(c.labelsPath, baseDir), true, {});
        if (!c.validationPath.empty()) {
            split.validation = readFile(c, resolve(c.validationPath, baseDir), resolve(c.validationLabelsPath, baseDir),
                                        false, split.train.classNames);
            checkValidationMatches(split, resolve(c.validationPath, baseDir).string());
        }
    }
    return split;
}

DataSplit splitValidation(Dataset data, double fraction)
{
    DataSplit split;
    if (fraction <= 0.0) {
        split.train = std::move(data);
        return split;
    }
    const long long n = data.size();
    // Keras 3: split_at = int(math.floor(num_samples * (1.0 - validation_split))).
    const auto splitAt = static_cast<long long>(std::floor(static_cast<double>(n) * (1.0 - fraction)));
    if (splitAt <= 0 || splitAt >= n)
        throw ConfigError({fmt::format("data.validation_split: {} of {} rows leaves an empty {} set", fraction, n,
                                       splitAt <= 0 ? "training" : "validation")});
    split.train = takeRows(data, 0, splitAt);
    split.validation = takeRows(data, splitAt, n - splitAt);
    return split;
}

void computeStandardization(DataSplit& split)
{
    const Matrix& x = split.train.x;
    if (x.rows() == 0)
        return;
    // Accumulate in double: float sums of many rows lose digits the z-score then amplifies.
    const Eigen::MatrixXd xd = x.cast<double>();
    const Eigen::RowVectorXd mean = xd.colwise().mean();
    const Eigen::RowVectorXd var = (xd.rowwise() - mean).array().square().colwise().mean();
    split.featureMean = mean.cast<float>();
    split.featureStd = var.array().sqrt().cast<float>();
}

InputNormalization standardizationLayer(const RowVector& mean, const RowVector& std)
{
    InputNormalization n;
    for (Eigen::Index j = 0; j < mean.size(); ++j) {
        n.mean.push_back(mean(j));
        // sqrt(s * s) == s in float: the layer divides by exactly the s applyStandardization()
        // divides by; a constant column (s = 0) is divided by 1, as there.
        const float s = std(j);
        n.variance.push_back(s > 0.0f ? s * s : 1.0f);
    }
    return n;
}

void standardize(DataSplit& split)
{
    computeStandardization(split);
    if (split.train.x.rows() == 0)
        return;
    applyStandardization(split.train.x, split.featureMean, split.featureStd);
    if (!split.validation.empty())
        applyStandardization(split.validation.x, split.featureMean, split.featureStd);
}

void applyStandardization(Matrix& x, const RowVector& mean, const RowVector& std)
{
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
        const float s = std(j) > 0.0f ? std(j) : 1.0f;
        x.col(j) = (x.col(j).array() - mean(j)) / s;
    }
}

void encodeTargets(Dataset& data, TargetEncoding encoding)
{
    if (encoding == TargetEncoding::Index || encoding == TargetEncoding::Values)
        return;
    if (encoding == TargetEncoding::Binary) {
        if (data.numClasses != 2)
            throw ConfigError({fmt::format("loss: binary_crossentropy needs data with exactly 2 classes, {} has {}",
                                           data.source, data.numClasses)});
        return; // the index column already is the 0/1 column
    }
    Matrix oneHot = Matrix::Zero(data.y.rows(), data.numClasses);
    for (Eigen::Index i = 0; i < data.y.rows(); ++i)
        oneHot(i, static_cast<Eigen::Index>(data.y(i, 0))) = 1.0f;
    data.y = std::move(oneHot);
}

DataSplit loadData(const DataConfig& c, TargetEncoding encoding, std::uint64_t seed, const std::filesystem::path& baseDir)
{
    DataSplit raw = loadRawData(c, seed, baseDir);
    DataSplit split;
    if (raw.validation.empty()) {
        split = splitValidation(std::move(raw.train), c.validationSplit);
    } else {
        split = std::move(raw);
    }
    if (c.standardize)
        standardize(split);
    encodeTargets(split.train, encoding);
    if (!split.validation.empty())
        encodeTargets(split.validation, encoding);
    return split;
}

int classOfRow(const Matrix& y, Eigen::Index row)
{
    if (y.cols() == 1)
        return static_cast<int>(std::lround(y(row, 0)));
    Eigen::Index best = 0;
    y.row(row).maxCoeff(&best);
    return static_cast<int>(best);
}

DataPreview preview(const Dataset& data, int rows)
{
    DataPreview p;
    p.totalRows = data.size();
    p.features = data.features();
    p.classNames = data.classNames;
    for (int j = 0; j < data.features(); ++j)
        p.columns.push_back(j < static_cast<int>(data.featureNames.size()) ? data.featureNames[static_cast<std::size_t>(j)]
                                                                          : fmt::format("x{}", j));
    p.columns.push_back("label");
    if (data.numClasses > 0)
        p.classCounts.assign(static_cast<std::size_t>(data.numClasses), 0);
    for (Eigen::Index i = 0; i < data.x.rows(); ++i) {
        const int c = data.y.rows() == data.x.rows() && data.y.cols() > 0 ? classOfRow(data.y, i) : -1;
        if (c >= 0 && c < static_cast<int>(p.classCounts.size()))
            ++p.classCounts[static_cast<std::size_t>(c)];
        if (i >= rows)
            continue;
        std::vector<std::string> cells;
        for (Eigen::Index j = 0; j < data.x.cols(); ++j)
            cells.push_back(fmt::format("{:.4g}", data.x(i, j)));
        if (c >= 0 && c < static_cast<int>(data.classNames.size()))
            cells.push_back(data.classNames[static_cast<std::size_t>(c)]);
        else
            cells.push_back(c >= 0 ? std::to_string(c) : "");
        p.rows.push_back(std::move(cells));
    }
    return p;
}

} // namespace cklab
