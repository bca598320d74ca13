#include "core/data/FashionMnist.h"

#include <cstdlib>

#include <fmt/format.h>

#include "core/base/Errors.h"

namespace cklab {

namespace {

/// Debian ships the upstream .gz files; an unpacked copy of the same name works as well.
std::filesystem::path findFile(const std::filesystem::path& dir, const std::string& name)
{
    std::error_code ec;
    for (const std::string& candidate : {name + ".gz", name}) {
        if (std::filesystem::is_regular_file(dir / candidate, ec))
            return dir / candidate;
    }
    const bool folder = std::filesystem::is_directory(dir, ec);
    throw IoError((dir / (name + ".gz")).string(),
                  fmt::format("{}; data.source \"fashion_mnist\" reads the files of the Debian package {} "
                              "(install it with: sudo apt-get install {})",
                              folder ? "no such file in " + dir.string() : "no folder " + dir.string(),
                              kFashionMnistPackage, kFashionMnistPackage));
}

Dataset readPart(const std::filesystem::path& dir, const std::string& prefix, const IdxOptions& options)
{
    Dataset d = readIdxDataset(findFile(dir, prefix + "-images-idx3-ubyte"), findFile(dir, prefix + "-labels-idx1-ubyte"),
                               options, 10);
    if (d.numClasses != 10)
        throw IoError((dir / (prefix + "-labels-idx1-ubyte")).string(),
                      fmt::format("has labels up to {}; Fashion-MNIST has 10 classes (0-9)", d.numClasses - 1));
    d.classNames = fashionMnistClassNames();
    d.source = fmt::format("Fashion-MNIST {} ({})", prefix == "train" ? "training set" : "test set", dir.string());
    return d;
}

} // namespace

std::filesystem::path fashionMnistDir()
{
    const char* dir = std::getenv("CKLAB_FASHION_MNIST_DIR");
    return dir != nullptr && *dir != '\0' ? std::filesystem::path(dir) : std::filesystem::path(kFashionMnistDir);
}

const std::vector<std::string>& fashionMnistClassNames()
{
    static const std::vector<std::string> names{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    return names;
}

DataSplit loadFashionMnist(const IdxOptions& options, const std::filesystem::path& dir)
{
    DataSplit split;
    split.train = readPart(dir, "train", options);
    IdxOptions all = options;
    all.limit = 0; // data.limit limits the training samples; the test set stays whole
    split.validation = readPart(dir, "t10k", all);
    return split;
}

} // namespace cklab
