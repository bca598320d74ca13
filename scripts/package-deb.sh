#!/usr/bin/env bash
# Builds the Debian package (CPack) from the Release build of scripts/test.sh (./build or
# $BUILD_DIR), checks it with lintian (fails on errors; warnings are printed), installs it with
# apt-get, runs both installed programs from a scratch folder (checkpointlab-cli on example 1,
# the GUI: --version, --help, and on a private X server an installed example opened, grabbed and
# quit with Ctrl+Q), then removes
# the package again. Needs root or sudo (apt-get). CI runs it after the tests (.ci/run).
#   scripts/package-deb.sh [--keep]    --keep: leave the package installed
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
keep=${1:-}
bash "$root/scripts/install-deps.sh" --packaging
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "package-deb: need root or sudo for apt-get" >&2; exit 1; }
  SUDO=sudo
fi

# Same configuration as scripts/build.sh, so after scripts/test.sh this only packs.
bash "$root/scripts/build.sh" >/dev/null
rm -f "$build"/checkpointlab_*.deb
(cd "$build" && cpack -G DEB >"$build/cpack.log") || { cat "$build/cpack.log"; exit 1; }
deb=$(ls "$build"/checkpointlab_*.deb)
echo "== $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb --field "$deb" Package Version Depends
echo "== lintian"
# Errors fail; warnings and infos are listed (docs/packaging.md says which are expected).
lintian --fail-on error -I -E --pedantic "$deb" | tee "$build/lintian.txt"

work=$(mktemp -d)
cleanup() {
  if declare -F xs_stop >/dev/null; then xs_stop; fi
  if [ "$keep" != "--keep" ] && dpkg-query -W -f='${Status}' checkpointlab 2>/dev/null | grep -q "install ok installed"; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq checkpointlab >/dev/null
    echo "== removed checkpointlab"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
echo "== apt-get install $deb"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$deb" >"$build/apt-install.log" ||
  { cat "$build/apt-install.log"; exit 1; }

cd "$work"
export HOME=$work XDG_CONFIG_HOME=$work/.config
/usr/bin/checkpointlab-cli --version
/usr/bin/checkpointlab-cli run --example 1 --epochs 3
test -f model_checkpoint_ex1/best.weights.h5
man -w checkpointlab-cli >/dev/null 2>&1 || test -f /usr/share/man/man1/checkpointlab-cli.1.gz
appstreamcli validate --no-net /usr/share/metainfo/org.checkpointlab.CheckpointLab.metainfo.xml
desktop-file-validate /usr/share/applications/org.checkpointlab.CheckpointLab.desktop
QT_QPA_PLATFORM=offscreen /usr/bin/checkpointlab --version
QT_QPA_PLATFORM=offscreen /usr/bin/checkpointlab --help >help.txt
head -3 help.txt
# The installed GUI on a private X server: an installed example opened, drawn, quit with Ctrl+Q.
. "$root/scripts/xsession.sh"
xs_start 1000x700
/usr/bin/checkpointlab /usr/share/checkpointlab/examples/example2_best_on_val_accuracy.json &
gui=$!
w=$(xs_window "$gui" 60)
xdotool getwindowname "$w" | grep -q example2_best_on_val_accuracy
xs_grab "$work/installed.png"
xs_keys "$w" ctrl+q
xs_wait_exit "$gui" 30
xs_stop
echo "== installed package OK"
