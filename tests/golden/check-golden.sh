#!/bin/sh
# check-golden.sh: every bundled scenario's text trace must be deterministic and equal to its
# golden file. For each scenarios/NAME.scn it runs `tcpsim run` twice, requires the two outputs
# to be byte-identical and equal to tests/golden/NAME.txt, and prints a diff when they are not.
# Run by meson (suite golden); regen.sh rewrites the golden files on purpose.
#
# usage: check-golden.sh TCPSIM SCENARIO_DIR GOLDEN_DIR
set -u

if [ $# -ne 3 ]; then
    echo "usage: check-golden.sh TCPSIM SCENARIO_DIR GOLDEN_DIR" >&2
    exit 2
fi
tcpsim=$1
# The scripts change directory, so a relative path (as meson passes it) is made absolute.
case $tcpsim in /*) ;; *) tcpsim=$(pwd)/$tcpsim ;; esac
scndir=$2
golden=$3
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

passed=0
failed=0
seen=0
for scn in "$scndir"/*.scn; do
    [ -f "$scn" ] || continue
    seen=$((seen + 1))
    name=$(basename "$scn" .scn)
    ok=1
    # Run from the scenario folder so that the traces never mention the checkout's path.
    (cd "$scndir" && "$tcpsim" run "$name.scn") >"$tmp/first" 2>"$tmp/err1"
    rc1=$?
    (cd "$scndir" && "$tcpsim" run "$name.scn") >"$tmp/second" 2>"$tmp/err2"
    rc2=$?
    if [ $rc1 -ne 0 ] || [ $rc2 -ne 0 ]; then
        echo "FAIL $name: tcpsim run exited with $rc1 and $rc2"
        cat "$tmp/err1"
        ok=0
    fi
    if ! cmp -s "$tmp/first" "$tmp/second"; then
        echo "FAIL $name: two runs of the same scenario printed different traces"
        diff -u "$tmp/first" "$tmp/second" | sed -e '1s|^--- .*|--- first run|' -e '2s|^+++ .*|+++ second run|'
        ok=0
    fi
    if [ ! -f "$golden/$name.txt" ]; then
        echo "FAIL $name: no golden file $golden/$name.txt (tests/golden/regen.sh BUILD_DIR writes it)"
        ok=0
    elif ! cmp -s "$golden/$name.txt" "$tmp/first"; then
        echo "FAIL $name: the trace differs from the golden file (- golden, + now)"
        diff -u "$golden/$name.txt" "$tmp/first" | sed -e "1s|^--- .*|--- golden $name.txt|" -e "2s|^+++ .*|+++ tcpsim run $name.scn|"
        ok=0
    fi
    if [ $ok -eq 1 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
done
# A golden file whose scenario is gone is stale.
for g in "$golden"/*.txt; do
    [ -f "$g" ] || continue
    name=$(basename "$g" .txt)
    if [ ! -f "$scndir/$name.scn" ]; then
        echo "FAIL $name: golden file without a scenario (remove $g)"
        failed=$((failed + 1))
    fi
done
if [ $seen -eq 0 ]; then
    echo "FAIL: no scenarios in $scndir"
    failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
