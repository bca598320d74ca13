#include "core/compare/ConfigDiff.h"

#include <nlohmann/json.hpp>

#include "core/project/ProjectJson.h"

namespace cklab {

namespace {

using Json = nlohmann::json;

std::string childPath(const std::string& parent, const std::string& key)
{
    return parent.empty() ? key : parent + "." + key;
}

// Integers and floating point values of the same number are the same setting (1 vs 1.0).
bool sameLeaf(const Json& a, const Json& b)
{
    if (a.is_number() && b.is_number())
        return a.get<double>() == b.get<double>();
    return a == b;
}

void diffInto(const Json& a, const Json& b, const std::string& path, std::vector<ConfigDifference>& out)
{
    if (a.is_object() && b.is_object()) {
        // nlohmann::json keeps object keys sorted, so walking both in step gives sorted output.
        auto ia = a.begin();
        auto ib = b.begin();
        while (ia != a.end() || ib != b.end()) {
            if (ib == b.end() || (ia != a.end() && ia.key() < ib.key())) {
                out.push_back({childPath(path, ia.key()), ia->dump(), std::nullopt});
                ++ia;
            } else if (ia == a.end() || ib.key() < ia.key()) {
                out.push_back({childPath(path, ib.key()), std::nullopt, ib->dump()});
                ++ib;
            } else {
                diffInto(*ia, *ib, childPath(path, ia.key()), out);
                ++ia;
                ++ib;
            }
        }
        return;
    }
    if (a.is_array() && b.is_array()) {
        const std::size_t n = std::max(a.size(), b.size());
        for (std::size_t i = 0; i < n; ++i) {
            const std::string p = path + "[" + std::to_string(i) + "]";
            if (i >= b.size())
                out.push_back({p, a[i].dump(), std::nullopt});
            else if (i >= a.size())
                out.push_back({p, std::nullopt, b[i].dump()});
            else
                diffInto(a[i], b[i], p, out);
        }
        return;
    }
    if (!sameLeaf(a, b))
        out.push_back({path, a.dump(), b.dump()});
}

} // namespace

std::vector<ConfigDifference> diffJson(const nlohmann::json& a, const nlohmann::json& b)
{
    std::vector<ConfigDifference> out;
    diffInto(a, b, "", out);
    return out;
}

std::vector<ConfigDifference> diffProjects(const Project& a, const Project& b)
{
    return diffJson(projectToJson(a), projectToJson(b));
}

std::string formatDifference(const ConfigDifference& d)
{
    return (d.path.empty() ? std::string("(config)") : d.path) + ": " + d.a.value_or("(absent)") + " → " +
           d.b.value_or("(absent)");
}

} // namespace cklab
