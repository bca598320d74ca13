#pragma once
/// Which writer of a run owns which file (issue 16, item 4): checkpoint policies, the CSV log and
/// the backup register the files they write; a writer may not overwrite or delete a file another
/// writer of the same run owns. Paths are compared after resolving symlinks of their folders.
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace cklab {

class RunFiles {
public:
    /// Registers `file` for `writer`. Throws IoError(file, "... also written by <other>") when
    /// another writer owns it already.
    void claim(const std::filesystem::path& file, const std::string& writer);
    /// The owner of `file` if it is not `writer` (nullopt: free or `writer`'s own).
    std::optional<std::string> otherOwner(const std::filesystem::path& file, const std::string& writer) const;

    /// The comparison key: absolute, lexically normal, with the deepest existing folder resolved.
    static std::string key(const std::filesystem::path& file);

private:
    mutable std::mutex m_mutex;
    std::map<std::string, std::string> m_owner;
};

} // namespace cklab
