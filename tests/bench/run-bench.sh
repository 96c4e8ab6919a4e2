#!/bin/sh
# run-bench.sh: builds bench_scheduler and ns-3's scheduler.cc, runs both in the hold model side
# by side (interleaved, median of several runs) and prints both figures and their ratio.
#
# usage: tests/bench/run-bench.sh [-B BUILD_DIR] [-n EVENTS] [-r REPS] [NS3_DIR]
#   BUILD_DIR  meson build directory (default: build under the repository root)
#   EVENTS     events per run (default 5000000, the figure in NS3_DIR/README.md)
#   REPS       runs of each program; the median is reported (default 5)
#   NS3_DIR    folder holding scheduler.cc (default: ../shared/bench/ns3 beside the repository)
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build"
events=5000000
reps=5
while [ $# -gt 0 ]; do
    case "$1" in
    -B) build=$2; shift 2 ;;
    -n) events=$2; shift 2 ;;
    -r) reps=$2; shift 2 ;;
    -h|--help) sed -n '5,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run-bench.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
ns3dir=${1:-"$root/../shared/bench/ns3"}

if [ ! -f "$ns3dir/scheduler.cc" ]; then
    echo "run-bench.sh: no scheduler.cc in $ns3dir (pass the folder as an argument)" >&2
    exit 2
fi
[ -d "$build" ] || meson setup "$build" "$root" >/dev/null
ninja -C "$build" bench_scheduler >/dev/null
ours="$build/tests/bench/bench_scheduler"
theirs="$build/tests/bench/ns3-scheduler"
g++ -O2 -std=c++17 "$ns3dir/scheduler.cc" -o "$theirs" -lns3-core

# The last "events_per_s N" pair on a program's output.
rate() {
    "$@" | tr ' ' '\n' | awk 'prev == "events_per_s" { v = $0 } { prev = $0 } END { print v }'
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
while [ "$i" -lt "$reps" ]; do
    rate "$ours" "$events" >>"$tmp/ours"
    rate "$theirs" "$events" map >>"$tmp/theirs"
    i=$((i + 1))
done
a=$(median <"$tmp/ours")
b=$(median <"$tmp/theirs")
echo "hold model, 1000 pending events, $events events, median of $reps runs"
echo "tcpsim sched (4-ary heap)     events_per_s $a"
echo "ns-3 MapScheduler (default)   events_per_s $b"
awk -v a="$a" -v b="$b" 'BEGIN { printf "ratio %.2f\n", a / b }'
