#include "core/data/NumpyReader.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/base/Errors.h"
#include "core/data/DataFileError.h"
#include "core/io/ZipReader.h"

namespace cklab {

namespace {

constexpr const char* kEntrySuffix = ".npy";
constexpr long long kMaxClassIndex = 1000000;

[[noreturn]] void fail(const std::string& name, const std::string& problem)
{
    throw DataFileError(name, 0, "", problem);
}

/// Class indices of y into d.y [n, 1] and d.numClasses.
void readLabels(const NpyArray& y, const std::string& yName, Eigen::Index n, Dataset& d)
{
    const bool oneHot = y.shape.size() == 2 && y.shape[1] > 1;
    if (!(y.shape.size() == 1 || (y.shape.size() == 2 && y.shape[1] >= 1)))
        fail(yName, fmt::format("labels have shape {}; valid: (N,) or (N, 1) class indices, or (N, k) one-hot",
                                y.shapeText()));
    d.y.resize(n, 1);
    if (oneHot) {
        const std::uint64_t k = y.shape[1];
        for (Eigen::Index i = 0; i < n; ++i) {
            int hot = -1, ones = 0;
            bool others = false;
            for (std::uint64_t c = 0; c < k; ++c) {
                const double v = y.value(static_cast<std::uint64_t>(i) * k + c);
                if (v == 1.0) {
                    hot = static_cast<int>(c);
                    ++ones;
                } else if (v != 0.0) {
                    others = true;
                }
            }
            if (ones != 1 || others)
                fail(yName, fmt::format("row {} is not one-hot (exactly one 1, the rest 0)", i));
            d.y(i, 0) = static_cast<float>(hot);
        }
        d.numClasses = static_cast<int>(k);
        return;
    }
    double maxIndex = -1.0;
    for (Eigen::Index i = 0; i < n; ++i) {
        const double v = y.value(static_cast<std::uint64_t>(i) * (y.shape.size() == 2 ? y.shape[1] : 1));
        if (!(v >= 0.0) || v != std::floor(v) || v > static_cast<double>(kMaxClassIndex))
            fail(yName, fmt::format("row {}: {} is not a class index (an integer in [0, {}])", i, v, kMaxClassIndex));
        maxIndex = std::max(maxIndex, v);
        d.y(i, 0) = static_cast<float>(v);
    }
    d.numClasses = static_cast<int>(maxIndex) + 1;
}

} // namespace

Dataset numpyDataset(const NpyArray& x, const std::string& xName, const NpyArray& y, const std::string& yName,
                     const NumpyOptions& options)
{
    const std::size_t rank = x.shape.size();
    if (rank < 2 || rank > 4)
        fail(xName, fmt::format("samples have shape {}; valid: (N, D) tabular, (N, H, W) or (N, H, W, C) images",
                                x.shapeText()));
    if (x.shape[0] == 0)
        fail(xName, fmt::format("has no samples (shape {})", x.shapeText()));
    if (y.shape.empty() || y.shape[0] != x.shape[0])
        fail(yName, fmt::format("has {} labels (shape {}) but {} has {} samples", y.shape.empty() ? 0 : y.shape[0],
                                y.shapeText(), xName, x.shape[0]));
    const std::uint64_t perSample = x.count() / x.shape[0];
    if (perSample == 0 || perSample > static_cast<std::uint64_t>(std::numeric_limits<int>::max()))
        fail(xName, fmt::format("samples of shape {} have {} values each; valid: 1 to 2^31 - 1", x.shapeText(), perSample));
    std::uint64_t n = x.shape[0];
    if (options.limit > 0)
        n = std::min<std::uint64_t>(n, static_cast<std::uint64_t>(options.limit));

    Dataset d;
    d.source = xName;
    d.x.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(perSample));
    const bool scale = options.scale && x.kind == 'u' && x.itemSize == 1;
    const double factor = scale ? 1.0 / 255.0 : 1.0;
    float* out = d.x.data(); // row-major: sample i is row i in C order, as x.reshape(N, -1)
    for (std::uint64_t i = 0; i < n * perSample; ++i) {
        const double v = x.value(i);
        if (!std::isfinite(v))
            fail(xName, fmt::format("sample {} holds {}, not a finite number", i / perSample, v));
        out[i] = static_cast<float>(v * factor);
    }
    if (rank >= 3)
        d.sampleShape = {static_cast<int>(x.shape[1]), static_cast<int>(x.shape[2]),
                         rank == 4 ? static_cast<int>(x.shape[3]) : 1};
    readLabels(y, yName, static_cast<Eigen::Index>(n), d);
    for (int c = 0; c < d.numClasses; ++c)
        d.classNames.push_back(std::to_string(c));
    return d;
}

Dataset readNpyDataset(const std::filesystem::path& xFile, const std::filesystem::path& yFile, const NumpyOptions& options)
{
    const NpyArray x = readNpyFile(xFile, options.maxBytes);
    const NpyArray y = readNpyFile(yFile, options.maxBytes);
    Dataset d = numpyDataset(x, xFile.string(), y, yFile.string(), options);
    d.source = xFile.string();
    return d;
}

std::vector<std::string> npzKeys(const std::filesystem::path& archive)
{
    std::vector<std::string> keys;
    for (const auto& name : ZipReader(archive).entryNames())
        if (name.size() > 4 && name.compare(name.size() - 4, 4, kEntrySuffix) == 0)
            keys.push_back(name.substr(0, name.size() - 4));
    return keys;
}

Dataset readNpzDataset(const std::filesystem::path& archive, const std::string& xKey, const std::string& yKey,
                       const NumpyOptions& options)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(archive, ec))
        throw IoError(archive.string(), std::filesystem::exists(archive, ec) ? "not a file" : "no such file");
    const ZipReader zip(archive);
    const auto load = [&](const std::string& key) {
        const std::string entry = key + kEntrySuffix;
        if (!zip.contains(entry)) {
            std::string held;
            for (const auto& name : zip.entryNames())
                if (name.size() > 4 && name.compare(name.size() - 4, 4, kEntrySuffix) == 0)
                    held += (held.empty() ? "'" : ", '") + name.substr(0, name.size() - 4) + "'";
            throw IoError(archive.string(), fmt::format("no array '{}'; the archive holds {}", key,
                                                        held.empty() ? "no arrays (not a .npz file)" : held));
        }
        // The entry may hold a small header beyond the array's bytes.
        return parseNpy(zip.read(entry, options.maxBytes + (1u << 20)), archive.string() + ":" + entry,
                        options.maxBytes);
    };
    const NpyArray x = load(xKey);
    const NpyArray y = load(yKey);
    Dataset d = numpyDataset(x, archive.string() + ":" + xKey + kEntrySuffix, y, archive.string() + ":" + yKey + kEntrySuffix,
                             options);
    d.source = archive.string();
    return d;
}

} // namespace cklab
