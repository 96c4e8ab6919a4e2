/* fuzz_tcp.c: fuzz target for one TCP endpoint. The input picks a profile and a target state;
 * a scripted peer drives host B there (LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1,
 * FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT, or no socket at all for CLOSED), then
 * the rest of the input becomes segments from the peer (any flags, SEQ and ACK at and around
 * the interesting edges, payload, window, MSS, bad checksums, wrong ports), timer advances and
 * user calls. Invariants after every step: legal state changes from where each socket was,
 * SND.UNA <= SND.NXT, RCV.NXT never moves back and equals IRS + 1 + bytes delivered (+ FIN),
 * every byte delivered is the peer's byte at that sequence number, every byte sent is the
 * application's, a FIN follows the last of them, timers never lie in the past. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "host.h"
#include "rfc_edges.h"
#include "rng.h"

#define IUT_ADDR 0x0a000002u
#define PEER_ADDR 0x0a000001u
#define IUT_PORT 80
#define PEER_PORT 40000
#define MAX_SOCK 512
#define MAX_OPS 256
#define MAX_PAYLOAD 3000u

/* The peer's byte at sequence number s, and the IUT application's k-th byte. */
static uint8_t peer_byte(uint32_t s) { return (uint8_t)((s * 2654435761u) >> 24); }
static uint8_t app_byte(uint64_t k) { return (uint8_t)(k * 7u + 3u); }

static bool seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }

struct sockrec {
    bool started, ended, eof;
    enum tcp_state st;
    bool rcv_seen;
    uint32_t last_rcv;
    uint64_t delivered, app_sent;
};

struct fz {
    struct host_config cfg;
    struct host *h;
    struct host_io io;
    struct rng rng;
    uint32_t peer_isn;
    struct sockrec s[MAX_SOCK];
    uint8_t payload[MAX_PAYLOAD];
    uint8_t appbuf[MAX_PAYLOAD];
    /* The last segment B sent (for the preamble's replies). */
    bool sent_any;
    uint32_t last_seq, last_ack;
    uint8_t last_flags;
};

static struct sockrec *rec_of(struct fz *z, int32_t sock)
{
    if (sock < 0 || sock >= MAX_SOCK)
        return NULL;
    return &z->s[sock];
}

static bool view_of(const struct fz *z, int32_t sock, struct tcb_view *v)
{
    for (size_t i = 0; i < host_sock_count(z->h); i++)
        if (host_sock_view(z->h, i, v) && v->sock == sock)
            return true;
    return false;
}

/* ---- what B does: trace, segments out, bytes delivered ------------------------------------ */

static void on_trace(void *ctx, const struct trace_rec *r)
{
    struct fz *z = ctx;
    if (r->t != z->io.now)
        fuzz_fail("record at %lld while the time is %lld", (long long)r->t, (long long)z->io.now);
    struct sockrec *s = rec_of(z, r->sock);
    if (r->ev == TR_APP && r->u.app.action == APP_EOF && s)
        s->eof = true;
    if (r->ev != TR_STATE)
        return;
    enum tcp_state from = r->u.state.from, to = r->u.state.to;
    if (!s)
        fuzz_fail("state record for socket %d", (int)r->sock);
    if (!rfc_edges_legal(from, to, r->note))
        fuzz_fail("socket %d: illegal transition %s -> %s (%s)", (int)r->sock,
                  trace_state_name(from), trace_state_name(to), r->note);
    if (s->ended)
        fuzz_fail("socket %d changed state after it ended", (int)r->sock);
    if (s->started ? s->st != from : from != TCP_CLOSED && from != TCP_LISTEN)
        fuzz_fail("socket %d: change from %s but it was in %s", (int)r->sock,
                  trace_state_name(from), trace_state_name(s->st));
    s->started = true;
    s->st = to;
    if (to == TCP_CLOSED || (from == TCP_SYN_RECEIVED && to == TCP_LISTEN))
        s->ended = true;
}

static void on_output(void *ctx, char host, const struct segment *seg, uint32_t rel_seq,
                      uint32_t rel_ack, int32_t sock)
{
    struct fz *z = ctx;
    (void)rel_seq;
    (void)rel_ack;
    if (host != 'B' || seg->src_addr != IUT_ADDR || !seg_checksum_ok(seg))
        fuzz_fail("B sent a segment with a wrong source or checksum");
    if (seg->len > 0 && !seg->data)
        fuzz_fail("payload without data");
    z->sent_any = true;
    z->last_seq = seg->seq;
    z->last_ack = seg->ack;
    z->last_flags = seg->flags;
    struct sockrec *s = rec_of(z, sock);
    struct tcb_view v;
    if (!s || (seg->flags & (SEG_SYN | SEG_RST)) || !view_of(z, sock, &v))
        return;
    uint32_t off = seg->seq - (v.iss + 1u);
    if (seg->len > 0) {
        if ((uint64_t)off + seg->len > s->app_sent)
            fuzz_fail("socket %d sent bytes %u..%llu, its application wrote %llu", (int)sock, off,
                      (unsigned long long)off + seg->len, (unsigned long long)s->app_sent);
        for (uint32_t i = 0; i < seg->len; i++)
            if (seg->data[i] != app_byte((uint64_t)off + i))
                fuzz_fail("socket %d sent a byte its application did not write", (int)sock);
    }
    if ((seg->flags & SEG_FIN) && (uint64_t)off + seg->len != s->app_sent)
        fuzz_fail("socket %d: FIN after byte %llu of %llu", (int)sock,
                  (unsigned long long)off + seg->len, (unsigned long long)s->app_sent);
}

static void on_deliver(void *ctx, char host, int32_t sock, const uint8_t *data, size_t len)
{
    struct fz *z = ctx;
    struct sockrec *s = rec_of(z, sock);
    struct tcb_view v;
    if (host != 'B' || !s || !view_of(z, sock, &v) || !v.irs_known)
        fuzz_fail("delivery to socket %d without a synchronized connection", (int)sock);
    uint32_t first = v.irs + 1u + (uint32_t)s->delivered;
    for (size_t i = 0; i < len; i++)
        if (data[i] != peer_byte(first + (uint32_t)i))
            fuzz_fail("socket %d: delivered byte %llu is not the peer's", (int)sock,
                      (unsigned long long)(s->delivered + i));
    s->delivered += len;
}

/* ---- what the peer does -------------------------------------------------------------------- */

static void peer_segment(struct fz *z, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len,
                         uint16_t wnd, uint16_t mss, int32_t flip, bool wrong_port)
{
    struct segment seg;
    memset(&seg, 0, sizeof seg);
    seg.src_addr = PEER_ADDR;
    seg.dst_addr = IUT_ADDR;
    seg.src_port = PEER_PORT;
    seg.dst_port = wrong_port ? IUT_PORT + 1 : IUT_PORT;
    seg.seq = seq;
    seg.ack = ack;
    seg.flags = flags;
    seg.wnd = wnd;
    seg.mss = mss;
    if (len > MAX_PAYLOAD)
        len = MAX_PAYLOAD;
    for (uint32_t i = 0; i < len; i++)
        z->payload[i] = peer_byte(seq + ((flags & SEG_SYN) ? 1u : 0u) + i);
    seg.len = (uint16_t)len;
    seg.data = len ? z->payload : NULL;
    seg.flipped_bit = -1;
    seg_set_checksum(&seg);
    seg.flipped_bit = flip;
    host_input(z->h, &seg, 0, &z->io);
}

/* B's newest socket that is not a listener, or -1. */
static int32_t current(const struct fz *z, struct tcb_view *out)
{
    int32_t best = -1;
    for (size_t i = 0; i < host_sock_count(z->h); i++) {
        struct tcb_view v;
        if (host_sock_view(z->h, i, &v) && !v.listener && v.sock >= best) {
            best = v.sock;
            *out = v;
        }
    }
    return best;
}

static void app_send(struct fz *z, uint32_t len)
{
    struct tcb_view v;
    int32_t sock = current(z, &v);
    struct sockrec *s = rec_of(z, sock);
    if (!s)
        return;
    if (len > MAX_PAYLOAD)
        len = MAX_PAYLOAD;
    for (uint32_t i = 0; i < len; i++)
        z->appbuf[i] = app_byte(s->app_sent + i);
    /* Counted before the call: the segments it sends are checked against it. Refused: undone. */
    s->app_sent += len;
    if (host_send(z->h, sock, z->appbuf, len, &z->io) < 0)
        s->app_sent -= len;
}

/* Fires every timer due up to t, in order, then stands at t (or, after 1000 firings, at the
 * last one: a probe every RTO could go on for the whole span). */
static void advance(struct fz *z, sim_time t)
{
    for (int k = 0; k < 1000; k++) {
        sim_time d = host_next_deadline(z->h);
        if (d > t) {
            if (t > z->io.now)
                z->io.now = t;
            return;
        }
        if (d > z->io.now)
            z->io.now = d;
        host_on_timer(z->h, &z->io);
    }
}

/* ---- after every step ------------------------------------------------------------------------ */

static void check(struct fz *z)
{
    if (host_sock_count(z->h) > MAX_SOCK)
        fuzz_fail("too many sockets");
    for (size_t i = 0; i < host_sock_count(z->h); i++) {
        struct tcb_view v;
        if (!host_sock_view(z->h, i, &v))
            fuzz_fail("no view of socket index %zu", i);
        struct sockrec *s = rec_of(z, v.sock);
        if (!s || !s->started || s->ended || s->st != v.state)
            fuzz_fail("socket %d is in %s against its records", v.sock, trace_state_name(v.state));
        for (int k = 0; k < TCP_TIMER_COUNT; k++)
            if (v.timer_deadline[k] < z->io.now)
                fuzz_fail("socket %d: timer %d lies in the past", v.sock, k);
        if (v.state == TCP_CLOSED || v.state == TCP_LISTEN)
            continue;
        if (!seq_le(v.snd_una, v.snd_nxt) || !seq_le(v.iss, v.snd_una))
            fuzz_fail("socket %d: ISS %u SND.UNA %u SND.NXT %u", v.sock, v.iss, v.snd_una,
                      v.snd_nxt);
        if (!v.irs_known)
            continue;
        if (s->rcv_seen && !seq_le(s->last_rcv, v.rcv_nxt))
            fuzz_fail("socket %d: RCV.NXT moved back from %u to %u", v.sock, s->last_rcv,
                      v.rcv_nxt);
        s->rcv_seen = true;
        s->last_rcv = v.rcv_nxt;
        if (v.rcv_nxt - v.irs - 1u != (uint32_t)(s->delivered + (s->eof ? 1u : 0u)) ||
            v.bytes_delivered != s->delivered)
            fuzz_fail("socket %d: RCV.NXT - IRS - 1 = %u, delivered %llu%s", v.sock,
                      v.rcv_nxt - v.irs - 1u, (unsigned long long)s->delivered,
                      s->eof ? " and the FIN" : "");
    }
}

/* ---- reaching the target state ------------------------------------------------------------- */

/* The peer acknowledges everything B sent, from where B expects it next (bytes B's window had
 * no room for are given up), with a FIN if extra says so. */
static void ack_all(struct fz *z, uint8_t extra, uint32_t *peer_nxt)
{
    struct tcb_view v;
    if (current(z, &v) < 0)
        return;
    if (v.irs_known)
        *peer_nxt = v.rcv_nxt;
    peer_segment(z, (uint8_t)(SEG_ACK | extra), *peer_nxt, v.snd_nxt, 0, 65535, 0, -1, false);
    if (extra & SEG_FIN)
        (*peer_nxt)++;
}

static void preamble(struct fz *z, struct fuzz_in *in, enum tcp_state target)
{
    uint32_t nxt = z->peer_isn;
    if (target == TCP_CLOSED)
        return;
    bool active = target == TCP_SYN_SENT || (target != TCP_LISTEN && (fuzz_u8(in) & 1));
    if (active) {
        host_connect(z->h, IUT_PORT, PEER_ADDR, PEER_PORT, &z->io);
        if (target == TCP_SYN_SENT)
            return;
        struct tcb_view v;
        if (current(z, &v) < 0)
            return;
        /* SYN+ACK, or a bare SYN for a simultaneous open into SYN_RECEIVED. */
        bool simultaneous = target == TCP_SYN_RECEIVED;
        peer_segment(z, simultaneous ? SEG_SYN : (SEG_SYN | SEG_ACK), nxt, v.iss + 1u, 0, 65535,
                     1460, -1, false);
        nxt++;
        if (target == TCP_SYN_RECEIVED)
            return;
    } else {
        host_listen(z->h, IUT_PORT, &z->io);
        if (target == TCP_LISTEN)
            return;
        peer_segment(z, SEG_SYN, nxt, 0, 0, 65535, 1460, -1, false);
        nxt++;
        if (target == TCP_SYN_RECEIVED)
            return;
        ack_all(z, 0, &nxt);
    }
    /* ESTABLISHED: some data each way, the peer's acknowledged or not. */
    uint32_t d_in = fuzz_u8(in) * 8u, d_out = fuzz_u8(in) * 8u;
    struct tcb_view v;
    if (d_in && current(z, &v) >= 0) {
        peer_segment(z, SEG_ACK | SEG_PSH, nxt, v.snd_nxt, d_in, 65535, 0, -1, false);
        nxt += d_in < MAX_PAYLOAD ? d_in : MAX_PAYLOAD;
    }
    if (d_out)
        app_send(z, d_out);
    if (fuzz_u8(in) & 1)
        ack_all(z, 0, &nxt);
    switch (target) {
    case TCP_FIN_WAIT_1:
        host_close(z->h, -1, &z->io);
        break;
    case TCP_FIN_WAIT_2:
        host_close(z->h, -1, &z->io);
        ack_all(z, 0, &nxt);
        break;
    case TCP_CLOSE_WAIT:
        ack_all(z, SEG_FIN, &nxt);
        break;
    case TCP_CLOSING:
        host_close(z->h, -1, &z->io);
        if (current(z, &v) >= 0) /* the peer's FIN, not acknowledging ours */
            peer_segment(z, SEG_ACK | SEG_FIN, v.irs_known ? v.rcv_nxt : nxt, v.snd_una, 0, 65535,
                         0, -1, false);
        break;
    case TCP_LAST_ACK:
        ack_all(z, SEG_FIN, &nxt);
        host_close(z->h, -1, &z->io);
        break;
    case TCP_TIME_WAIT:
        host_close(z->h, -1, &z->io);
        ack_all(z, 0, &nxt);
        ack_all(z, SEG_FIN, &nxt);
        break;
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
        break;
    }
}

/* ---- the fuzzed steps ------------------------------------------------------------------------ */

static uint32_t pick_seq(struct fz *z, struct fuzz_in *in)
{
    struct tcb_view v;
    bool have = current(z, &v) >= 0 && v.irs_known;
    uint8_t sel = fuzz_u8(in);
    int32_t delta = (int8_t)fuzz_u8(in);
    uint32_t base;
    switch (have ? sel % 7 : 6) {
    case 0: base = v.irs; break;
    case 1: base = v.rcv_nxt; break;
    case 2: base = v.rcv_nxt + v.rcv_wnd; break;
    case 3: base = v.rcv_nxt - 65535u; break;
    case 4: base = v.rcv_nxt + 0x80000000u; break;
    case 5: return fuzz_u32(in);
    default: base = z->peer_isn + 1u; break;
    }
    return base + (uint32_t)delta;
}

static uint32_t pick_ack(struct fz *z, struct fuzz_in *in)
{
    struct tcb_view v;
    bool have = current(z, &v) >= 0;
    uint8_t sel = fuzz_u8(in);
    int32_t delta = (int8_t)fuzz_u8(in);
    uint32_t base;
    switch (have ? sel % 6 : 5) {
    case 0: base = v.snd_una; break;
    case 1: base = v.snd_nxt; break;
    case 2: base = v.iss; break;
    case 3: base = v.snd_una - 65535u; break;
    case 4: base = v.snd_nxt + 0x80000000u; break;
    default: return fuzz_u32(in);
    }
    return base + (uint32_t)delta;
}

static void step(struct fz *z, struct fuzz_in *in)
{
    uint8_t op = fuzz_u8(in);
    switch (op % 8) {
    case 0: case 1: case 2: case 3: case 4: {
        uint8_t flags = fuzz_u8(in);
        uint32_t seq = pick_seq(z, in), ack = pick_ack(z, in);
        uint8_t l = fuzz_u8(in);
        uint32_t len = l < 128 ? 0 : l < 200 ? (uint32_t)(l - 127) : (uint32_t)(l - 199) * 50u;
        uint16_t wnd = fuzz_u16(in);
        uint8_t x = fuzz_u8(in);
        uint16_t mss = (flags & SEG_SYN) && (x & 1) ? fuzz_u16(in) : 0;
        int32_t flip = (x & 0x70) == 0x70 ? (int32_t)(fuzz_u16(in) % (8u * (20u + 4u + len))) : -1;
        peer_segment(z, flags, seq, ack, len, wnd, mss, flip, (x & 0x0e) == 0x0e);
        break;
    }
    case 5: {
        static const sim_time dt[] = { 0, 1000000, 40000000, 200000000, 1000000000,
                                       60000000000, 240000000000 };
        uint8_t k = fuzz_u8(in);
        sim_time next = host_next_deadline(z->h);
        sim_time t = k >= 7 * 32 && next != SIM_NEVER ? next
                                                      : z->io.now + dt[(k / 32) % 7];
        advance(z, t);
        break;
    }
    case 6: {
        uint8_t k = fuzz_u8(in);
        switch (k % 6) {
        case 0: app_send(z, (uint32_t)fuzz_u8(in) * 12u + 1u); break;
        case 1: host_close(z->h, -1, &z->io); break;
        case 2: host_shutdown(z->h, -1, &z->io); break;
        case 3: host_abort(z->h, -1, &z->io); break;
        case 4: host_listen(z->h, IUT_PORT, &z->io); break;
        default: host_set_autoread(z->h, (k & 0x80) != 0); break;
        }
        break;
    }
    default:
        if ((op & 0xf8) == 0xf8)
            host_crash(z->h, &z->io);
        else
            host_connect(z->h, IUT_PORT, PEER_ADDR, PEER_PORT, &z->io);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = { data, size };
    struct fz *z = calloc(1, sizeof *z);
    if (!z)
        return 0;
    uint8_t b0 = fuzz_u8(&in), b1 = fuzz_u8(&in), b2 = fuzz_u8(&in);
    enum tcp_state target = (enum tcp_state)(b0 % TCP_STATE_COUNT);
    z->cfg.name = 'B';
    z->cfg.addr = IUT_ADDR;
    z->cfg.isn_policy = ISN_FIXED;
    z->cfg.isn_fixed = fuzz_u32(&in);
    z->peer_isn = fuzz_u32(&in);
    profile_defaults(&z->cfg.profile, (b1 & 1) ? PROFILE_LINUX : PROFILE_RFC9293);
    struct tcp_profile *p = &z->cfg.profile;
    if (b1 & 2) p->challenge_ack = !p->challenge_ack;
    if (b1 & 4) p->rfc1337 = !p->rfc1337;
    if (b1 & 8) p->time_wait_reopen = !p->time_wait_reopen;
    if (b1 & 16) p->synack_on_dup_syn = !p->synack_on_dup_syn;
    if (b1 & 32) p->fin_in_zero_window = !p->fin_in_zero_window;
    if (b1 & 64) p->rst_on_unread_close = !p->rst_on_unread_close;
    if (b1 & 128) p->closing_ack_with_fin = !p->closing_ack_with_fin;
    static const uint32_t wnd[] = { 65535, 1, 100, 1460, 3000, 8192, 64240, 0 };
    static const uint16_t mss[] = { 1460, 64, 536, 8960 };
    p->rcv_wnd = wnd[b2 % 8] ? wnd[b2 % 8] : 65535;
    p->mss = mss[(b2 >> 3) % 4];
    p->delack = (b2 & 0x20) ? 40000000 : 0;
    p->data_retries = (b2 & 0x40) ? 2 : p->data_retries;
    p->fin_wait_2_timeout = (b2 & 0x80) ? 5000000000 : p->fin_wait_2_timeout;
    z->h = host_create(&z->cfg);
    if (!z->h) {
        free(z);
        return 0;
    }
    rng_seed(&z->rng, 1);
    z->io = (struct host_io){ .now = 0, .rng = &z->rng, .output = on_output, .output_ctx = z,
                              .trace = NULL, .deliver = on_deliver, .deliver_ctx = z };
    struct trace_sink sink = { .emit = on_trace, .ctx = z };
    z->io.trace = &sink;
    preamble(z, &in, target);
    check(z);
    for (int k = 0; k < MAX_OPS && fuzz_more(&in); k++) {
        step(z, &in);
        check(z);
    }
    /* A day later: whatever is due by then has fired. */
    advance(z, z->io.now + 86400000000000);
    check(z);
    host_destroy(z->h);
    free(z);
    return 0;
}
