/* host.c: one simulated host: demultiplexing through its socket table, the CLOSED-port rule,
 * ISN choice, user calls, timers, crash/reboot. Called by sim.c and the TCP tests. */
#include "host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socktab.h"
#include "tcp.h"

#define NONE SOCKTAB_NONE

struct host {
    struct host_config cfg;
    struct socktab tab;
    int next_sock;
    bool autoread;
};

struct host *host_create(const struct host_config *cfg)
{
    struct host *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->cfg = *cfg;
    h->autoread = true;
    /* Past max_socks, a SYN is dropped (APP_ERROR on the listener) and a call fails. */
    socktab_init(&h->tab, cfg->max_socks ? cfg->max_socks : HOST_MAX_SOCKS_DEFAULT);
    return h;
}

void host_destroy(struct host *h)
{
    if (!h)
        return;
    for (uint32_t k = 0; k < socktab_count(&h->tab); k++)
        tcp_destroy(socktab_tcb(&h->tab, socktab_at(&h->tab, k)));
    socktab_finish(&h->tab);
    free(h);
}

char host_name(const struct host *h)
{
    return h->cfg.name;
}

void host_set_isn(struct host *h, uint32_t isn)
{
    h->cfg.isn_policy = ISN_FIXED;
    h->cfg.isn_fixed = isn;
}

void host_set_autoread(struct host *h, bool on)
{
    h->autoread = on;
    for (uint32_t k = 0; k < socktab_count(&h->tab); k++)
        tcp_set_autoread(socktab_tcb(&h->tab, socktab_at(&h->tab, k)), on);
}

/* Whether anybody reads trace records: when nobody does, none is built. */
static bool tracing(const struct host_io *io)
{
    return io->trace && io->trace->emit;
}

static void host_trace_app(const struct host *h, int32_t sock, enum app_action a, uint64_t bytes,
                           const char *note, struct host_io *io)
{
    if (!tracing(io))
        return;
    struct trace_rec r;
    memset(&r, 0, sizeof r);
    r.t = io->now;
    r.ev = TR_APP;
    r.host = h->cfg.name;
    r.sock = sock;
    r.u.app.action = a;
    r.u.app.bytes = bytes;
    if (note)
        snprintf(r.note, sizeof r.note, "%s", note);
    trace_emit(io->trace, &r);
}

/* RFC 9293 §3.4.1 leaves the generator to the host: the per-host stream of the simulation's
 * seeded PRNG (only ISNs are drawn from it), a fixed value, or the lesson variant's zero. */
static uint32_t host_isn(const struct host *h, struct host_io *io)
{
    if (h->cfg.variants.isn_zero)
        return 0;
    if (h->cfg.isn_policy == ISN_FIXED || !io->rng)
        return h->cfg.isn_fixed;
    return (uint32_t)(rng_next(io->rng) >> 32);
}

/* The TCB a user call names, touched: sock < 0 is "the host's current connection", the newest
 * that is not a listener. NULL if there is none. */
static struct tcb *find_sock(struct host *h, int sock)
{
    uint32_t i = sock < 0 ? socktab_newest_conn(&h->tab) : socktab_find_sock(&h->tab, sock);
    if (i == NONE)
        return NULL;
    socktab_touch(&h->tab, i);
    return socktab_tcb(&h->tab, i);
}

static struct tcb *new_tcb(struct host *h, enum tcp_state initial, uint16_t lport, uint32_t raddr,
                           uint16_t rport)
{
    if (socktab_count(&h->tab) >= h->tab.max)
        return NULL;
    struct tcb *t = tcp_create(&h->cfg, h->next_sock, initial, h->cfg.addr, lport, raddr, rport);
    if (!t)
        return NULL;
    if (socktab_add(&h->tab, t) == NONE) {
        tcp_destroy(t);
        return NULL;
    }
    h->next_sock++;
    t->autoread = h->autoread;
    return t;
}

/* After every call: each TCB the call touched has its invariants checked (debug builds) and
 * its earliest deadline filed, or goes if it was deleted. Untouched TCBs did not change. */
static void host_settle(struct host *h)
{
    struct socktab *st = &h->tab;
    for (uint32_t k = 0; k < st->ntouched; k++) {
        uint32_t i = st->touched[k];
        struct tcb *t = socktab_tcb(st, i);
        if (t->gone) {
            socktab_remove(st, i);
            tcp_destroy(t);
            continue;
        }
        tcp_check_invariants(t);
        socktab_set_due(st, i, tcp_next_deadline(t));
    }
    socktab_clear_touched(st);
}

int host_listen(struct host *h, uint16_t port, struct host_io *io)
{
    if (socktab_find_listener(&h->tab, port) != NONE) {
        host_trace_app(h, -1, APP_LISTEN, 0, NULL, io);
        host_trace_app(h, -1, APP_ERROR, 0, "address already in use", io);
        return -1;
    }
    struct tcb *t = new_tcb(h, TCP_CLOSED, port, 0, 0);
    if (!t) {
        host_trace_app(h, -1, APP_LISTEN, 0, NULL, io);
        host_trace_app(h, -1, APP_ERROR, 0, "insufficient resources", io);
        return -1;
    }
    host_trace_app(h, t->sock, APP_LISTEN, 0, NULL, io);
    int sock = t->sock;
    tcp_listen(t, io);
    host_settle(h);
    return sock;
}

int host_connect(struct host *h, uint16_t lport, uint32_t raddr, uint16_t rport, struct host_io *io)
{
    uint32_t oi = socktab_find_conn(&h->tab, h->cfg.addr, lport, raddr, rport);
    if (oi != NONE) {
        const struct tcb *old = socktab_tcb(&h->tab, oi);
        host_trace_app(h, old->sock, APP_CONNECT, 0, NULL, io);
        /* RFC 9293 §3.10.1: OPEN on an existing connection is "error: connection already
         * exists"; a 4-tuple in TIME_WAIT is still in use (MUST-13: it lingers 2 MSL). */
        host_trace_app(h, old->sock, APP_ERROR, 0,
                       old->state == TCP_TIME_WAIT ? "address already in use (TIME_WAIT)"
                                                   : "connection already exists",
                       io);
        return -1;
    }
    uint32_t li = socktab_find_listener(&h->tab, lport);
    struct tcb *t = NULL;
    if (li != NONE) {
        /* An active OPEN naming the foreign socket turns the LISTEN TCB active (§3.10.1). */
        socktab_set_remote(&h->tab, li, raddr, rport);
        socktab_touch(&h->tab, li);
        t = socktab_tcb(&h->tab, li);
    } else {
        t = new_tcb(h, TCP_CLOSED, lport, raddr, rport);
    }
    if (!t) {
        host_trace_app(h, -1, APP_CONNECT, 0, NULL, io);
        host_trace_app(h, -1, APP_ERROR, 0, "insufficient resources", io);
        return -1;
    }
    host_trace_app(h, t->sock, APP_CONNECT, 0, NULL, io);
    int sock = t->sock;
    int rc = tcp_connect(t, host_isn(h, io), io);
    host_settle(h);
    return rc < 0 ? -1 : sock;
}

/* The common shape of send/shutdown/close/abort: find the socket, trace the call, run it. */
static struct tcb *user_call(struct host *h, int sock, enum app_action a, uint64_t bytes,
                             struct host_io *io)
{
    struct tcb *t = find_sock(h, sock);
    host_trace_app(h, t ? t->sock : sock, a, bytes, NULL, io);
    if (!t)
        host_trace_app(h, sock, APP_ERROR, 0, "connection does not exist", io);
    return t;
}

int host_send(struct host *h, int sock, const uint8_t *data, size_t len, struct host_io *io)
{
    struct tcb *t = user_call(h, sock, APP_SEND, len, io);
    if (!t)
        return -1;
    int s = t->sock;
    int rc = tcp_send(t, data, len, io);
    host_settle(h);
    return rc < 0 ? -1 : s;
}

int host_shutdown(struct host *h, int sock, struct host_io *io)
{
    struct tcb *t = user_call(h, sock, APP_SHUTDOWN, 0, io);
    if (!t)
        return -1;
    int s = t->sock;
    int rc = tcp_shutdown(t, io);
    host_settle(h);
    return rc < 0 ? -1 : s;
}

int host_close(struct host *h, int sock, struct host_io *io)
{
    struct tcb *t = user_call(h, sock, APP_CLOSE, 0, io);
    if (!t)
        return -1;
    int s = t->sock;
    int rc = tcp_close(t, io);
    host_settle(h);
    return rc < 0 ? -1 : s;
}

int host_abort(struct host *h, int sock, struct host_io *io)
{
    struct tcb *t = user_call(h, sock, APP_ABORT, 0, io);
    if (!t)
        return -1;
    int s = t->sock;
    int rc = tcp_abort(t, io);
    host_settle(h);
    return rc < 0 ? -1 : s;
}

void host_crash(struct host *h, struct host_io *io)
{
    host_trace_app(h, -1, APP_CRASH, 0, NULL, io);
    for (uint32_t k = 0; k < socktab_count(&h->tab); k++) {
        uint32_t i = socktab_at(&h->tab, k);
        socktab_touch(&h->tab, i);
        tcp_crash(socktab_tcb(&h->tab, i), io);
    }
    host_settle(h);
}

void host_reboot(struct host *h, struct host_io *io)
{
    host_trace_app(h, -1, APP_REBOOT, 0, NULL, io);
}

static void rx_record(const struct host *h, const struct tcb *t, const struct segment *seg,
                      uint64_t id, bool discarded, const char *note, struct host_io *io)
{
    if (!tracing(io))
        return;
    struct trace_rec r;
    memset(&r, 0, sizeof r);
    r.t = io->now;
    r.ev = TR_RX;
    r.host = h->cfg.name;
    r.sock = t ? t->sock : -1;
    r.u.rx.id = id;
    r.u.rx.discarded = discarded;
    struct trace_seg *s = &r.u.rx.seg;
    s->flags = seg->flags;
    s->seq = seg->seq;
    s->ack = seg->ack;
    /* Relative to the sender's ISN (our IRS; a SYN carries it) and to ours (0 if unknown). */
    if (t && t->irs_known)
        s->rel_seq = seg->seq - t->irs;
    if (t && t->state != TCP_LISTEN && (seg->flags & SEG_ACK))
        s->rel_ack = seg->ack - t->iss;
    s->len = seg->len;
    s->wnd = seg->wnd;
    s->mss = seg->mss;
    s->src_addr = seg->src_addr;
    s->dst_addr = seg->dst_addr;
    s->src_port = seg->src_port;
    s->dst_port = seg->dst_port;
    if (note)
        snprintf(r.note, sizeof r.note, "%s", note);
    trace_emit(io->trace, &r);
}

/* A listener's SYN: a child TCB in LISTEN takes it and moves to SYN_RECEIVED. */
static void spawn_child(struct host *h, const struct tcb *listener, const struct segment *seg,
                        uint32_t iss, struct host_io *io)
{
    struct tcb *c = new_tcb(h, TCP_LISTEN, listener->lport, seg->src_addr, seg->src_port);
    if (!c) {
        host_trace_app(h, listener->sock, APP_ERROR, 0, "SYN dropped: socket table full", io);
        return;
    }
    tcp_passive_open(c, seg, iss, io);
    if (!c->gone)
        tcp_output(c, io);
}

void host_input(struct host *h, const struct segment *seg, uint64_t id, struct host_io *io)
{
    if (!seg_checksum_ok(seg)) {
        rx_record(h, NULL, seg, id, true, "bad checksum: discarded", io);
        return;
    }
    bool ours = seg->dst_addr == h->cfg.addr;
    uint32_t ti = ours ? socktab_find_conn(&h->tab, seg->dst_addr, seg->dst_port, seg->src_addr,
                                           seg->src_port)
                       : NONE;
    if (ti != NONE) {
        struct tcb *t = socktab_tcb(&h->tab, ti);
        socktab_touch(&h->tab, ti);
        rx_record(h, t, seg, id, false, NULL, io);
        if (tcp_input(t, seg, io) == TCP_VERDICT_REOPEN) {
            uint32_t li = socktab_find_listener(&h->tab, seg->dst_port);
            if (li != NONE) {
                /* linux tcp_timewait_state_process: the new incarnation's ISN is "old
                 * SND.NXT + 65535 + 2" so that its numbers lie beyond the old ones. */
                uint32_t iss = t->snd_nxt + 65535u + 2u;
                if (iss == 0)
                    iss = 1;
                tcp_time_wait_reopen(t, io);
                spawn_child(h, socktab_tcb(&h->tab, li), seg, iss, io);
            } else {
                tcp_send_ack(t, io); /* no listener: the TIME_WAIT ACK (TCP_TW_ACK) */
            }
        }
        host_settle(h);
        return;
    }
    uint32_t li = ours ? socktab_find_listener(&h->tab, seg->dst_port) : NONE;
    if (li != NONE) {
        struct tcb *l = socktab_tcb(&h->tab, li);
        socktab_touch(&h->tab, li);
        rx_record(h, l, seg, id, false, NULL, io);
        if (tcp_input(l, seg, io) == TCP_VERDICT_SPAWN)
            spawn_child(h, l, seg, host_isn(h, io), io);
        host_settle(h);
        return;
    }
    /* No TCB: "If the state is CLOSED (i.e., TCB does not exist) then ... An incoming segment
     * not containing a RST causes a RST to be sent in response." */
    rx_record(h, NULL, seg, id, false, NULL, io);
    tcp_reply_closed(h->cfg.name, -1, seg, io);
}

sim_time host_next_deadline(const struct host *h)
{
    uint32_t i = socktab_earliest(&h->tab);
    return i == NONE ? SIM_NEVER : socktab_due(&h->tab, i);
}

void host_on_timer(struct host *h, struct host_io *io)
{
    /* Fire due timers earliest first (ties: lower socket number). A timer that fires sets its
     * successors strictly later, except the RTO after a partial ACK; the bound is generous. */
    struct socktab *st = &h->tab;
    size_t bound = 4u * TCP_TIMER_COUNT * (socktab_count(st) + 1u);
    for (size_t k = 0; k < bound; k++) {
        uint32_t i = socktab_earliest(st);
        if (i == NONE || socktab_due(st, i) > io->now)
            break;
        struct tcb *t = socktab_tcb(st, i);
        socktab_touch(st, i);
        bool fired = tcp_timer_fire_one(t, io);
        /* Only this TCB changed: its place in the heap is all that needs refiling now. */
        socktab_set_due(st, i, t->gone ? SIM_NEVER : tcp_next_deadline(t));
        if (!fired)
            break;
    }
    host_settle(h);
}

size_t host_sock_count(const struct host *h)
{
    return socktab_count(&h->tab);
}

bool host_sock_view(const struct host *h, size_t index, struct tcb_view *out)
{
    if (index >= socktab_count(&h->tab))
        return false;
    /* The creation order is a cache in this respect: compacting it changes no state. */
    struct host *m = (struct host *)h;
    tcp_view(socktab_tcb(&m->tab, socktab_at(&m->tab, (uint32_t)index)), out);
    return true;
}

enum tcp_state host_state(const struct host *h)
{
    uint32_t i = socktab_newest_conn(&h->tab);
    if (i != NONE)
        return socktab_tcb(&h->tab, i)->state;
    return socktab_has_listener(&h->tab) ? TCP_LISTEN : TCP_CLOSED;
}

void host_set_variants(struct host *h, const struct lesson_variants *v)
{
    h->cfg.variants = *v;
}
