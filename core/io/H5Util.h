#pragma once
/// Internal to the engine: small RAII and helper layer over the HDF5 C API. Includes hdf5.h, so
/// only core/io and core/data .cpp files include it. Failures throw H5Failure(object path, cause); the
/// file-level functions turn it into IoError("<file>: <object>: <cause>").
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <hdf5.h>

namespace cklab::h5 {

/// An HDF5 failure at `object` (a path inside the file).
class H5Failure : public std::runtime_error {
public:
    H5Failure(std::string object, const std::string& cause)
        : std::runtime_error(cause), m_object(std::move(object)) {}
    const std::string& object() const { return m_object; }

private:
    std::string m_object;
};

/// Owns one hid_t and closes it with the matching H5?close.
class Handle {
public:
    using Closer = herr_t (*)(hid_t);
    Handle() = default;
    Handle(hid_t id, Closer closer) : m_id(id), m_closer(closer) {}
    Handle(Handle&& o) noexcept : m_id(o.m_id), m_closer(o.m_closer) { o.m_id = -1; }
    Handle& operator=(Handle&& o) noexcept;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() { reset(); }
    hid_t get() const { return m_id; }
    operator hid_t() const { return m_id; }
    void reset();

private:
    hid_t m_id = -1;
    Closer m_closer = nullptr;
};

/// Turns off HDF5's automatic error printing (we report errors ourselves) and external-link
/// traversal (H5Guard.h); every read and write entry calls it. Idempotent.
void silenceErrors();
/// The innermost message of HDF5's current error stack ("unable to open file", ...).
std::string lastError();

/// Checks an id/status; throws H5Failure(object, what + ": " + lastError()) when negative.
hid_t check(hid_t id, const std::string& object, const char* what);

Handle createGroup(hid_t loc, const std::string& name, const std::string& objectPath);
/// Opening refuses links that are not hard links and, for datasets, data not stored inside
/// the file (H5Guard.h): every read below goes through these two.
Handle openGroup(hid_t loc, const std::string& name, const std::string& objectPath);
Handle openDataset(hid_t loc, const std::string& name, const std::string& objectPath);
bool exists(hid_t loc, const std::string& relativePath);

/// Little-endian float32, contiguous. dims empty = scalar.
void writeFloats(hid_t loc, const std::string& name, const float* data, const std::vector<hsize_t>& dims,
                 const std::string& objectPath);
void writeScalarInt64(hid_t loc, const std::string& name, std::int64_t value, const std::string& objectPath);
void writeScalarInt32(hid_t loc, const std::string& name, std::int32_t value, const std::string& objectPath);
void writeScalarFloat(hid_t loc, const std::string& name, float value, const std::string& objectPath);
/// Scalar variable-length UTF-8 string dataset.
void writeStringDataset(hid_t loc, const std::string& name, const std::string& value, const std::string& objectPath);

/// Scalar variable-length UTF-8 string attribute (what h5py writes for a Python str).
void writeStringAttr(hid_t obj, const std::string& name, const std::string& value, const std::string& objectPath);
/// 1-D fixed-length byte-string attribute (what Keras 2 writes for name lists); may be empty.
void writeStringListAttr(hid_t obj, const std::string& name, const std::vector<std::string>& values,
                         const std::string& objectPath);

/// Reads a scalar or 1-element string attribute, fixed- or variable-length.
std::string readStringAttr(hid_t obj, const std::string& name, const std::string& objectPath);
/// Reads a string attribute as a list (scalar -> one element), fixed- or variable-length; an empty
/// numeric array (h5py's encoding of an empty list) is an empty list.
std::vector<std::string> readStringListAttr(hid_t obj, const std::string& name, const std::string& objectPath);
bool hasAttr(hid_t obj, const std::string& name);
std::string readStringDataset(hid_t loc, const std::string& name, const std::string& objectPath);

struct FloatData {
    std::vector<hsize_t> dims;
    std::vector<float> values;
};
/// Most elements a numeric dataset may declare (256 MiB of float32, e.g. a 8192 x 8192 kernel):
/// a hostile file cannot make us allocate more.
constexpr hsize_t kMaxDatasetElements = hsize_t{1} << 26;

/// Any numeric dataset converted to float32. Refuses, before allocating, a dataset that declares
/// more than `maxElements` elements (the model's expected size when the caller knows it), or
/// more bytes than the file stores for it (contiguous/compact layouts; chunked ones may be
/// compressed and are bounded by `maxElements` only).
FloatData readFloats(hid_t loc, const std::string& name, const std::string& objectPath,
                     hsize_t maxElements = kMaxDatasetElements);
std::int64_t readScalarInt64(hid_t loc, const std::string& name, const std::string& objectPath);

/// Child link names in creation order when the group tracks it, else in natural order
/// ("dense", "dense_1", "dense_2", ..., "dense_10"; "0", "1", ..., "10").
std::vector<std::string> children(hid_t group, const std::string& objectPath);
bool isGroup(hid_t loc, const std::string& name);

/// "[10, 2]" for dims {10, 2}; "[]" for a scalar.
std::string shapeText(const std::vector<hsize_t>& dims);

} // namespace cklab::h5
