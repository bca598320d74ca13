#pragma once
/// Where a checkpoint policy's files go. ModelCheckpoint decides *what* to write and delete
/// (including retention); a store only carries it out, so a live run (FileCheckpointStore)
/// and a replay of recorded logs (SimulatedCheckpointStore) make the same decisions.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>

#include "core/checkpoint/Retention.h"
#include "core/io/SaveScratch.h"

namespace cklab {

class Model;

class CheckpointStore {
public:
    virtual ~CheckpointStore() = default;
    /// Writes `model` to `path` atomically (format from the suffix); returns the bytes written.
    /// Throws IoError naming the path and the cause; the previous file at `path` is then intact.
    virtual std::int64_t write(const std::string& path, const Model* model) = 0;
    /// Deletes a file this policy wrote; returns the bytes freed (0 if it is already gone).
    /// `written` is the stamp() taken right after the write (or restored from a backup): a real
    /// store refuses, with IoError naming the reason, a file without one, a symbolic link or
    /// anything but a regular file, and a file whose size or modification time changed since.
    virtual std::int64_t remove(const std::string& path, const std::optional<FileStamp>& written) = 0;
    /// The identity of the file at `path` right now (nullopt: none, or a simulated store).
    virtual std::optional<FileStamp> stamp(const std::string& path) const { return std::nullopt; }
    /// True if nothing is really written (write durations are then reported as 0).
    virtual bool simulated() const { return false; }
    /// Called once when training starts, with the policy's filepath (template): a store may do
    /// the one-time set-up of its writer here rather than in the first write(). Never throws.
    virtual void prepare(const std::string& filepath, const Model* model) {}
};

/// Real files through saveCheckpoint() of core/io/CheckpointFile.h.
/// The size and modification time of the regular file at `path` (not following a symlink).
std::optional<FileStamp> fileStamp(const std::filesystem::path& path);

class FileCheckpointStore : public CheckpointStore {
public:
    /// `includeOptimizer`: write the optimizer's state with the weights (CheckpointConfig).
    explicit FileCheckpointStore(bool includeOptimizer = true) : m_includeOptimizer(includeOptimizer) {}
    std::int64_t write(const std::string& path, const Model* model) override;
    std::int64_t remove(const std::string& path, const std::optional<FileStamp>& written) override;
    std::optional<FileStamp> stamp(const std::string& path) const override;
    /// Builds one file image in memory (warmUpCheckpointWriter) in the store's scratch, whose
    /// memory every write() reuses: the first save then costs what later ones do. The time
    /// taken is warmUpMs() (0 before; failures are left to write()).
    void prepare(const std::string& filepath, const Model* model) override;
    double warmUpMs() const { return m_warmUpMs; }

    /// The memory write() builds files in (kept between saves; issue 7).
    const SaveScratch& scratch() const { return m_scratch; }

private:
    bool m_includeOptimizer;
    double m_warmUpMs = 0.0;
    SaveScratch m_scratch;
};

/// Writes nothing; remembers which files would exist now (bytes are always 0).
class SimulatedCheckpointStore : public CheckpointStore {
public:
    std::int64_t write(const std::string& path, const Model*) override
    {
        m_files.insert(path);
        ++m_writes;
        return 0;
    }
    std::int64_t remove(const std::string& path, const std::optional<FileStamp>&) override
    {
        m_files.erase(path);
        return 0;
    }
    bool simulated() const override { return true; }
    const std::set<std::string>& files() const { return m_files; }
    int writes() const { return m_writes; }

private:
    std::set<std::string> m_files;
    int m_writes = 0;
};

} // namespace cklab
