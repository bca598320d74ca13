#include "core/checkpoint/RunFiles.h"

#include <system_error>

#include "core/base/Errors.h"

namespace cklab {

std::string RunFiles::key(const std::filesystem::path& file)
{
    std::error_code ec;
    const auto absolute = std::filesystem::absolute(file, ec).lexically_normal();
    const auto resolved = std::filesystem::weakly_canonical(absolute, ec);
    return (ec ? absolute : resolved).string();
}

void RunFiles::claim(const std::filesystem::path& file, const std::string& writer)
{
    const std::string k = key(file);
    std::lock_guard lock(m_mutex);
    const auto [it, inserted] = m_owner.emplace(k, writer);
    if (!inserted && it->second != writer)
        throw IoError(file.string(), "not written: the file is also written by " + it->second
                                         + " in this run, and one writer would destroy the other's file");
}

std::optional<std::string> RunFiles::otherOwner(const std::filesystem::path& file, const std::string& writer) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_owner.find(key(file));
    if (it == m_owner.end() || it->second == writer)
        return std::nullopt;
    return it->second;
}

} // namespace cklab
