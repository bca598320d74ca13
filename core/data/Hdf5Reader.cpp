#include "core/data/Hdf5Reader.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>
#include <hdf5.h>

#include "core/base/Errors.h"
#include "core/io/H5Guard.h"
#include "core/io/H5Util.h"
#include "core/io/Hdf5Lock.h"

namespace cklab {

namespace {

using h5::Handle;

struct RawArray {
    std::vector<hsize_t> dims;
    std::vector<double> values; ///< row-major
    bool uint8 = false;         ///< stored as unsigned 8-bit integers (images)
};

/// HDF5 prints an error stack to stderr on every failed call unless told not to; our
/// messages say what went wrong instead.
void silenceHdf5()
{
    h5::silenceErrors(); // also: external links are never traversed (core/io/H5Guard.h)
}

Handle openFile(const std::filesystem::path& path)
{
    const std::string name = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw IoError(name, "cannot open file: No such file or directory");
    if (std::filesystem::is_directory(path, ec))
        throw IoError(name, "cannot read: is a directory");
    const htri_t isHdf5 = H5Fis_hdf5(name.c_str());
    if (isHdf5 < 0)
        throw IoError(name, "cannot open file");
    if (isHdf5 == 0)
        throw IoError(name, "not an HDF5 file");
    const hid_t id = H5Fopen(name.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (id < 0)
        throw IoError(name, "cannot open HDF5 file");
    return Handle(id, &H5Fclose);
}

/// True when every group on the way to `path` and the link itself exist.
bool linkExists(hid_t file, const std::string& path)
{
    std::size_t pos = path.front() == '/' ? 1 : 0;
    while (true) {
        const auto slash = path.find('/', pos);
        const std::string prefix = path.substr(0, slash);
        if (!prefix.empty() && prefix != "/" && H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0)
            return false;
        if (slash == std::string::npos)
            return true;
        pos = slash + 1;
    }
}

/// A contiguous or compact dataset stores its elements uncompressed: declaring more than it
/// stores would have us allocate fill values.
void checkStored(hid_t set, hid_t type, hsize_t count, const std::vector<hsize_t>& dims, const std::string& dataset)
{
    Handle plist(H5Dget_create_plist(set), &H5Pclose);
    if (plist.get() < 0 || H5Pget_layout(plist.get()) == H5D_CHUNKED)
        return;
    const std::size_t elementSize = H5Tget_size(type);
    const hsize_t stored = H5Dget_storage_size(set);
    if (count > 0 && (elementSize == 0 || count > stored / elementSize))
        throw h5::H5Failure(dataset, fmt::format("declares shape {} ({} elements of {} bytes) but the file stores {} bytes for it",
                                                 h5::shapeText(dims), count, elementSize, stored));
}

RawArray readArray(hid_t file, const std::string& fileName, const std::string& dataset)
{
    if (dataset.empty() || !linkExists(file, dataset))
        throw IoError(fileName, fmt::format("dataset '{}' not found", dataset));
    try {
        // Soft links stay inside the file; external links, external storage and virtual
        // datasets would read another file's bytes as training data.
        h5::checkLinksInsideFile(file, dataset, dataset, /*allowSoftLinks=*/true);
    } catch (const h5::H5Failure& e) {
        throw IoError(fileName, fmt::format("{}: {}", e.object(), e.what()));
    }
    Handle ds(H5Dopen2(file, dataset.c_str(), H5P_DEFAULT), &H5Dclose);
    if (ds.get() < 0)
        throw IoError(fileName, fmt::format("'{}' is not a dataset", dataset));
    Handle type(H5Dget_type(ds.get()), &H5Tclose);
    const H5T_class_t typeClass = H5Tget_class(type.get());
    if (typeClass != H5T_INTEGER && typeClass != H5T_FLOAT)
        throw IoError(fileName, fmt::format("dataset '{}' is not numeric (integer or float)", dataset));
    Handle space(H5Dget_space(ds.get()), &H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0)
        throw IoError(fileName, fmt::format("cannot read the shape of dataset '{}'", dataset));
    RawArray out;
    out.uint8 = typeClass == H5T_INTEGER && H5Tget_size(type.get()) == 1 && H5Tget_sign(type.get()) == H5T_SGN_NONE;
    out.dims.resize(static_cast<std::size_t>(rank));
    if (rank > 0)
        H5Sget_simple_extent_dims(space.get(), out.dims.data(), nullptr);
    hsize_t count = 1;
    for (hsize_t d : out.dims) {
        if (d != 0 && count > h5::kMaxFileElements / d)
            throw IoError(fileName, fmt::format("{}: declares shape {}, more than the {} elements allowed in a data file",
                                                dataset, h5::shapeText(out.dims), h5::kMaxFileElements));
        count *= d;
    }
    try {
        h5::checkDataInsideFile(ds.get(), dataset);
        checkStored(ds.get(), type.get(), count, out.dims, dataset);
        h5::ReadBudget::charge(count, dataset);
    } catch (const h5::H5Failure& e) {
        throw IoError(fileName, fmt::format("{}: {}", e.object(), e.what()));
    }
    out.values.resize(static_cast<std::size_t>(count));
    // HDF5 converts any integer or float type to native double on read.
    if (count > 0 && H5Dread(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.values.data()) < 0)
        throw IoError(fileName, fmt::format("cannot read dataset '{}'", dataset));
    return out;
}

std::string shapeText(const std::vector<hsize_t>& dims)
{
    std::string s = "(";
    for (std::size_t i = 0; i < dims.size(); ++i)
        s += (i ? ", " : "") + std::to_string(dims[i]);
    return s + (dims.size() == 1 ? ",)" : ")");
}

Matrix toMatrix(const RawArray& a, Eigen::Index rows, Eigen::Index cols)
{
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < rows * cols; ++i)
        m.data()[i] = static_cast<float>(a.values[static_cast<std::size_t>(i)]);
    return m;
}

} // namespace

Matrix readHdf5Matrix(const std::filesystem::path& path, const std::string& dataset)
{
    const Hdf5Lock lock; // see core/io/Hdf5Lock.h
    const h5::ReadBudget budget; // every dataset read from this file together
    silenceHdf5();
    const Handle file = openFile(path);
    const std::string name = path.string();
    const RawArray a = readArray(file.get(), name, dataset);
    if (a.dims.size() != 1 && a.dims.size() != 2)
        throw IoError(name, fmt::format("dataset '{}' must be 2-D [rows, features], has shape {}", dataset, shapeText(a.dims)));
    const auto rows = static_cast<Eigen::Index>(a.dims[0]);
    const auto cols = a.dims.size() == 2 ? static_cast<Eigen::Index>(a.dims[1]) : Eigen::Index(1);
    for (double v : a.values)
        if (!std::isfinite(v))
            throw IoError(name, fmt::format("dataset '{}' contains a value that is not a finite number", dataset));
    return toMatrix(a, rows, cols);
}

Dataset readHdf5Dataset(const std::filesystem::path& path, const std::string& xDataset, const std::string& yDataset,
                        bool scaleImages)
{
    const Hdf5Lock lock; // see core/io/Hdf5Lock.h
    const h5::ReadBudget budget; // every dataset read from this file together
    silenceHdf5();
    const Handle file = openFile(path);
    const std::string name = path.string();
    const RawArray xa = readArray(file.get(), name, xDataset);
    if (xa.dims.size() < 2 || xa.dims.size() > 4)
        throw IoError(name, fmt::format("{} must be 2-D [rows, features] or images (N, H, W) or (N, H, W, C), has shape {}",
                                        xDataset, shapeText(xa.dims)));
    for (double v : xa.values)
        if (!std::isfinite(v))
            throw IoError(name, fmt::format("{} contains a value that is not a finite number", xDataset));
    const RawArray ya = readArray(file.get(), name, yDataset);
    if (ya.dims.size() != 1 && ya.dims.size() != 2)
        throw IoError(name, fmt::format("{} must be 1-D class indices or 2-D one-hot, has shape {}", yDataset,
                                        shapeText(ya.dims)));
    if (ya.dims[0] != xa.dims[0])
        throw IoError(name, fmt::format("{} has {} rows but {} has {}", xDataset, xa.dims[0], yDataset, ya.dims[0]));
    if (xa.dims[0] == 0)
        throw IoError(name, fmt::format("{} has no rows", xDataset));

    Dataset d;
    d.source = name;
    const auto rows = static_cast<Eigen::Index>(xa.dims[0]);
    // Images: each one row in C order (channels last), as numpy's x.reshape(N, -1).
    hsize_t perRow = 1;
    for (std::size_t i = 1; i < xa.dims.size(); ++i)
        perRow *= xa.dims[i];
    d.x = toMatrix(xa, rows, static_cast<Eigen::Index>(perRow));
    if (xa.dims.size() >= 3) {
        d.sampleShape = {static_cast<int>(xa.dims[1]), static_cast<int>(xa.dims[2]),
                         xa.dims.size() == 4 ? static_cast<int>(xa.dims[3]) : 1};
        if (xa.uint8 && scaleImages)
            d.x *= 1.0f / 255.0f;
    }
    for (hsize_t j = 0; j < perRow; ++j)
        d.featureNames.push_back(fmt::format("x{}", j));
    d.y.resize(rows, 1);

    const hsize_t k = ya.dims.size() == 2 ? ya.dims[1] : 1;
    if (k > 1) {
        // One-hot rows: exactly one 1, zeros elsewhere.
        for (Eigen::Index i = 0; i < rows; ++i) {
            int hot = -1;
            int ones = 0;
            bool others = false;
            for (hsize_t c = 0; c < k; ++c) {
                const double v = ya.values[static_cast<std::size_t>(i) * k + c];
                if (v == 1.0) {
                    hot = static_cast<int>(c);
                    ++ones;
                } else if (v != 0.0) {
                    others = true;
                }
            }
            if (ones != 1 || others)
                throw IoError(name, fmt::format("{} row {} is not one-hot (exactly one 1, the rest 0)", yDataset, i));
            d.y(i, 0) = static_cast<float>(hot);
        }
        d.numClasses = static_cast<int>(k);
    } else {
        double maxIndex = -1.0;
        for (Eigen::Index i = 0; i < rows; ++i) {
            const double v = ya.values[static_cast<std::size_t>(i)];
            if (!(v >= 0.0) || v != std::floor(v) || v > 1.0e6)
                throw IoError(name, fmt::format("{} row {}: {} is not a class index (a non-negative integer)", yDataset, i, v));
            maxIndex = std::max(maxIndex, v);
            d.y(i, 0) = static_cast<float>(v);
        }
        d.numClasses = static_cast<int>(maxIndex) + 1;
    }
    for (int c = 0; c < d.numClasses; ++c)
        d.classNames.push_back(std::to_string(c));
    return d;
}

} // namespace cklab
