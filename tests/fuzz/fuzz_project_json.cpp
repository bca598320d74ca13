// Project files: parse, validate; a parsed project must survive its own writer (round trip).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/project/ProjectJson.h"
#include "core/project/ProjectValidation.h"
#include "tests/fuzz/FuzzCommon.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    cklab::fuzz::expectClearError([&] {
        const cklab::Project project = cklab::parseProjectText(text, "fuzz.json");
        (void)cklab::validateProject(project);
        const std::string again = cklab::projectToText(project);
        try {
            (void)cklab::parseProjectText(again, "roundtrip.json");
        } catch (const std::exception& e) {
            std::fprintf(stderr, "a valid project does not survive projectToText: %s\n%s\n", e.what(), again.c_str());
            std::abort();
        }
    });
    return 0;
}
