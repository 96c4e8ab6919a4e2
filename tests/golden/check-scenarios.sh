#!/bin/sh
# check-scenarios.sh: `tcpsim check` on every bundled scenario must pass them all: its last line
# must be exactly "N passed, 0 failed" with N the number of scenario files, which must be COUNT.
# Run by meson (suite golden).
#
# usage: check-scenarios.sh TCPSIM SCENARIO_DIR COUNT
set -u

if [ $# -ne 3 ]; then
    echo "usage: check-scenarios.sh TCPSIM SCENARIO_DIR COUNT" >&2
    exit 2
fi
tcpsim=$1
# The scripts change directory, so a relative path (as meson passes it) is made absolute.
case $tcpsim in /*) ;; *) tcpsim=$(pwd)/$tcpsim ;; esac
scndir=$2
want=$3
n=0
for scn in "$scndir"/*.scn; do
    [ -f "$scn" ] && n=$((n + 1))
done
if [ "$n" -ne "$want" ]; then
    echo "FAIL: $n scenario files in $scndir, expected $want"
    echo "0 passed, 1 failed"
    exit 1
fi
out=$(cd "$scndir" && "$tcpsim" check ./*.scn 2>&1)
rc=$?
last=$(printf '%s\n' "$out" | tail -n 1)
if [ $rc -ne 0 ] || [ "$last" != "$want passed, 0 failed" ]; then
    echo "FAIL: tcpsim check exited with $rc; its report:"
    printf '%s\n' "$out"
    exit 1
fi
printf '%s\n' "$out"
