#!/usr/bin/env bash
# One command: install what is missing, build, and launch CheckpointLab on the built-in example.
# With no display it says so and runs the example headless with checkpointlab-cli instead.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build=${BUILD_DIR:-$root/build}
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found: running the example project headless with checkpointlab-cli"
  mkdir -p "$root/runs/example1" && cd "$root/runs/example1"
  exec "$build/app/checkpointlab-cli" run --example 1
fi
exec "$build/app/checkpointlab" "$@"
