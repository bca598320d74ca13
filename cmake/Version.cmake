# Version of the build: PROJECT_VERSION and `git describe` of the source tree, taken at configure
# time ("unknown" without git or outside a clone). Written to
# <build>/generated/core/base/Version.h (cklab_core's PUBLIC generated include dir):
#   cklab::kVersion "0.1.0", cklab::kGitDescribe "v0.1.0-12-g1a2b3c4d5e6f-dirty" / "1a2b3c4d5e6f" / "unknown".
# A commit or checkout re-runs CMake (the git dir's HEAD log is a configure dependency), so the
# commit shown by --version is never older than the last build's.
set(CKLAB_GIT_DESCRIBE "unknown")
find_package(Git QUIET)
if(GIT_FOUND)
  # Only our own clone: a source tarball unpacked inside some other repository is "unknown".
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --show-toplevel
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE toplevel
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  get_filename_component(toplevel "${toplevel}" REALPATH)
  get_filename_component(source_dir "${PROJECT_SOURCE_DIR}" REALPATH)
endif()
if(GIT_FOUND AND toplevel STREQUAL source_dir)
  execute_process(COMMAND ${GIT_EXECUTABLE} describe --always --dirty --tags --abbrev=12
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE describe RESULT_VARIABLE describe_rc
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --absolute-git-dir
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE git_dir RESULT_VARIABLE git_dir_rc
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(describe_rc EQUAL 0 AND NOT describe STREQUAL "")
    set(CKLAB_GIT_DESCRIBE "${describe}")
  endif()
  if(git_dir_rc EQUAL 0 AND EXISTS "${git_dir}/logs/HEAD")
    set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${git_dir}/logs/HEAD")
  endif()
endif()
set(CKLAB_GENERATED_DIR ${PROJECT_BINARY_DIR}/generated)
configure_file(${PROJECT_SOURCE_DIR}/cmake/Version.h.in ${CKLAB_GENERATED_DIR}/core/base/Version.h @ONLY)
message(STATUS "CheckpointLab ${PROJECT_VERSION} (${CKLAB_GIT_DESCRIBE})")
