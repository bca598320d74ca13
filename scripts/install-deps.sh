#!/usr/bin/env bash
# Installs the Debian 12 packages CheckpointLab needs to build, run and test
# (with --sanitizers: also what the sanitizer and fuzzer builds need; with --packaging: what
# scripts/package-deb.sh needs to build and check the .deb).
# Runs as root, or through sudo when available. Installs only what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev libgl-dev
  libeigen3-dev libhdf5-dev libfmt-dev nlohmann-json3-dev libzip-dev libcli11-dev
  zlib1g-dev  # gzip-compressed IDX files (MNIST, Fashion-MNIST); also a dependency of libhdf5-dev
  python3 python3-h5py python3-numpy
  dataset-fashion-mnist  # data.source "fashion_mnist" (/usr/share/datasets/fashion-mnist)
  xvfb xauth
  # The installed GUI driven as a user does (scripts/xsession.sh): keys, screen grabs.
  xdotool x11-apps imagemagick
  locales
  # Install tree (cmake/Install.cmake): man pages, PNG icons, checks of the desktop files.
  help2man librsvg2-bin appstream desktop-file-utils
)
# `install-deps.sh --sanitizers`: also clang and its sanitizer/libFuzzer runtimes
# (scripts/sanitize.sh, scripts/fuzz.sh).
for arg in "$@"; do
  case "$arg" in
  --sanitizers) packages+=(clang-14 libclang-rt-14-dev) ;;
  # `install-deps.sh --packaging`: CPack's dpkg-shlibdeps and lintian (scripts/package-deb.sh).
  --packaging) packages+=(dpkg-dev file lintian) ;;
  *) echo "usage: $0 [--sanitizers] [--packaging]" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""
need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo to $1" >&2; exit 1; }
    SUDO=sudo
  fi
}
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  need_root "install: ${missing[*]}"
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The test suite runs a second time under a comma-decimal locale (scripts/test.sh): numbers in
# files must not follow LC_NUMERIC. Generate de_DE.UTF-8 when it is not there yet.
if ! locale -a 2>/dev/null | grep -qix 'de_DE\.utf-\?8'; then
  need_root "generate the de_DE.UTF-8 locale"
  echo "install-deps: generating the de_DE.UTF-8 locale"
  $SUDO sed -i 's/^# *\(de_DE\.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  grep -q '^de_DE\.UTF-8 UTF-8' /etc/locale.gen || echo 'de_DE.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
  $SUDO locale-gen
fi
