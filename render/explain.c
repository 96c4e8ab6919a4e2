/* explain.c: turns the records of one step into sentences a student can read, English or Korean
 * (every template goes through the catalog). Called by the front end's caption bar and event log. */
#include "explain.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define EXPLAIN_PART_MAX 768

/* An append-only buffer that counts what it would have written. */
struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, const char *s)
{
    for (; *s; s++) {
        if (o->len + 1 < o->size)
            o->buf[o->len] = *s;
        o->len++;
    }
    if (o->size)
        o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
}

/* Appends a translated template filled with args; a space separates it from earlier text
 * when sep is set. */
static void put_t(struct out *o, const struct explain_opts *e, bool sep, const char *tmpl,
                  const struct i18n_arg *args, size_t nargs)
{
    char part[EXPLAIN_PART_MAX];
    i18n_format(part, sizeof part, i18n_get(e->cat, tmpl), args, nargs);
    if (sep && o->len > 0)
        put(o, " ");
    put(o, part);
}

#define NARGS(a) (sizeof(a) / sizeof((a)[0]))

size_t explain_duration(sim_time d, char *buf, size_t size)
{
    int n;
    if (d < 0)
        d = 0;
    if (d >= sim_s(1)) {
        int64_t ms = d / sim_ms(1);
        if (ms % 1000 == 0)
            n = snprintf(buf, size, "%" PRId64 " s", ms / 1000);
        else if (ms % 100 == 0)
            n = snprintf(buf, size, "%" PRId64 ".%" PRId64 " s", ms / 1000, ms / 100 % 10);
        else
            n = snprintf(buf, size, "%" PRId64 ".%03" PRId64 " s", ms / 1000, ms % 1000);
    } else if (d >= sim_ms(1)) {
        int64_t us = d / sim_us(1);
        if (us % 1000 == 0)
            n = snprintf(buf, size, "%" PRId64 " ms", us / 1000);
        else
            n = snprintf(buf, size, "%" PRId64 ".%03" PRId64 " ms", us / 1000, us % 1000);
    } else {
        n = snprintf(buf, size, "%" PRId64 " μs", d / sim_us(1));
    }
    return n < 0 ? 0 : (size_t)n;
}

const uint8_t explain_flag_order[8] = { SEG_SYN, SEG_FIN, SEG_RST, SEG_PSH, SEG_URG, SEG_ECE, SEG_CWR, SEG_ACK };

size_t explain_flags(uint8_t flags, char *buf, size_t size)
{
    struct out o = { buf, size, 0 };
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < sizeof explain_flag_order; i++) {
        if (!(flags & explain_flag_order[i]))
            continue;
        if (o.len)
            put(&o, "+");
        put(&o, seg_flag_name(explain_flag_order[i]));
    }
    if (!o.len)
        put(&o, "none");
    return o.len;
}

static const char *call_name(enum app_action a)
{
    switch (a) {
    case APP_LISTEN: return "listen()";
    case APP_CONNECT: return "connect()";
    case APP_SEND: return "send()";
    case APP_SHUTDOWN: return "shutdown()";
    case APP_CLOSE: return "close()";
    case APP_ABORT: return "abort()";
    case APP_CRASH:
    case APP_REBOOT:
    case APP_DELIVER:
    case APP_EOF:
    case APP_ERROR:
    case APP_ACCEPT:
    case APP_CONNECTED:
    case APP_CLOSED:
    case APP_VARIANT: return NULL;
    }
    return NULL;
}

static bool is_call(const struct trace_rec *r)
{
    return r->ev == TR_APP && (call_name(r->u.app.action) || r->u.app.action == APP_CRASH ||
                               r->u.app.action == APP_REBOOT);
}

static const char *timer_label(const struct explain_opts *e, enum tcp_timer t)
{
    switch (t) {
    case TIMER_RTO: return i18n_get(e->cat, N_("retransmission (RTO)"));
    case TIMER_TIME_WAIT: return "TIME_WAIT";
    case TIMER_DELACK: return i18n_get(e->cat, N_("delayed-ACK"));
    case TIMER_FIN_WAIT_2: return "FIN_WAIT_2";
    case TIMER_USER_TIMEOUT: return i18n_get(e->cat, N_("user timeout"));
    }
    return "?";
}

static char peer_of(char host)
{
    return host == 'A' ? 'B' : 'A';
}

/* The detail written after a sent segment's flags, e.g. " with ack = A's ISN + 1". */
static void seg_detail(const struct explain_opts *e, const struct trace_seg *s, char host, char *buf, size_t size)
{
    char seq[16], ack[16], len[16], isn[16], peer[2] = { peer_of(host), 0 };
    snprintf(seq, sizeof seq, "%" PRIu32, e->absolute ? s->seq : s->rel_seq);
    snprintf(ack, sizeof ack, "%" PRIu32, e->absolute ? s->ack : s->rel_ack);
    snprintf(len, sizeof len, "%u", (unsigned)s->len);
    snprintf(isn, sizeof isn, "%" PRIu32, s->seq - s->rel_seq);
    struct i18n_arg args[] = { { "seq", seq }, { "ack", ack }, { "len", len }, { "isn", isn }, { "peer", peer } };
    const char *t;
    uint8_t f = s->flags & (SEG_SYN | SEG_ACK | SEG_FIN | SEG_RST);
    if (f == SEG_SYN)
        t = N_(" with initial sequence number {isn}");
    else if (f == (SEG_SYN | SEG_ACK) && s->rel_ack == 1)
        t = N_(" with its own initial sequence number {isn} and ack = {peer}'s ISN + 1");
    else if (f == (SEG_SYN | SEG_ACK))
        t = N_(" with its own initial sequence number {isn} (ack {ack})");
    else if (f & SEG_RST)
        t = N_(" (seq {seq})");
    else if (s->len > 0)
        t = N_(" carrying {len} bytes (seq {seq}, ack {ack})");
    else if (f == SEG_ACK && s->rel_ack == 1 && s->rel_seq == 1)
        t = N_(" with ack = {peer}'s ISN + 1");
    else
        t = N_(" (seq {seq}, ack {ack})");
    i18n_format(buf, size, i18n_get(e->cat, t), args, NARGS(args));
}

/* What the link did to a sent segment, as a sentence (nothing for a delivered one). */
static void put_fate(struct out *o, const struct explain_opts *e, const struct trace_rec *tx)
{
    struct i18n_arg args[] = { { "note", tx->note } };
    switch (tx->u.tx.fate) {
    case FATE_DELIVERED:
        return;
    case FATE_DROPPED:
        put_t(o, e, true, tx->note[0] ? N_("The link loses it ({note}).") : N_("The link loses it."), args, NARGS(args));
        return;
    case FATE_DUPLICATED:
        put_t(o, e, true, N_("The link duplicates it: two copies are on the way."), args, NARGS(args));
        return;
    case FATE_CORRUPTED:
        put_t(o, e, true, N_("The link flips a bit in it, so its checksum will fail."), args, NARGS(args));
        return;
    case FATE_REORDERED:
        put_t(o, e, true, N_("The link holds it back, so it will arrive out of order."), args, NARGS(args));
        return;
    }
}

struct step_parts {
    const struct trace_rec *cause; /* the rx, application call or timer firing that started it */
    const struct trace_rec *state; /* the acting host's first state change */
    const struct trace_rec *tx;    /* the acting host's first sent segment */
    size_t ntx;                    /* segments the acting host sent */
    char host;
};

static void find_parts(const struct trace_rec *recs, size_t n, struct step_parts *p)
{
    *p = (struct step_parts){ 0 };
    for (size_t i = 0; i < n && !p->cause; i++) {
        const struct trace_rec *r = &recs[i];
        if (r->ev == TR_RX || is_call(r) || (r->ev == TR_TIMER && r->u.timer.action == TIMER_FIRE))
            p->cause = r;
    }
    for (size_t i = 0; i < n && !p->host; i++)
        if (recs[i].host && recs[i].ev != TR_CAPTION && recs[i].ev != TR_PAUSE && recs[i].ev != TR_LINK)
            p->host = recs[i].host;
    if (p->cause)
        p->host = p->cause->host;
    for (size_t i = 0; i < n; i++) {
        const struct trace_rec *r = &recs[i];
        if (r->host != p->host)
            continue;
        if (r->ev == TR_STATE && !p->state)
            p->state = r;
        if (r->ev == TR_TX) {
            if (!p->tx)
                p->tx = r;
            p->ntx++;
        }
    }
}

/* The first sentence: cause, state change and reply in one. */
static void put_main(struct out *o, const struct explain_opts *e, const struct step_parts *p)
{
    char host[2] = { p->host, 0 }, peer[2] = { peer_of(p->host), 0 };
    char rflags[48] = "", tflags[48] = "", tdetail[EXPLAIN_PART_MAX / 2] = "", dur[32] = "", port[8] = "";
    const char *from = "", *to = "", *state = "", *call = "", *timer = "";
    bool know = false;
    if (p->state) {
        from = trace_state_name(p->state->u.state.from);
        to = trace_state_name(p->state->u.state.to);
    }
    if (e->know_before && (p->host == 'A' || p->host == 'B')) {
        state = trace_state_name(e->before[p->host - 'A']);
        know = true;
    }
    if (p->state) {
        state = from;
        know = true;
    }
    if (p->tx) {
        explain_flags(p->tx->u.tx.seg.flags, tflags, sizeof tflags);
        seg_detail(e, &p->tx->u.tx.seg, p->host, tdetail, sizeof tdetail);
    }
    const struct trace_rec *c = p->cause;
    if (c && c->ev == TR_RX) {
        explain_flags(c->u.rx.seg.flags, rflags, sizeof rflags);
        snprintf(port, sizeof port, "%u", (unsigned)c->u.rx.seg.dst_port);
    }
    if (c && c->ev == TR_APP && call_name(c->u.app.action))
        call = call_name(c->u.app.action);
    if (c && c->ev == TR_TIMER)
        timer = timer_label(e, c->u.timer.timer);
    struct i18n_arg args[] = {
        { "host", host }, { "peer", peer }, { "rflags", rflags }, { "tflags", tflags },
        { "tdetail", tdetail }, { "from", from }, { "to", to }, { "state", state },
        { "call", call }, { "timer", timer }, { "note", c ? c->note : "" }, { "dur", dur }, { "port", port },
    };
    const char *t = NULL;
    bool S = p->state != NULL, T = p->tx != NULL;
    if (!c) {
        if (S && T)
            t = N_("{host} sends {tflags}{tdetail} and moves from {from} to {to}.");
        else if (S)
            t = p->state->note[0] ? N_("{host} moves from {from} to {to} ({note}).") : N_("{host} moves from {from} to {to}.");
        else if (T)
            t = N_("{host} sends {tflags}{tdetail}.");
        if (S && p->state->note[0])
            args[10].value = p->state->note;
    } else if (c->ev == TR_RX) {
        if (c->u.rx.discarded)
            t = c->note[0] ? N_("{host} discards the arriving {rflags}: {note}.") : N_("{host} discards the arriving {rflags}.");
        else if (c->sock < 0 && !S)
            t = T ? N_("{host} has no socket for port {port}, so it answers the arriving {rflags} with {tflags}{tdetail}.")
                  : N_("{host} has no socket for port {port} and ignores the arriving {rflags}.");
        else if (S && T)
            t = N_("{host} receives {rflags} in {from}, moves to {to} and answers {tflags}{tdetail}.");
        else if (S)
            t = N_("{host} receives {rflags} in {from} and moves to {to}.");
        else if (T && know)
            t = N_("{host} receives {rflags} in {state} and answers {tflags}{tdetail}.");
        else if (T)
            t = N_("{host} receives {rflags} and answers {tflags}{tdetail}.");
        else if (know)
            t = N_("{host} receives {rflags} in {state}; its state does not change.");
        else
            t = N_("{host} receives {rflags}.");
    } else if (c->ev == TR_APP && c->u.app.action == APP_CRASH) {
        t = N_("{host} crashes and forgets every connection without sending anything.");
    } else if (c->ev == TR_APP && c->u.app.action == APP_REBOOT) {
        t = N_("{host} reboots with no memory of its old connections.");
    } else if (c->ev == TR_APP) {
        if (S && T)
            t = N_("{host}'s application calls {call}: {host} sends {tflags}{tdetail} and moves to {to}.");
        else if (S)
            t = N_("{host}'s application calls {call}: {host} moves from {from} to {to}.");
        else if (T)
            t = N_("{host}'s application calls {call}: {host} sends {tflags}{tdetail}.");
        else
            t = N_("{host}'s application calls {call}.");
    } else if (c->u.timer.timer == TIMER_TIME_WAIT && S) {
        t = N_("{host}'s TIME_WAIT is over: the connection is deleted and {host} is {to}.");
    } else if (S && T) {
        t = c->u.timer.timer == TIMER_RTO
                ? N_("{host}'s {timer} timer expires: {host} retransmits {tflags}{tdetail} and moves to {to}.")
                : N_("{host}'s {timer} timer expires: {host} sends {tflags}{tdetail} and moves to {to}.");
    } else if (T) {
        t = c->u.timer.timer == TIMER_RTO ? N_("{host}'s {timer} timer expires: {host} retransmits {tflags}{tdetail}.")
                                          : N_("{host}'s {timer} timer expires: {host} sends {tflags}{tdetail}.");
    } else if (S) {
        t = N_("{host}'s {timer} timer expires: {host} moves from {from} to {to}.");
    } else {
        t = N_("{host}'s {timer} timer expires.");
    }
    if (t)
        put_t(o, e, true, t, args, NARGS(args));
}

/* Sentences for everything else the step did: link fates, more segments, further state
 * changes, results the application sees, timers worth knowing about. */
static void put_rest(struct out *o, const struct explain_opts *e, const struct trace_rec *recs, size_t n,
                     const struct step_parts *p)
{
    bool nonstandard = false;
    for (size_t i = 0; i < n; i++) {
        const struct trace_rec *r = &recs[i];
        char host[2] = { r->host ? r->host : '?', 0 }, num[32] = "", dur[32] = "";
        struct i18n_arg args[] = { { "host", host }, { "n", num }, { "note", r->note }, { "dur", dur },
                                   { "from", "" }, { "to", "" }, { "dir", "" } };
        nonstandard = nonstandard || r->nonstandard;
        switch (r->ev) {
        case TR_TX:
            if (r == p->tx) {
                put_fate(o, e, r);
                if (p->ntx > 1) {
                    snprintf(num, sizeof num, "%zu", p->ntx - 1);
                    put_t(o, e, true, p->ntx == 2 ? N_("It sends one more segment.") : N_("It sends {n} more segments."),
                          args, NARGS(args));
                }
            } else if (r->host != p->host) {
                put_t(o, e, true, N_("{host} sends a segment as well."), args, NARGS(args));
                put_fate(o, e, r);
            }
            break;
        case TR_STATE:
            if (r != p->state) {
                args[4].value = trace_state_name(r->u.state.from);
                args[5].value = trace_state_name(r->u.state.to);
                put_t(o, e, true, N_("{host} then moves from {from} to {to}."), args, NARGS(args));
            }
            break;
        case TR_TIMER:
            explain_duration(r->u.timer.deadline - r->t, dur, sizeof dur);
            if (r->u.timer.action == TIMER_SET && r->u.timer.timer == TIMER_TIME_WAIT)
                put_t(o, e, true, N_("{host} waits in TIME_WAIT for {dur} (2 x MSL) before deleting the connection."),
                      args, NARGS(args));
            else if (r->u.timer.action == TIMER_SET && r->u.timer.timer == TIMER_RTO && p->tx &&
                     r->host == p->host)
                put_t(o, e, true, N_("If nothing acknowledges it within {dur}, {host} will send it again."), args,
                      NARGS(args));
            break;
        case TR_APP:
            snprintf(num, sizeof num, "%" PRIu64, r->u.app.bytes);
            switch (r->u.app.action) {
            case APP_ACCEPT:
                put_t(o, e, true, N_("accept() hands {host}'s application the new connection."), args, NARGS(args));
                break;
            case APP_CONNECTED:
                put_t(o, e, true, N_("connect() returns on {host}: the connection is open."), args, NARGS(args));
                break;
            case APP_DELIVER:
                put_t(o, e, true, N_("{n} bytes are handed to {host}'s application."), args, NARGS(args));
                break;
            case APP_EOF:
                put_t(o, e, true, N_("{host}'s application reads end-of-file: the peer will send nothing more."),
                      args, NARGS(args));
                break;
            case APP_ERROR:
                put_t(o, e, true, N_("{host}'s application is told: {note}."), args, NARGS(args));
                break;
            case APP_CLOSED:
                put_t(o, e, true, N_("{host} deletes the connection's TCB."), args, NARGS(args));
                break;
            case APP_VARIANT:
                put_t(o, e, true, N_("The scenario changes {host}'s lesson variants: {note}."), args, NARGS(args));
                break;
            case APP_LISTEN:
            case APP_CONNECT:
            case APP_SEND:
            case APP_SHUTDOWN:
            case APP_CLOSE:
            case APP_ABORT:
            case APP_CRASH:
            case APP_REBOOT:
                break;
            }
            break;
        case TR_LINK:
            args[6].value = r->u.link.dir;
            put_t(o, e, true, r->note[0] ? N_("Link {dir}: {note}.") : N_("Link {dir} changes."), args, NARGS(args));
            break;
        case TR_PAUSE:
            put_t(o, e, true, N_("Pause point: press Space or Page Down to go on."), args, NARGS(args));
            break;
        case TR_RX:
        case TR_CAPTION:
            break;
        }
    }
    if (nonstandard)
        put_t(o, e, true, N_("This step breaks RFC 9293 on purpose (a lesson variant)."), NULL, 0);
}

size_t explain_step(const struct trace_rec *recs, size_t n, const struct explain_opts *o, char *buf, size_t size)
{
    struct out out = { buf, size, 0 };
    if (size)
        buf[0] = '\0';
    struct step_parts p;
    find_parts(recs, n, &p);
    put_main(&out, o, &p);
    put_rest(&out, o, recs, n, &p);
    return out.len;
}

/* ---- the event log's short form ------------------------------------------------------------- */

static void put_token(struct out *o, const struct explain_opts *e, const char *tmpl, const struct i18n_arg *args,
                      size_t nargs)
{
    if (o->len > 0)
        put(o, " · ");
    put_t(o, e, false, tmpl, args, nargs);
}

static const char *fate_word(const struct explain_opts *e, enum seg_fate f)
{
    switch (f) {
    case FATE_DELIVERED: return "";
    case FATE_DROPPED: return i18n_get(e->cat, N_("lost"));
    case FATE_DUPLICATED: return i18n_get(e->cat, N_("duplicated"));
    case FATE_CORRUPTED: return i18n_get(e->cat, N_("corrupted"));
    case FATE_REORDERED: return i18n_get(e->cat, N_("held back"));
    }
    return "";
}

size_t explain_step_short(const struct trace_rec *recs, size_t n, const struct explain_opts *o, char *buf,
                          size_t size)
{
    struct out out = { buf, size, 0 };
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const struct trace_rec *r = &recs[i];
        char host[2] = { r->host ? r->host : '-', 0 }, flags[48] = "", dur[32] = "";
        const char *call = r->ev == TR_APP ? call_name(r->u.app.action) : NULL;
        struct i18n_arg args[] = {
            { "host", host }, { "flags", flags }, { "from", "" }, { "to", "" }, { "call", call ? call : "" },
            { "timer", "" }, { "dur", dur }, { "fate", "" }, { "note", r->note }, { "dir", "" },
        };
        switch (r->ev) {
        case TR_TX:
            explain_flags(r->u.tx.seg.flags, flags, sizeof flags);
            args[7].value = fate_word(o, r->u.tx.fate);
            put_token(&out, o, r->u.tx.fate == FATE_DELIVERED ? "{host} {flags} →" : "{host} {flags} → ({fate})",
                      args, NARGS(args));
            break;
        case TR_RX:
            explain_flags(r->u.rx.seg.flags, flags, sizeof flags);
            /* msgids stay ASCII (xgettext's advice): the arrow is a value. */
            args[2].value = "←";
            put_token(&out, o, r->u.rx.discarded ? N_("{host} {from} {flags} (discarded)") : "{host} {from} {flags}",
                      args, NARGS(args));
            break;
        case TR_STATE:
            args[2].value = trace_state_name(r->u.state.from);
            args[3].value = trace_state_name(r->u.state.to);
            put_token(&out, o, "{host} {from} → {to}", args, NARGS(args));
            break;
        case TR_TIMER:
            args[5].value = timer_label(o, r->u.timer.timer);
            explain_duration(r->u.timer.deadline - r->t, dur, sizeof dur);
            if (r->u.timer.action == TIMER_FIRE)
                put_token(&out, o, N_("{host} {timer} timer expires"), args, NARGS(args));
            else if (r->u.timer.action == TIMER_SET && r->u.timer.timer == TIMER_TIME_WAIT)
                put_token(&out, o, "{host} TIME_WAIT {dur}", args, NARGS(args));
            break;
        case TR_APP:
            if (call)
                put_token(&out, o, "{host} {call}", args, NARGS(args));
            else if (r->u.app.action == APP_CRASH)
                put_token(&out, o, N_("{host} crashes"), args, NARGS(args));
            else if (r->u.app.action == APP_REBOOT)
                put_token(&out, o, N_("{host} reboots"), args, NARGS(args));
            else if (r->u.app.action == APP_ERROR)
                put_token(&out, o, N_("{host} error: {note}"), args, NARGS(args));
            else if (r->u.app.action == APP_VARIANT)
                put_token(&out, o, N_("{host} variant: {note}"), args, NARGS(args));
            break;
        case TR_CAPTION: {
            const char *text = o->korean && r->u.caption.text_ko[0] ? r->u.caption.text_ko : r->u.caption.text;
            struct i18n_arg cargs[] = { { "text", text } };
            put_token(&out, o, "“{text}”", cargs, NARGS(cargs));
            break;
        }
        case TR_LINK:
            args[9].value = r->u.link.dir;
            put_token(&out, o, N_("link {dir}: {note}"), args, NARGS(args));
            break;
        case TR_PAUSE:
            put_token(&out, o, N_("pause"), args, NARGS(args));
            break;
        }
    }
    return out.len;
}
