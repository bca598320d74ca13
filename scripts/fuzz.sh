#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang-14, ASan+UBSan) and runs each for N seconds,
# one after the other, in one process each (no -jobs: the machine is shared).
#   scripts/fuzz.sh [SECONDS=60] [target...]
# The build dir and its configuration are those of `scripts/sanitize.sh asan` (../build-asan),
# so one sanitizer build of the engine serves the fuzzers and the test suite.
# New inputs go to BUILD_DIR/fuzz-corpus/<target>; crashes, hangs (> 10 s) and inputs that need
# more than 1 GB go to BUILD_DIR/fuzz-artifacts/<target>/ and make this script exit 1.
# Keep a finding as tests/fuzz/corpus/<target>/regression_<what> (keep the corpora small).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(fuzz_project_json fuzz_path_template fuzz_csv_reader fuzz_history_reader fuzz_checkpoint_reader fuzz_backup_state)
build=${BUILD_DIR:-$here/../build-asan}
: "${CC:=clang-14}" "${CXX:=clang++-14}"
export CC CXX

cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DCKLAB_SANITIZE=address,undefined -DCKLAB_FUZZ=ON -DCKLAB_BUILD_GUI=ON -DCKLAB_BUILD_TESTS=ON >/dev/null
cmake --build "$build" -j"${JOBS:-2}" --target "${targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
status=0
for t in "${targets[@]}"; do
  corpus=$build/fuzz-corpus/$t
  artifacts=$build/fuzz-artifacts/$t/
  mkdir -p "$corpus" "$artifacts"
  echo "== $t: ${seconds}s"
  if ! "$build/tests/fuzz/$t" -max_total_time="$seconds" -max_len=32768 -rss_limit_mb=1024 -timeout=10 \
      -artifact_prefix="$artifacts" -print_final_stats=1 "$corpus" "$here/tests/fuzz/corpus/$t" \
      >"$build/fuzz-$t.log" 2>&1; then
    status=1
    echo "   FOUND a problem: see $build/fuzz-$t.log and $artifacts"
  fi
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|stat::new_units_added)' "$build/fuzz-$t.log" | sed 's/^/   /' || true
  echo "   corpus files: $(find "$corpus" -type f | wc -l) new + $(find "$here/tests/fuzz/corpus/$t" -type f | wc -l) committed"
done
exit $status
