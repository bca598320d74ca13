#pragma once
/// Exceptions of the engine. Exceptions are for bad configuration, I/O failure and bugs;
/// a NaN loss is an outcome, not an exception. Every message names the file, key or value.
#include <stdexcept>
#include <string>
#include <vector>

namespace cklab {

/// Invalid configuration: carries every problem found, one line each.
class ConfigError : public std::runtime_error {
public:
    explicit ConfigError(std::vector<std::string> problems);
    const std::vector<std::string>& problems() const { return m_problems; }

private:
    std::vector<std::string> m_problems;
};

/// Failure to read or write a file; what() is "<path>: <cause>".
class IoError : public std::runtime_error {
public:
    IoError(std::string path, const std::string& cause);
    const std::string& path() const { return m_path; }
    /// The message without the path in front.
    const std::string& cause() const { return m_cause; }

private:
    std::string m_path;
    std::string m_cause;
};

/// Throws ConfigError if `problems` is not empty.
void throwIfInvalid(const std::vector<std::string>& problems);

} // namespace cklab
