/* st_check.c: simtest's oracle. Watches one run through its trace sink, deliver hook and tap,
 * and after every event through host_sock_view and sim_inflight_*, and reports the first broken
 * rule with the simulated time. Written from RFC 9293 independently of sim/tcp*.c: it judges state
 * changes by tests/rfc_edges.c and keeps its own copy of every byte each application sent. */
#include "st_check.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rfc_edges.h"
#include "tracefmt.h"

#define MAX_SOCKS 100000u /* socket numbers a run may reach before the checker calls it a leak */

static bool seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static bool seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }

/* What the checker knows of one socket of one host (listeners included), kept after it ends. */
struct conn {
    bool started, ended, alive;
    enum tcp_state state;
    bool listener;            /* its first state record was CLOSED -> LISTEN */
    uint16_t lport, rport;
    bool iss_known, irs_known;
    uint32_t iss, irs;
    bool una_seen, rcv_seen;
    uint32_t last_una, last_rcv;
    uint8_t *sent;            /* every byte its application sent (accepted sends), in order */
    size_t nsent, sent_cap;
    uint64_t delivered;       /* bytes handed to its application */
    uint64_t delivered_rec;   /* the same, summed from APP_DELIVER records */
    bool eof;
    bool app_done;            /* a close, shutdown or abort of its application was accepted */
    bool app_closed;          /* the accepted call was a close: the application reads no more */
    bool fin_acked;           /* our FIN was acknowledged: TIME_WAIT, or LAST_ACK's last ACK */
    bool abnormal;            /* ended by RST, abort, crash or a timeout */
    bool error;               /* its application was told of an error when it ended */
};

/* An application call whose outcome is the host's next record: APP_ERROR with the same socket
 * means it was refused. */
struct pending {
    bool on;
    enum app_action action;
    int32_t sock;
    size_t nsent_before;
};

struct segrec {
    struct trace_seg seg;
    uint8_t from, fate, copies, rx, counted;
    uint8_t dropped;          /* copies the user dropped in flight */
    bool copies_known;
};

struct st_check {
    const struct st_case *c;
    FILE *verbose;
    struct sim *sim;
    struct conn *conns[SIM_HOSTS];
    size_t nconns[SIM_HOSTS];
    const struct sim_action *sends[SIM_HOSTS][ST_MAX_ACTIONS];
    size_t nsends[SIM_HOSTS], next_send[SIM_HOSTS];
    struct pending pend[SIM_HOSTS];
    int32_t want_error[SIM_HOSTS];    /* socket whose next record must be its APP_ERROR, or -1 */
    struct segrec *segs;              /* by trace id - 1 */
    size_t nsegs, segs_cap;
    size_t checked;                   /* segments whose copies have been counted */
    uint64_t copies_total, rx_total, dropped_total;
    size_t next_action;
    bool noread[SIM_HOSTS];           /* the host's application has stopped reading */
    bool app_stalled;                 /* stopped: an application that never reads again */
    sim_time progress_at;
    bool progressed;
    bool failed;
    char failure[1024];
    struct st_stats stats;
};

#if defined(__GNUC__) || defined(__clang__)
#define ST_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ST_PRINTF(a, b)
#endif

ST_PRINTF(2, 3) static void fail(struct st_check *k, const char *fmt, ...)
{
    if (k->failed)
        return;
    k->failed = true;
    char t[40];
    tracefmt_time(k->sim ? sim_now(k->sim) : 0, t, sizeof t);
    int n = snprintf(k->failure, sizeof k->failure, "at %ss: ", t);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(k->failure + n, sizeof k->failure - (size_t)n, fmt, ap);
    va_end(ap);
}

static struct conn *get(struct st_check *k, int h, int32_t sock)
{
    if (h < 0 || h >= SIM_HOSTS || sock < 0 || (uint32_t)sock >= MAX_SOCKS) {
        fail(k, "record names host %d socket %ld", h, (long)sock);
        return NULL;
    }
    size_t need = (size_t)sock + 1;
    if (need > k->nconns[h]) {
        size_t cap = k->nconns[h] ? k->nconns[h] : 8;
        while (cap < need)
            cap *= 2;
        struct conn *p = realloc(k->conns[h], cap * sizeof *p);
        if (!p) {
            fail(k, "checker out of memory");
            return NULL;
        }
        memset(p + k->nconns[h], 0, (cap - k->nconns[h]) * sizeof *p);
        k->conns[h] = p;
        k->nconns[h] = cap;
    }
    return &k->conns[h][sock];
}

static const char *st(enum tcp_state s)
{
    return trace_state_name(s);
}

/* Causes that must be reported to the application as an error. */
static bool cause_needs_error(enum tcp_state from, const char *cause)
{
    if (from == TCP_CLOSING || from == TCP_LAST_ACK || from == TCP_TIME_WAIT)
        return false; /* "If the RST bit is set, then enter the CLOSED state ... and return" */
    return strcmp(cause, "rx RST") == 0 || strcmp(cause, "RTO: retries exhausted") == 0 ||
           strcmp(cause, "USER_TIMEOUT timer") == 0 || strcmp(cause, "rx SYN in window") == 0;
}

/* ---- looking things up ------------------------------------------------------------------- */

/* Updates what the checker knows of (h, sock) from the host's view; false if there is none. */
static bool refresh(struct st_check *k, int h, int32_t sock, struct conn *c)
{
    const struct host *host = sim_host(k->sim, h);
    for (size_t i = 0; i < host_sock_count(host); i++) {
        struct tcb_view v;
        if (!host_sock_view(host, i, &v) || v.sock != sock)
            continue;
        c->lport = v.lport;
        c->rport = v.rport;
        if (v.state != TCP_CLOSED && v.state != TCP_LISTEN) {
            if (c->iss_known && c->iss != v.iss)
                fail(k, "host %c socket %d: ISS changed from %" PRIu32 " to %" PRIu32, 'A' + h,
                     (int)sock, c->iss, v.iss);
            c->iss = v.iss;
            c->iss_known = true;
        }
        if (v.irs_known) {
            if (c->irs_known && c->irs != v.irs)
                fail(k, "host %c socket %d: IRS changed from %" PRIu32 " to %" PRIu32, 'A' + h,
                     (int)sock, c->irs, v.irs);
            c->irs = v.irs;
            c->irs_known = true;
        }
        return true;
    }
    return false;
}

/* The newest connection on the other host whose data c receives: its ports mirror c's, its ISS
 * is c's IRS and (once both are known) its IRS is c's ISS. */
static struct conn *sender_of(struct st_check *k, int h, const struct conn *c)
{
    int o = 1 - h;
    for (size_t i = k->nconns[o]; i-- > 0;) {
        struct conn *p = &k->conns[o][i];
        if (p->started && p->iss_known && c->irs_known && p->iss == c->irs &&
            p->lport == c->rport && p->rport == c->lport &&
            (!p->irs_known || !c->iss_known || p->irs == c->iss))
            return p;
    }
    return NULL;
}

/* The most any connection on the other host delivered of c's data (matched as in sender_of,
 * the other way round). found: one exists. */
static uint64_t peer_delivered(struct st_check *k, int h, const struct conn *c, bool *found)
{
    int o = 1 - h;
    uint64_t best = 0;
    *found = false;
    for (size_t i = 0; i < k->nconns[o]; i++) {
        const struct conn *p = &k->conns[o][i];
        if (p->started && p->irs_known && c->iss_known && p->irs == c->iss &&
            p->lport == c->rport && p->rport == c->lport &&
            (!p->iss_known || !c->irs_known || p->iss == c->irs)) {
            *found = true;
            if (p->delivered > best)
                best = p->delivered;
        }
    }
    return best;
}

/* ---- the trace sink ---------------------------------------------------------------------- */

static void resolve_pending(struct st_check *k, int h, const struct trace_rec *r)
{
    struct pending *p = &k->pend[h];
    p->on = false;
    bool refused = r && r->ev == TR_APP && r->u.app.action == APP_ERROR && r->sock == p->sock;
    if (p->sock < 0)
        return;
    struct conn *c = get(k, h, p->sock);
    if (!c)
        return;
    if (refused && p->action == APP_SEND)
        c->nsent = p->nsent_before;
    else if (!refused && p->action != APP_SEND)
        c->app_done = true;
    if (!refused && p->action == APP_CLOSE)
        c->app_closed = true;
}

static void on_state(struct st_check *k, int h, const struct trace_rec *r)
{
    enum tcp_state from = r->u.state.from, to = r->u.state.to;
    struct conn *c = get(k, h, r->sock);
    if (!c)
        return;
    if (from == to) {
        fail(k, "host %c socket %d: state change from %s to itself", 'A' + h, (int)r->sock, st(to));
        return;
    }
    if (!c->started) {
        if (from != TCP_CLOSED && from != TCP_LISTEN) {
            fail(k, "host %c socket %d: first state change starts from %s", 'A' + h, (int)r->sock,
                 st(from));
            return;
        }
        c->started = true;
        c->listener = to == TCP_LISTEN;
    } else if (c->ended) {
        fail(k, "host %c socket %d: state change %s -> %s after the connection ended", 'A' + h,
             (int)r->sock, st(from), st(to));
        return;
    } else if (from != c->state) {
        fail(k, "host %c socket %d: state change says from %s but it was in %s", 'A' + h,
             (int)r->sock, st(from), st(c->state));
        return;
    }
    if (!rfc_edges_legal(from, to, r->note)) {
        fail(k, "host %c socket %d: illegal transition %s -> %s (cause '%s')", 'A' + h,
             (int)r->sock, st(from), st(to), r->note);
        return;
    }
    k->stats.edges[from][to]++;
    k->progressed = true;
    c->state = to;
    if (to == TCP_TIME_WAIT)
        c->fin_acked = true;
    if (to == TCP_CLOSED) {
        c->ended = true;
        if (from == TCP_LAST_ACK && strcmp(r->note, "rx ACK of FIN") == 0)
            c->fin_acked = true;
        if (rfc_edges_abnormal_cause(r->note))
            c->abnormal = true;
        if (cause_needs_error(from, r->note))
            k->want_error[h] = r->sock;
    }
    if (from == TCP_SYN_RECEIVED && to == TCP_LISTEN)
        c->ended = true; /* the child of a listener is gone; the listener listens on */
}

static void on_app(struct st_check *k, int h, const struct trace_rec *r)
{
    struct conn *c = r->sock >= 0 ? get(k, h, r->sock) : NULL;
    switch (r->u.app.action) {
    case APP_SEND: {
        size_t i = k->next_send[h]++;
        if (i >= k->nsends[h]) {
            fail(k, "host %c: more sends than the case scheduled", 'A' + h);
            return;
        }
        const struct sim_action *a = k->sends[h][i];
        if (r->u.app.bytes != a->len) {
            fail(k, "host %c: send of %zu bytes traced as %" PRIu64, 'A' + h, a->len, r->u.app.bytes);
            return;
        }
        k->pend[h] = (struct pending){ .on = true, .action = APP_SEND, .sock = r->sock,
                                       .nsent_before = c ? c->nsent : 0 };
        if (!c)
            return;
        if (c->nsent + a->len > c->sent_cap) {
            size_t cap = c->sent_cap ? c->sent_cap : 4096;
            while (cap < c->nsent + a->len)
                cap *= 2;
            uint8_t *p = realloc(c->sent, cap);
            if (!p) {
                fail(k, "checker out of memory");
                return;
            }
            c->sent = p;
            c->sent_cap = cap;
        }
        memcpy(c->sent + c->nsent, a->data, a->len);
        c->nsent += a->len;
        break;
    }
    case APP_CLOSE:
    case APP_SHUTDOWN:
    case APP_ABORT:
        k->pend[h] = (struct pending){ .on = true, .action = r->u.app.action, .sock = r->sock };
        break;
    case APP_DELIVER:
        if (!c)
            return;
        c->delivered_rec += r->u.app.bytes;
        if (c->delivered_rec != c->delivered)
            fail(k, "host %c socket %d: deliver records add up to %" PRIu64 " bytes, the "
                 "application got %" PRIu64, 'A' + h, (int)r->sock, c->delivered_rec, c->delivered);
        break;
    case APP_EOF: {
        if (!c)
            return;
        refresh(k, h, r->sock, c);
        c->eof = true;
        struct conn *s = sender_of(k, h, c);
        if (!s)
            fail(k, "host %c socket %d: end of stream from a connection no peer opened", 'A' + h,
                 (int)r->sock);
        else if (c->delivered != s->nsent)
            fail(k, "host %c socket %d: end of stream after %" PRIu64 " bytes, but the peer's "
                 "application sent %zu", 'A' + h, (int)r->sock, c->delivered, s->nsent);
        break;
    }
    case APP_ERROR:
        if (c && c->ended)
            c->error = true;
        break;
    case APP_LISTEN:
    case APP_CONNECT:
    case APP_CRASH:
    case APP_REBOOT:
    case APP_ACCEPT:
    case APP_CONNECTED:
    case APP_CLOSED:
    case APP_VARIANT:
        break;
    }
}

static void on_tx(struct st_check *k, int h, const struct trace_rec *r)
{
    const struct trace_seg *s = &r->u.tx.seg;
    if (r->u.tx.id != k->nsegs + 1) {
        fail(k, "segment id %" PRIu64 " after %zu", r->u.tx.id, k->nsegs);
        return;
    }
    if (k->nsegs == k->segs_cap) {
        size_t cap = k->segs_cap ? k->segs_cap * 2 : 256;
        struct segrec *p = realloc(k->segs, cap * sizeof *p);
        if (!p) {
            fail(k, "checker out of memory");
            return;
        }
        k->segs = p;
        k->segs_cap = cap;
    }
    k->segs[k->nsegs++] = (struct segrec){ .seg = *s, .from = (uint8_t)h, .fate = (uint8_t)r->u.tx.fate };
    k->stats.segments++;
    const struct sim_config *cfg = sim_config(k->sim);
    if (r->u.tx.to != 'A' + (1 - h) || s->src_addr != cfg->host[h].addr ||
        s->dst_addr != cfg->host[1 - h].addr)
        fail(k, "segment #%" PRIu64 " from %c has the wrong addresses", r->u.tx.id, 'A' + h);
    if (s->len > cfg->host[h].profile.mss || s->len > SEG_MAX_PAYLOAD)
        fail(k, "segment #%" PRIu64 " carries %u bytes, more than the MSS %u", r->u.tx.id,
             (unsigned)s->len, (unsigned)cfg->host[h].profile.mss);
    if (r->sock >= 0) {
        struct conn *c = get(k, h, r->sock);
        if (c && c->ended)
            fail(k, "segment #%" PRIu64 " sent by host %c socket %d after it ended", r->u.tx.id,
                 'A' + h, (int)r->sock);
    }
}

static bool same_seg(const struct trace_seg *a, const struct trace_seg *b)
{
    return a->flags == b->flags && a->seq == b->seq && a->ack == b->ack && a->len == b->len &&
           a->wnd == b->wnd && a->mss == b->mss && a->src_addr == b->src_addr &&
           a->dst_addr == b->dst_addr && a->src_port == b->src_port && a->dst_port == b->dst_port;
}

static void on_rx(struct st_check *k, int h, const struct trace_rec *r)
{
    uint64_t id = r->u.rx.id;
    if (id == 0 || id > k->nsegs) {
        fail(k, "host %c received segment #%" PRIu64 ", which was never sent", 'A' + h, id);
        return;
    }
    struct segrec *sr = &k->segs[id - 1];
    sr->rx++;
    k->rx_total++;
    if (sr->from != 1 - h)
        fail(k, "segment #%" PRIu64 " from %c arrived at its own sender", id, 'A' + sr->from);
    else if (sr->copies_known && sr->rx + sr->dropped > sr->copies)
        fail(k, "segment #%" PRIu64 " arrived %u times and was dropped %u times, the link made %u "
             "copies", id, (unsigned)sr->rx, (unsigned)sr->dropped, (unsigned)sr->copies);
    else if (!same_seg(&sr->seg, &r->u.rx.seg))
        fail(k, "segment #%" PRIu64 " arrived with other header fields than it was sent with", id);
    else if (r->u.rx.discarded != (sr->fate == FATE_CORRUPTED))
        fail(k, "segment #%" PRIu64 " (%s) arrived %s", id, trace_fate_name((enum seg_fate)sr->fate),
             r->u.rx.discarded ? "discarded" : "accepted");
}

static void on_record(void *ctx, const struct trace_rec *r)
{
    struct st_check *k = ctx;
    if (k->verbose) {
        char line[1024];
        tracefmt_text(r, line, sizeof line);
        fprintf(k->verbose, "%s\n", line);
    }
    if (k->failed)
        return;
    int h = r->host == 'A' ? 0 : r->host == 'B' ? 1 : -1;
    if (h >= 0 && k->pend[h].on)
        resolve_pending(k, h, r);
    if (h >= 0 && k->want_error[h] >= 0) {
        int32_t sock = k->want_error[h];
        k->want_error[h] = -1;
        if (!(r->ev == TR_APP && r->u.app.action == APP_ERROR && r->sock == sock))
            fail(k, "host %c socket %d was reset or timed out without an error to its "
                 "application", 'A' + h, (int)sock);
    }
    switch (r->ev) {
    case TR_STATE:
        on_state(k, h, r);
        break;
    case TR_APP:
        on_app(k, h, r);
        break;
    case TR_TX:
        on_tx(k, h, r);
        break;
    case TR_RX:
        on_rx(k, h, r);
        break;
    case TR_TIMER:
    case TR_CAPTION:
    case TR_LINK:
    case TR_PAUSE:
        break;
    }
}

/* ---- hooks: bytes handed to applications, bytes put on the wire ------------------------- */

static void on_deliver(void *ctx, char host, int32_t sock, const uint8_t *data, size_t len)
{
    struct st_check *k = ctx;
    int h = host - 'A';
    struct conn *c = get(k, h, sock);
    if (k->failed || !c)
        return;
    if (!refresh(k, h, sock, c) || !c->irs_known) {
        fail(k, "host %c socket %d: data delivered without a synchronized connection", host, (int)sock);
        return;
    }
    struct conn *s = sender_of(k, h, c);
    if (!s) {
        fail(k, "host %c socket %d: %zu bytes delivered on a connection no peer opened", host,
             (int)sock, len);
        return;
    }
    uint64_t off = c->delivered;
    if (off + len > s->nsent) {
        fail(k, "host %c socket %d: bytes %" PRIu64 "..%" PRIu64 " delivered, but the peer's "
             "application sent only %zu", host, (int)sock, off, off + len, s->nsent);
        return;
    }
    for (size_t i = 0; i < len; i++) {
        if (data[i] != s->sent[off + i]) {
            fail(k, "host %c socket %d: delivered byte %" PRIu64 " is 0x%02x, the peer sent 0x%02x",
                 host, (int)sock, off + i, data[i], s->sent[off + i]);
            return;
        }
    }
    c->delivered += len;
    k->stats.bytes_delivered += len;
    k->progressed = true;
}

static void on_tap(void *ctx, sim_time t, int host, bool outbound, const struct segment *seg,
                   const struct trace_rec *rec)
{
    struct st_check *k = ctx;
    (void)t;
    if (!outbound || k->failed || !rec || rec->sock < 0)
        return;
    struct conn *c = get(k, host, rec->sock);
    if (!c || !refresh(k, host, rec->sock, c) || !c->iss_known)
        return;
    if (seg->flags & (SEG_SYN | SEG_RST))
        return;
    uint32_t off = seg->seq - (c->iss + 1u);
    if (seg->len > 0) {
        if ((uint64_t)off + seg->len > c->nsent) {
            fail(k, "segment #%" PRIu64 " from %c carries bytes %" PRIu32 "..%" PRIu64
                 " but its application sent only %zu", rec->u.tx.id, 'A' + host, off,
                 (uint64_t)off + seg->len, c->nsent);
            return;
        }
        if (memcmp(seg->data, c->sent + off, seg->len) != 0)
            fail(k, "segment #%" PRIu64 " from %c carries other bytes than its application sent "
                 "at offset %" PRIu32, rec->u.tx.id, 'A' + host, off);
    }
    if ((seg->flags & SEG_FIN) && (uint64_t)off + seg->len != c->nsent)
        fail(k, "segment #%" PRIu64 " from %c: FIN after byte %" PRIu64 ", but its application "
             "sent %zu", rec->u.tx.id, 'A' + host, (uint64_t)off + seg->len, c->nsent);
}

bool st_check_user_drop(struct st_check *k, uint64_t id, int copy, bool done)
{
    if (!done)
        fail(k, "sim_drop_inflight refused segment #%" PRIu64 " copy %d, which is in flight", id,
             copy);
    else if (id == 0 || id > k->nsegs)
        fail(k, "the user dropped segment #%" PRIu64 ", which was never sent", id);
    if (k->failed)
        return false;
    k->segs[id - 1].dropped++;
    k->dropped_total++;
    return true;
}

/* ---- after every event --------------------------------------------------------------------- */

static void count_copies(struct st_check *k)
{
    sim_time now = sim_now(k->sim);
    size_t n = sim_inflight_count(k->sim);
    for (size_t i = 0; i < n; i++) {
        const struct sim_inflight *v = sim_inflight_at(k->sim, i);
        if (!v || v->id == 0 || v->id > k->nsegs) {
            fail(k, "a copy in flight belongs to no sent segment");
            return;
        }
        struct segrec *sr = &k->segs[v->id - 1];
        if (v->from != sr->from || !same_seg(&v->seg, &sr->seg) || v->fate != sr->fate ||
            v->arrive < now || v->arrive < v->sent) {
            fail(k, "segment #%" PRIu64 " in flight differs from what was sent", v->id);
            return;
        }
        if (v->id > k->checked)
            sr->counted++;
    }
    for (size_t id = k->checked + 1; id <= k->nsegs; id++) {
        struct segrec *sr = &k->segs[id - 1];
        sr->copies = (uint8_t)(sr->counted + sr->rx + sr->dropped);
        sr->copies_known = true;
        k->copies_total += sr->copies;
        bool ok = false;
        switch ((enum seg_fate)sr->fate) {
        case FATE_DROPPED: ok = sr->copies == 0; break;
        case FATE_DELIVERED:
        case FATE_REORDERED: ok = sr->copies == 1; break;
        case FATE_DUPLICATED: ok = sr->copies == 2; break;
        case FATE_CORRUPTED: ok = sr->copies == 1 || sr->copies == 2; break;
        }
        if (!ok)
            fail(k, "segment #%zu (%s) left %u copies on the link", id,
                 trace_fate_name((enum seg_fate)sr->fate), (unsigned)sr->copies);
    }
    k->checked = k->nsegs;
    if (k->copies_total - k->rx_total - k->dropped_total != n)
        fail(k, "conservation: %" PRIu64 " copies sent, %" PRIu64 " arrived, %" PRIu64 " dropped "
             "by the user, but %zu in flight", k->copies_total, k->rx_total, k->dropped_total, n);
}

static void check_view(struct st_check *k, int h, const struct tcb_view *v)
{
    struct conn *c = get(k, h, v->sock);
    if (!c)
        return;
    char host = (char)('A' + h);
    if (!c->started || c->ended) {
        fail(k, "host %c socket %d in %s: %s", host, v->sock, st(v->state),
             c->started ? "its connection ended" : "no state record made it");
        return;
    }
    c->alive = true;
    if (v->state != c->state) {
        fail(k, "host %c socket %d is in %s but its records say %s", host, v->sock, st(v->state),
             st(c->state));
        return;
    }
    refresh(k, h, v->sock, c);
    if (v->state == TCP_CLOSED || v->state == TCP_LISTEN)
        return;
    /* Send sequence space: ISS <= SND.UNA <= SND.NXT <= ISS + 1 + sent + 1 (the FIN). */
    uint32_t top = v->iss + 1u + (uint32_t)c->nsent + 1u;
    if (!seq_le(v->iss, v->snd_una) || !seq_le(v->snd_una, v->snd_nxt) || !seq_le(v->snd_nxt, top))
        fail(k, "host %c socket %d: send space out of order: ISS %" PRIu32 " SND.UNA %" PRIu32
             " SND.NXT %" PRIu32 " with %zu bytes sent", host, v->sock, v->iss, v->snd_una,
             v->snd_nxt, c->nsent);
    if (c->una_seen && !seq_le(c->last_una, v->snd_una))
        fail(k, "host %c socket %d: SND.UNA moved back from %" PRIu32 " to %" PRIu32, host,
             v->sock, c->last_una, v->snd_una);
    if (c->una_seen && c->last_una != v->snd_una)
        k->progressed = true;
    c->last_una = v->snd_una;
    c->una_seen = true;
    /* SND.UNA - ISS - 1 data bytes are acknowledged: the peer must have received them. */
    if (seq_gt(v->snd_una, v->iss + 1u)) {
        uint64_t acked = v->snd_una - v->iss - 1u;
        if (acked > c->nsent)
            acked = c->nsent;
        bool found;
        uint64_t got = peer_delivered(k, h, c, &found);
        if (!found || got < acked)
            fail(k, "host %c socket %d: %" PRIu64 " bytes acknowledged, the peer received %" PRIu64,
                 host, v->sock, acked, got);
    }
    if (!v->irs_known)
        return;
    if (c->rcv_seen && !seq_le(c->last_rcv, v->rcv_nxt))
        fail(k, "host %c socket %d: RCV.NXT moved back from %" PRIu32 " to %" PRIu32, host,
             v->sock, c->last_rcv, v->rcv_nxt);
    c->last_rcv = v->rcv_nxt;
    c->rcv_seen = true;
    uint32_t consumed = v->rcv_nxt - v->irs - 1u;
    if (consumed != (uint32_t)(c->delivered + (c->eof ? 1u : 0u)) || v->bytes_delivered != c->delivered)
        fail(k, "host %c socket %d: RCV.NXT - IRS - 1 is %" PRIu32 ", the application got %" PRIu64
             " bytes%s (view says %" PRIu64 ")", host, v->sock, consumed, c->delivered,
             c->eof ? " and the FIN" : "", v->bytes_delivered);
}

/* After close() the application reads no more. If unread data then keeps the window shut, the
 * peer's zero-window probes are answered forever and its data and FIN never go: reports it. */
static void closed_window(struct st_check *k)
{
    for (int h = 0; h < SIM_HOSTS; h++) {
        const struct host *host = sim_host(k->sim, h);
        for (size_t i = 0; i < host_sock_count(host); i++) {
            struct tcb_view v;
            struct conn *c;
            if (host_sock_view(host, i, &v) && (c = get(k, h, v.sock)) && c->app_closed &&
                v.bytes_unread > 0 && v.rcv_wnd == 0)
                fail(k, "host %c socket %d was closed with %" PRIu64 " bytes unread and keeps its"
                     " window shut; the peer probes it forever (tests/robust/regress/"
                     "closed-window.scn)", 'A' + h, v.sock, v.bytes_unread);
        }
    }
}

/* An application that stopped reading (and did not close) leaves its window shut; the peer
 * probes it for as long as the connection lives, as RFC 9293 §3.8.6.1 wants. Such a run can
 * never end and is stopped here as passed. */
static bool app_not_reading(struct st_check *k)
{
    for (int h = 0; h < SIM_HOSTS; h++) {
        const struct host *host = sim_host(k->sim, h);
        for (size_t i = 0; i < host_sock_count(host) && k->noread[h]; i++) {
            struct tcb_view v;
            struct conn *c;
            if (host_sock_view(host, i, &v) && (c = get(k, h, v.sock)) && !c->app_closed &&
                v.bytes_unread > 0 && v.rcv_wnd == 0) {
                k->app_stalled = true;
                k->stats.app_stalled++;
                return true;
            }
        }
    }
    return false;
}

bool st_check_step(struct st_check *k)
{
    if (k->failed)
        return false;
    for (int h = 0; h < SIM_HOSTS; h++)
        if (k->pend[h].on)
            resolve_pending(k, h, NULL);
    k->stats.events++;
    count_copies(k);
    for (int h = 0; h < SIM_HOSTS && !k->failed; h++) {
        for (size_t i = 0; i < k->nconns[h]; i++)
            k->conns[h][i].alive = false;
        const struct host *host = sim_host(k->sim, h);
        for (size_t i = 0; i < host_sock_count(host) && !k->failed; i++) {
            struct tcb_view v;
            if (host_sock_view(host, i, &v))
                check_view(k, h, &v);
        }
        for (size_t i = 0; i < k->nconns[h] && !k->failed; i++) {
            const struct conn *c = &k->conns[h][i];
            if (c->started && !c->ended && !c->alive)
                fail(k, "host %c socket %zu (%s) vanished without a state change", 'A' + h, i,
                     st(c->state));
        }
    }
    sim_time now = sim_now(k->sim);
    while (k->next_action < k->c->nact && k->c->act[k->next_action].at <= now) {
        const struct st_action *sa = &k->c->act[k->next_action++];
        if (sa->at > k->progress_at)
            k->progress_at = sa->at;
        if (sa->a.kind == ACT_AUTOREAD)
            k->noread[sa->a.host] = !sa->a.flag;
    }
    if (now - k->progress_at > k->c->stall) {
        closed_window(k);
        if (!k->failed && app_not_reading(k))
            return false;
        fail(k, "no progress for %" PRId64 " ms (a correct run stalls at most %" PRId64 " ms)",
             (now - k->progress_at) / 1000000, k->c->stall / 1000000);
    }
    if (k->progressed)
        k->progress_at = now;
    k->progressed = false;
    return !k->failed;
}

/* ---- at the end ------------------------------------------------------------------------------ */

/* A FIN_WAIT_2 with no timer may wait forever only while its peer will never send a FIN: the
 * peer's application never closed it, or the peer ended abnormally (RFC 9293 has no FIN_WAIT_2
 * timeout). */
static bool fin_wait_2_excused(struct st_check *k, int h, const struct conn *c)
{
    struct conn *p = sender_of(k, h, c);
    if (!p)
        return true;
    if (!p->ended)
        return (p->state == TCP_ESTABLISHED || p->state == TCP_CLOSE_WAIT) && !p->app_done;
    return p->abnormal;
}

bool st_check_end(struct st_check *k, enum sim_stop why)
{
    if (k->failed)
        return false;
    if (k->app_stalled)
        return true;
    for (int h = 0; h < SIM_HOSTS; h++)
        if (k->pend[h].on)
            resolve_pending(k, h, NULL);
    if (why != SIM_DONE) {
        fail(k, "the run %s", sim_stop_message(why));
        return false;
    }
    if (sim_inflight_count(k->sim) != 0)
        fail(k, "the run ended with %zu copies in flight", sim_inflight_count(k->sim));
    for (size_t id = 1; id <= k->nsegs && !k->failed; id++) {
        const struct segrec *sr = &k->segs[id - 1];
        if (sr->rx + sr->dropped != sr->copies)
            fail(k, "segment #%zu: %u copies on the link, %u arrived, %u dropped by the user", id,
                 (unsigned)sr->copies, (unsigned)sr->rx, (unsigned)sr->dropped);
    }
    for (int h = 0; h < SIM_HOSTS && !k->failed; h++) {
        for (size_t i = 0; i < k->nconns[h] && !k->failed; i++) {
            struct conn *c = &k->conns[h][i];
            if (!c->started)
                continue;
            if (c->ended) {
                if (!c->listener && c->state == TCP_CLOSED) {
                    if (c->error || c->abnormal)
                        k->stats.ended_error++;
                    else
                        k->stats.ended_normal++;
                }
            } else if (c->listener && c->state == TCP_LISTEN) {
                continue;
            } else if ((c->state == TCP_ESTABLISHED || c->state == TCP_CLOSE_WAIT) && !c->app_done) {
                k->stats.left_idle++; /* its application never closed it */
            } else if (c->state == TCP_FIN_WAIT_2 && fin_wait_2_excused(k, h, c)) {
                k->stats.left_idle++;
            } else {
                closed_window(k);
                fail(k, "host %c socket %zu left in %s when nothing more can happen", 'A' + h, i,
                     st(c->state));
            }
            /* An acknowledged FIN comes after every byte: the peer must have all of them. */
            bool found;
            if (c->fin_acked && !k->failed) {
                uint64_t got = peer_delivered(k, h, c, &found);
                if (got != c->nsent)
                    fail(k, "host %c socket %zu: its FIN was acknowledged, the peer delivered "
                         "%" PRIu64 " of %zu bytes", 'A' + h, i, got, c->nsent);
            }
        }
    }
    k->stats.runs++;
    return !k->failed;
}

/* ---- life cycle ------------------------------------------------------------------------------ */

struct st_check *st_check_create(const struct st_case *c, FILE *verbose)
{
    struct st_check *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    k->c = c;
    k->verbose = verbose;
    for (int h = 0; h < SIM_HOSTS; h++)
        k->want_error[h] = -1;
    for (size_t i = 0; i < c->nact; i++) {
        const struct sim_action *a = &c->act[i].a;
        if (a->kind == ACT_SEND)
            k->sends[a->host][k->nsends[a->host]++] = a;
    }
    return k;
}

void st_check_destroy(struct st_check *k)
{
    if (!k)
        return;
    for (int h = 0; h < SIM_HOSTS; h++) {
        for (size_t i = 0; i < k->nconns[h]; i++)
            free(k->conns[h][i].sent);
        free(k->conns[h]);
    }
    free(k->segs);
    free(k);
}

struct trace_sink st_check_sink(struct st_check *k)
{
    return (struct trace_sink){ .emit = on_record, .ctx = k };
}

void st_check_attach(struct st_check *k, struct sim *sim)
{
    k->sim = sim;
    sim_set_deliver(sim, on_deliver, k);
    sim_set_tap(sim, on_tap, k);
}

struct st_check_hooks st_check_hooks(struct st_check *k)
{
    return (struct st_check_hooks){ .deliver = on_deliver, .tap = on_tap, .ctx = k };
}

const char *st_check_failure(const struct st_check *k)
{
    return k->failure;
}

void st_check_add_stats(const struct st_check *k, struct st_stats *into)
{
    into->runs += k->stats.runs;
    into->events += k->stats.events;
    into->segments += k->stats.segments;
    into->bytes_delivered += k->stats.bytes_delivered;
    into->ended_normal += k->stats.ended_normal;
    into->ended_error += k->stats.ended_error;
    into->left_idle += k->stats.left_idle;
    into->app_stalled += k->stats.app_stalled;
    for (int i = 0; i < TCP_STATE_COUNT; i++)
        for (int j = 0; j < TCP_STATE_COUNT; j++)
            into->edges[i][j] += k->stats.edges[i][j];
}
