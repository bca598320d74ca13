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

} // namespace

std::vector<std::string> DataConfig::validate() const
{
    std::vector<std::string> problems;
    static const std::vector<std::string> sources{"generator", "csv", "hdf5", "iris"};
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

    const bool fileSource = source == "csv" || source == "hdf5";
    if (fileSource && path.empty())
        problems.push_back(fmt::format("data.path: required for source \"{}\"", source));
    if (source == "hdf5") {
        if (xDataset.empty())
            problems.push_back("data.x_dataset: required for source \"hdf5\"");
        if (yDataset.empty())
            problems.push_back("data.y_dataset: required for source \"hdf5\"");
    }
    if (!validationPath.empty() && knownSource && !fileSource)
        problems.push_back(fmt::format("data.validation_path: only for sources \"csv\" and \"hdf5\", not \"{}\"", source));

    if (!(validationSplit >= 0.0 && validationSplit < 1.0))
        problems.push_back(fmt::format("data.validation_split: must be in [0, 1), got {}", validationSplit));
    else if (validationSplit > 0.0 && !validationPath.empty())
        problems.push_back(fmt::format(
            "data.validation_split: must be 0 when data.validation_path is set, got {}", validationSplit));
    if (batchSize < 0)
        problems.push_back(fmt::format("data.batch_size: must be >= 0 (0 = full batch), got {}", batchSize));
    return problems;
}

} // namespace cklab
