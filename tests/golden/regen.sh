#!/bin/sh
# regen.sh: rewrites tests/golden/NAME.txt from `tcpsim run scenarios/NAME.scn` for every bundled
# scenario, on purpose, after a change that is meant to change traces. Review `git diff` after.
#
# usage: tests/golden/regen.sh BUILD_DIR
set -eu

if [ $# -ne 1 ]; then
    echo "usage: tests/golden/regen.sh BUILD_DIR" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
tcpsim="$build/render/tcpsim"
here=$(cd "$(dirname "$0")" && pwd)
scndir="$here/../../scenarios"
if [ ! -x "$tcpsim" ]; then
    echo "regen.sh: no $tcpsim (build first: ninja -C $1)" >&2
    exit 2
fi
rm -f "$here"/*.txt
n=0
for scn in "$scndir"/*.scn; do
    name=$(basename "$scn" .scn)
    (cd "$scndir" && "$tcpsim" run "$name.scn") >"$here/$name.txt"
    n=$((n + 1))
done
echo "regen.sh: wrote $n golden traces in $here"
