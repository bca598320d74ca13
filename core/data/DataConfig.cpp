#include "core/data/DataConfig.h"

#include <algorithm>
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

/// The keys of the "idx" and "fashion_mnist" sources: labels files, limit, scale.
void validateIdxKeys(const DataConfig& c, std::vector<std::string>& problems)
{
    const std::string& source = c.source;
    const bool idxLike = source == "idx" || source == "fashion_mnist";
    if (source == "idx") {
        if (c.labelsPath.empty())
            problems.push_back("data.labels_path: required for source \"idx\" (the *-idx1-ubyte file of data.path)");
        if (!c.validationPath.empty() && c.validationLabelsPath.empty())
            problems.push_back("data.validation_labels_path: required when data.validation_path is set for source \"idx\"");
        if (c.validationPath.empty() && !c.validationLabelsPath.empty())
            problems.push_back("data.validation_labels_path: set, but data.validation_path (its images) is not");
    } else {
        if (!c.labelsPath.empty())
            problems.push_back(fmt::format("data.labels_path: only for source \"idx\", not \"{}\"", source));
        if (!c.validationLabelsPath.empty())
            problems.push_back(fmt::format("data.validation_labels_path: only for source \"idx\", not \"{}\"", source));
    }
    if (c.limit < 0)
        problems.push_back(fmt::format("data.limit: must be >= 0 (0 = all samples), got {}", c.limit));
    else if (c.limit > 0 && !idxLike)
        problems.push_back(fmt::format("data.limit: only for sources \"idx\" and \"fashion_mnist\", not \"{}\"", source));
    if (!c.scale && !idxLike)
        problems.push_back(fmt::format("data.scale: only for sources \"idx\" and \"fashion_mnist\", not \"{}\"", source));
}

} // namespace

std::vector<std::string> DataConfig::validate() const
{
    std::vector<std::string> problems;
    static const std::vector<std::string> sources{"generator", "csv", "hdf5", "idx", "iris", "fashion_mnist"};
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

    const bool fileSource = source == "csv" || source == "hdf5" || source == "idx";
    if (fileSource && path.empty())
        problems.push_back(fmt::format("data.path: required for source \"{}\"", source));
    validateIdxKeys(*this, problems);
    if (source == "hdf5") {
        if (xDataset.empty())
            problems.push_back("data.x_dataset: required for source \"hdf5\"");
        if (yDataset.empty())
            problems.push_back("data.y_dataset: required for source \"hdf5\"");
    }
    if (!validationPath.empty() && knownSource && !fileSource)
        problems.push_back(fmt::format("data.validation_path: only for sources \"csv\", \"hdf5\" and \"idx\", not \"{}\"", source));

    if (source == "fashion_mnist" && validationSplit != 0.0)
        problems.push_back(fmt::format(
            "data.validation_split: must be 0 for source \"fashion_mnist\" (its test set is the validation data), got {}",
            validationSplit));
    else if (!(validationSplit >= 0.0 && validationSplit < 1.0))
        problems.push_back(fmt::format("data.validation_split: must be in [0, 1), got {}", validationSplit));
    else if (validationSplit > 0.0 && !validationPath.empty())
        problems.push_back(fmt::format(
            "data.validation_split: must be 0 when data.validation_path is set, got {}", validationSplit));
    if (batchSize < 0)
        problems.push_back(fmt::format("data.batch_size: must be >= 0 (0 = full batch), got {}", batchSize));
    return problems;
}

} // namespace cklab
