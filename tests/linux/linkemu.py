#!/usr/bin/env python3
# Userspace point-to-point link between two tun devices in two network namespaces:
# fixed one-way delay plus scripted drops. Started by capture.sh (this kernel has no netem).
"""Carry IPv4 packets between tun devices in two netns with a fixed delay.

Usage: linkemu.py --a NS:DEV --b NS:DEV --delay SECONDS [--drop RULE]... --log FILE

A drop RULE is DIR:KIND:N and drops the N-th (1-based) packet travelling in
direction DIR ("A>B" or "B>A") that matches KIND:
  syn      flags exactly SYN
  synack   flags exactly SYN+ACK
  finack   a pure ACK (flags exactly ACK, no payload) that acknowledges the
           FIN the other direction carried
Each drop is written to the log as one JSON line with the wall-clock time and
the packet's TCP header fields, so the capture converter can mark it.
"""
import argparse
import ctypes
import errno
import fcntl
import heapq
import json
import os
import select
import signal
import struct
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
CLONE_NEWNET = 0x40000000

SPIN = 0.001  # seconds of polling before each release

F_FIN, F_SYN, F_RST, F_PSH, F_ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def open_tun(spec):
    """Enter netns NS and attach to the persistent tun device DEV there."""
    ns, dev = spec.split(":")
    libc = ctypes.CDLL(None, use_errno=True)
    nsfd = os.open("/run/netns/" + ns, os.O_RDONLY)
    if libc.setns(nsfd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, "setns " + ns + ": " + os.strerror(err))
    os.close(nsfd)
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", dev.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def parse_tcp(pkt):
    """Return the TCP fields of an IPv4/TCP packet, or None for anything else."""
    if len(pkt) < 20 or pkt[0] >> 4 != 4 or pkt[9] != 6:
        return None
    ihl = (pkt[0] & 0x0F) * 4
    total = struct.unpack_from("!H", pkt, 2)[0]
    ipid = struct.unpack_from("!H", pkt, 4)[0]
    sport, dport, seq, ack, off, flags = struct.unpack_from("!HHIIBB", pkt, ihl)
    doff = (off >> 4) * 4
    return {"sport": sport, "dport": dport, "seq": seq, "ack": ack,
            "flags": flags, "len": total - ihl - doff, "ipid": ipid}


class Dropper:
    """Counts matches per rule and remembers the FIN each direction carried."""

    def __init__(self, rules):
        self.rules = []
        for r in rules:
            d, kind, n = r.split(":")
            if d not in ("A>B", "B>A") or kind not in ("syn", "synack", "finack"):
                raise SystemExit("bad drop rule " + r)
            self.rules.append({"dir": d, "kind": kind, "nth": int(n), "seen": 0})
        self.fin_end = {}  # direction -> seq number just past that direction's FIN

    def matches(self, kind, d, t):
        if kind == "syn":
            return t["flags"] == F_SYN
        if kind == "synack":
            return t["flags"] == F_SYN | F_ACK
        other = "B>A" if d == "A>B" else "A>B"
        return (t["flags"] == F_ACK and t["len"] == 0 and other in self.fin_end
                and t["ack"] == self.fin_end[other])

    def drop(self, d, t):
        if t is None:
            return False
        hit = False
        for r in self.rules:
            if r["dir"] == d and self.matches(r["kind"], d, t):
                r["seen"] += 1
                if r["seen"] == r["nth"]:
                    hit = True
        if t["flags"] & F_FIN and not hit:
            self.fin_end[d] = (t["seq"] + t["len"] + 1) & 0xFFFFFFFF
        return hit


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--a", required=True)
    ap.add_argument("--b", required=True)
    ap.add_argument("--delay", type=float, required=True)
    ap.add_argument("--drop", action="append", default=[])
    ap.add_argument("--log", required=True)
    ap.add_argument("--ready", required=True)
    args = ap.parse_args()

    fa = open_tun(args.a)
    fb = open_tun(args.b)
    dropper = Dropper(args.drop)
    log = open(args.log, "w", buffering=1)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    with open(args.ready, "w") as f:
        f.write("ready\n")

    pending = []  # heap of (release monotonic time, sequence, out fd, packet)
    count = 0
    route = {fa: ("A>B", fb), fb: ("B>A", fa)}
    while not stop:
        now = time.monotonic()
        # Sleep until SPIN before the next release, then poll: a timed wake-up can be a
        # few hundred microseconds late, which would add to the delay.
        timeout = max(0.0, pending[0][0] - now - SPIN) if pending else 0.2
        try:
            ready, _, _ = select.select([fa, fb], [], [], timeout)
        except InterruptedError:
            continue
        for fd in ready:
            pkt = os.read(fd, 65536)
            d, out = route[fd]
            t = parse_tcp(pkt)
            if dropper.drop(d, t):
                log.write(json.dumps({"time": time.time(), "dir": d, **t}) + "\n")
                continue
            count += 1
            heapq.heappush(pending, (time.monotonic() + args.delay, count, out, pkt))
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            _, _, out, pkt = heapq.heappop(pending)
            try:
                os.write(out, pkt)
            except OSError as e:  # EIO: the far device is not up yet; the link loses it
                if e.errno != errno.EIO:
                    raise
    log.close()


if __name__ == "__main__":
    main()
