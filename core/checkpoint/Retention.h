#pragma once
/// The max_to_keep extension (spec §5): the list of files a policy wrote in this run (resume
/// state included) and which of them to delete after a save.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/train/MonitorMode.h"

namespace cklab {

/// Which file a save produced: its size and modification time right after the write. Retention
/// deletes a kept file only while both still match (docs/checkpoint-semantics.md, "Paths").
struct FileStamp {
    std::int64_t bytes = 0;
    std::int64_t mtimeNs = 0;
    bool operator==(const FileStamp&) const = default;
};

struct KeptFile {
    std::string path;
    std::optional<double> value;  ///< monitored value at the save (if in the logs)
    int epoch = 0;                ///< 0-based
    std::optional<int> batch;     ///< 0-based, batch-level saves
    std::optional<FileStamp> stamp; ///< of the file as written; none = never deleted
};

class Retention {
public:
    /// `byValue`: save_best_only policies delete their worst file by value, others the oldest.
    Retention(std::optional<int> maxToKeep, bool byValue, MonitorMode mode);

    /// Records a successful write (replacing an entry with the same path) and returns the files
    /// to delete now, already removed from the list. Never returns `file` itself nor the entry
    /// at `bestPath` (may be empty).
    std::vector<KeptFile> recordSave(const KeptFile& file, const std::string& bestPath);

    const std::vector<KeptFile>& files() const { return m_files; }
    std::optional<int> maxToKeep() const { return m_maxToKeep; }

    nlohmann::json toJson() const;
    /// Throws ConfigError (naming the entry) for a malformed entry; paths are not judged here,
    /// the store refuses to delete what this run did not write (CheckpointStore::remove).
    void fromJson(const nlohmann::json& files);

private:
    bool worse(const KeptFile& a, const KeptFile& b) const;

    std::optional<int> m_maxToKeep;
    bool m_byValue;
    MonitorMode m_mode;
    std::vector<KeptFile> m_files;  // oldest first
};

} // namespace cklab
