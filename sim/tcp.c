/* tcp.c: the TCB: creation, the one tcp_set_state() with its legal edges, its trace records, the
 * user calls of RFC 9293 §3.10.1-6 (Table 1a) and the debug invariants. Called by host.c. */
#include "tcp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tcb *tcp_create(const struct host_config *cfg, int sock, enum tcp_state initial,
                       uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport)
{
    struct tcb *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->sock = sock;
    t->state = initial;
    t->cfg = cfg;
    t->laddr = laddr;
    t->lport = lport;
    t->raddr = raddr;
    t->rport = rport;
    t->autoread = true;
    t->peer_mss = TCP_DEFAULT_MSS;
    t->rto = cfg->profile.rto_initial;
    for (int i = 0; i < TCP_TIMER_COUNT; i++)
        t->deadline[i] = SIM_NEVER;
    return t;
}

void tcp_destroy(struct tcb *t)
{
    if (!t)
        return;
    free(t->sbuf);
    tcp_reasm_finish(&t->rq);
    free(t);
}

void tcp_rec_init(struct trace_rec *r, const struct tcb *t, enum trace_ev ev,
                  const struct host_io *io)
{
    memset(r, 0, sizeof *r);
    r->t = io->now;
    r->ev = ev;
    r->host = t->cfg->name;
    r->sock = t->sock;
    r->nonstandard = t->mark;
}

void tcp_trace_app(const struct tcb *t, enum app_action a, uint64_t bytes, const char *note,
                   struct host_io *io)
{
    struct trace_rec r;
    tcp_rec_init(&r, t, TR_APP, io);
    r.u.app.action = a;
    r.u.app.bytes = bytes;
    if (note)
        snprintf(r.note, sizeof r.note, "%s", note);
    trace_emit(io->trace, &r);
}

#define BIT(s) (1u << (s))

/* RFC 9293 Figure 5 edges, plus the edges to CLOSED that ABORT, RST, timeouts and a crash take
 * from any state, plus SYN_RECEIVED -> LISTEN (Note 1: a passive open's reset). */
static const uint16_t legal_edges[TCP_STATE_COUNT] = {
    [TCP_CLOSED] = BIT(TCP_LISTEN) | BIT(TCP_SYN_SENT),
    [TCP_LISTEN] = BIT(TCP_SYN_SENT) | BIT(TCP_SYN_RECEIVED),
    [TCP_SYN_SENT] = BIT(TCP_SYN_RECEIVED) | BIT(TCP_ESTABLISHED),
    [TCP_SYN_RECEIVED] = BIT(TCP_ESTABLISHED) | BIT(TCP_FIN_WAIT_1) | BIT(TCP_LISTEN),
    [TCP_ESTABLISHED] = BIT(TCP_FIN_WAIT_1) | BIT(TCP_CLOSE_WAIT),
    [TCP_FIN_WAIT_1] = BIT(TCP_FIN_WAIT_2) | BIT(TCP_CLOSING) | BIT(TCP_TIME_WAIT),
    [TCP_FIN_WAIT_2] = BIT(TCP_TIME_WAIT),
    [TCP_CLOSE_WAIT] = BIT(TCP_LAST_ACK),
    [TCP_CLOSING] = BIT(TCP_TIME_WAIT),
    [TCP_LAST_ACK] = 0,
    [TCP_TIME_WAIT] = 0,
};

bool tcp_legal_transition(enum tcp_state from, enum tcp_state to)
{
    if ((unsigned)from >= TCP_STATE_COUNT || (unsigned)to >= TCP_STATE_COUNT || from == to)
        return false;
    if (to == TCP_CLOSED)
        return from != TCP_CLOSED;
    return (legal_edges[from] & BIT(to)) != 0;
}

void tcp_set_state(struct tcb *t, enum tcp_state to, const char *cause, struct host_io *io)
{
#ifndef NDEBUG
    if (!tcp_legal_transition(t->state, to)) {
        fprintf(stderr, "tcpsim invariant: host %c sock %d: illegal transition %s -> %s (%s)\n",
                t->cfg->name, t->sock, trace_state_name(t->state), trace_state_name(to), cause);
        abort();
    }
#endif
    struct trace_rec r;
    tcp_rec_init(&r, t, TR_STATE, io);
    r.u.state.from = t->state;
    r.u.state.to = to;
    snprintf(r.note, sizeof r.note, "%s", cause);
    t->state = to;
    trace_emit(io->trace, &r);
}

void tcp_terminate(struct tcb *t, const char *cause, const char *error, const char *closed_note,
                   struct host_io *io)
{
    tcp_timer_cancel_all(t, io);
    tcp_set_state(t, TCP_CLOSED, cause, io);
    t->gone = true;
    if (error)
        tcp_trace_app(t, APP_ERROR, 0, error, io);
    else
        tcp_trace_app(t, APP_CLOSED, 0, closed_note, io);
}

static int user_error(const struct tcb *t, const char *reason, struct host_io *io)
{
    tcp_trace_app(t, APP_ERROR, 0, reason, io);
    return -1;
}

void tcp_listen(struct tcb *t, struct host_io *io)
{
    /* §3.10.1 CLOSED, passive OPEN: "create a new TCB ... enter LISTEN state and return" */
    tcp_set_state(t, TCP_LISTEN, "listen", io);
}

/* Active OPEN from CLOSED, or from LISTEN once the foreign socket is known (§3.10.1). */
static void active_open(struct tcb *t, uint32_t iss, const char *cause, struct host_io *io)
{
    t->iss = iss;
    t->recover = iss; /* no RTO has fired: no ACK is "partial" */
    t->snd_una = iss;
    t->snd_nxt = iss + 1;
    t->sbuf_seq = iss + 1;
    t->rto = t->cfg->profile.rto_initial;
    t->mark = t->cfg->variants.isn_zero;
    tcp_set_state(t, TCP_SYN_SENT, t->mark ? "connect (ISN 0: lesson variant)" : cause, io);
    tcp_send_syn(t, io);
    t->mark = false;
    t->rtt_timing = true;
    t->rtt_seq = iss;
    t->rtt_start = io->now;
    tcp_rto_arm(t, false, io);
}

int tcp_connect(struct tcb *t, uint32_t iss, struct host_io *io)
{
    switch (t->state) {
    case TCP_CLOSED:
        /* "A SYN segment of the form <SEQ=ISS><CTL=SYN> is sent ... enter SYN-SENT state" */
        active_open(t, iss, "connect", io);
        return 0;
    case TCP_LISTEN:
        /* "If the OPEN call is active ... change the connection from passive to active" */
        active_open(t, iss, "connect (listener becomes active)", io);
        return 0;
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        /* "Return 'error: connection already exists'" */
        return user_error(t, "connection already exists", io);
    }
    return -1;
}

int tcp_send(struct tcb *t, const uint8_t *data, size_t len, struct host_io *io)
{
    switch (t->state) {
    case TCP_CLOSED:
        return user_error(t, "connection does not exist", io);
    case TCP_LISTEN:
        /* "If the foreign socket is not specified ... 'error: foreign socket unspecified'" */
        return user_error(t, "foreign socket unspecified", io);
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
        /* "Queue the data for transmission after entering ESTABLISHED state" */
        if (t->fin_queued || t->close_after_estab)
            return user_error(t, "connection closing", io);
        if (!tcp_sbuf_append(t, data, len))
            return user_error(t, "send buffer full", io);
        return 0;
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
        /* "Segmentize the buffer and send it with a piggybacked acknowledgment" */
        if (t->fin_queued)
            return user_error(t, "connection closing", io);
        if (!tcp_sbuf_append(t, data, len))
            return user_error(t, "send buffer full", io);
        tcp_output(t, io);
        return 0;
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        /* "Return 'error: connection closing' and do not service request" */
        return user_error(t, "connection closing", io);
    }
    return -1;
}

/* Sends <SEQ=SND.NXT><CTL=RST> (linux: with ACK) and deletes the TCB. */
static void reset_and_delete(struct tcb *t, const char *cause, const char *note,
                             struct host_io *io)
{
    tcp_send_rst(t, t->snd_nxt, t->cfg->profile.rst_with_ack, io);
    tcp_terminate(t, cause, NULL, note, io);
}

/* CLOSE (application reads no more) or SHUTDOWN (write side only) in the states that send a
 * FIN. Returns 0, or -1 when the state has no FIN to send. */
static int start_fin(struct tcb *t, bool is_close, struct host_io *io)
{
    const char *cause = is_close ? "close" : "shutdown";
    t->shut_wr = true;
    if (is_close)
        t->closed_by_user = true;
    switch (t->state) {
    case TCP_SYN_RECEIVED:
        /* "If no SENDs have been issued ... form a FIN segment and send it" (else queue it) */
        if (t->slen > 0) {
            t->close_after_estab = true;
            return 0;
        }
        t->fin_queued = true;
        tcp_set_state(t, TCP_FIN_WAIT_1, cause, io);
        tcp_output(t, io);
        return 0;
    case TCP_ESTABLISHED:
        /* "Queue this until all preceding SENDs have been segmentized ... enter FIN-WAIT-1" */
        t->fin_queued = true;
        tcp_set_state(t, TCP_FIN_WAIT_1, cause, io);
        tcp_output(t, io);
        return 0;
    case TCP_CLOSE_WAIT:
        /* "Queue this request until all preceding SENDs ... then send a FIN, enter LAST-ACK" */
        t->fin_queued = true;
        tcp_set_state(t, TCP_LAST_ACK, cause, io);
        tcp_output(t, io);
        return 0;
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        break;
    }
    return -1;
}

int tcp_shutdown(struct tcb *t, struct host_io *io)
{
    switch (t->state) {
    case TCP_CLOSED:
    case TCP_LISTEN:
        return user_error(t, "connection does not exist", io);
    case TCP_SYN_SENT:
        /* As CLOSE in SYN-SENT: "Delete the TCB" (nothing has been sent that needs a FIN) */
        tcp_terminate(t, "shutdown", NULL, "shutdown in SYN_SENT", io);
        return 0;
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
        if (t->shut_wr)
            return user_error(t, "connection closing", io);
        return start_fin(t, false, io);
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        /* The write side is already shut: "error: connection closing" */
        return user_error(t, "connection closing", io);
    }
    return -1;
}

/* RFC 1122 §4.2.2.13 (RFC 9293 SHLD-3), linux: CLOSE with data the application never read
 * sends a RST instead of a FIN, to show the data was lost (C36). */
static bool close_loses_data(const struct tcb *t)
{
    return t->cfg->profile.rst_on_unread_close && t->unread > 0;
}

/* After CLOSE the application reads no more. Without rst_on_unread_close (rfc9293) the data it
 * left, and whatever still arrives, is discarded as a full-duplex close does (BSD's sbflush),
 * so the receive window opens again and the peer can finish instead of probing for ever. */
static void discard_unread(struct tcb *t)
{
    tcp_set_autoread(t, true);
}

int tcp_close(struct tcb *t, struct host_io *io)
{
    switch (t->state) {
    case TCP_CLOSED:
        /* "Otherwise, return 'error: connection does not exist'" */
        return user_error(t, "connection does not exist", io);
    case TCP_LISTEN:
        /* "Any outstanding RECEIVEs are returned ... delete TCB, enter CLOSED state" */
        tcp_terminate(t, "close", NULL, NULL, io);
        return 0;
    case TCP_SYN_SENT:
        /* "Delete the TCB and return 'error: closing' responses to any queued SENDs" (C21) */
        tcp_terminate(t, "close", NULL, "closed in SYN_SENT: nothing sent", io);
        return 0;
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
        if (close_loses_data(t)) {
            reset_and_delete(t, "close with unread data", "closed with unread data: RST sent",
                             io);
            return 0;
        }
        discard_unread(t);
        if (t->shut_wr) { /* shutdown() came first and queued the FIN: nothing more to send */
            t->closed_by_user = true;
            return 0;
        }
        return start_fin(t, true, io);
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
        if (t->shut_wr && !t->closed_by_user) {
            /* After shutdown(), close() only stops reading: "ok" as long as no second FIN is
             * emitted. Unread data still turns it into a RST (linux). */
            if (close_loses_data(t)) {
                reset_and_delete(t, "close with unread data", "closed with unread data: RST sent",
                                 io);
                return 0;
            }
            discard_unread(t);
            t->closed_by_user = true;
            if (t->state == TCP_FIN_WAIT_2 && t->cfg->profile.fin_wait_2_timeout > 0)
                tcp_timer_set(t, TIMER_FIN_WAIT_2, io->now + t->cfg->profile.fin_wait_2_timeout,
                              io);
            return 0;
        }
        /* "Strictly speaking, this is an error and should receive an 'error: ...closing'" */
        return user_error(t, "connection closing", io);
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        if (t->shut_wr && !t->closed_by_user) {
            t->closed_by_user = true;
            return 0;
        }
        /* "Respond with 'error: connection closing'" */
        return user_error(t, "connection closing", io);
    }
    return -1;
}

int tcp_abort(struct tcb *t, struct host_io *io)
{
    switch (t->state) {
    case TCP_CLOSED:
        return user_error(t, "connection does not exist", io);
    case TCP_LISTEN:
    case TCP_SYN_SENT:
        /* "delete the TCB, enter CLOSED state, and return" (no segment) */
        tcp_terminate(t, "abort", NULL, "aborted", io);
        return 0;
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
        /* "Send a reset segment: <SEQ=SND.NXT><CTL=RST>" (linux: with ACK) */
        reset_and_delete(t, "abort", "aborted: RST sent", io);
        return 0;
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        /* "Respond with 'ok' and delete the TCB, enter CLOSED state" (no RST) */
        tcp_terminate(t, "abort", NULL, "aborted", io);
        return 0;
    }
    return -1;
}

void tcp_crash(struct tcb *t, struct host_io *io)
{
    tcp_timer_cancel_all(t, io);
    if (t->state != TCP_CLOSED)
        tcp_set_state(t, TCP_CLOSED, "crash", io);
    t->gone = true;
}

void tcp_set_autoread(struct tcb *t, bool on)
{
    /* A socket the application closed is read by nobody: it keeps discarding (see tcp_close). */
    t->autoread = on || t->closed_by_user;
    if (on)
        t->unread = 0;
}

void tcp_view(const struct tcb *t, struct tcb_view *v)
{
    memset(v, 0, sizeof *v);
    v->sock = t->sock;
    v->state = t->state;
    v->listener = t->state == TCP_LISTEN;
    v->laddr = t->laddr;
    v->raddr = t->raddr;
    v->lport = t->lport;
    v->rport = t->rport;
    v->iss = t->iss;
    v->irs = t->irs;
    v->snd_una = t->snd_una;
    v->snd_nxt = t->snd_nxt;
    v->snd_wnd = t->snd_wnd;
    v->rcv_nxt = t->rcv_nxt;
    v->rcv_wnd = tcp_rcv_wnd(t);
    v->irs_known = t->irs_known;
    v->rto = t->rto;
    for (int i = 0; i < TCP_TIMER_COUNT; i++)
        v->timer_deadline[i] = t->deadline[i];
    v->bytes_sent = t->bytes_sent;
    v->bytes_acked = t->bytes_acked;
    v->bytes_delivered = t->bytes_delivered;
    v->bytes_unread = t->unread;
    v->retransmits = t->retransmits;
}

#ifndef NDEBUG
static void invariant_failed(const struct tcb *t, const char *what)
{
    fprintf(stderr,
            "tcpsim invariant: host %c sock %d state %s: %s (iss %u snd_una %u snd_nxt %u "
            "irs %u rcv_nxt %u delivered %llu)\n",
            t->cfg->name, t->sock, trace_state_name(t->state), what, t->iss, t->snd_una,
            t->snd_nxt, t->irs, t->rcv_nxt, (unsigned long long)t->bytes_delivered);
    abort();
}
#endif

void tcp_check_invariants(struct tcb *t)
{
#ifndef NDEBUG
    if (t->state == TCP_CLOSED || t->state == TCP_LISTEN)
        return;
    if (seq_gt(t->snd_una, t->snd_nxt))
        invariant_failed(t, "SND.UNA > SND.NXT");
    if (!t->irs_known)
        return;
    if (t->checked_rcv_valid && seq_lt(t->rcv_nxt, t->checked_rcv_nxt))
        invariant_failed(t, "RCV.NXT moved backwards");
    t->checked_rcv_nxt = t->rcv_nxt;
    t->checked_rcv_valid = true;
    /* Everything delivered is the peer's byte stream from IRS+1 up to RCV.NXT, in order, once:
     * the delivered count must equal RCV.NXT - IRS - 1 (less the FIN once it counted). */
    uint32_t expect = t->rcv_nxt - t->irs - 1u - (t->eof_delivered ? 1u : 0u);
    if ((uint32_t)t->bytes_delivered != expect)
        invariant_failed(t, "delivered bytes differ from RCV.NXT - IRS - 1");
#else
    (void)t;
#endif
}
