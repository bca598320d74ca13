#include "core/data/DataFileError.h"

namespace cklab {

DataFileError::DataFileError(std::string path, long long line, const std::string& location, const std::string& problem)
    : IoError(path, problem), m_line(line), m_message(path + location + ": " + problem)
{
}

} // namespace cklab
