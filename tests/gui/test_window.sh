#!/bin/sh
# test_window.sh: starts the real window under Xvfb, drives it with xdotool (Space, Right, Left,
# L, the help, presenter and picker keys, S) and checks that it keeps running, uses next to no CPU
# while paused, writes a screenshot that is not blank, and quits cleanly on Q.
# Run by meson (tests/gui): test_window.sh GUI_DEMO PNG_STATS SCENARIO SCRATCH_DIR.
# Exit 77 (skipped) when Xvfb or xdotool is missing.
set -u
demo=$1 stats=$2 scenario=$3 scratch=$4
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

"$demo" "$scenario" "$out" en >"$out/app.log" 2>&1 &
app=$!
win=""
for i in $(seq 1 50); do
    win=$(xdotool search --name "tcpsim" 2>/dev/null | head -n 1)
    [ -n "$win" ] && break
    sleep 0.2
done
if [ -z "$win" ]; then
    echo "the window did not appear"; cat "$out/app.log"; exit 1
fi
xdotool windowfocus --sync "$win" 2>/dev/null || true
fail=0
key() {
    xdotool key --delay 50 "$@"
    sleep 0.4
    if ! kill -0 $app 2>/dev/null; then
        echo "the window died after key $*"; cat "$out/app.log"; fail=1
    fi
}
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
shot=$(ls "$out"/*.png 2>/dev/null | head -n 1)
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
