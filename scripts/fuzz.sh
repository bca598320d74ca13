#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang, ASan+UBSan) and runs each for N seconds.
#   scripts/fuzz.sh [SECONDS=60] [target...]
# New inputs go to BUILD_DIR/fuzz-corpus/<target>; crashes to BUILD_DIR/fuzz-artifacts/.
# Add an input worth keeping to tests/fuzz/corpus/<target>/ by hand (keep the corpora small).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(fuzz_project_json fuzz_path_template fuzz_csv_reader fuzz_history_reader fuzz_checkpoint_reader)
build=${BUILD_DIR:-$here/../build-fuzz}
: "${CC:=clang-14}" "${CXX:=clang++-14}"
export CC CXX

# Until the top-level CMakeLists.txt has `if(CKLAB_FUZZ) add_subdirectory(tests/fuzz) endif()`,
# a project-include hook adds the folder.
hook=$build/fuzz-hook.cmake
mkdir -p "$build"
cat >"$hook" <<'HOOK'
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL include ${CMAKE_SOURCE_DIR}/tests/fuzz/CMakeLists.txt)
HOOK
include_hook=()
grep -q 'tests/fuzz' "$here/CMakeLists.txt" || include_hook=(-DCMAKE_PROJECT_INCLUDE="$hook")

cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DCKLAB_SANITIZE=address,undefined -DCKLAB_FUZZ=ON -DCKLAB_BUILD_GUI=OFF -DCKLAB_BUILD_TESTS=OFF \
  "${include_hook[@]}" >/dev/null
cmake --build "$build" -j"${JOBS:-2}" --target "${targets[@]}"

status=0
for t in "${targets[@]}"; do
  corpus=$build/fuzz-corpus/$t
  artifacts=$build/fuzz-artifacts/$t/
  mkdir -p "$corpus" "$artifacts"
  echo "== $t: ${seconds}s"
  if ! "$build/tests/fuzz/$t" -max_total_time="$seconds" -max_len=32768 -rss_limit_mb=2048 -timeout=10 \
      -artifact_prefix="$artifacts" -print_final_stats=1 "$corpus" "$here/tests/fuzz/corpus/$t" 2>"$build/fuzz-$t.log"; then
    status=1
    echo "   FOUND a problem: see $build/fuzz-$t.log and $artifacts"
  fi
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)' "$build/fuzz-$t.log" | sed 's/^/   /' || true
done
exit $status
