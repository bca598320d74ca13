#include "core/project/ShippedExamples.h"

// The table's entries are generated at build time from resources/examples/*.json
// (cmake/EmbedExamples.cmake): the files are the only copy of the texts.

namespace cklab {

const std::vector<ShippedExample>& shippedExamples()
{
    static const std::vector<ShippedExample> examples{
#include "core/project/ShippedExamplesData.inc"
    };
    return examples;
}

const ShippedExample* shippedExample(int number)
{
    for (const auto& example : shippedExamples())
        if (number > 0 && example.number == number)
            return &example;
    return nullptr;
}

} // namespace cklab
