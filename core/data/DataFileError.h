#pragma once
/// A data file that opened but whose content is unusable. what() points at the place like a
/// compiler does: "iris.csv:17: expected 5 columns, got 4"; path() is the file alone.
#include <string>

#include "core/base/Errors.h"

namespace cklab {

class DataFileError : public IoError {
public:
    /// `location` follows the path directly (":17", ":3, column 'x'", or "" for the whole file).
    DataFileError(std::string path, long long line, const std::string& location, const std::string& problem);

    const char* what() const noexcept override { return m_message.c_str(); }
    /// 1-based line of the problem, 0 when it concerns the whole file.
    long long line() const { return m_line; }

private:
    long long m_line = 0;
    std::string m_message;
};

} // namespace cklab
