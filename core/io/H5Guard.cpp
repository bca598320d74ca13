#include "core/io/H5Guard.h"

#include <cstring>
#include <mutex>
#include <vector>

#include "core/base/Excerpt.h"
#include "core/io/H5Util.h"

namespace cklab::h5 {

namespace {

constexpr const char* kOnlyInside = "CheckpointLab reads only data stored inside the file";

hid_t refuseTraversal(const char*, hid_t, const void*, std::size_t, hid_t, hid_t)
{
    return -1; // libhdf5 reports "traversal callback returned invalid ID"
}

/// What the library's own external-link class answers to H5Lget_val: the packed link value.
ssize_t copyLinkValue(const char*, const void* data, std::size_t size, void* buffer, std::size_t bufferSize)
{
    if (buffer != nullptr && bufferSize > 0)
        std::memcpy(buffer, data, std::min(size, bufferSize));
    return static_cast<ssize_t>(size);
}

/// "secret.h5:/data" for an external link at `name` below `loc`.
std::string externalTarget(hid_t loc, const char* name, std::size_t valueSize)
{
    std::vector<char> value(valueSize + 1, '\0');
    const char* file = nullptr;
    const char* object = nullptr;
    unsigned flags = 0;
    if (valueSize == 0 || H5Lget_val(loc, name, value.data(), valueSize, H5P_DEFAULT) < 0
        || H5Lunpack_elink_val(value.data(), valueSize, &flags, &file, &object) < 0) {
        H5Eclear2(H5E_DEFAULT);
        return "another file";
    }
    return excerpt(file != nullptr ? file : "") + ":" + excerpt(object != nullptr ? object : "");
}

std::string softTarget(hid_t loc, const char* name, std::size_t valueSize)
{
    std::vector<char> value(valueSize + 1, '\0');
    if (H5Lget_val(loc, name, value.data(), valueSize, H5P_DEFAULT) < 0) {
        H5Eclear2(H5E_DEFAULT);
        return "?";
    }
    return excerpt(value.data());
}

thread_local ReadBudget* t_budget = nullptr;

} // namespace

void refuseExternalLinkTraversal()
{
    static std::once_flag once;
    std::call_once(once, [] {
        H5L_class_t cls{};
        cls.version = H5L_LINK_CLASS_T_VERS;
        cls.id = H5L_TYPE_EXTERNAL;
        cls.comment = "external link (traversal refused by CheckpointLab)";
        cls.trav_func = &refuseTraversal;
        cls.query_func = &copyLinkValue;
        H5Lregister(&cls);
    });
}

void checkLinksInsideFile(hid_t loc, const std::string& relativePath, const std::string& objectPath,
                          bool allowSoftLinks)
{
    refuseExternalLinkTraversal();
    std::string prefix;
    std::size_t start = 0;
    while (start <= relativePath.size()) {
        std::size_t end = relativePath.find('/', start);
        if (end == std::string::npos)
            end = relativePath.size();
        if (end > start) {
            if (!prefix.empty())
                prefix += '/';
            prefix.append(relativePath, start, end - start);
            if (prefix != "." && H5Lexists(loc, prefix.c_str(), H5P_DEFAULT) > 0) {
                H5L_info_t info{};
                if (H5Lget_info(loc, prefix.c_str(), &info, H5P_DEFAULT) < 0) {
                    H5Eclear2(H5E_DEFAULT);
                    throw H5Failure(objectPath, "unreadable link '" + excerpt(prefix) + "'");
                }
                // The link by its path in the file: objectPath ends with relativePath when the
                // caller passes both (as every caller does), else the path below loc.
                const bool rooted = objectPath.size() >= relativePath.size()
                    && objectPath.compare(objectPath.size() - relativePath.size(), relativePath.size(), relativePath) == 0;
                const std::string inFile = rooted ? objectPath.substr(0, objectPath.size() - relativePath.size()) + prefix : prefix;
                const std::string which = prefix == relativePath ? std::string("it") : "'" + excerpt(inFile) + "'";
                if (info.type == H5L_TYPE_EXTERNAL)
                    throw H5Failure(objectPath, which + " is an external link to " + externalTarget(loc, prefix.c_str(), info.u.val_size)
                                                    + "; " + kOnlyInside);
                if (info.type == H5L_TYPE_SOFT && !allowSoftLinks)
                    throw H5Failure(objectPath, which + " is a soft link to '" + softTarget(loc, prefix.c_str(), info.u.val_size)
                                                    + "'; a checkpoint's objects are stored at their own path (Keras writes no links)");
                if (info.type != H5L_TYPE_HARD && info.type != H5L_TYPE_SOFT)
                    throw H5Failure(objectPath, which + " is a user-defined link (type " + std::to_string(info.type)
                                                    + "); " + kOnlyInside);
            } else {
                H5Eclear2(H5E_DEFAULT);
            }
        }
        if (end == relativePath.size())
            break;
        start = end + 1;
    }
}

void checkDataInsideFile(hid_t set, const std::string& objectPath)
{
    Handle dcpl(check(H5Dget_create_plist(set), objectPath, "reading the layout"), H5Pclose);
    const H5D_layout_t layout = H5Pget_layout(dcpl);
    if (layout == H5D_VIRTUAL) {
        std::string source = "other datasets";
        std::size_t count = 0;
        if (H5Pget_virtual_count(dcpl, &count) >= 0 && count > 0) {
            const ssize_t fileSize = H5Pget_virtual_filename(dcpl, 0, nullptr, 0);
            const ssize_t setSize = H5Pget_virtual_dsetname(dcpl, 0, nullptr, 0);
            if (fileSize >= 0 && setSize >= 0) {
                std::vector<char> file(static_cast<std::size_t>(fileSize) + 1, '\0');
                std::vector<char> name(static_cast<std::size_t>(setSize) + 1, '\0');
                H5Pget_virtual_filename(dcpl, 0, file.data(), file.size());
                H5Pget_virtual_dsetname(dcpl, 0, name.data(), name.size());
                source = excerpt(file.data()) + ":" + excerpt(name.data());
                if (count > 1)
                    source += " and " + std::to_string(count - 1) + " more";
            }
        }
        H5Eclear2(H5E_DEFAULT);
        throw H5Failure(objectPath, "is a virtual dataset (its data maps from " + source + "); " + kOnlyInside);
    }
    const int external = H5Pget_external_count(dcpl);
    if (external != 0) {
        char name[1024] = {};
        off_t offset = 0;
        hsize_t size = 0;
        if (external < 0 || H5Pget_external(dcpl, 0, sizeof name - 1, name, &offset, &size) < 0) {
            H5Eclear2(H5E_DEFAULT);
            throw H5Failure(objectPath, "keeps its data in an external file; " + std::string(kOnlyInside));
        }
        throw H5Failure(objectPath, "keeps its data in an external file (" + excerpt(name) + ")"
                                        + (external > 1 ? " and " + std::to_string(external - 1) + " more" : std::string())
                                        + "; " + kOnlyInside);
    }
    if (layout != H5D_CONTIGUOUS && layout != H5D_CHUNKED && layout != H5D_COMPACT)
        throw H5Failure(objectPath, "has a storage layout CheckpointLab does not read (" + std::to_string(layout) + ")");
}

ReadBudget::ReadBudget(hsize_t maxElements) : m_limit(maxElements), m_outer(t_budget)
{
    t_budget = this;
}

ReadBudget::~ReadBudget()
{
    t_budget = m_outer;
}

void ReadBudget::charge(hsize_t elements, const std::string& objectPath)
{
    // Every enclosing scope counts too: the weights inside a .keras archive are part of the
    // archive's total, and a caller (a test) can bound a whole read more tightly.
    for (const ReadBudget* b = t_budget; b != nullptr; b = b->m_outer)
        if (elements > b->m_limit - b->m_used)
            throw H5Failure(objectPath, "the file's datasets declare more than " + std::to_string(b->m_limit)
                                            + " elements together (" + std::to_string(b->m_used) + " before this one, "
                                            + std::to_string(elements) + " here); a compressed file may not unpack "
                                            "to more than that");
    for (ReadBudget* b = t_budget; b != nullptr; b = b->m_outer)
        b->m_used += elements;
}

} // namespace cklab::h5
