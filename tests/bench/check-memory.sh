#!/bin/sh
# check-memory.sh: runs `tcpsim run` on every bundled scenario (text trace; JSONL trace with a
# pcapng capture) and checks that its peak resident memory stays under a limit. Prints one line
# a run and a last line "N passed, N failed"; exits 1 if a run failed or went over.
# Run by `meson test --suite bench` (not under sanitizers, whose shadow memory would count).
#
# usage: tests/bench/check-memory.sh [-l LIMIT_KB] TCPSIM [SCENARIO_DIR]
#   LIMIT_KB      peak resident set size allowed, in KiB (default 10240: 10 MB)
#   SCENARIO_DIR  folder of .scn files (default: scenarios under the repository root)
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
limit=10240
while [ $# -gt 0 ]; do
    case "$1" in
    -l) limit=$2; shift 2 ;;
    -h|--help) sed -n '7,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "check-memory.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
[ $# -ge 1 ] || { sed -n '7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
tcpsim=$1
dir=${2:-"$root/scenarios"}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Peak RSS in KiB of one command (its output discarded), by GNU time or else by getrusage.
peak_kb() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -o "$tmp/rss" -f '%M' "$@" >/dev/null 2>"$tmp/err" || return 1
        tail -n 1 "$tmp/rss"
    else
        python3 -c '
import resource, subprocess, sys
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)' "$@"
    fi
}

pass=0
fail=0
check() { # label, command...
    label=$1
    shift
    if ! kb=$(peak_kb "$@"); then
        echo "FAIL $label: the run failed"
        fail=$((fail + 1))
    elif [ "$kb" -ge "$limit" ]; then
        echo "FAIL $label: peak $kb KiB, limit $limit KiB"
        fail=$((fail + 1))
    else
        echo "ok   $label: peak $kb KiB"
        pass=$((pass + 1))
    fi
}

found=0
for scn in "$dir"/*.scn; do
    [ -f "$scn" ] || continue
    found=1
    name=$(basename "$scn")
    check "$name (text)" "$tcpsim" run "$scn"
    check "$name (jsonl + pcapng)" "$tcpsim" run "$scn" --format jsonl --pcap "$tmp/out.pcapng"
done
[ "$found" -eq 1 ] || { echo "FAIL no scenario in $dir"; fail=$((fail + 1)); }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
