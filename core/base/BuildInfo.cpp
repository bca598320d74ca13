#include "core/base/BuildInfo.h"

#include <Eigen/Core>
#include <fmt/format.h>
#include <hdf5.h>
#include <nlohmann/json.hpp>
#include <zip.h>

#include "core/base/Version.h"

namespace cklab {

namespace {

BuildInfo makeBuildInfo()
{
    BuildInfo info;
    info.version = kVersion;
    info.commit = kGitDescribe;
    // HDF5 is a shared library: report the one actually loaded, which is what matters for files.
    unsigned major = 0, minor = 0, release = 0;
    const std::string hdf5 = H5get_libversion(&major, &minor, &release) >= 0
                                 ? fmt::format("{}.{}.{}", major, minor, release)
                                 : std::string(H5_VERSION);
    // Header-only or statically known: the versions compiled in.
    info.libraries = {
        {"Eigen", fmt::format("{}.{}.{}", EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION), "MPL-2.0"},
        {"HDF5", hdf5, "BSD-3-Clause-like"},
        {"libzip", zip_libzip_version(), "BSD-3-Clause"},
        {"{fmt}", fmt::format("{}.{}.{}", FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100), "MIT"},
        {"nlohmann/json",
         fmt::format("{}.{}.{}", NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH),
         "MIT"},
    };
    return info;
}

} // namespace

const BuildInfo& buildInfo()
{
    static const BuildInfo info = makeBuildInfo();
    return info;
}

std::string versionLine(const std::string& program)
{
    return fmt::format("{} {} ({})", program, buildInfo().version, buildInfo().commit);
}

} // namespace cklab
