#!/usr/bin/env bash
# The installed tree works on its own: `cmake --install` into a fresh prefix, then both programs
# run from that prefix with another folder as the working directory (no build or source tree
# involved: the source docs/resources fallbacks are hidden by checking the paths they report).
# The GUI part drives the installed program on a private X server (scripts/xsession.sh).
#   install_tree_test.sh BUILD_DIR WORK_DIR [gui]
set -euo pipefail
build=$1
work=$2
gui=${3:-}
rm -rf "$work"
mkdir -p "$work/home" "$work/elsewhere"
prefix=$work/prefix
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >"$work/install.log"
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")

# Everything the layout promises (cmake/Install.cmake).
for f in bin/checkpointlab-cli share/checkpointlab/examples/example1_best_on_loss.json \
    share/checkpointlab/data/iris.csv share/doc/checkpointlab/README.md share/doc/checkpointlab/copyright \
    share/doc/checkpointlab/docs/project-format.md share/doc/checkpointlab/changelog.gz; do
  [[ -f $prefix/$f ]] || fail "not installed: $f"
done
cmp -s "$prefix/share/checkpointlab/data/iris.csv" "$(dirname "$0")/../../resources/data/iris.csv" || fail "iris.csv differs"
# Man pages are generated with help2man when the build found it (install-deps.sh installs it).
if grep -q '^CKLAB_HELP2MAN:FILEPATH=/' "$build/CMakeCache.txt"; then
  man=$prefix/share/man/man1/checkpointlab-cli.1.gz
  [[ -f $man ]] || fail "not installed: share/man/man1/checkpointlab-cli.1.gz"
  zcat "$man" | grep -q '^\.SH COMMANDS' || fail "man page has no COMMANDS"
  zcat "$man" | grep -q -- '-epochs' || fail "man page lacks run --epochs"
  ! zcat "$man" | grep -q "$build" || fail "man page names the build dir"
  [[ $gui != gui || -f $prefix/share/man/man1/checkpointlab.1.gz ]] || fail "not installed: share/man/man1/checkpointlab.1.gz"
fi

cd "$work/elsewhere"
cli=$prefix/bin/checkpointlab-cli
"$cli" --version >version.txt
grep -q "^checkpointlab-cli $version (" version.txt || fail "cli --version: $(head -1 version.txt)"
grep -q "^CLI11 " version.txt || fail "cli --version lists no CLI11"
"$cli" run --example 1 --epochs 2 --quiet
[[ -f model_checkpoint_ex1/best.weights.h5 ]] || fail "cli run --example 1 saved no checkpoint"
"$cli" run "$prefix/share/checkpointlab/examples/example2_best_on_val_accuracy.json" --epochs 1 --out-dir ex2 --quiet
[[ -d ex2 ]] || fail "cli run of the installed example 2 wrote nothing"

if [[ $gui == gui ]]; then
  for f in bin/checkpointlab share/applications/org.checkpointlab.CheckpointLab.desktop \
      share/metainfo/org.checkpointlab.CheckpointLab.metainfo.xml \
      share/icons/hicolor/scalable/apps/checkpointlab.svg; do
    [[ -f $prefix/$f ]] || fail "not installed: $f"
  done
  if grep -q '^CKLAB_RSVG_CONVERT:FILEPATH=/' "$build/CMakeCache.txt"; then
    [[ -f $prefix/share/icons/hicolor/48x48/apps/checkpointlab.png ]] || fail "no 48x48 PNG icon"
  fi
  if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$prefix/share/metainfo/org.checkpointlab.CheckpointLab.metainfo.xml" >appstream.txt ||
      { cat appstream.txt; fail "appstreamcli validate"; }
  fi
  if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$prefix/share/applications/org.checkpointlab.CheckpointLab.desktop" || fail "desktop-file-validate"
  fi
  app=$prefix/bin/checkpointlab
  # --version and --help need no display (the GUI parses its arguments before any window).
  QT_QPA_PLATFORM=offscreen "$app" --version >gui-version.txt
  grep -q "^checkpointlab $version (" gui-version.txt || fail "gui --version: $(head -1 gui-version.txt)"
  grep -q "^Qt (Core" gui-version.txt || fail "gui --version lists no Qt"
  # The installed program finds the installed docs and data, not the source tree's.
  grep -qx "Documentation: $(cd "$prefix" && pwd -P)/share/doc/checkpointlab" gui-version.txt ||
    fail "gui --version: $(grep Documentation gui-version.txt)"
  grep -qx "Examples and data: $(cd "$prefix" && pwd -P)/share/checkpointlab" gui-version.txt ||
    fail "gui --version: $(grep Examples gui-version.txt)"
  mkdir gui && cd gui
  QT_QPA_PLATFORM=offscreen "$app" --help >help.txt
  grep -q "^Usage: .*checkpointlab \[options\] \[PATH\]" help.txt || fail "gui --help: $(head -1 help.txt)"
  grep -q -- "--version" help.txt || fail "gui --help lists no --version"
  [[ -z $(ls -A . | grep -v '^help.txt$') ]] || fail "gui --help left files behind: $(ls -A)"
  [[ ! -e $HOME/Documents/CheckpointLab ]] || fail "gui --help created Documents/CheckpointLab"
  # The product has no screenshot or test mode (issue 18): such options are refused.
  ! QT_QPA_PLATFORM=offscreen "$app" --screenshot x.png >hidden.txt 2>&1 || fail "gui accepted --screenshot"
  grep -q "Unknown option 'screenshot'" hidden.txt || fail "gui --screenshot: $(cat hidden.txt)"

  # The rest as a user: a real X server, the window found by its process, shortcuts typed into it.
  . "$(dirname "$0")/../../scripts/xsession.sh"
  trap xs_stop EXIT
  xs_start 1280x800
  # 1. An installed example opened from the command line: its name in the title, pixels drawn.
  "$app" "$prefix/share/checkpointlab/examples/example3_save_every_batch.json" 2>example.err &
  pid=$!
  w=$(xs_window "$pid" 60) || fail "no window for the installed example: $(cat example.err)"
  xdotool getwindowname "$w" | grep -q "example3_save_every_batch" || fail "title: $(xdotool getwindowname "$w")"
  xs_grab "$work/elsewhere/example.png" || fail "the installed example's window is blank"
  xs_keys "$w" ctrl+q
  xs_wait_exit "$pid" 30 || fail "Ctrl+Q did not quit"
  # 2. A copy of example 1 trained in the GUI (Ctrl+R): its record goes to recorded-runs/run-001
  #    next to the project, the window quits cleanly afterwards.
  mkdir project && cp "$prefix/share/checkpointlab/examples/example1_best_on_loss.json" project/
  "$app" project/example1_best_on_loss.json 2>train.err &
  pid=$!
  w=$(xs_window "$pid" 60) || fail "no window for the project copy: $(cat train.err)"
  xs_keys "$w" ctrl+r
  run=project/recorded-runs/run-001
  for _ in $(seq 1200); do [[ -f $run/run.json ]] && break; sleep 0.1; done
  [[ -f $run/run.json ]] || fail "Ctrl+R left no $run/run.json within 120 s: $(cat train.err)"
  [[ -f project/model_checkpoint_ex1/best.weights.h5 ]] || fail "the GUI run saved no checkpoint"
  xs_grab "$work/elsewhere/trained.png" || fail "the trained window is blank"
  xs_keys "$w" ctrl+q
  xs_wait_exit "$pid" 30 || fail "Ctrl+Q after the run did not quit"
  # 3. That run folder on the command line: opened (nothing on stderr), shown.
  "$app" "$run" 2>run-folder.err &
  pid=$!
  w=$(xs_window "$pid" 60) || fail "no window for the run folder: $(cat run-folder.err)"
  sleep 1
  ! grep -q "not a run folder" run-folder.err || fail "run folder not opened: $(cat run-folder.err)"
  xs_grab "$work/elsewhere/run-folder.png" || fail "the run folder's window is blank"
  # Nothing was edited: Quit asks nothing and quits.
  xs_keys "$w" ctrl+q
  xs_wait_exit "$pid" 30 || fail "Ctrl+Q with the run folder open did not quit"
  # 4. A folder without run.json is refused with its name.
  mkdir empty
  "$app" empty 2>empty.err &
  pid=$!
  w=$(xs_window "$pid" 60) || fail "no window with a wrong folder: $(cat empty.err)"
  grep -q "empty is not a run folder" empty.err || fail "a folder without run.json was not refused: $(cat empty.err)"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  xs_stop
fi
echo "install tree OK: $prefix"
