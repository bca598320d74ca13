#!/usr/bin/env bash
# Installs the Debian 12 packages CheckpointLab needs to build, run and test
# (with --sanitizers: also what the sanitizer and fuzzer builds need).
# Runs as root, or through sudo when available. Installs only what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev libgl-dev
  libeigen3-dev libhdf5-dev libfmt-dev nlohmann-json3-dev libzip-dev libcli11-dev
  python3 python3-h5py python3-numpy
  xvfb xauth
)
# `install-deps.sh --sanitizers`: also clang and its sanitizer/libFuzzer runtimes
# (scripts/sanitize.sh, scripts/fuzz.sh).
if [ "${1:-}" = "--sanitizers" ]; then
  packages+=(clang-14 libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
