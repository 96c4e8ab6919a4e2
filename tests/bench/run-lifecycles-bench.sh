#!/bin/sh
# run-lifecycles-bench.sh: builds bench_lifecycles and ns-3's lifecycles.cc, runs both side by side
# (interleaved, median of several runs) at N=1,000 and N=10,000 with ns-3's TIME_WAIT of 240 s,
# then ours alone at N=1,000,000 with --time-wait 60, and prints both sides' connections/s, the
# ratios and the change of our cost per connection from N=1,000 to N=1,000,000.
#
# usage: tests/bench/run-lifecycles-bench.sh [-B BUILD_DIR] [-r REPS] [NS3_DIR]
#   BUILD_DIR  meson build directory (default: build under the repository root)
#   REPS       runs of each program and size; the median is reported (default 3)
#   NS3_DIR    folder holding lifecycles.cc (default: ../shared/bench/ns3 beside the repository)
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build"
reps=3
while [ $# -gt 0 ]; do
    case "$1" in
    -B) build=$2; shift 2 ;;
    -r) reps=$2; shift 2 ;;
    -h|--help) sed -n '7,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run-lifecycles-bench.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
ns3dir=${1:-"$(dirname "$root")/shared/bench/ns3"}

if [ ! -f "$ns3dir/lifecycles.cc" ]; then
    echo "run-lifecycles-bench.sh: no lifecycles.cc in $ns3dir (pass the folder as an argument)" >&2
    exit 2
fi
[ -d "$build" ] || meson setup "$build" "$root" >/dev/null
ninja -C "$build" bench_lifecycles >/dev/null
ours="$build/tests/bench/bench_lifecycles"
theirs="$build/tests/bench/ns3-lifecycles"
g++ -O2 -std=c++17 "$ns3dir/lifecycles.cc" -o "$theirs" -lns3-internet -lns3-point-to-point \
    -lns3-network -lns3-core -lns3-traffic-control -lns3-bridge -lns3-stats

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Runs a program and prints the last "conns_per_s N" pair of its output; a failed run (or one
# that did not close every connection) stops the script with its output.
rate() {
    if ! "$@" >"$tmp/out" 2>&1; then
        echo "run-lifecycles-bench.sh: $* failed:" >&2
        cat "$tmp/out" >&2
        exit 1
    fi
    tr ' ' '\n' <"$tmp/out" | awk 'prev == "conns_per_s" { v = $0 } { prev = $0 } END { print v }'
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

i=0
while [ "$i" -lt "$reps" ]; do
    for n in 1000 10000; do
        rate "$ours" "$n" >>"$tmp/ours-$n"
        rate "$theirs" "$n" >>"$tmp/theirs-$n"
    done
    rate "$ours" 1000000 --time-wait 60 >>"$tmp/ours-1M"
    i=$((i + 1))
done
o1=$(median <"$tmp/ours-1000")
t1=$(median <"$tmp/theirs-1000")
o10=$(median <"$tmp/ours-10000")
t10=$(median <"$tmp/theirs-10000")
o1m=$(median <"$tmp/ours-1M")

echo "lifecycles: 100 Mbit/s, 10 ms link, a new connection each 1 ms, 100 bytes, 4-way close;"
echo "connections/s (wall clock), median of $reps runs, same machine, same run"
awk -v o1="$o1" -v t1="$t1" -v o10="$o10" -v t10="$t10" -v o1m="$o1m" 'BEGIN {
    printf "%-12s %-11s %14s %14s %9s\n", "N", "TIME_WAIT", "ns-3", "tcpsim", "ratio"
    printf "%-12s %-11s %14.0f %14.0f %9.1f\n", "1,000", "240 s", t1, o1, o1 / t1
    printf "%-12s %-11s %14.0f %14.0f %9.1f\n", "10,000", "240 s", t10, o10, o10 / t10
    printf "%-12s %-11s %14s %14.0f %9s\n", "1,000,000", "60 s", "-", o1m, "-"
    cost = o1 / o1m
    printf "tcpsim cost per connection, N=1,000,000 (TIME_WAIT 60 s) / N=1,000: %.2f\n", cost
    printf "target: ratio at N=10,000 >= 100: %s (%.1f)\n", (o10 / t10 >= 100) ? "met" : "MISSED", o10 / t10
    printf "target: cost per connection 1M / 1k <= 1.5: %s (%.2f)\n", (cost <= 1.5) ? "met" : "MISSED", cost
}'
