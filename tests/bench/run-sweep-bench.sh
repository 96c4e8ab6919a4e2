#!/bin/sh
# run-sweep-bench.sh: times `tcpsim sweep` over tests/bench/lossy.scn (a full lifecycle over
# 10 ms links losing 10% each way) with 1 and 2 jobs, builds and runs ns-3's lifecycles.cc with
# the same loss, and prints runs/s, ns-3's connections/s and their ratios (medians of REPS runs).
#
# usage: tests/bench/run-sweep-bench.sh [-B BUILD_DIR] [-n SEEDS] [-c CONNS] [-r REPS] [NS3_DIR]
#   BUILD_DIR  meson build directory (default: build under the repository root)
#   SEEDS      sweep runs, seeds 1..SEEDS (default 2000)
#   CONNS      ns-3 connections, one lifecycle each (default 1000; its cost grows with N)
#   REPS       runs of each program; the median is reported (default 3)
#   NS3_DIR    folder holding lifecycles.cc (default: ../shared/bench/ns3 beside the repository)
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build"
seeds=2000
conns=1000
reps=3
while [ $# -gt 0 ]; do
    case "$1" in
    -B) build=$2; shift 2 ;;
    -n) seeds=$2; shift 2 ;;
    -c) conns=$2; shift 2 ;;
    -r) reps=$2; shift 2 ;;
    -h|--help) sed -n '6,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run-sweep-bench.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
ns3dir=${1:-"$root/../shared/bench/ns3"}

if [ ! -f "$ns3dir/lifecycles.cc" ]; then
    echo "run-sweep-bench.sh: no lifecycles.cc in $ns3dir (pass the folder as an argument)" >&2
    exit 2
fi
[ -d "$build" ] || meson setup "$build" "$root" >/dev/null
ninja -C "$build" render/tcpsim >/dev/null
tcpsim="$build/render/tcpsim"
theirs="$build/tests/bench/ns3-lifecycles"
mkdir -p "$build/tests/bench"
g++ -O2 -std=c++17 "$ns3dir/lifecycles.cc" -o "$theirs" -lns3-internet -lns3-point-to-point \
    -lns3-network -lns3-core -lns3-traffic-control -lns3-bridge -lns3-stats

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Runs per second of one whole `tcpsim sweep` process (parsing, workers and CSV included).
sweep_rate() {
    t0=$(date +%s%N)
    "$tcpsim" sweep "$root/tests/bench/lossy.scn" --seeds "$seeds" --jobs "$1" --out "$tmp/rows.csv"
    t1=$(date +%s%N)
    completed=$(grep -c ',completed,' "$tmp/rows.csv" || true)
    echo "$completed" >"$tmp/completed-$1"
    awk -v n="$seeds" -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f\n", n / (ns / 1e9) }'
}

# ns-3 prints "... conns_per_s N ..."; it times Simulator::Run alone.
ns3_rate() {
    "$theirs" "$conns" 0.1 | tee "$tmp/ns3-last" | tr ' ' '\n' |
        awk 'prev == "conns_per_s" { v = $0 } { prev = $0 } END { print v }'
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

i=0
while [ "$i" -lt "$reps" ]; do
    sweep_rate 1 >>"$tmp/j1"
    sweep_rate 2 >>"$tmp/j2"
    ns3_rate >>"$tmp/ns3"
    i=$((i + 1))
done
a=$(median <"$tmp/j1")
b=$(median <"$tmp/j2")
c=$(median <"$tmp/ns3")
closed=$(tr ' ' '\n' <"$tmp/ns3-last" | awk 'prev == "closed" { v = $0 } { prev = $0 } END { print v }')
echo "lossy full lifecycle, 10 ms links, 10% loss each way, median of $reps runs"
echo "tcpsim sweep --jobs 1   runs_per_s $a  ($seeds runs, $(cat "$tmp/completed-1") completed)"
echo "tcpsim sweep --jobs 2   runs_per_s $b  ($seeds runs, $(cat "$tmp/completed-2") completed)"
echo "ns-3 lifecycles         conns_per_s $c  ($conns connections, $closed closed, loss 0.1)"
awk -v a="$a" -v b="$b" -v c="$c" 'BEGIN {
    printf "ratio jobs 1 / ns-3 %.2f\nratio jobs 2 / ns-3 %.2f\nratio jobs 2 / jobs 1 %.2f\n",
           a / c, b / c, b / a }'
