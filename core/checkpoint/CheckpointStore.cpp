#include "core/checkpoint/CheckpointStore.h"

#include <chrono>
#include <system_error>

#include "core/base/Errors.h"
#include "core/io/CheckpointFile.h"

namespace cklab {

std::int64_t FileCheckpointStore::write(const std::string& path, const Model* model)
{
    std::error_code ec;
    // Checked here too so that the text is Keras' whatever the writer says.
    if (std::filesystem::is_directory(path, ec)) {
        throw IoError(path, "Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an existing directory: "
                + path);
    }
    if (!model)
        throw IoError(path, "no model attached to the checkpoint policy (call setModel first)");
    SaveOptions options;
    options.includeOptimizer = m_includeOptimizer;
    return saveCheckpoint(path, *model, options, m_scratch);
}

void FileCheckpointStore::prepare(const std::string& filepath, const Model* model)
{
    if (!model)
        return;
    const auto start = std::chrono::steady_clock::now();
    try {
        SaveOptions options;
        options.includeOptimizer = m_includeOptimizer;
        warmUpCheckpointWriter(filepath, *model, options, m_scratch);
    } catch (const std::exception&) {
        // The real save reports the problem, with the real path, when (and if) it happens.
    }
    m_warmUpMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

std::optional<FileStamp> fileStamp(const std::filesystem::path& path)
{
    std::error_code ec;
    const auto status = std::filesystem::symlink_status(path, ec);
    if (ec || !std::filesystem::is_regular_file(status))
        return std::nullopt;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        return std::nullopt;
    const auto time = std::filesystem::last_write_time(path, ec);
    if (ec)
        return std::nullopt;
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
    return FileStamp{static_cast<std::int64_t>(size), static_cast<std::int64_t>(ns)};
}

std::optional<FileStamp> FileCheckpointStore::stamp(const std::string& path) const
{
    return fileStamp(path);
}

std::int64_t FileCheckpointStore::remove(const std::string& path, const std::optional<FileStamp>& written)
{
    std::error_code ec;
    const auto status = std::filesystem::symlink_status(path, ec);
    if (ec || !std::filesystem::exists(status))
        return 0; // already gone: nothing to delete
    if (std::filesystem::is_symlink(status))
        throw IoError(path, "not deleted: it is a symbolic link, not the file this run wrote");
    if (!std::filesystem::is_regular_file(status))
        throw IoError(path, "not deleted: it is not a regular file");
    if (!written)
        throw IoError(path, "not deleted: there is no record of this run writing it (the list of kept files gives no "
                            "size and modification time for it)");
    const auto now = fileStamp(path);
    if (!now || *now != *written)
        throw IoError(path, "not deleted: it is no longer the file this run wrote (written with "
                + std::to_string(written->bytes) + " bytes, now " + (now ? std::to_string(now->bytes) : std::string("?"))
                + " bytes, or a different modification time)");
    if (!std::filesystem::remove(path, ec) && ec)
        throw IoError(path, "cannot delete: " + ec.message());
    return now->bytes;
}

} // namespace cklab
