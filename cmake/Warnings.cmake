# Warnings as an interface target: every target of ours links it; users are never forced into -Werror.
add_library(cklab_warnings INTERFACE)
target_compile_options(cklab_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wno-unused-parameter>
  # Config structs are plain aggregates with defaults (style.md); partial aggregate
  # initialisation of them is intended, so this warning only adds noise.
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wno-missing-field-initializers>
  # GCC 12 reports false -Wrestrict positives inside libstdc++'s string concatenation (GCC PR 105329).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
  $<$<BOOL:${CKLAB_WERROR}>:-Werror>)
