#pragma once
/// The store of a checkpoint policy in a project run (docs/checkpoint-semantics.md, "Paths"):
/// relative paths resolve against the run's output folder, and
///  * a write goes only where PathGuard allows (guardCheckpointPath) and stays inside the
///    template's root once symlinks are resolved (renderedPathProblem), and never over a file
///    another writer of the run owns (RunFiles);
///  * a delete (max_to_keep) goes only to such a path, to a file this policy owns, and only while
///    it is still the file that was written (FileCheckpointStore::remove): a backup crafted by
///    hand cannot make retention delete anything else.
#include <filesystem>
#include <memory>
#include <string>

#include "core/checkpoint/CheckpointStore.h"
#include "core/checkpoint/RunFiles.h"

namespace cklab {

class OutputDirStore : public CheckpointStore {
public:
    /// `filepathTemplate`: the policy's template; `owner`: how the policy is named in messages
    /// ("checkpoint policy 'best'"); `files` may be shared by every writer of the run.
    OutputDirStore(std::filesystem::path dir, std::string filepathTemplate, bool includeOptimizer,
                   std::shared_ptr<RunFiles> files = {}, std::string owner = {});
    std::int64_t write(const std::string& path, const Model* model) override;
    std::int64_t remove(const std::string& path, const std::optional<FileStamp>& written) override;
    std::optional<FileStamp> stamp(const std::string& path) const override;
    /// The writer's warm-up needs only the suffix of the template (nothing is written).
    void prepare(const std::string& filepath, const Model* model) override { m_files.prepare(filepath, model); }

private:
    /// The file for `path`, checked against every path rule; throws IoError(path, refused + rule).
    std::filesystem::path target(const std::string& path, const char* refused) const;

    std::filesystem::path m_dir;
    std::string m_template;
    FileCheckpointStore m_files;
    std::shared_ptr<RunFiles> m_owners;
    std::string m_owner;
};

} // namespace cklab
