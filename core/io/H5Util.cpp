#include "core/io/H5Util.h"

#include "core/io/H5Guard.h"

#include <algorithm>
#include <cstring>
#include <tuple>

namespace cklab::h5 {

Handle& Handle::operator=(Handle&& o) noexcept
{
    if (this != &o) {
        reset();
        m_id = o.m_id;
        m_closer = o.m_closer;
        o.m_id = -1;
    }
    return *this;
}

void Handle::reset()
{
    if (m_id >= 0 && m_closer != nullptr)
        m_closer(m_id);
    m_id = -1;
}

void silenceErrors()
{
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    refuseExternalLinkTraversal();
}

std::string lastError()
{
    std::string message;
    auto visit = [](unsigned, const H5E_error2_t* e, void* data) -> herr_t {
        auto* out = static_cast<std::string*>(data);
        if (out->empty() && e->desc != nullptr)
            *out = e->desc;
        return 0;
    };
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, visit, &message);
    H5Eclear2(H5E_DEFAULT);
    return message.empty() ? std::string("HDF5 error") : message;
}

hid_t check(hid_t id, const std::string& object, const char* what)
{
    if (id < 0)
        throw H5Failure(object, std::string(what) + ": " + lastError());
    return id;
}

namespace {

Handle typeHandle(hid_t id) { return Handle(id, H5Tclose); }
Handle spaceHandle(hid_t id) { return Handle(id, H5Sclose); }

Handle scalarOrSimpleSpace(const std::vector<hsize_t>& dims, const std::string& object)
{
    if (dims.empty())
        return spaceHandle(check(H5Screate(H5S_SCALAR), object, "creating a dataspace"));
    return spaceHandle(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), object,
                             "creating a dataspace"));
}

Handle vlenUtf8Type(const std::string& object)
{
    Handle type = typeHandle(check(H5Tcopy(H5T_C_S1), object, "creating a string type"));
    check(H5Tset_size(type, H5T_VARIABLE), object, "creating a string type");
    check(H5Tset_cset(type, H5T_CSET_UTF8), object, "creating a string type");
    return type;
}

void writeData(hid_t loc, const std::string& name, hid_t fileType, hid_t memType, const void* data,
               const std::vector<hsize_t>& dims, const std::string& object)
{
    Handle space = scalarOrSimpleSpace(dims, object);
    Handle set(check(H5Dcreate2(loc, name.c_str(), fileType, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), object,
                     "creating the dataset"),
               H5Dclose);
    check(H5Dwrite(set, memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), object, "writing the dataset");
}

constexpr hssize_t kMaxStrings = hssize_t{1} << 20;
constexpr std::size_t kMaxStringBytes = std::size_t{1} << 26;

/// Reads every element of a string attribute or dataset as std::string.
template <typename ReadFn>
std::vector<std::string> readStrings(hid_t fileType, hid_t space, ReadFn read, const std::string& object)
{
    if (H5Tget_class(fileType) != H5T_STRING)
        throw H5Failure(object, "expected a string, found another type");
    const hssize_t count = H5Sget_simple_extent_npoints(space);
    if (count < 0)
        throw H5Failure(object, "unreadable dataspace");
    // Name lists hold one entry per layer or weight; a hostile file may declare billions.
    if (count > kMaxStrings)
        throw H5Failure(object, "declares " + std::to_string(count) + " strings, more than the "
                                    + std::to_string(kMaxStrings) + " allowed");
    std::vector<std::string> out;
    const htri_t isVariable = H5Tis_variable_str(fileType);
    if (isVariable > 0) {
        Handle mem = vlenUtf8Type(object);
        check(H5Tset_cset(mem, H5Tget_cset(fileType)), object, "string type");
        std::vector<char*> ptrs(static_cast<std::size_t>(count), nullptr);
        check(read(mem.get(), static_cast<void*>(ptrs.data())), object, "reading strings");
        for (char* p : ptrs)
            out.emplace_back(p != nullptr ? p : "");
        if (count > 0)
            H5Dvlen_reclaim(mem, space, H5P_DEFAULT, ptrs.data());
        return out;
    }
    const std::size_t size = H5Tget_size(fileType);
    if (count > 0 && size > kMaxStringBytes / static_cast<std::size_t>(count))
        throw H5Failure(object, "declares " + std::to_string(count) + " strings of " + std::to_string(size)
                                    + " bytes, more than the " + std::to_string(kMaxStringBytes) + " bytes allowed");
    Handle mem = typeHandle(check(H5Tcopy(fileType), object, "string type"));
    std::vector<char> buffer(static_cast<std::size_t>(count) * size + 1, '\0');
    check(read(mem.get(), static_cast<void*>(buffer.data())), object, "reading strings");
    for (hssize_t i = 0; i < count; ++i) {
        std::string s(buffer.data() + static_cast<std::size_t>(i) * size, size);
        s.erase(std::find(s.begin(), s.end(), '\0'), s.end());
        if (H5Tget_strpad(fileType) == H5T_STR_SPACEPAD)
            s.erase(s.find_last_not_of(' ') + 1);
        out.push_back(std::move(s));
    }
    return out;
}

std::tuple<std::string, long long> naturalKey(const std::string& name)
{
    if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return {std::string(), std::stoll(name.substr(0, 18))};
    const std::size_t us = name.rfind('_');
    if (us != std::string::npos && us + 1 < name.size() && name.size() - us <= 18
        && std::all_of(name.begin() + static_cast<long>(us) + 1, name.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return {name.substr(0, us), std::stoll(name.substr(us + 1)) };
    return {name, 0};
}

} // namespace

Handle createGroup(hid_t loc, const std::string& name, const std::string& objectPath)
{
    Handle gcpl(check(H5Pcreate(H5P_GROUP_CREATE), objectPath, "creating the group"), H5Pclose);
    check(H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), objectPath,
          "creating the group");
    return Handle(check(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT), objectPath, "creating the group"),
                  H5Gclose);
}

Handle openGroup(hid_t loc, const std::string& name, const std::string& objectPath)
{
    checkLinksInsideFile(loc, name, objectPath);
    if (!exists(loc, name))
        throw H5Failure(objectPath, "missing group");
    if (!isGroup(loc, name))
        throw H5Failure(objectPath, "expected a group, found a dataset");
    return Handle(check(H5Gopen2(loc, name.c_str(), H5P_DEFAULT), objectPath, "opening the group"), H5Gclose);
}

bool exists(hid_t loc, const std::string& relativePath)
{
    std::string prefix;
    std::size_t start = 0;
    while (start < relativePath.size()) {
        std::size_t end = relativePath.find('/', start);
        if (end == std::string::npos)
            end = relativePath.size();
        if (!prefix.empty())
            prefix += '/';
        prefix.append(relativePath, start, end - start);
        if (H5Lexists(loc, prefix.c_str(), H5P_DEFAULT) <= 0) {
            H5Eclear2(H5E_DEFAULT);
            return false;
        }
        start = end + 1;
    }
    return true;
}

bool isGroup(hid_t loc, const std::string& name)
{
    H5O_info_t info{};
    if (H5Oget_info_by_name(loc, name.c_str(), &info, H5P_DEFAULT) < 0) {
        H5Eclear2(H5E_DEFAULT);
        return false;
    }
    return info.type == H5O_TYPE_GROUP;
}

void writeFloats(hid_t loc, const std::string& name, const float* data, const std::vector<hsize_t>& dims,
                 const std::string& objectPath)
{
    writeData(loc, name, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, data, dims, objectPath);
}

void writeScalarInt64(hid_t loc, const std::string& name, std::int64_t value, const std::string& objectPath)
{
    writeData(loc, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value, {}, objectPath);
}

void writeScalarInt32(hid_t loc, const std::string& name, std::int32_t value, const std::string& objectPath)
{
    writeData(loc, name, H5T_STD_I32LE, H5T_NATIVE_INT32, &value, {}, objectPath);
}

void writeScalarFloat(hid_t loc, const std::string& name, float value, const std::string& objectPath)
{
    writeData(loc, name, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, &value, {}, objectPath);
}

void writeStringDataset(hid_t loc, const std::string& name, const std::string& value, const std::string& objectPath)
{
    Handle type = vlenUtf8Type(objectPath);
    const char* ptr = value.c_str();
    writeData(loc, name, type, type, &ptr, {}, objectPath);
}

void writeStringAttr(hid_t obj, const std::string& name, const std::string& value, const std::string& objectPath)
{
    const std::string where = objectPath + " attribute " + name;
    Handle type = vlenUtf8Type(where);
    Handle space = spaceHandle(check(H5Screate(H5S_SCALAR), where, "creating a dataspace"));
    Handle attr(check(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), where, "creating"), H5Aclose);
    const char* ptr = value.c_str();
    check(H5Awrite(attr, type, &ptr), where, "writing");
}

void writeStringListAttr(hid_t obj, const std::string& name, const std::vector<std::string>& values,
                         const std::string& objectPath)
{
    const std::string where = objectPath + " attribute " + name;
    std::size_t width = 1;
    for (const auto& v : values)
        width = std::max(width, v.size());
    Handle type = typeHandle(check(H5Tcopy(H5T_C_S1), where, "creating a string type"));
    check(H5Tset_size(type, width), where, "creating a string type");
    check(H5Tset_strpad(type, H5T_STR_NULLPAD), where, "creating a string type");
    std::vector<char> buffer(std::max<std::size_t>(1, values.size() * width), '\0');
    for (std::size_t i = 0; i < values.size(); ++i)
        std::memcpy(buffer.data() + i * width, values[i].data(), values[i].size());
    Handle space = scalarOrSimpleSpace({static_cast<hsize_t>(values.size())}, where);
    Handle attr(check(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), where, "creating"), H5Aclose);
    check(H5Awrite(attr, type, buffer.data()), where, "writing");
}

bool hasAttr(hid_t obj, const std::string& name)
{
    const htri_t r = H5Aexists(obj, name.c_str());
    if (r < 0)
        H5Eclear2(H5E_DEFAULT);
    return r > 0;
}

std::vector<std::string> readStringListAttr(hid_t obj, const std::string& name, const std::string& objectPath)
{
    const std::string where = objectPath + " attribute " + name;
    if (!hasAttr(obj, name))
        throw H5Failure(where, "missing");
    Handle attr(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), where, "opening"), H5Aclose);
    Handle type = typeHandle(check(H5Aget_type(attr), where, "reading the type"));
    Handle space = spaceHandle(check(H5Aget_space(attr), where, "reading the dataspace"));
    // h5py stores an empty Python list as an empty float64 array: Keras 3 writes the weight_names
    // of a layer without weights (Dropout, InputLayer) that way.
    if (H5Tget_class(type) != H5T_STRING && H5Sget_simple_extent_type(space) == H5S_SIMPLE
        && H5Sget_simple_extent_npoints(space) == 0)
        return {};
    return readStrings(type, space, [&](hid_t mem, void* buf) { return H5Aread(attr, mem, buf); }, where);
}

std::string readStringAttr(hid_t obj, const std::string& name, const std::string& objectPath)
{
    auto values = readStringListAttr(obj, name, objectPath);
    if (values.size() != 1)
        throw H5Failure(objectPath + " attribute " + name, "expected one string, found " + std::to_string(values.size()));
    return values.front();
}

Handle openDataset(hid_t loc, const std::string& name, const std::string& objectPath)
{
    checkLinksInsideFile(loc, name, objectPath);
    Handle set(check(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), objectPath, "opening the dataset"), H5Dclose);
    checkDataInsideFile(set, objectPath);
    return set;
}

std::string readStringDataset(hid_t loc, const std::string& name, const std::string& objectPath)
{
    Handle set = openDataset(loc, name, objectPath);
    Handle type = typeHandle(check(H5Dget_type(set), objectPath, "reading the type"));
    Handle space = spaceHandle(check(H5Dget_space(set), objectPath, "reading the dataspace"));
    if (H5Sget_simple_extent_npoints(space) != 1)
        throw H5Failure(objectPath, "expected one string, found " + std::to_string(H5Sget_simple_extent_npoints(space)));
    auto values = readStrings(
        type, space, [&](hid_t mem, void* buf) { return H5Dread(set, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf); },
        objectPath);
    if (values.size() != 1)
        throw H5Failure(objectPath, "expected one string, found " + std::to_string(values.size()));
    return values.front();
}

namespace {

// A contiguous or compact dataset keeps its elements uncompressed in the file: one that declares
// more bytes than the file stores for it would be read as fill values we would have to allocate.
void checkStoredSize(hid_t set, hid_t type, hsize_t count, const std::vector<hsize_t>& dims, const std::string& objectPath)
{
    Handle plist(check(H5Dget_create_plist(set), objectPath, "reading the layout"), H5Pclose);
    if (H5Pget_layout(plist) == H5D_CHUNKED)
        return;
    const std::size_t elementSize = H5Tget_size(type);
    const hsize_t stored = H5Dget_storage_size(set);
    if (elementSize == 0 || count > stored / elementSize)
        throw H5Failure(objectPath, "declares shape " + shapeText(dims) + " (" + std::to_string(count) + " elements of "
                                        + std::to_string(elementSize) + " bytes) but the file stores "
                                        + std::to_string(stored) + " bytes for it");
}

} // namespace

FloatData readFloats(hid_t loc, const std::string& name, const std::string& objectPath, hsize_t maxElements)
{
    if (isGroup(loc, name))
        throw H5Failure(objectPath, "expected a dataset, found a group");
    Handle set = openDataset(loc, name, objectPath);
    Handle type = typeHandle(check(H5Dget_type(set), objectPath, "reading the type"));
    const H5T_class_t cls = H5Tget_class(type);
    if (cls != H5T_FLOAT && cls != H5T_INTEGER)
        throw H5Failure(objectPath, "expected a numeric dataset");
    Handle space = spaceHandle(check(H5Dget_space(set), objectPath, "reading the dataspace"));
    const int rank = check(H5Sget_simple_extent_ndims(space), objectPath, "reading the dataspace");
    FloatData out;
    out.dims.resize(static_cast<std::size_t>(rank));
    if (rank > 0)
        check(H5Sget_simple_extent_dims(space, out.dims.data(), nullptr), objectPath, "reading the dataspace");
    hsize_t count = 1;
    for (hsize_t d : out.dims) {
        if (d != 0 && count > maxElements / d)
            throw H5Failure(objectPath, "declares shape " + shapeText(out.dims) + ", more than the "
                                            + std::to_string(maxElements) + " elements allowed here");
        count *= d;
    }
    if (count > maxElements)
        throw H5Failure(objectPath, "declares shape " + shapeText(out.dims) + ", more than the "
                                        + std::to_string(maxElements) + " elements allowed here");
    checkStoredSize(set, type, count, out.dims, objectPath);
    ReadBudget::charge(count, objectPath);
    out.values.resize(static_cast<std::size_t>(count));
    if (count > 0)
        check(H5Dread(set, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.values.data()), objectPath,
              "reading the dataset");
    return out;
}

std::int64_t readScalarInt64(hid_t loc, const std::string& name, const std::string& objectPath)
{
    Handle set = openDataset(loc, name, objectPath);
    Handle space = spaceHandle(check(H5Dget_space(set), objectPath, "reading the dataspace"));
    if (H5Sget_simple_extent_npoints(space) != 1)
        throw H5Failure(objectPath, "expected a scalar");
    std::int64_t value = 0;
    check(H5Dread(set, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value), objectPath, "reading the dataset");
    return value;
}

std::vector<std::string> children(hid_t group, const std::string& objectPath)
{
    unsigned flags = 0;
    {
        Handle gcpl(H5Gget_create_plist(group), H5Pclose);
        if (gcpl.get() < 0 || H5Pget_link_creation_order(gcpl, &flags) < 0) {
            H5Eclear2(H5E_DEFAULT);
            flags = 0;
        }
    }
    const bool byCreation = (flags & H5P_CRT_ORDER_TRACKED) && (flags & H5P_CRT_ORDER_INDEXED);
    std::vector<std::string> names;
    auto visit = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
    };
    hsize_t idx = 0;
    check(H5Literate(group, byCreation ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME, H5_ITER_INC, &idx, visit, &names),
          objectPath, "listing the group");
    if (!byCreation)
        std::stable_sort(names.begin(), names.end(),
                         [](const std::string& a, const std::string& b) { return naturalKey(a) < naturalKey(b); });
    return names;
}

std::string shapeText(const std::vector<hsize_t>& dims)
{
    std::string s = "[";
    for (std::size_t i = 0; i < dims.size(); ++i)
        s += (i ? ", " : "") + std::to_string(dims[i]);
    return s + "]";
}

} // namespace cklab::h5
