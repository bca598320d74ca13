// CSV input: labelled data sets (first byte picks the label column) and feature files.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/data/CsvReader.h"
#include "tests/fuzz/FuzzCommon.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::string labelColumn = data[0] % 3 == 0 ? "" : data[0] % 3 == 1 ? "label" : std::to_string(data[0] % 5);
    cklab::fuzz::expectClearError([&] { (void)cklab::parseCsvDataset(text, "fuzz.csv", labelColumn, {"a", "b"}); });
    cklab::fuzz::expectClearError([&] {
        std::vector<std::string> header;
        (void)cklab::parseFeatureCsv(text, "fuzz.csv", data[0] % 4, &header);
    });
    return 0;
}
