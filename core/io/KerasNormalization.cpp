#include "core/io/KerasNormalization.h"

#include "core/io/H5Util.h"

namespace cklab {

using h5::H5Failure;
using h5::Handle;

namespace {

std::vector<float> readVector(hid_t loc, const std::string& name, const std::string& path, int& features)
{
    const hsize_t bound = features > 0 ? static_cast<hsize_t>(features) : h5::kMaxDatasetElements;
    h5::FloatData d = h5::readFloats(loc, name, path, bound);
    if (d.dims.size() != 1)
        throw H5Failure(path, "expected a 1-D dataset of one value per feature, file has " + h5::shapeText(d.dims));
    if (features > 0 && d.dims[0] != static_cast<hsize_t>(features))
        throw H5Failure(path, "expected shape [" + std::to_string(features) + "] (the model's input width), file has "
                                  + h5::shapeText(d.dims));
    features = static_cast<int>(d.dims[0]);
    return std::move(d.values);
}

} // namespace

bool isNormalizationKey(const std::string& key)
{
    const std::string base = kNormalizationKey;
    if (key == base)
        return true;
    if (key.rfind(base + "_", 0) != 0 || key.size() == base.size() + 1)
        return false;
    return key.find_first_not_of("0123456789", base.size() + 1) == std::string::npos;
}

void writeNormalizationVars(std::int64_t vars, const InputNormalization& n, const std::string& varsPath)
{
    const std::vector<hsize_t> dims{static_cast<hsize_t>(n.mean.size())};
    h5::writeFloats(vars, "0", n.mean.data(), dims, varsPath + "/0");
    h5::writeFloats(vars, "1", n.variance.data(), dims, varsPath + "/1");
    // Keras 3 makes count an int32 scalar ("int" with the float32 policy).
    h5::writeScalarInt32(vars, "2", static_cast<std::int32_t>(n.count), varsPath + "/2");
}

std::optional<InputNormalization> readNormalizationVars(std::int64_t vars, const std::string& varsPath, int features)
{
    const std::vector<std::string> names = h5::children(vars, varsPath);
    if (names.empty())
        return std::nullopt;
    if (names != std::vector<std::string>{"0", "1", "2"})
        throw H5Failure(varsPath, "expected the Normalization variables 0 (mean), 1 (variance), 2 (count), file has "
                                      + std::to_string(names.size()) + " entries");
    InputNormalization n;
    n.mean = readVector(vars, "0", varsPath + "/0", features);
    n.variance = readVector(vars, "1", varsPath + "/1", features);
    n.count = h5::readScalarInt64(vars, "2", varsPath + "/2");
    return n;
}

void writeLegacyNormalization(std::int64_t modelWeights, const InputNormalization& n)
{
    const std::string name = kNormalizationKey;
    const std::string groupPath = "model_weights/" + name;
    Handle layer = h5::createGroup(modelWeights, name, groupPath);
    Handle inner = h5::createGroup(layer, name, groupPath + "/" + name);
    const std::vector<hsize_t> dims{static_cast<hsize_t>(n.mean.size())};
    h5::writeFloats(inner, "mean:0", n.mean.data(), dims, groupPath + "/" + name + "/mean:0");
    h5::writeFloats(inner, "variance:0", n.variance.data(), dims, groupPath + "/" + name + "/variance:0");
    h5::writeScalarInt64(inner, "count:0", n.count, groupPath + "/" + name + "/count:0"); // Keras 2: int64
    h5::writeStringListAttr(layer, "weight_names", {name + "/mean:0", name + "/variance:0", name + "/count:0"}, groupPath);
}

InputNormalization readLegacyNormalization(std::int64_t modelWeights, const std::string& layerName,
                                           const std::string& groupPath, int features)
{
    Handle layer = h5::openGroup(modelWeights, layerName, groupPath);
    const std::vector<std::string> names = h5::readStringListAttr(layer, "weight_names", groupPath);
    if (names.size() != 3)
        throw H5Failure(groupPath, "expected the Normalization weights mean, variance, count, file has "
                                       + std::to_string(names.size()) + " weights");
    InputNormalization n;
    n.mean = readVector(layer, names[0], groupPath + "/" + names[0], features);
    n.variance = readVector(layer, names[1], groupPath + "/" + names[1], features);
    n.count = h5::readScalarInt64(layer, names[2], groupPath + "/" + names[2]);
    return n;
}

} // namespace cklab
