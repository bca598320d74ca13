#include "cli/CliCommon.h"

#include <filesystem>
#include <iostream>

#include "core/base/Errors.h"
#include "core/base/OutOfMemory.h"

namespace cklab::cli {

int guarded(const std::function<int()>& body)
{
    try {
        return body();
    } catch (const UsageError& e) {
        std::cerr << "error: " << e.what() << '\n';
        return kExitInvalid;
    } catch (const ConfigError& e) {
        for (const auto& problem : e.problems())
            std::cerr << "error: " << problem << '\n';
        return kExitInvalid;
    } catch (const std::bad_alloc&) {
        std::cerr << "error: " << OutOfMemoryError("running the command").what() << '\n';
        return kExitFailure;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        return kExitFailure;
    }
}

void requireInputFile(const std::string& path)
{
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status))
        throw UsageError(path + ": no such file");
    if (std::filesystem::is_directory(status))
        throw UsageError(path + ": is a directory, not a file");
}

} // namespace cklab::cli
