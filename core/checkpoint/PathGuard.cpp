#include "core/checkpoint/PathGuard.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include <system_error>

#include "core/base/Errors.h"

namespace cklab {

namespace fs = std::filesystem;

namespace {

std::string upper(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    return out;
}

bool isWindowsDeviceName(const std::string& component)
{
    // "NUL", "nul.txt", "com1.weights.h5": the part before the first dot decides.
    const std::string base = upper(std::string_view(component).substr(0, component.find('.')));
    static const std::array<std::string_view, 4> plain{"CON", "PRN", "AUX", "NUL"};
    if (std::find(plain.begin(), plain.end(), base) != plain.end())
        return true;
    return base.size() == 4 && (base.compare(0, 3, "COM") == 0 || base.compare(0, 3, "LPT") == 0) && base[3] >= '1'
        && base[3] <= '9';
}

} // namespace

std::optional<std::string> portableNameProblem(const std::string& component)
{
    if (component == "." || component == "..")
        return std::nullopt;
    for (const char ch : component) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7f)
            return "the file name \"" + component + "\" contains a control character";
        if (std::string_view("<>:\"|?*\\").find(ch) != std::string_view::npos)
            return "the file name \"" + component + "\" contains '" + std::string(1, ch)
                + "', which is not allowed in file names on Windows (< > : \" | ? * \\)";
    }
    if (!component.empty() && (component.back() == '.' || component.back() == ' '))
        return "the file name \"" + component + "\" ends with a dot or a space, which Windows drops";
    if (isWindowsDeviceName(component))
        return "the file name \"" + component + "\" is a reserved device name on Windows";
    return std::nullopt;
}

std::optional<std::string> checkpointPathProblem(const fs::path& outputDir, const std::string& path)
{
    if (path.empty())
        return std::string("the checkpoint path is empty");
    const fs::path p(path);
    for (const auto& part : p.relative_path()) {
        if (auto problem = portableNameProblem(part.string()))
            return *problem;
    }
    if (p.is_absolute())
        return std::nullopt;
    // Lexically: "a/../b" stays inside, "../x" and "a/../../x" leave; symlinks are the user's choice.
    const fs::path normal = p.lexically_normal();
    if (!normal.empty() && *normal.begin() == "..")
        return "leaves the output directory " + outputDir.string()
            + " (a '..' climbs above it; use an absolute path to write elsewhere)";
    return std::nullopt;
}

fs::path guardCheckpointPath(const fs::path& outputDir, const std::string& path)
{
    if (auto problem = checkpointPathProblem(outputDir, path))
        throw IoError(path, *problem);
    const fs::path p(path);
    return p.is_absolute() ? p : outputDir / p;
}

fs::path templateRoot(const fs::path& outputDir, const std::string& pathTemplate)
{
    const fs::path templ(pathTemplate);
    if (!templ.is_absolute())
        return outputDir;
    fs::path root = templ.root_path();
    const fs::path folders = templ.parent_path().relative_path();
    for (const auto& part : folders) {
        if (part.string().find('{') != std::string::npos || part == "..")
            break;
        root /= part;
    }
    return root;
}

namespace {

fs::path resolved(const fs::path& p)
{
    std::error_code ec;
    const fs::path absolute = fs::absolute(p, ec).lexically_normal();
    const fs::path real = fs::weakly_canonical(absolute, ec);
    return ec ? absolute : real;
}

} // namespace

bool isInside(const fs::path& root, const fs::path& file)
{
    const fs::path r = resolved(root);
    const fs::path f = resolved(file);
    auto ri = r.begin();
    auto fi = f.begin();
    for (; ri != r.end(); ++ri, ++fi) {
        if (ri->empty() && std::next(ri) == r.end())
            break; // trailing separator of the root
        if (fi == f.end() || *ri != *fi)
            return false;
    }
    return true;
}

std::optional<std::string> renderedPathProblem(const fs::path& outputDir, const std::string& pathTemplate,
                                               const std::string& rendered)
{
    const fs::path p(rendered);
    if (p.is_absolute() && !fs::path(pathTemplate).is_absolute())
        return "the template \"" + pathTemplate + "\" is relative but its formatted path is absolute (a fill "
               "character '/' turns a relative template into a path from the filesystem root)";
    const fs::path root = templateRoot(outputDir, pathTemplate);
    const fs::path file = p.is_absolute() ? p : outputDir / p;
    if (!isInside(root, file))
        return "leaves " + root.string() + " once symbolic links are resolved (files of a run stay in "
               + root.string() + ")";
    return std::nullopt;
}

std::optional<std::string> runFilePathProblem(const std::string& field, const std::string& value)
{
    if (value.empty())
        return field + ": must not be empty";
    if (fs::path(value).is_absolute())
        return field + ": \"" + value + "\" is absolute; give a path relative to the output folder";
    for (const auto& part : fs::path(value)) {
        if (auto problem = portableNameProblem(part.string()))
            return field + ": \"" + value + "\": " + *problem;
    }
    const fs::path normal = fs::path(value).lexically_normal();
    if (!normal.empty() && *normal.begin() == "..")
        return field + ": \"" + value + "\" leaves the output folder (a '..' climbs above it); files of a run "
                       "stay inside its output folder";
    return std::nullopt;
}

} // namespace cklab
