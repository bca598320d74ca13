#include "core/checkpoint/Retention.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/base/JsonNumbers.h"

namespace cklab {

Retention::Retention(std::optional<int> maxToKeep, bool byValue, MonitorMode mode)
    : m_maxToKeep(maxToKeep), m_byValue(byValue), m_mode(mode)
{
}

// Is `a` a better deletion victim than `b`? Files without a usable value go first, then the
// worst value; equal values: the older one (lower index, handled by stable ordering).
bool Retention::worse(const KeptFile& a, const KeptFile& b) const
{
    const bool aUnknown = !a.value || std::isnan(*a.value);
    const bool bUnknown = !b.value || std::isnan(*b.value);
    if (aUnknown || bUnknown)
        return aUnknown && !bUnknown;
    return isImprovement(m_mode, *b.value, *a.value);
}

std::vector<KeptFile> Retention::recordSave(const KeptFile& file, const std::string& bestPath)
{
    m_files.erase(std::remove_if(m_files.begin(), m_files.end(), [&](const KeptFile& f) { return f.path == file.path; }),
                  m_files.end());
    m_files.push_back(file);

    std::vector<KeptFile> victims;
    if (!m_maxToKeep)
        return victims;
    while (static_cast<int>(m_files.size()) > *m_maxToKeep) {
        auto candidate = m_files.end();
        for (auto it = m_files.begin(); it != m_files.end(); ++it) {
            if (it->path == file.path || (!bestPath.empty() && it->path == bestPath))
                continue;
            if (candidate == m_files.end() || (m_byValue && worse(*it, *candidate)))
                candidate = it;
            if (!m_byValue)
                break;  // oldest first
        }
        if (candidate == m_files.end())
            break;
        victims.push_back(*candidate);
        m_files.erase(candidate);
    }
    return victims;
}

nlohmann::json Retention::toJson() const
{
    auto list = nlohmann::json::array();
    for (const auto& f : m_files) {
        list.push_back({{"path", f.path},
                        {"value", optionalNumberToJson(f.value)},
                        {"epoch", f.epoch},
                        {"batch", f.batch ? nlohmann::json(*f.batch) : nlohmann::json(nullptr)}});
        if (f.stamp) {
            list.back()["bytes"] = f.stamp->bytes;
            list.back()["mtime_ns"] = f.stamp->mtimeNs;
        }
    }
    return list;
}

void Retention::fromJson(const nlohmann::json& files)
{
    m_files.clear();
    for (const auto& j : files) {
        KeptFile f;
        f.path = j.at("path").get<std::string>();
        f.value = optionalNumberFromJson(j.at("value"));
        f.epoch = j.at("epoch").get<int>();
        if (!j.at("batch").is_null())
            f.batch = j.at("batch").get<int>();
        if (j.contains("bytes") && j.contains("mtime_ns"))
            f.stamp = FileStamp{j.at("bytes").get<std::int64_t>(), j.at("mtime_ns").get<std::int64_t>()};
        m_files.push_back(f);
    }
}

} // namespace cklab
