#!/bin/sh
# test_window.sh: starts the window the way a user does, `tcpsim show SCENARIO --lang en` (the lean
# tcpsim execs its sibling tcpsim-gui), under Xvfb, drives it with xdotool (Space, Right, Left, L,
# the help, presenter and picker keys, S) and checks that it keeps running, that the picker opens
# the scenario chosen with the keys, the wheel and a click, that it uses next to no CPU while
# paused, writes screenshots that are not blank into the directory it was started in, and quits
# cleanly on Q.
# Run by meson (tests/gui): test_window.sh TCPSIM PNG_STATS SCENARIO SCRATCH_DIR (absolute paths).
# Exit 77 (skipped) when Xvfb or xdotool is missing.
set -u
tcpsim=$1 stats=$2 scenario=$3 scratch=$4
command -v Xvfb >/dev/null 2>&1 && command -v xdotool >/dev/null 2>&1 || exit 77
out="$scratch/window"
rm -rf "$out"
mkdir -p "$out"

# A free display number: the first without a lock file.
n=99
while [ -e "/tmp/.X$n-lock" ] && [ $n -lt 199 ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill $app 2>/dev/null; kill $xvfb 2>/dev/null' EXIT
export DISPLAY=":$n"
unset SDL_VIDEODRIVER
for i in 1 2 3 4 5 6 7 8 9 10; do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.3; done

# Screenshots go to the current directory, as for a user: start it in the scratch folder.
(cd "$out" && exec "$tcpsim" show "$scenario" --lang en) >"$out/app.log" 2>&1 &
app=$!
# poll N CMD...: runs CMD every 0.2 s until it succeeds, at most N times.
poll() {
    tries=$1
    shift
    for i in $(seq 1 "$tries"); do
        "$@" && return 0
        sleep 0.2
    done
    return 1
}
found_window() { win=$(xdotool search --pid "$app" 2>/dev/null | head -n 1); [ -n "$win" ]; }
win=""
if ! poll 50 found_window; then
    echo "the window did not appear"; cat "$out/app.log"; exit 1
fi
xdotool windowfocus --sync "$win" 2>/dev/null || true
fail=0
# The process is the lean tcpsim that exec'd the program with the window, not a copy of it.
exe=$(readlink "/proc/$app/exe")
case $exe in */tcpsim-gui) ;; *) echo "the window runs in $exe, not tcpsim-gui"; fail=1 ;; esac
# The title bar names the scenario, dash and all (Xlib drops a non-ASCII title in the C locale).
# The window is created as "tcpsim" and named once the scenario is loaded: wait for it.
title=$(sed -n 's/^title "\(.*\)"$/\1/p' "$scenario" | head -n 1)
titled() { name=$(xdotool getwindowname "$win" 2>/dev/null); [ "$name" = "tcpsim — $title" ]; }
poll 50 titled || { echo "window title '$name', want 'tcpsim — $title'"; fail=1; }
key() {
    xdotool key --delay 50 "$@"
    sleep 0.4
    if ! kill -0 $app 2>/dev/null; then
        echo "the window died after key $*"; cat "$out/app.log"; fail=1
    fi
}
# S saves "tcpsim-STEM-NNN.png" for the scenario shown, so a new screenshot of STEM ($1) tells
# which scenario the picker opened. (The window title is no witness here: xdotool, running in the
# C locale, cannot match a UTF-8 title by name.)
shots() { ls "$out"/*.png 2>/dev/null; }
more_shots() { [ "$(shots | grep -c "/tcpsim-$1-")" -gt "$2" ]; }
shown() {
    n0=$(shots | grep -c "/tcpsim-$1-")
    key s
    poll 25 more_shots "$1" "$n0" && return 0
    echo "no new screenshot of $1: the picker did not open it"; shots; cat "$out/app.log"; fail=1
}
# The picker: Esc keeps the scenario; Down then Enter opens the second file, End the last, two
# wheel notches down the third, a click in the middle of the list another one, and Home then three
# Downs the fourth, the scenario the window started with.
key o
key Escape
shown 04-full-lifecycle
key o
key Down
key Return
shown 02-four-way-close
key o
key End
key Return
shown 20-syn-timeout
key o
xdotool mousemove --window "$win" 640 200 click --repeat 2 --delay 100 5
key Return
shown 03-half-close-data
shots >"$out/before-click"
key o
xdotool mousemove --window "$win" 640 360 click 1
sleep 0.4
key s
sleep 1
clicked=$(shots | grep -vxF -f "$out/before-click")
echo "a click in the picker opened: ${clicked##*/}"
case $clicked in
    "" | *-03-half-close-data-*) echo "a click in the picker opened nothing"; fail=1 ;;
esac
key o
key Home
key Down Down Down
key Return
shown 04-full-lifecycle

key space
sleep 1
key space
key Right
key Right
key Right
key Left
key l
key l
key question
key Escape
key End
key Home
key plus
key minus
key p
key b
key b
key p
key n
key o
key Escape
key s
sleep 1
# Paused and idle: the loop must sleep in SDL_WaitEvent, not spin.
ticks() { awk '{ print $14 + $15 }' "/proc/$app/stat"; }
sleep 1.5
t0=$(ticks)
sleep 3
t1=$(ticks)
hz=$(getconf CLK_TCK)
echo "CPU while paused: $((t1 - t0)) ticks of $((3 * hz)) in 3 s"
[ $((t1 - t0)) -le $((3 * hz / 20)) ] || { echo "busy while paused"; fail=1; }
shot=$(ls "$out"/tcpsim-04-full-lifecycle-*.png 2>/dev/null | tail -n 1)
if [ -z "$shot" ]; then
    echo "S wrote no screenshot"; cat "$out/app.log"; fail=1
else
    set -- $("$stats" "$shot")
    echo "screenshot $shot: $1, $2 colours, $3 painted pixels"
    case $1 in 1280x720) ;; *) echo "unexpected size $1"; fail=1 ;; esac
    [ "$2" -gt 300 ] || { echo "too few colours: blank?"; fail=1; }
    [ "$3" -gt 300000 ] || { echo "too few painted pixels: blank?"; fail=1; }
fi
xdotool key q
for i in $(seq 1 25); do kill -0 $app 2>/dev/null || break; sleep 0.2; done
if kill -0 $app 2>/dev/null; then
    echo "Q did not quit"; fail=1
else
    wait $app
    rc=$?
    [ $rc -eq 0 ] || { echo "exit status $rc"; cat "$out/app.log"; fail=1; }
fi
[ $fail -eq 0 ] && echo "window test passed"
exit $fail
