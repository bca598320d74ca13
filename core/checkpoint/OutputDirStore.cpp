#include "core/checkpoint/OutputDirStore.h"

#include "core/base/Errors.h"
#include "core/checkpoint/PathGuard.h"

namespace cklab {

OutputDirStore::OutputDirStore(std::filesystem::path dir, std::string filepathTemplate, bool includeOptimizer,
                               std::shared_ptr<RunFiles> files, std::string owner)
    : m_dir(std::move(dir))
    , m_template(std::move(filepathTemplate))
    , m_files(includeOptimizer)
    , m_owners(files ? std::move(files) : std::make_shared<RunFiles>())
    , m_owner(owner.empty() ? "checkpoint policy \"" + m_template + "\"" : std::move(owner))
{
}

std::filesystem::path OutputDirStore::target(const std::string& path, const char* refused) const
{
    // PathGuard: no accidental escape from the output directory, portable file names.
    auto problem = checkpointPathProblem(m_dir, path);
    if (!problem)
        problem = renderedPathProblem(m_dir, m_template, path);
    if (problem)
        throw IoError(path, refused + *problem);
    return guardCheckpointPath(m_dir, path);
}

std::int64_t OutputDirStore::write(const std::string& path, const Model* model)
{
    const std::filesystem::path file = target(path, "");
    m_owners->claim(file, m_owner);
    return m_files.write(file.string(), model);
}

std::int64_t OutputDirStore::remove(const std::string& path, const std::optional<FileStamp>& written)
{
    const std::filesystem::path file = target(path, "not deleted: ");
    if (auto other = m_owners->otherOwner(file, m_owner))
        throw IoError(path, "not deleted: the file belongs to " + *other + " in this run");
    return m_files.remove(file.string(), written);
}

std::optional<FileStamp> OutputDirStore::stamp(const std::string& path) const
{
    const std::filesystem::path p(path);
    return fileStamp(p.is_absolute() ? p : m_dir / p);
}

} // namespace cklab
