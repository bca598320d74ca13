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

std::int64_t FileCheckpointStore::remove(const std::string& path)
{
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    const std::int64_t bytes = ec ? 0 : static_cast<std::int64_t>(size);
    if (!std::filesystem::remove(path, ec) && ec)
        throw IoError(path, "cannot delete: " + ec.message());
    return bytes;
}

} // namespace cklab
