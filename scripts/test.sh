#!/usr/bin/env bash
# One command: install what is missing, build, and run the whole test suite.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build=${BUILD_DIR:-$root/build}
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" ${CKLAB_CTEST_ARGS:-}
# Again under a comma-decimal locale (same build, ~15 s): files must be C-locale whatever
# LANG/LC_NUMERIC the user runs with (QApplication takes LC_NUMERIC from the environment).
LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8 \
  ctest --test-dir "$build" --output-on-failure -j "$(nproc)" ${CKLAB_CTEST_ARGS:-}
