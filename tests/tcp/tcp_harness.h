/* tcp_harness.h: a packetdrill-like harness (one host fed injected segments, replies in relative
 * numbers) and a two-host wire with manual or rule-driven delivery. Used by tests/tcp/test_*.c. */
#ifndef TCPSIM_TCP_HARNESS_H
#define TCPSIM_TCP_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host.h"
#include "profile.h"
#include "rng.h"
#include "segment.h"
#include "simtime.h"
#include "trace.h"

/* Addresses and ports of the IUT and its scripted peer. */
#define H_IUT_ADDR 0x0a000002u
#define H_PEER_ADDR 0x0a000001u
#define H_IUT_PORT 8080
#define H_PEER_PORT 40000
/* ISNs far from zero (and across the sign bit) so that modular arithmetic is exercised. */
#define H_IUT_ISS 4000000000u
#define H_PEER_ISN 2147483000u

#define H_MAX_OUT 4096
#define H_DATA_MAX (4u * 1024u * 1024u)

/* One segment the IUT put on the wire, as packetdrill shows it. */
struct h_out {
    sim_time t;
    uint8_t flags;
    uint32_t seq, ack;   /* absolute */
    uint32_t rseq, rack; /* relative: to the IUT's ISS (once its SYN was seen) / the peer ISN */
    uint32_t host_rel_seq, host_rel_ack; /* the relative numbers the host handed to output() */
    uint16_t len, wnd, mss;
    int32_t sock;
    bool checksum_ok;
    bool nonstandard;
};

struct h_records {
    struct trace_rec *r;
    size_t n, cap;
};

struct harness {
    struct host_config cfg;  /* edit before the first call; the host is made on first use */
    struct host *host;
    struct host_io io;
    struct rng rng;
    sim_time now;
    bool iss_seen;           /* the IUT sent a SYN: its numbers are shown relative */
    uint32_t iss;
    uint16_t in_mss;         /* MSS option on injected SYNs (0 = none) */
    struct h_out out[H_MAX_OUT];
    size_t nout, cursor;     /* outputs captured / already checked */
    struct h_records rec;
    uint8_t *data;           /* bytes delivered to the application, in order */
    size_t ndata;
};

/* A fresh IUT with the given profile and fixed ISS H_IUT_ISS. */
void h_init(struct harness *h, enum profile_id prof);
void h_finish(struct harness *h);
/* profile_set on the IUT (before its first use); returns false for a bad key. */
bool h_set(struct harness *h, const char *key, int64_t value);
struct host *h_host(struct harness *h);

/* Time: fire every timer up to t (absolute) in order, then stand at t. */
void h_at(struct harness *h, sim_time t);
void h_after(struct harness *h, sim_time dt);

/* User calls on the IUT (sock < 0: the current connection). Return the host's result. */
int h_listen(struct harness *h);
int h_connect(struct harness *h);
int h_send(struct harness *h, size_t len);
int h_shutdown(struct harness *h);
int h_close(struct harness *h);
int h_abort(struct harness *h);
void h_crash(struct harness *h);
/* One user call (APP_SEND of 10 bytes, APP_SHUTDOWN, APP_CLOSE, APP_ABORT) on a given socket. */
int h_call(struct harness *h, enum app_action a, int sock);

/* Injects a segment from the peer in packetdrill terms: flags like "S", "S.", ".", "F.", "P.",
 * "R", "R.", "SF", "F", "SR", "-" (none); payload [rseq, rend); ack relative to the IUT's ISS
 * (absolute before the IUT's SYN was seen, as packetdrill shows a port without a TCB). */
void h_in(struct harness *h, const char *flags, uint32_t rseq, uint32_t rend, uint32_t rack,
          uint16_t wnd);
/* The same with a corrupted checksum. */
void h_in_corrupt(struct harness *h, const char *flags, uint32_t rseq, uint32_t rend,
                  uint32_t rack, uint16_t wnd);

/* Checks the next captured output: flags, rseq, rend (= rseq + len) and, if the ACK bit is set,
 * rack. Prints what it saw on a mismatch. Consumes the output either way. */
bool h_expect(struct harness *h, const char *flags, uint32_t rseq, uint32_t rend, uint32_t rack);
/* True if no output is waiting to be checked (prints the first one otherwise). */
bool h_expect_none(struct harness *h);
/* The next unchecked output without consuming it (NULL if none). */
const struct h_out *h_peek(const struct harness *h);
size_t h_pending(const struct harness *h);

/* Parses packetdrill flags; -1 on an unknown letter. */
int h_parse_flags(const char *s);

/* Queries on the IUT. */
enum tcp_state h_state(const struct harness *h); /* host_state */
size_t h_socks(const struct harness *h);
bool h_view(const struct harness *h, int index_from_newest, struct tcb_view *v);

/* Queries on the trace (both harness kinds share struct h_records). */
size_t rec_count_app(const struct h_records *r, char host, enum app_action a);
const char *rec_last_app_note(const struct h_records *r, char host, enum app_action a);
bool rec_has_state(const struct h_records *r, char host, enum tcp_state from, enum tcp_state to);
size_t rec_count_timer(const struct h_records *r, char host, enum tcp_timer tm,
                       enum timer_action a);
/* Deadline of the last TR_TIMER record of that timer and action (SIM_NEVER if none). */
sim_time rec_last_timer(const struct h_records *r, char host, enum tcp_timer tm,
                        enum timer_action a);
const struct trace_rec *rec_last_state(const struct h_records *r, char host);
bool rec_all_nonstandard_marked(const struct h_records *r, const char *note_part);

/* ---- two hosts on a wire (RFC figure cases and data transfer) ---- */

#define W_MAX_Q 8192

struct w_pkt {
    struct segment seg;
    int from;              /* 0 = A, 1 = B */
    sim_time sent, arrive; /* arrive = SIM_NEVER while held for manual delivery */
    uint32_t rel_seq, rel_ack;
    bool nonstandard;
};

/* Automatic mode: each segment gets arrive = sent + delay + extra; filter may drop it (return
 * false) or add extra delay. n counts segments sent by that host, from 1. */
typedef bool (*w_filter_fn)(void *ctx, int from, const struct segment *s, uint64_t n,
                            sim_time *extra);

struct wire {
    struct host_config cfg[2];
    struct host *host[2];
    struct host_io io[2];
    struct rng rng[2];
    sim_time now;
    bool automatic;
    sim_time delay;
    w_filter_fn filter;
    void *filter_ctx;
    uint64_t sent[2];
    struct w_pkt q[W_MAX_Q];
    size_t nq;
    struct h_records rec;
    uint8_t *data[2];      /* bytes delivered to each host's application */
    size_t ndata[2];
    uint64_t next_id;
};

/* A has address H_PEER_ADDR port H_PEER_PORT, B H_IUT_ADDR port H_IUT_PORT; ISNs fixed to
 * iss_a / iss_b. Manual delivery unless w->automatic is set. */
void w_init(struct wire *w, enum profile_id prof, uint32_t iss_a, uint32_t iss_b);
void w_finish(struct wire *w);
bool w_set(struct wire *w, int i, const char *key, int64_t value);
struct host *w_host(struct wire *w, int i);

int w_listen(struct wire *w, int i);
int w_connect(struct wire *w, int i);
int w_send(struct wire *w, int i, const uint8_t *data, size_t len);
int w_shutdown(struct wire *w, int i);
int w_close(struct wire *w, int i);
int w_abort(struct wire *w, int i);
void w_crash(struct wire *w, int i);

/* Manual mode: segments from host i waiting on the wire, oldest first. */
size_t w_waiting(const struct wire *w, int from);
const struct segment *w_peek(const struct wire *w, int from, size_t k);
/* Checks the kth waiting segment from host `from` (absolute numbers, flags, payload length). */
bool w_check(const struct wire *w, int from, size_t k, const char *flags, uint32_t seq,
             uint32_t ack, uint16_t len);
void w_deliver(struct wire *w, int from, size_t k); /* to the other host, now */
/* Puts a segment on the wire as if host `from` had sent it (an old duplicate): absolute numbers,
 * `from`'s address and port, a correct checksum. */
void w_inject(struct wire *w, int from, const char *flags, uint32_t seq, uint32_t ack,
              uint16_t len);
void w_drop(struct wire *w, int from, size_t k);

/* Time (both modes): fire timers and (automatic mode) deliver arrivals in order up to t. */
void w_run_until(struct wire *w, sim_time t);
enum tcp_state w_state(const struct wire *w, int i);

#endif
