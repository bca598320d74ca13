#!/usr/bin/env bash
# Builds the core tests (and checkpointlab-cli) with sanitizers and runs them.
#   scripts/sanitize.sh [asan|tsan] [ctest -R regex]
# asan: AddressSanitizer + UndefinedBehaviorSanitizer (UB is fatal), build dir build-asan.
# tsan: ThreadSanitizer on the threaded tests (trainer pause/stop, GUI session), build dir build-tsan.
# Env: CC/CXX (default clang-14 if present, else the system compiler), JOBS (default 2), BUILD_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
kind=${1:-asan}
regex=${2:-}
jobs=${JOBS:-2}
if command -v clang++-14 >/dev/null; then : "${CC:=clang-14}" "${CXX:=clang++-14}"; fi
export CC CXX

case "$kind" in
asan)
  build=${BUILD_DIR:-$here/../build-asan}
  sanitize=address,undefined
  gui=OFF
  targets=(checkpointlab-cli cklab_write_keras_fixtures)
  label=core
  ;;
tsan)
  build=${BUILD_DIR:-$here/../build-tsan}
  sanitize=thread
  gui=ON
  targets=(TestTrainer)
  label=
  [[ -z "$regex" ]] && regex='^(TestTrainer|TestSession)$'
  ;;
*) echo "usage: $0 [asan|tsan] [ctest regex]" >&2; exit 2 ;;
esac

cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DCKLAB_SANITIZE="$sanitize" -DCKLAB_BUILD_GUI="$gui" -DCKLAB_BUILD_TESTS=ON >/dev/null

# Only what will run: the test executables matching the selection.
mapfile -t tests < <(cd "$build" && ctest -N ${label:+-L "$label"} ${regex:+-R "$regex"} | sed -n 's/^ *Test *#[0-9]*: \(Test[A-Za-z0-9]*\)$/\1/p')
cmake --build "$build" -j"$jobs" --target "${targets[@]}" "${tests[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=0:second_deadlock_stack=1}
# LSan cannot run under ptrace-restricted containers; ASAN_OPTIONS=detect_leaks=0 then.
cd "$build"
ctest --output-on-failure ${label:+-L "$label"} ${regex:+-R "$regex"} -E '^kill_test_' -j"$jobs"
