// File path templates: the first line is the template, the bytes after it choose the values
// (including nan, inf, -inf, negative and huge numbers) and whether the save is batch-level.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>

#include "core/checkpoint/PathGuard.h"
#include "core/train/PathTemplate.h"
#include "tests/fuzz/FuzzCommon.h"

namespace {

double valueFrom(const std::uint8_t* p, std::size_t n)
{
    static const double special[] = {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                                     -std::numeric_limits<double>::infinity(), -0.0, 0.5, -1234.5678, 1e-300, 1e300};
    if (n == 0)
        return 0.25;
    if (n < sizeof(double))
        return special[p[0] % 8];
    double v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const char* text = reinterpret_cast<const char*>(data);
    const char* newline = static_cast<const char*>(std::memchr(text, '\n', size));
    const std::size_t templLen = newline ? std::size_t(newline - text) : size;
    const std::string templ(text, templLen);
    const std::uint8_t* rest = data + templLen + (newline ? 1 : 0);
    const std::size_t restLen = size - templLen - (newline ? 1 : 0);

    cklab::Logs logs;
    logs["loss"] = valueFrom(rest, restLen);
    logs["val_loss"] = valueFrom(rest + (restLen > 8 ? 8 : 0), restLen > 8 ? restLen - 8 : restLen ? 1 : 0);
    logs["accuracy"] = 0.75;
    const int epoch = restLen > 0 ? rest[0] * 1000 : 0;
    const std::optional<int> batch = restLen > 1 && (rest[1] & 1) ? std::optional<int>(rest[1]) : std::nullopt;

    (void)cklab::templateFieldNames(templ);
    (void)cklab::hasPerSaveFields(templ);
    cklab::fuzz::expectClearError([&] {
        const std::string path = cklab::formatPath(templ, epoch, batch, logs);
        (void)cklab::checkpointPathProblem("/out", path);
    });
    const cklab::PathPreview p = cklab::preview(templ, logs, batch.has_value());
    if (!p.ok && p.error.empty())
        std::abort();
    return 0;
}
