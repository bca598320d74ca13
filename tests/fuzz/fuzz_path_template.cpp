// File path templates: the first line is the template, the bytes after it choose the values
// (including nan, inf, -inf, negative and huge numbers) and whether the save is batch-level.
// Besides "clear error or success", the path checks must keep what they accept in its place
// (issue 16 items 3 and 5): a rendered path that renderedPathProblem() accepts lies inside
// templateRoot(), and a CSV log / backup path that runFilePathProblem() accepts lies inside the
// output folder, both compared lexically here (the output folder does not exist, so no symlink
// can be involved). Anything else aborts: a path check let a file escape.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
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

namespace fs = std::filesystem;

/// Not on disk: isInside() resolves no symlink below it, so lexical containment is the truth.
const fs::path kOutputDir = "/cklab-fuzz-no-such-folder/out";

bool lexicallyInside(const fs::path& root, const fs::path& file)
{
    const fs::path r = root.lexically_normal();
    const fs::path f = file.lexically_normal();
    auto fi = f.begin();
    for (auto ri = r.begin(); ri != r.end(); ++ri, ++fi) {
        if (ri->empty() && std::next(ri) == r.end())
            break; // trailing separator
        if (fi == f.end() || *ri != *fi)
            return false;
    }
    return true;
}

[[noreturn]] void escaped(const char* check, const std::string& templ, const std::string& path)
{
    std::fprintf(stderr, "%s accepted a path outside its folder: template '%s', path '%s'\n", check, templ.c_str(),
                 path.c_str());
    std::abort();
}

/// The containment checks of PathGuard on one rendered path.
void checkContainment(const std::string& templ, const std::string& path)
{
    if (cklab::checkpointPathProblem(kOutputDir, path))
        return;
    const fs::path root = cklab::templateRoot(kOutputDir, templ);
    if (cklab::renderedPathProblem(kOutputDir, templ, path))
        return;
    const fs::path p(path);
    if (!fs::path(templ).is_absolute() && p.is_absolute())
        escaped("renderedPathProblem (relative template, absolute path)", templ, path);
    std::error_code ec;
    if (fs::exists(root, ec) || ec)
        return; // an existing root may hold symlinks; containment is then isInside()'s own business
    if (!lexicallyInside(root, p.is_absolute() ? p : kOutputDir / p))
        escaped("renderedPathProblem", templ, path);
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
        checkContainment(templ, path);
    });
    // The template as the CSV log's or the backup folder's path (relative only, no fields).
    if (!cklab::runFilePathProblem("training.csv_logger.filename", templ)
        && !lexicallyInside(kOutputDir, kOutputDir / templ))
        escaped("runFilePathProblem", templ, templ);
    const cklab::PathPreview p = cklab::preview(templ, logs, batch.has_value());
    if (!p.ok && p.error.empty())
        std::abort();
    return 0;
}
