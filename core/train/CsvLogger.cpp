#include "core/train/CsvLogger.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "core/base/Errors.h"
#include "core/train/PathTemplate.h"

namespace cklab {

namespace {

std::string field(const std::string& text, const std::string& separator)
{
    // Python's csv quotes a field holding the delimiter, a quote or a line break.
    if (text.find_first_of("\"\r\n") == std::string::npos && text.find(separator) == std::string::npos)
        return text;
    std::string out = "\"";
    for (char c : text)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

} // namespace

CsvLogger::CsvLogger(std::string filename, std::string separator, bool append)
    : m_filename(std::move(filename)), m_separator(std::move(separator)), m_append(append)
{
}

void CsvLogger::trainBegin(Logs&)
{
    if (m_file.is_open())
        m_file.close();
    m_keys.clear();
    m_bytes = 0;
    m_resumeAt.reset();
}

void CsvLogger::open()
{
    namespace fs = std::filesystem;
    const fs::path path(m_filename);
    std::error_code ec;
    if (path.has_parent_path())
        fs::create_directories(path.parent_path(), ec);
    std::ios::openmode mode = std::ios::binary | std::ios::out;
    if (m_resumeAt) {
        fs::resize_file(path, static_cast<std::uintmax_t>(*m_resumeAt), ec);
        if (ec)
            throw IoError(m_filename, "cannot cut the CSV log back to the backup: " + ec.message());
        mode |= std::ios::app;
        m_writeHeader = false;
        m_bytes = *m_resumeAt;
    } else if (m_append) {
        mode |= std::ios::app;
        std::ifstream in(path);
        std::string firstLine;
        m_writeHeader = !(in && std::getline(in, firstLine) && !firstLine.empty());
        m_bytes = static_cast<std::int64_t>(fs::exists(path, ec) ? fs::file_size(path, ec) : 0);
    } else {
        mode |= std::ios::trunc;
        m_writeHeader = true;
        m_bytes = 0;
    }
    // Never through a link: the log would write wherever the link points (issue 16, item 3).
    if (fs::is_symlink(fs::symlink_status(path, ec)))
        throw IoError(m_filename, "is a symbolic link; the CSV log is not written through links (remove it or choose another name)");
    m_file.open(path, mode);
    if (!m_file)
        throw IoError(m_filename, "cannot open the CSV log for writing");
    struct stat st {};
    m_identity = ::stat(m_filename.c_str(), &st) == 0 ? std::optional(std::pair(std::uint64_t(st.st_dev), std::uint64_t(st.st_ino)))
                                                      : std::nullopt;
}

void CsvLogger::checkStillThere() const
{
    // A removed output folder (or a file replaced behind our back) would take every later row
    // into a deleted file: say so, as a failed checkpoint save does (issue 16, item 15).
    struct stat st {};
    const bool there = ::stat(m_filename.c_str(), &st) == 0;
    if (!there || (m_identity && (std::uint64_t(st.st_dev) != m_identity->first || std::uint64_t(st.st_ino) != m_identity->second)))
        throw IoError(m_filename, there ? "the CSV log was replaced by another file during the run; rows from this epoch on are not written"
                                        : "the CSV log was removed during the run (was its folder deleted?); rows from this epoch on are not written");
}

void CsvLogger::epochEnd(int epoch, Logs& logs)
{
    if (m_keys.empty()) {
        for (const auto& [key, value] : logs)
            m_keys.push_back(key);  // Logs is ordered: already sorted
        const bool hasVal = std::any_of(m_keys.begin(), m_keys.end(), [](const std::string& k) { return k.rfind("val_", 0) == 0; });
        if (!hasVal) {
            // Keras adds the val_ columns so that later validated epochs fit the header.
            const auto n = m_keys.size();
            for (std::size_t i = 0; i < n; ++i)
                m_keys.push_back("val_" + m_keys[i]);
        }
    }
    if (!m_file.is_open())
        open();
    else
        checkStillThere();
    std::string text;
    if (m_writeHeader) {
        text += "epoch";
        for (const auto& k : m_keys)
            text += m_separator + field(k, m_separator);
        text += "\r\n";
        m_writeHeader = false;
    }
    text += std::to_string(epoch);
    for (const auto& k : m_keys) {
        const auto it = logs.find(k);
        text += m_separator + (it == logs.end() ? std::string("NA") : pythonFloatRepr(it->second));
    }
    text += "\r\n";
    m_file << text;
    m_file.flush();
    if (!m_file)
        throw IoError(m_filename, "write failed");
    m_bytes += static_cast<std::int64_t>(text.size());
}

void CsvLogger::trainEnd(Logs&)
{
    if (m_file.is_open())
        m_file.close();
}

nlohmann::json CsvLogger::state() const
{
    return {{"bytes", m_bytes}, {"keys", m_keys}};
}

void CsvLogger::restoreState(const nlohmann::json& state)
{
    if (m_file.is_open())
        m_file.close();
    m_keys = state.at("keys").get<std::vector<std::string>>();
    m_resumeAt = state.at("bytes").get<std::int64_t>();
    if (m_keys.empty())
        m_resumeAt.reset();  // nothing was written before the backup: start as a fresh run
}

} // namespace cklab
