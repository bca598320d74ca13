#include "core/io/ZipReader.h"

#include <algorithm>

#include <zip.h>

#include "core/base/Errors.h"

namespace cklab {

namespace {

// Deflate expands at most ~1032:1; a declared size beyond that is a lie.
constexpr zip_uint64_t kMaxDeflateRatio = 1032;

} // namespace

ZipReader::ZipReader(const std::filesystem::path& path) : m_display(path.string())
{
    int code = 0;
    m_archive = zip_open(path.c_str(), ZIP_RDONLY, &code);
    if (m_archive == nullptr) {
        zip_error_t error;
        zip_error_init_with_code(&error, code);
        const std::string cause = zip_error_strerror(&error);
        zip_error_fini(&error);
        throw IoError(m_display, "not a readable zip archive: " + cause);
    }
    std::error_code sizeError;
    m_archiveBytes = std::filesystem::file_size(path, sizeError);
    if (sizeError) {
        zip_discard(m_archive);
        throw IoError(m_display, "cannot read the file size: " + sizeError.message());
    }
}

ZipReader::~ZipReader()
{
    zip_discard(m_archive); // read-only: nothing to write back
}

std::vector<std::string> ZipReader::entryNames() const
{
    std::vector<std::string> names;
    const zip_int64_t n = zip_get_num_entries(m_archive, 0);
    for (zip_int64_t i = 0; i < n; ++i)
        if (const char* name = zip_get_name(m_archive, static_cast<zip_uint64_t>(i), 0))
            names.emplace_back(name);
    return names;
}

bool ZipReader::contains(const std::string& name) const
{
    return zip_name_locate(m_archive, name.c_str(), 0) >= 0;
}

std::vector<char> ZipReader::read(const std::string& name, std::uint64_t maxBytes) const
{
    zip_stat_t st;
    zip_stat_init(&st);
    const auto fail = [&](const std::string& cause) { throw IoError(m_display, name + ": " + cause); };
    if (zip_stat(m_archive, name.c_str(), 0, &st) < 0)
        fail("missing from the archive");
    if ((st.valid & ZIP_STAT_SIZE) == 0 || (st.valid & ZIP_STAT_COMP_SIZE) == 0)
        fail("the archive does not record the entry's size");
    if (st.size > maxBytes)
        fail("declares " + std::to_string(st.size) + " bytes, more than the limit of " + std::to_string(maxBytes));
    if (st.comp_size > m_archiveBytes)
        fail("declares " + std::to_string(st.comp_size) + " stored bytes, more than the whole archive ("
             + std::to_string(m_archiveBytes) + " bytes)");
    if (st.size / kMaxDeflateRatio > st.comp_size)
        fail("declares " + std::to_string(st.size) + " bytes from " + std::to_string(st.comp_size)
             + " stored bytes, more than compression can give");
    zip_file_t* file = zip_fopen(m_archive, name.c_str(), 0);
    if (file == nullptr)
        fail(zip_strerror(m_archive));
    std::vector<char> bytes;
    char chunk[1 << 16];
    zip_int64_t n = 0;
    while (bytes.size() < st.size) {
        const auto want = std::min<zip_uint64_t>(sizeof chunk, st.size - bytes.size());
        n = zip_fread(file, chunk, want);
        if (n <= 0)
            break;
        bytes.insert(bytes.end(), chunk, chunk + n);
    }
    // libzip checks the CRC only when a read reaches the end of the entry: without this read a
    // bit flip in the weights went on to HDF5, which can crash on a corrupt file (fuzz finding).
    if (n >= 0 && bytes.size() == st.size) {
        const zip_int64_t extra = zip_fread(file, chunk, 1);
        n = extra > 0 ? -2 : extra;
    }
    const std::string cause = n == -2 ? "longer than its declared size" : n < 0 ? zip_file_strerror(file) : std::string();
    zip_fclose(file);
    if (n < 0)
        fail(cause);
    if (bytes.size() != st.size)
        fail("truncated entry");
    return bytes;
}

} // namespace cklab
