#!/usr/bin/env python3
# Turns one workload's captures, drop log, application logs and counters into <name>.expected,
# <name>.app (packetdrill-like text) and <name>.nstat. Called by capture.sh after each workload.
"""Usage: totext.py NAME DIR OUTDIR HEADER

DIR holds a.pcapng (capture on host A's tun device), b.pcapng (host B's),
drops.jsonl (linkemu.py's drop log) and app-a.jsonl / app-b.jsonl
(workload.py logs), nstat-a.txt / nstat-b.txt (nstat -as in each netns).
Writes OUTDIR/NAME.expected, OUTDIR/NAME.app and OUTDIR/NAME.nstat.
HEADER is a one-line description copied into every file as a comment.
Exits with status 3, writing nothing, when a delivered segment took longer than
MAX_ONE_WAY to cross the link (the userspace link was not scheduled in time).
"""
import json
import os
import subprocess
import sys

A_ADDR = "10.0.0.1"
MAX_ONE_WAY = 0.011  # a run whose link took longer than this (nominal 10 ms) is rejected
FIELDS = ["frame.time_epoch", "ip.src", "ip.id", "tcp.seq_raw", "tcp.ack_raw",
          "tcp.flags", "tcp.len", "tcp.window_size_value", "tcp.options"]
# tcpdump/packetdrill order: F S R P U E W, then "." for ACK.
FLAG_LETTERS = [(0x01, "F"), (0x02, "S"), (0x04, "R"), (0x08, "P"), (0x20, "U"),
                (0x40, "E"), (0x80, "W")]


def read_pcap(path):
    cmd = ["tshark", "-r", path, "-Y", "tcp", "-T", "fields", "-E", "separator=|"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    segs = []
    for line in out.splitlines():
        t, src, ipid, seq, ack, flags, ln, win, opts = line.split("|")
        segs.append({"time": float(t), "dir": "A>B" if src == A_ADDR else "B>A",
                     "ipid": int(ipid, 16) if ipid.startswith("0x") else int(ipid),
                     "seq": int(seq), "ack": int(ack), "flags": int(flags, 16),
                     "len": int(ln), "win": int(win),
                     "opts": bytes.fromhex(opts.replace(":", "")), "note": ""})
    return segs


def fmt_opts(b):
    out, i = [], 0
    while i < len(b):
        kind = b[i]
        if kind == 0:
            out.append("eol")
            break
        if kind == 1:
            out.append("nop")
            i += 1
            continue
        ln = b[i + 1] if i + 1 < len(b) else 2
        body = b[i + 2:i + ln]
        if kind == 2:
            out.append("mss %d" % int.from_bytes(body, "big"))
        elif kind == 3:
            out.append("wscale %d" % body[0])
        elif kind == 4:
            out.append("sackOK")
        elif kind == 8:
            out.append("TS val %d ecr %d" % (int.from_bytes(body[:4], "big"),
                                             int.from_bytes(body[4:], "big")))
        else:
            out.append("opt%d" % kind)
        i += max(ln, 2)
    return "<" + ",".join(out) + ">"


def fmt_flags(f):
    s = "".join(letter for bit, letter in FLAG_LETTERS if f & bit)
    return s + "." if f & 0x10 else s


def key(s):
    return (s["dir"], s["seq"], s["ack"], s["flags"], s["len"], s["ipid"])


def mark_drops(a, b, drops):
    """Mark dropped A>B segments in A's list; add dropped B>A ones from B's list."""
    for d in drops:
        side = a if d["dir"] == "A>B" else b
        cands = [s for s in side if key(s) == key(d)]
        if not cands:
            raise SystemExit("dropped segment not found in capture: %r" % d)
        s = min(cands, key=lambda s: abs(s["time"] - d["time"]))
        s["dropped"] = True
        if d["dir"] == "A>B":
            s["note"] = "  # dropped (by the link after leaving A)"
        else:
            c = dict(s)
            c["note"] = "  # dropped (by the link; time is when it left B, never reached A)"
            a.append(c)
    a.sort(key=lambda s: s["time"])


def link_delays(a, b):
    """One-way delay of each delivered segment (receiver's capture time minus sender's)."""
    delays = []
    for d, src, dst in (("A>B", a, b), ("B>A", b, a)):
        sent = [s for s in src if s["dir"] == d and not s.get("dropped")]
        got = [s for s in dst if s["dir"] == d and not s.get("dropped")]
        if len(sent) != len(got) or any(key(x) != key(y) for x, y in zip(sent, got)):
            raise SystemExit("%s: the two captures disagree about what the link carried" % d)
        delays += [y["time"] - x["time"] for x, y in zip(sent, got)]
    return delays


def main():
    name, d, outdir, header = sys.argv[1:5]
    a = read_pcap(os.path.join(d, "a.pcapng"))
    b = read_pcap(os.path.join(d, "b.pcapng"))
    with open(os.path.join(d, "drops.jsonl")) as f:
        drops = [json.loads(line) for line in f if line.strip()]
    mark_drops(a, b, drops)
    delays = link_delays(a, b)
    if max(delays) > MAX_ONE_WAY or min(delays) < 0:
        sys.stderr.write("%s: link delay %.3f..%.3f ms is outside 0..%.1f ms; capture again\n"
                         % (name, min(delays) * 1e3, max(delays) * 1e3, MAX_ONE_WAY * 1e3))
        sys.exit(3)
    t0 = a[0]["time"]
    isn = {}
    for s in a:
        if s["flags"] & 0x02 and s["dir"] not in isn:
            isn[s["dir"]] = s["seq"]
    peer = {"A>B": "B>A", "B>A": "A>B"}
    lines = ["# " + header,
             "# vantage: host A's interface (10.0.0.1); time relative to the first segment;",
             "# seq relative to the sender's ISN, ack relative to the receiver's ISN"
             " (raw when that side never sent a SYN)",
             "# link one-way delay measured on this run: %.3f..%.3f ms over %d segments"
             % (min(delays) * 1e3, max(delays) * 1e3, len(delays))]
    for s in a:
        seq = (s["seq"] - isn[s["dir"]]) & 0xFFFFFFFF if s["dir"] in isn else s["seq"]
        line = "%.6f %s %s %d:%d(%d)" % (s["time"] - t0, s["dir"], fmt_flags(s["flags"]),
                                          seq, seq + s["len"], s["len"])
        if s["flags"] & 0x10:
            p = peer[s["dir"]]
            ack = (s["ack"] - isn[p]) & 0xFFFFFFFF if p in isn else s["ack"]
            line += " ack %d" % ack
        line += " win %d" % s["win"]
        if s["opts"]:
            line += " " + fmt_opts(s["opts"])
        lines.append(line + s["note"])
    with open(os.path.join(outdir, name + ".expected"), "w") as f:
        f.write("\n".join(lines) + "\n")

    events = []
    for host in ("a", "b"):
        p = os.path.join(d, "app-%s.jsonl" % host)
        if os.path.exists(p):
            with open(p) as f:
                events += [json.loads(line) for line in f if line.strip()]
    events.sort(key=lambda e: e["time"])
    app = ["# " + header,
           "# application calls, time relative to the first segment at host A;",
           "# '-> result' is what the call returned (on a line of its own when the call took >5 ms)"]
    started, rows = {}, []
    for e in events:
        k = (e["host"], e["action"])
        if "result" not in e:
            started[k] = e["time"]
            continue
        t_start = started.pop(k)
        what = "%s %s" % (e["host"], e["action"])
        if e["time"] - t_start > 0.005:
            rows.append((t_start, what))
            rows.append((e["time"], what + " -> " + e["result"]))
        else:
            rows.append((t_start, what + " -> " + e["result"]))
    rows.sort(key=lambda r: r[0])
    app += ["%.6f %s" % (t - t0, what) for t, what in rows]
    with open(os.path.join(outdir, name + ".app"), "w") as f:
        f.write("\n".join(app) + "\n")

    counters = ["# " + header,
                "# nonzero Tcp/TcpExt counters (nstat -as) in each host's namespace after the run"]
    for host in ("a", "b"):
        p = os.path.join(d, "nstat-%s.txt" % host)
        with open(p) as f:
            for line in f:
                fields = line.split()
                if fields and fields[0].startswith("Tcp"):
                    counters.append("%s %s %s" % (host.upper(), fields[0], fields[1]))
    with open(os.path.join(outdir, name + ".nstat"), "w") as f:
        f.write("\n".join(counters) + "\n")


if __name__ == "__main__":
    main()
