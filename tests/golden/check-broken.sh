#!/bin/sh
# check-broken.sh: a scenario with one deliberately wrong expectation must make `tcpsim check`
# exit 1 and print the expected and the actual segment side by side, exactly as in
# broken/NAME.out. The broken file must stay a copy of scenarios/NAME.scn with one expectation
# line changed (plus its leading comment). Run by meson (suite golden).
#
# usage: check-broken.sh TCPSIM BROKEN_DIR SCENARIO_DIR
set -u

if [ $# -ne 3 ]; then
    echo "usage: check-broken.sh TCPSIM BROKEN_DIR SCENARIO_DIR" >&2
    exit 2
fi
tcpsim=$1
# The scripts change directory, so a relative path (as meson passes it) is made absolute.
case $tcpsim in /*) ;; *) tcpsim=$(pwd)/$tcpsim ;; esac
brokendir=$2
scndir=$3
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

passed=0
failed=0
fail() {
    echo "FAIL $1"
    failed=$((failed + 1))
}
for scn in "$brokendir"/*-broken.scn; do
    [ -f "$scn" ] || continue
    name=$(basename "$scn" .scn)
    orig="$scndir/${name%-broken}.scn"
    before=$failed
    # The copy: the original's lines with exactly one of them changed, and only comments added.
    if [ ! -f "$orig" ]; then
        fail "$name: no original $orig"
    else
        diff "$orig" "$scn" >"$tmp/diff"
        removed=$(grep -c '^< ' "$tmp/diff")
        added=$(grep -c '^> ' "$tmp/diff")
        added_code=$(grep '^> ' "$tmp/diff" | grep -vc '^> #')
        if [ "$removed" -ne 1 ] || [ "$added_code" -ne 1 ] || [ "$added" -lt 1 ]; then
            fail "$name: must differ from $orig in exactly one line (changed $removed, new $added_code)"
            cat "$tmp/diff"
        fi
    fi
    (cd "$brokendir" && "$tcpsim" check "$name.scn") >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ $rc -ne 1 ]; then
        fail "$name: tcpsim check exited with $rc, expected 1 (an expectation failed)"
        cat "$tmp/err"
    fi
    if ! grep -q '^    expected  ' "$tmp/out" || ! grep -q '^    actual    ' "$tmp/out"; then
        fail "$name: no 'expected' and 'actual' lines side by side in the output"
    fi
    if ! cmp -s "$brokendir/$name.out" "$tmp/out"; then
        fail "$name: the report differs from $name.out (- wanted, + printed)"
        diff -u "$brokendir/$name.out" "$tmp/out"
    fi
    [ $failed -eq "$before" ] && passed=$((passed + 1))
done
if [ $((passed + failed)) -eq 0 ]; then
    fail "no *-broken.scn in $brokendir"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
