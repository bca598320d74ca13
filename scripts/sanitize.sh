#!/usr/bin/env bash
# Builds the test suite with sanitizers and runs it; exits non-zero on a failed test or on any
# sanitizer report (also from child processes such as checkpointlab-cli run by a test).
#   scripts/sanitize.sh [asan|tsan] [ctest -R regex]
# asan: AddressSanitizer + LeakSanitizer + UndefinedBehaviorSanitizer, every core and GUI test
#       (offscreen), the scripted Keras layout check and, with clang, the fuzzers' short runs
#       (fuzz_*_short: committed corpus + 3000 mutations each). Build dir ../build-asan.
# tsan: ThreadSanitizer, every core and GUI test (offscreen) and the scripted Keras layout check
#       (the trainer stopped/paused from another thread, the GUI session's worker thread, main
#       window runs, background previews and run records). Build dir ../build-tsan.
# Not run: kill_test_* (SIGKILL timing tests) and install_tree (installs the whole build, which
# here is only the tests' targets); both run in the normal suite. Under tsan also not
# TestCli, TestDiskFaults, TestExamples, TestKernelsIsa, TestMatMul: they start processes with QProcess, whose
# clone(CLONE_VM|CLONE_VFORK) start (Qt 6.4 forkfd) aborts the clang-14 TSan runtime
# ("CHECK failed: tsan_rtl.cpp:234 ... ForkAfter"); see docs/hardening.md.
# Env: CC/CXX (default clang-14, which `install-deps.sh --sanitizers` installs with its
#      sanitizer runtimes), JOBS (default 2), BUILD_DIR.
# Suppressions (tests/sanitizers/*.supp) name only Qt/system libraries, never our code.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/install-deps.sh" --sanitizers
kind=${1:-asan}
regex=${2:-}
jobs=${JOBS:-2}
if command -v clang++-14 >/dev/null; then : "${CC:=clang-14}" "${CXX:=clang++-14}"; fi
export CC=${CC:-cc} CXX=${CXX:-c++}

fuzz=OFF
exclude='^(kill_test_.*|install_tree)$'
case "$kind" in
asan)
  build=${BUILD_DIR:-$here/../build-asan}
  sanitize=address,undefined
  [[ $CXX == *clang* ]] && fuzz=ON
  extra_targets=(checkpointlab-cli cklab_write_keras_fixtures)
  ;;
tsan)
  build=${BUILD_DIR:-$here/../build-tsan}
  sanitize=thread
  extra_targets=(checkpointlab-cli cklab_write_keras_fixtures)
  exclude='^(kill_test_.*|install_tree|TestCli|TestDiskFaults|TestExamples|TestKernelsIsa|TestMatMul)$'
  ;;
*) echo "usage: $0 [asan|tsan] [ctest regex]" >&2; exit 2 ;;
esac

start=$(date +%s)
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DCKLAB_SANITIZE="$sanitize" -DCKLAB_FUZZ="$fuzz" -DCKLAB_BUILD_GUI=ON -DCKLAB_BUILD_TESTS=ON >/dev/null

# Build only what will run: the executables of the selected tests (fuzz_x_short -> fuzz_x).
mapfile -t tests < <(cd "$build" && ctest -N ${regex:+-R "$regex"} -E "$exclude" |
  sed -n 's/^ *Test *#[0-9]*: \(Test[A-Za-z0-9]*\|fuzz_[a-z_]*\)$/\1/p' | sed 's/_short$//')
cmake --build "$build" -j"$jobs" --target "${extra_targets[@]}" "${tests[@]}"
built=$(date +%s)

# Reports go to files (one per process that has one), so that a report in a child process
# whose exit code a test does not check still fails this script.
logs=$build/sanitizer-logs
rm -rf "$logs" && mkdir -p "$logs"
supp=$here/tests/sanitizers
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=0:log_path=$logs/asan"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan"
# ignore_noninstrumented_modules: malloc/free/memcpy called from Qt's own (uninstrumented)
# libraries are Qt-internal memory handed between Qt's threads under futexes TSan cannot see
# (thread pool tasks, image scaling, posted events); races in our code are still all reported.
export TSAN_OPTIONS="halt_on_error=0:second_deadlock_stack=1:ignore_noninstrumented_modules=1:suppressions=$supp/tsan.supp:log_path=$logs/tsan"
export QT_QPA_PLATFORM=offscreen
# Checkpoints from outside are read in a forked child with a 10 s limit; instrumented, that child
# runs several times slower, and a busy CI machine made one read of TestComparisonMainWindow miss it.
export CKLAB_UNTRUSTED_READ_TIMEOUT_MS=${CKLAB_UNTRUSTED_READ_TIMEOUT_MS:-60000}

cd "$build"
status=0
ctest --output-on-failure ${regex:+-R "$regex"} -E "$exclude" -j"$jobs" || status=1
end=$(date +%s)

reports=$(find "$logs" -type f | sort)
if [[ -n "$reports" ]]; then
  status=1
  echo "== sanitizer reports:"
  for r in $reports; do
    echo "--- $r"
    head -60 "$r"
  done
fi
echo "== $kind: build $((built - start)) s, tests $((end - built)) s, $(echo "$reports" | grep -c . || true) report file(s)"
exit $status
