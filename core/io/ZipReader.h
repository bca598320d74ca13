#pragma once
/// Read-only access to the entries of a zip archive on disk (libzip): a Keras ".keras" file, a
/// NumPy ".npz". Entries are checked before anything is allocated: the declared size against a
/// caller's limit, the stored size against the archive's size, and the ratio against what deflate
/// can give; the buffer then grows only with the bytes actually read, and the CRC is checked.
/// Errors are IoError(<archive>, "<entry>: <cause>").
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

struct zip;

namespace cklab {

class ZipReader {
public:
    /// Opens `path`; IoError "not a readable zip archive: <libzip's cause>" when it cannot.
    explicit ZipReader(const std::filesystem::path& path);
    ~ZipReader();
    ZipReader(const ZipReader&) = delete;
    ZipReader& operator=(const ZipReader&) = delete;

    /// The entry names in archive order.
    std::vector<std::string> entryNames() const;
    bool contains(const std::string& name) const;
    /// The bytes of entry `name`; its declared size must be at most `maxBytes`.
    std::vector<char> read(const std::string& name, std::uint64_t maxBytes) const;
    /// The archive's path as messages show it.
    const std::string& displayPath() const { return m_display; }

private:
    zip* m_archive = nullptr;
    std::string m_display;
    std::uintmax_t m_archiveBytes = 0;
};

} // namespace cklab
