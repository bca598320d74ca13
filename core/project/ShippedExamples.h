#pragma once
/// The example projects of resources/examples/, compiled into the core (generated at build time
/// by cmake/EmbedExamples.cmake) so that the CLI finds them without the GUI's Qt resources.
#include <string_view>
#include <vector>

namespace cklab {

struct ShippedExample {
    int number = 0;              ///< 1-3 for the tutorial examples (run --example N), 0 otherwise
    std::string_view fileName;   ///< name in resources/examples/
    std::string_view json;       ///< the file's exact text
};

const std::vector<ShippedExample>& shippedExamples();
/// The tutorial example `number` (1-3), or nullptr.
const ShippedExample* shippedExample(int number);

} // namespace cklab
