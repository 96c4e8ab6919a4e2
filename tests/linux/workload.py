#!/usr/bin/env python3
# The application side of each Linux capture workload: host A (client) or host B (server).
# Run by capture.sh inside the matching network namespace; logs every socket call it makes.
"""Usage: workload.py WORKLOAD client|server LOGFILE [READYFILE]

Every socket call is logged as one JSON line {"time", "host", "action", "result"}
with the wall-clock time (the clock pcap timestamps use) taken just before
the call ("action") and, for calls that block or fail, again when it returns
("result").  Application steps are separated by STEP seconds of sleep.
"""
import errno
import json
import socket
import struct
import sys
import time

A_ADDR, B_ADDR = "10.0.0.1", "10.0.0.2"
A_PORT, B_PORT = 40000, 80
STEP = 0.100
FAILED = object()  # what call() returns when the socket call raised
WORKLOADS = ("refused", "lost_syn", "lost_synack", "lost_final_ack", "abort",
             "unread_close", "half_close")


class Log:
    def __init__(self, path, host):
        self.f = open(path, "w", buffering=1)
        self.host = host

    def act(self, action):
        self.f.write(json.dumps({"time": time.time(), "host": self.host,
                                 "action": action}) + "\n")

    def ret(self, action, result):
        self.f.write(json.dumps({"time": time.time(), "host": self.host,
                                 "action": action, "result": result}) + "\n")


def call(log, action, fn, *args):
    """Log ACTION, run fn(*args), log what it returned or which errno it raised."""
    log.act(action)
    try:
        r = fn(*args)
    except OSError as e:
        log.ret(action, "error " + errno.errorcode.get(e.errno, str(e.errno)))
        return FAILED
    if isinstance(r, bytes):
        log.ret(action, str(len(r)) + (" (EOF)" if not r else ""))
    elif isinstance(r, tuple):
        log.ret(action, "%s:%d" % r[1])
    else:
        log.ret(action, "ok" if r is None else str(r))
    return r


def recv_all(log, s):
    """recv until EOF or error, one logged call each; return total bytes read."""
    total = 0
    for _ in range(100):
        r = call(log, "recv", s.recv, 4096)
        if r is FAILED or not r:
            return total
        total += len(r)
    return total


def client(w, log):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((A_ADDR, A_PORT))
    ok = call(log, "connect %s:%d" % (B_ADDR, B_PORT), s.connect, (B_ADDR, B_PORT)) is None
    if w == "refused" or not ok:
        call(log, "close", s.close)
        if w != "refused":
            raise SystemExit("client: connect failed")
        return
    time.sleep(STEP)
    if w in ("lost_syn", "lost_synack"):
        call(log, "close", s.close)
    elif w == "lost_final_ack":
        call(log, "send 100", s.send, b"a" * 100)
        time.sleep(STEP)
        call(log, "close", s.close)
    elif w == "abort":
        call(log, "send 100", s.send, b"a" * 100)
        call(log, "recv 5", s.recv, 5)
        time.sleep(STEP)
        call(log, "setsockopt SO_LINGER {1,0}", s.setsockopt, socket.SOL_SOCKET,
             socket.SO_LINGER, struct.pack("ii", 1, 0))
        call(log, "close", s.close)
    elif w == "unread_close":
        call(log, "send 100", s.send, b"a" * 100)
        call(log, "recv", s.recv, 4096)
        time.sleep(STEP)
        call(log, "close", s.close)
    elif w == "half_close":
        call(log, "send 100", s.send, b"a" * 100)
        time.sleep(STEP)
        call(log, "shutdown SHUT_WR", s.shutdown, socket.SHUT_WR)
        recv_all(log, s)
        time.sleep(STEP)
        call(log, "close", s.close)


def server(w, log, ready):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((B_ADDR, B_PORT))
    call(log, "listen %d" % B_PORT, ls.listen, 8)
    with open(ready, "w") as f:
        f.write("listening\n")
    ls.settimeout(30)
    c = call(log, "accept", ls.accept)
    if c is FAILED:
        raise SystemExit("server: accept failed")
    ls.close()
    s = c[0]
    if w in ("lost_syn", "lost_synack", "lost_final_ack"):
        recv_all(log, s)
        time.sleep(STEP)
        call(log, "close", s.close)
    elif w == "abort":
        call(log, "recv 100", s.recv, 100)
        time.sleep(STEP)
        call(log, "send 5", s.send, b"data!")
        call(log, "recv", s.recv, 4096)
        time.sleep(STEP)
        call(log, "close", s.close)
    elif w == "unread_close":
        time.sleep(2 * STEP)
        call(log, "close (100 bytes unread)", s.close)
    elif w == "half_close":
        recv_all(log, s)
        time.sleep(STEP)
        call(log, "send 5", s.send, b"data!")
        time.sleep(STEP)
        call(log, "close", s.close)


def main():
    w, role, logpath = sys.argv[1], sys.argv[2], sys.argv[3]
    if w not in WORKLOADS or role not in ("client", "server"):
        raise SystemExit(__doc__)
    if role == "client":
        client(w, Log(logpath, "A"))
    else:
        server(w, Log(logpath, "B"), sys.argv[4])


if __name__ == "__main__":
    main()
