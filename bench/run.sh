#!/usr/bin/env bash
# One command for the side-by-side benchmark (docs/benchmarks.md):
#   bash bench/run.sh [run_benchmarks.py options, e.g. --rounds 5 --workloads M,L --threads 1]
# Builds checkpointlab-cli and bench_gemm in $BUILD_DIR (default: build-bench next to the repo),
# then runs bench/run_benchmarks.py with Debian's /usr/bin/python3 (which has python3-torch).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
build="${BUILD_DIR:-$repo/build-bench}"
python="${TORCH_PYTHON:-/usr/bin/python3}"

if ! "$python" -c 'import torch' 2>/dev/null; then
    echo "error: $python cannot import torch; on Debian: apt-get install -y python3-torch libopenblas0-pthread" >&2
    exit 2
fi
if ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
    echo "warning: libopenblas0-pthread is not installed: Debian's torch then uses the slow reference BLAS" >&2
fi
if [ ! -f "$build/build.ninja" ] && [ ! -f "$build/Makefile" ]; then
    cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release ${CKLAB_BENCH_CMAKE_ARGS:-}
fi
cmake --build "$build" --target checkpointlab-cli bench_gemm -j"$(nproc)"
exec "$python" "$here/run_benchmarks.py" --cli "$build/app/checkpointlab-cli" --gemm "$build/bench/bench_gemm" \
    --json "$build/bench-results.json" "$@"
