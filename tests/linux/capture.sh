#!/bin/bash
# Regenerates the Linux ground-truth captures in this folder (run as root): two netns joined
# by a userspace delay/drop link, one capture per workload, converted to .expected/.app text.
#
# Usage: sudo tests/linux/capture.sh [WORKLOAD...]     (default: all seven)
# Needs: ip (iproute2), ethtool, chrt, nstat, dumpcap + tshark, python3, /dev/net/tun.
# KEEP=1 keeps the raw pcapng files, logs and nstat counters (path printed at the end).
#
# The link is tests/linux/linkemu.py, not netem: the kernel this was first run on has no
# sch_netem ("Error: Specified qdisc kind is unknown."), so the delay and the drops are done
# in userspace between two tun devices. See README.md.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE}
WORK=$(mktemp -d /tmp/tcpsim-linuxcap.XXXXXX)
NSA=tcpsimA
NSB=tcpsimB
DELAY=0.010      # one way, so RTT = 20 ms
LINGER=2.5       # seconds to keep capturing after both programs exit
ALL="refused lost_syn lost_synack lost_final_ack abort unread_close half_close"
SET_SYSCTLS="tcp_timestamps=0 tcp_sack=0 tcp_window_scaling=0"
READ_SYSCTLS="tcp_syn_retries tcp_synack_retries tcp_fin_timeout tcp_rfc1337 tcp_timestamps
 tcp_sack tcp_window_scaling tcp_ecn tcp_retries1 tcp_retries2 tcp_orphan_retries
 tcp_early_retrans tcp_rto_min_us tcp_rto_max_ms tcp_tw_reuse tcp_fastopen
 tcp_no_metrics_save tcp_congestion_control tcp_thin_linear_timeouts tcp_autocorking"

PIDS=()

teardown() {
    local p
    for p in "${PIDS[@]}"; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    PIDS=()
    ip netns del "$NSA" 2>/dev/null || true
    ip netns del "$NSB" 2>/dev/null || true
}
trap teardown EXIT

wait_file() {   # wait_file PATH: up to 5 s for PATH to exist
    local i
    for i in $(seq 1 100); do
        [ -s "$1" ] && return 0
        sleep 0.05
    done
    echo "timed out waiting for $1" >&2
    exit 1
}

sysctl_in() {   # sysctl_in NS NAME -> value, or "absent"
    ip netns exec "$1" cat "/proc/sys/net/ipv4/$2" 2>/dev/null || echo absent
}

setup_host() {  # setup_host NS DEV ADDR
    local ns=$1 dev=$2 addr=$3 kv
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sh -c "echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6"
    ip -n "$ns" tuntap add dev "$dev" mode tun
    ip -n "$ns" addr add "$addr/24" dev "$dev"
    for kv in $SET_SYSCTLS; do
        ip netns exec "$ns" sh -c "echo ${kv#*=} > /proc/sys/net/ipv4/${kv%%=*}"
    done
    ip netns exec "$ns" ethtool -K "$dev" tso off gso off gro off 2>/dev/null || true
}

record_environment() {  # what the kernel was and what it was set to, once per run
    local f=$OUT/environment.txt s
    {
        echo "# Written by capture.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "uname -r: $(uname -r)"
        echo "python3: $(python3 --version 2>&1)"
        echo "tshark: $(tshark --version 2>/dev/null | head -1)"
        echo
        echo "# net.ipv4 sysctls in a fresh namespace (defaults) -> as used for the captures"
        ip netns add tcpsimProbe
        for s in $READ_SYSCTLS; do
            printf '%-26s %-12s -> %s\n' "$s" "$(sysctl_in tcpsimProbe "$s")" \
                "$(sysctl_in "$NSA" "$s")"
        done
        ip netns del tcpsimProbe
        echo
        echo "# offloads on host A's link device (ethtool -k tunA)"
        ip netns exec "$NSA" ethtool -k tunA 2>&1 |
            grep -E '^(tcp-segmentation-offload|generic-segmentation-offload|generic-receive-offload):'
        echo
        echo "# tc qdisc add dev tunA root netem delay 10ms"
        ip netns exec "$NSA" tc qdisc add dev tunA root netem delay 10ms 2>&1 &&
            ip netns exec "$NSA" tc qdisc del dev tunA root
        echo "# (the link delay comes from linkemu.py either way)"
    } >"$f"
}

capture() { # capture WORKLOAD [DROP-RULE...]: raw captures and logs into $WORK/WORKLOAD
    local name=$1 w=$WORK/$1 r drops=()
    shift
    for r in "$@"; do drops+=(--drop "$r"); done
    mkdir -p "$w"
    echo "== $name" >&2
    setup_host "$NSA" tunA 10.0.0.1
    setup_host "$NSB" tunB 10.0.0.2
    chrt -f 20 python3 "$HERE/linkemu.py" --a "$NSA:tunA" --b "$NSB:tunB" --delay "$DELAY" \
        "${drops[@]}" --log "$w/drops.jsonl" --ready "$w/link.ready" &
    PIDS+=($!)
    wait_file "$w/link.ready"
    ip -n "$NSA" link set tunA up
    ip -n "$NSB" link set tunB up
    [ "$ENV_DONE" = 1 ] || { record_environment; ENV_DONE=1; }
    ip netns exec "$NSA" dumpcap -q -i tunA -w "$w/a.pcapng" 2>"$w/dumpcap-a.log" &
    PIDS+=($!)
    ip netns exec "$NSB" dumpcap -q -i tunB -w "$w/b.pcapng" 2>"$w/dumpcap-b.log" &
    PIDS+=($!)
    wait_file "$w/a.pcapng"
    wait_file "$w/b.pcapng"
    sleep 0.5
    local server=
    if [ "$name" != refused ]; then
        ip netns exec "$NSB" python3 "$HERE/workload.py" "$name" server "$w/app-b.jsonl" \
            "$w/server.ready" &
        server=$!
        wait_file "$w/server.ready"
    fi
    ip netns exec "$NSA" python3 "$HERE/workload.py" "$name" client "$w/app-a.jsonl"
    [ -z "$server" ] || wait "$server"
    sleep "$LINGER"
    ip netns exec "$NSA" nstat -as >"$w/nstat-a.txt"
    ip netns exec "$NSB" nstat -as >"$w/nstat-b.txt"
    teardown
}

run_checked() {     # run_checked WORKLOAD [DROP-RULE...]: again if the link was late
    local attempt rc
    for attempt in 1 2 3 4 5; do
        capture "$@"
        rc=0
        python3 "$HERE/totext.py" "$1" "$WORK/$1" "$OUT" \
            "$1: Linux $(uname -r), RTT 20 ms (10 ms each way), no timestamps/SACK/wscale" ||
            rc=$?
        if [ "$rc" = 0 ]; then
            cat "$OUT/$1.expected" >&2
            return 0
        fi
        [ "$rc" = 3 ] || exit "$rc"
        rm -rf "${WORK:?}/$1"
    done
    echo "$1: the link was late on every attempt" >&2
    exit 1
}

[ "$(id -u)" = 0 ] || { echo "capture.sh must run as root" >&2; exit 1; }
ENV_DONE=0
for name in ${@:-$ALL}; do
    case $name in
    refused)        run_checked refused ;;
    lost_syn)       run_checked lost_syn "A>B:syn:1" ;;
    lost_synack)    run_checked lost_synack "B>A:synack:1" ;;
    lost_final_ack) run_checked lost_final_ack "A>B:finack:1" ;;
    abort)          run_checked abort ;;
    unread_close)   run_checked unread_close ;;
    half_close)     run_checked half_close ;;
    *) echo "unknown workload $name (known: $ALL)" >&2; exit 1 ;;
    esac
done
if [ "${KEEP:-0}" = 1 ]; then echo "raw captures kept in $WORK" >&2; else rm -rf "$WORK"; fi
