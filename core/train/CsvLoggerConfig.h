#pragma once
/// Settings of CsvLogger, as stored in a project's "training.csv_logger".
#include <string>

namespace cklab {

struct CsvLoggerConfig {
    bool enabled = false;
    std::string filename = "training.log";
    std::string separator = ",";
    bool append = false;
};

} // namespace cklab
