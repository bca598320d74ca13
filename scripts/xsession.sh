# shellcheck shell=bash
# A private X server on which scripts drive the real, installed GUI as a user does: start it,
# find the program's window, press its shortcuts, grab the screen, stop. Source it:
#   . scripts/xsession.sh; xs_start 1280x800; "$app" project.json & pid=$!
#   w=$(xs_window "$pid" 30); xs_keys "$w" ctrl+r; xs_grab shot.png; xs_keys "$w" ctrl+q
# Needs Xvfb, xdotool, xwd (x11-apps) and convert (imagemagick): scripts/install-deps.sh.

xs_start() { # [WxH]: starts Xvfb on a free display and exports DISPLAY
  local size=${1:-1280x800} fdfile
  fdfile=$(mktemp)
  Xvfb -displayfd 9 -screen 0 "${size}x24" -nolisten tcp 9>"$fdfile" >/dev/null 2>&1 &
  XS_XVFB_PID=$!
  for _ in $(seq 100); do
    [[ -s $fdfile ]] && break
    sleep 0.1
  done
  [[ -s $fdfile ]] || { echo "xsession: Xvfb did not start" >&2; return 1; }
  export DISPLAY=:$(head -1 "$fdfile")
  rm -f "$fdfile"
  unset QT_QPA_PLATFORM WAYLAND_DISPLAY
}

xs_window() { # PID [SECONDS] [TITLE]: prints the id of the process's visible window whose title
  # matches TITLE (a regular expression; default: the main window's "CheckpointLab") once mapped
  local pid=$1 secs=${2:-30} title=${3:-CheckpointLab} w
  for _ in $(seq $((secs * 10))); do
    w=$(xdotool search --onlyvisible --pid "$pid" --name "$title" 2>/dev/null | head -1)
    [[ -n $w ]] && { echo "$w"; return 0; }
    kill -0 "$pid" 2>/dev/null || { echo "xsession: process $pid ended without a window" >&2; return 1; }
    sleep 0.1
  done
  echo "xsession: no window \"$title\" of process $pid within ${secs} s" >&2
  return 1
}

xs_keys() { # WINDOW KEY...: focuses the window and types the key chords (xdotool names: ctrl+r)
  local w=$1
  shift
  # A window just mapped may not take the focus yet: ask until it has it (at most 10 s).
  for _ in $(seq 100); do
    xdotool windowfocus "$w" 2>/dev/null
    [[ $(xdotool getwindowfocus 2>/dev/null) == "$w" ]] && break
    sleep 0.1
  done
  [[ $(xdotool getwindowfocus 2>/dev/null) == "$w" ]] || { echo "xsession: window $w does not take the focus" >&2; return 1; }
  xdotool key --clearmodifiers "$@"
}

xs_grab() { # FILE.png: the whole screen once something is drawn (not one flat colour), at most 10 s
  local spread=0
  for _ in $(seq 20); do
    xwd -root -silent | convert xwd:- "png:$1"
    spread=$(convert "$1" -format '%[fx:standard_deviation]' info:)
    awk -v s="$spread" 'BEGIN { exit !(s > 0.02) }' && return 0
    sleep 0.5
  done
  echo "xsession: $1 is blank (deviation $spread)" >&2
  return 1
}

xs_wait_exit() { # PID [SECONDS]: waits for the process to end; fails (and kills it) after SECONDS
  local pid=$1 secs=${2:-30}
  for _ in $(seq $((secs * 10))); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid"; return $?; }
    sleep 0.1
  done
  echo "xsession: process $pid still running after ${secs} s" >&2
  kill "$pid" 2>/dev/null
  return 1
}

xs_stop() {
  [[ -n ${XS_XVFB_PID:-} ]] && kill "$XS_XVFB_PID" 2>/dev/null
  XS_XVFB_PID=
}
