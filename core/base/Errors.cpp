#include "core/base/Errors.h"

namespace cklab {

namespace {
std::string joinLines(const std::vector<std::string>& lines)
{
    std::string out;
    for (const auto& line : lines) {
        if (!out.empty())
            out += '\n';
        out += line;
    }
    return out;
}
} // namespace

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error(joinLines(problems)), m_problems(std::move(problems))
{
}

IoError::IoError(std::string path, const std::string& cause)
    : std::runtime_error(path + ": " + cause), m_path(std::move(path)), m_cause(cause)
{
}

void throwIfInvalid(const std::vector<std::string>& problems)
{
    if (!problems.empty())
        throw ConfigError(problems);
}

} // namespace cklab
