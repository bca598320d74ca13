#include "core/data/DataConfig.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "core/data/Generators.h"

namespace cklab {

namespace {

std::string quotedList(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "\"" : ", \"") + n + "\"";
    return out;
}

bool endsWithNoCase(const std::string& text, const std::string& suffix)
{
    if (text.size() < suffix.size())
        return false;
    return std::equal(suffix.begin(), suffix.end(), text.end() - static_cast<std::ptrdiff_t>(suffix.size()),
                      [](char s, char t) { return std::tolower(static_cast<unsigned char>(t)) == s; });
}

/// The keys of the image sources ("idx", "numpy", "fashion_mnist"): labels files, limit, scale.
void validateImageKeys(const DataConfig& c, std::vector<std::string>& problems)
{
    const std::string& source = c.source;
    const bool numpyFiles = source == "numpy" && !c.numpyArchive();
    const bool labelFiles = source == "idx" || numpyFiles;
    if (labelFiles) {
        const char* what = source == "idx" ? "the *-idx1-ubyte file of data.path" : "the .npy file of labels of data.path";
        if (c.labelsPath.empty())
            problems.push_back(fmt::format("data.labels_path: required for source \"{}\" ({})", source, what));
        if (!c.validationPath.empty() && c.validationLabelsPath.empty())
            problems.push_back(fmt::format(
                "data.validation_labels_path: required when data.validation_path is set for source \"{}\"", source));
        if (c.validationPath.empty() && !c.validationLabelsPath.empty())
            problems.push_back("data.validation_labels_path: set, but data.validation_path (its samples) is not");
    } else {
        const std::string whose = c.numpyArchive() ? "a .npz archive (its arrays are chosen by data.x_key and data.y_key)"
                                                   : "source \"" + source + "\"";
        if (!c.labelsPath.empty())
            problems.push_back(fmt::format("data.labels_path: only for source \"idx\" and .npy files, not {}", whose));
        if (!c.validationLabelsPath.empty())
            problems.push_back(
                fmt::format("data.validation_labels_path: only for source \"idx\" and .npy files, not {}", whose));
    }
    const bool limited = source == "idx" || source == "fashion_mnist" || source == "numpy" || source == "hdf5";
    if (c.limit < 0)
        problems.push_back(fmt::format("data.limit: must be >= 0 (0 = all samples), got {}", c.limit));
    else if (c.limit > 0 && !limited)
        problems.push_back(fmt::format(
            "data.limit: only for sources \"idx\", \"fashion_mnist\", \"numpy\" and \"hdf5\", not \"{}\"", source));
    if (!c.scale && !limited)
        problems.push_back(fmt::format(
            "data.scale: only for sources \"idx\", \"fashion_mnist\", \"numpy\" and \"hdf5\", not \"{}\"", source));
}

/// The keys of a .npz archive and the file names of source "numpy".
void validateNumpyKeys(const DataConfig& c, std::vector<std::string>& problems)
{
    if (c.source != "numpy")
        return;
    const auto numpyFile = [](const std::string& p) { return endsWithNoCase(p, ".npy") || endsWithNoCase(p, ".npz"); };
    if (!c.path.empty() && !numpyFile(c.path))
        problems.push_back(fmt::format("data.path: source \"numpy\" reads .npy or .npz files, got \"{}\"", c.path));
    if (!c.numpyArchive()) {
        if (!c.validationPath.empty() && !endsWithNoCase(c.validationPath, ".npy"))
            problems.push_back(fmt::format("data.validation_path: must be a .npy file like data.path, got \"{}\"",
                                           c.validationPath));
        return;
    }
    if (c.xKey.empty())
        problems.push_back("data.x_key: required for a .npz archive (the array of training samples, e.g. \"x_train\")");
    if (c.yKey.empty())
        problems.push_back("data.y_key: required for a .npz archive (the array of training labels, e.g. \"y_train\")");
    if (c.validationXKey.empty() != c.validationYKey.empty())
        problems.push_back(fmt::format(
            "data.{}: required with data.{} (both name validation arrays, or both are empty for none)",
            c.validationXKey.empty() ? "validation_x_key" : "validation_y_key",
            c.validationXKey.empty() ? "validation_y_key" : "validation_x_key"));
    if (!c.validationPath.empty())
        problems.push_back("data.validation_path: not for a .npz archive; its validation arrays are chosen by "
                           "data.validation_x_key and data.validation_y_key");
}

} // namespace

bool DataConfig::numpyArchive() const
{
    return source == "numpy" && endsWithNoCase(path, ".npz");
}

std::vector<std::string> DataConfig::validate() const
{
    std::vector<std::string> problems;
    static const std::vector<std::string> sources{"generator", "csv", "hdf5", "idx", "numpy", "iris", "fashion_mnist"};
    const bool knownSource = std::find(sources.begin(), sources.end(), source) != sources.end();
    if (!knownSource)
        problems.push_back(fmt::format("data.source: must be one of {}, got \"{}\"", quotedList(sources), source));

    if (source == "generator") {
        if (!isGeneratorName(generator)) {
            problems.push_back(fmt::format("data.generator: must be one of {}, got \"{}\"",
                                           quotedList(generatorNames()), generator));
        } else {
            if (generatorUsesFeatures(generator) && features <= 0)
                problems.push_back(fmt::format("data.features: must be > 0, got {}", features));
            if (generatorUsesClasses(generator) && classes < 2)
                problems.push_back(fmt::format("data.classes: must be >= 2 for generator \"{}\", got {}", generator, classes));
        }
        if (samples <= 0)
            problems.push_back(fmt::format("data.samples: must be > 0, got {}", samples));
        if (!std::isfinite(noise) || noise < 0.0f)
            problems.push_back(fmt::format("data.noise: must be a finite number >= 0, got {}", noise));
    }

    const bool fileSource = source == "csv" || source == "hdf5" || source == "idx" || source == "numpy";
    if (fileSource && path.empty())
        problems.push_back(fmt::format("data.path: required for source \"{}\"", source));
    validateImageKeys(*this, problems);
    validateNumpyKeys(*this, problems);
    if (source == "hdf5") {
        if (xDataset.empty())
            problems.push_back("data.x_dataset: required for source \"hdf5\"");
        if (yDataset.empty())
            problems.push_back("data.y_dataset: required for source \"hdf5\"");
    }
    if (!validationPath.empty() && knownSource && !fileSource)
        problems.push_back(fmt::format(
            "data.validation_path: only for sources \"csv\", \"hdf5\", \"idx\" and \"numpy\", not \"{}\"", source));

    if (source == "fashion_mnist" && validationSplit != 0.0)
        problems.push_back(fmt::format(
            "data.validation_split: must be 0 for source \"fashion_mnist\" (its test set is the validation data), got {}",
            validationSplit));
    else if (!(validationSplit >= 0.0 && validationSplit < 1.0))
        problems.push_back(fmt::format("data.validation_split: must be in [0, 1), got {}", validationSplit));
    else if (validationSplit > 0.0 && !validationPath.empty())
        problems.push_back(fmt::format(
            "data.validation_split: must be 0 when data.validation_path is set, got {}", validationSplit));
    else if (validationSplit > 0.0 && numpyArchiveValidation())
        problems.push_back(fmt::format("data.validation_split: must be 0 when data.validation_x_key names the "
                                       "archive's validation arrays (clear both validation keys to split), got {}",
                                       validationSplit));
    if (batchSize < 0)
        problems.push_back(fmt::format("data.batch_size: must be >= 0 (0 = full batch), got {}", batchSize));
    return problems;
}

std::vector<int> DataConfig::knownSampleShape() const
{
    if (source == "fashion_mnist")
        return {28, 28, 1};
    return {};
}

} // namespace cklab
