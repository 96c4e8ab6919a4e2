/* sim.c: one whole simulation: wires the scheduler, the links and the two hosts together, runs
 * a scenario's timed actions and triggers, and emits the trace. Driven by the CLI, checks,
 * sweeps and the front end through sim.h; the only place where segments meet the links. */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched.h"

/* Scheduler event kinds, carried in the low bits of the event argument. */
enum { EV_ACTION, EV_ARRIVE, EV_TIMER_A, EV_TIMER_B };
#define EV_KIND_BITS 2u
#define EV_ARG(kind, index) (((uint64_t)(index) << EV_KIND_BITS) | (uint64_t)(kind))

struct owned_action {
    struct sim_action a;
    uint8_t *data;        /* owned copies of a->data (NULL: the test pattern), a->text,
                           * a->text_ko, a->seg.data */
    char *text, *text_ko;
};

struct owned_trigger {
    struct sim_trigger t;
    char *text, *text_ko;
    bool fired;
};

struct flight {
    struct sim_inflight view;
    struct segment seg;   /* the copy on the wire, flipped bit included */
    sched_handle ev;
    bool live;
};

struct sim {
    struct sim_config cfg;
    struct trace_sink user_sink;
    struct trace_sink host_sink;  /* what hosts write to: forwards and fires triggers */
    struct sched sched;
    struct rng isn_rng[SIM_HOSTS];
    struct link link[SIM_HOSTS];
    struct host *host[SIM_HOSTS];
    struct host_io io[SIM_HOSTS];
    sched_handle timer_ev[SIM_HOSTS];
    sim_time timer_at[SIM_HOSTS];

    struct owned_action *actions;  /* slots; one that has run is reused (free_actions) */
    size_t nactions, actions_cap;
    size_t *free_actions;
    size_t nfree_actions;
    struct owned_trigger *triggers;
    size_t ntriggers, triggers_cap;

    struct flight *flights;        /* slots; live ones are in flight */
    size_t nflights, flights_cap;
    size_t *free_flights;
    size_t nfree_flights;
    struct sim_inflight *live_view; /* compact copy for sim_inflight_at */
    size_t nlive;
    bool live_view_stale;

    uint64_t next_id;
    uint64_t segments_sent;
    uint64_t bytes_queued;
    enum sim_stop stop;
    sim_tap_fn tap;
    void *tap_ctx;
};

void sim_config_defaults(struct sim_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->seed = 1;
    for (int i = 0; i < SIM_HOSTS; i++) {
        struct host_config *h = &cfg->host[i];
        h->name = (char)('A' + i);
        h->addr = 0x0a000001u + (uint32_t)i; /* 10.0.0.1, 10.0.0.2 */
        h->isn_policy = ISN_RANDOM;
        profile_defaults(&h->profile, PROFILE_RFC9293);
        h->max_socks = HOST_MAX_SOCKS_DEFAULT;
        cfg->link[i].delay = sim_ms(10);
    }
    cfg->limits.max_events = 10000000;
    cfg->limits.max_time = sim_s(24 * 3600);
    cfg->limits.max_segments = 1000000;
    cfg->limits.max_bytes = 16u << 20;
}

/* ---- tracing ------------------------------------------------------------------------------ */

static void emit(struct sim *s, const struct trace_rec *r)
{
    trace_emit(&s->user_sink, r);
}

static void rec_init(struct trace_rec *r, const struct sim *s, enum trace_ev ev, char host)
{
    memset(r, 0, sizeof *r);
    r->t = s->sched.now;
    r->ev = ev;
    r->host = host;
    r->sock = -1;
}

static void copy_text(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

static void emit_caption(struct sim *s, const char *text, const char *text_ko)
{
    struct trace_rec r;
    rec_init(&r, s, TR_CAPTION, 0);
    copy_text(r.u.caption.text, sizeof r.u.caption.text, text);
    copy_text(r.u.caption.text_ko, sizeof r.u.caption.text_ko, text_ko);
    emit(s, &r);
}

static void emit_pause(struct sim *s, const char *why)
{
    struct trace_rec r;
    rec_init(&r, s, TR_PAUSE, 0);
    copy_text(r.note, sizeof r.note, why);
    emit(s, &r);
}

/* Hosts trace through here: records pass on unchanged, and a state change may fire a trigger
 * ("when B enters SYN_RECEIVED"). A trigger fires once, after the record that caused it. */
static void host_sink_emit(void *ctx, const struct trace_rec *rec)
{
    struct sim *s = ctx;
    emit(s, rec);
    if (rec->ev != TR_STATE)
        return;
    for (size_t i = 0; i < s->ntriggers; i++) {
        struct owned_trigger *tr = &s->triggers[i];
        if (tr->fired || rec->host != (char)('A' + tr->t.host) || rec->u.state.to != tr->t.state)
            continue;
        tr->fired = true;
        if (tr->t.action.kind == ACT_CAPTION) {
            emit_caption(s, tr->text, tr->text_ko);
        } else {
            char why[TRACE_NOTE_MAX];
            snprintf(why, sizeof why, "%c enters %s", rec->host, trace_state_name(rec->u.state.to));
            emit_pause(s, why);
        }
    }
}

static void seg_view(struct trace_seg *v, const struct segment *seg, uint32_t rel_seq, uint32_t rel_ack)
{
    v->flags = seg->flags;
    v->seq = seg->seq;
    v->ack = seg->ack;
    v->rel_seq = rel_seq;
    v->rel_ack = rel_ack;
    v->len = seg->len;
    v->wnd = seg->wnd;
    v->mss = seg->mss;
    v->src_addr = seg->src_addr;
    v->dst_addr = seg->dst_addr;
    v->src_port = seg->src_port;
    v->dst_port = seg->dst_port;
}

/* ---- host timers -------------------------------------------------------------------------- */

static void dispatch(void *ctx, uint64_t arg);

static void io_now(struct sim *s, int h)
{
    s->io[h].now = s->sched.now;
}

/* Keeps exactly one scheduler event per host, at the host's earliest timer deadline. */
static void rearm(struct sim *s, int h)
{
    sim_time next = host_next_deadline(s->host[h]);
    if (next == s->timer_at[h] && (next == SIM_NEVER || sched_pending(&s->sched, s->timer_ev[h])))
        return;
    if (s->timer_ev[h])
        sched_cancel(&s->sched, s->timer_ev[h]);
    s->timer_ev[h] = 0;
    s->timer_at[h] = next;
    if (next != SIM_NEVER) {
        s->timer_ev[h] = sched_at(&s->sched, next, dispatch, s, EV_ARG(h == 0 ? EV_TIMER_A : EV_TIMER_B, 0));
        if (!s->timer_ev[h])
            s->stop = SIM_NO_MEMORY;
    }
}

static void rearm_all(struct sim *s)
{
    for (int h = 0; h < SIM_HOSTS; h++)
        rearm(s, h);
}

/* ---- segments on the links ---------------------------------------------------------------- */

static bool flight_alloc(struct sim *s, size_t *out)
{
    if (s->nfree_flights > 0) {
        *out = s->free_flights[--s->nfree_flights];
        return true;
    }
    if (s->nflights == s->flights_cap) {
        size_t cap = s->flights_cap ? s->flights_cap * 2 : 16;
        struct flight *f = realloc(s->flights, cap * sizeof *f);
        if (!f)
            return false;
        s->flights = f;
        size_t *fl = realloc(s->free_flights, cap * sizeof *fl);
        if (!fl)
            return false;
        s->free_flights = fl;
        s->flights_cap = cap;
    }
    *out = s->nflights++;
    return true;
}

static void flight_release(struct sim *s, size_t i)
{
    struct flight *f = &s->flights[i];
    seg_finish(&f->seg);
    f->live = false;
    s->free_flights[s->nfree_flights++] = i;
    s->nlive--;
    s->live_view_stale = true;
}

/* Puts one segment from host `from` on its link and records what the link does to it. */
static void transmit(struct sim *s, int from, const struct segment *seg, uint32_t rel_seq, uint32_t rel_ack,
                     int32_t sock, const char *origin, bool nonstandard)
{
    if (s->stop != SIM_RUNNING)
        return;
    if (++s->segments_sent > s->cfg.limits.max_segments) {
        s->stop = SIM_LIMIT_SEGMENTS;
        return;
    }
    struct link_verdict v;
    link_offer(&s->link[from], seg, rel_seq, rel_ack, s->sched.now, &v);

    uint64_t id = ++s->next_id;
    struct trace_seg view;
    seg_view(&view, seg, rel_seq, rel_ack);
    if (s->user_sink.emit || s->tap) { /* the record is built only when someone reads it */
        struct trace_rec r;
        rec_init(&r, s, TR_TX, (char)('A' + from));
        r.sock = sock;
        r.nonstandard = nonstandard;
        r.u.tx.id = id;
        r.u.tx.to = (char)('A' + (1 - from));
        r.u.tx.fate = v.fate;
        r.u.tx.seg = view;
        /* An injected segment's origin comes first; the link's note is cut to what still fits. */
        size_t used = origin ? (size_t)snprintf(r.note, sizeof r.note, "%s", origin) : 0;
        if (v.note[0] && used + 2 < sizeof r.note)
            snprintf(r.note + used, sizeof r.note - used, "%s%.*s", used ? "; " : "",
                     (int)(sizeof r.note - used - 3), v.note);
        emit(s, &r);
        if (s->tap)
            s->tap(s->tap_ctx, s->sched.now, from, true, seg, &r);
    }

    for (size_t c = 0; c < v.ncopies; c++) {
        size_t i;
        if (!flight_alloc(s, &i)) {
            s->stop = SIM_NO_MEMORY;
            return;
        }
        struct flight *f = &s->flights[i];
        memset(f, 0, sizeof *f);
        if (!seg_copy(&f->seg, seg)) {
            s->free_flights[s->nfree_flights++] = i;
            s->stop = SIM_NO_MEMORY;
            return;
        }
        f->seg.flipped_bit = v.copy[c].flipped_bit;
        f->view = (struct sim_inflight){
            .id = id, .copy = (int)c, .from = from, .sent = s->sched.now,
            .arrive = v.copy[c].arrive, .seg = view, .fate = v.fate,
            .corrupted = v.copy[c].flipped_bit >= 0,
        };
        f->live = true;
        f->ev = sched_at(&s->sched, v.copy[c].arrive, dispatch, s, EV_ARG(EV_ARRIVE, i));
        if (!f->ev) {
            s->stop = SIM_NO_MEMORY;
            return;
        }
        s->nlive++;
        s->live_view_stale = true;
    }
}

static void host_output(void *ctx, char host, const struct segment *seg, uint32_t rel_seq, uint32_t rel_ack,
                        int32_t sock)
{
    struct sim *s = ctx;
    int from = host - 'A';
    transmit(s, from, seg, rel_seq, rel_ack, sock, NULL, s->io[from].nonstandard);
}

static void arrive(struct sim *s, size_t i)
{
    struct flight *f = &s->flights[i];
    int to = 1 - f->view.from;
    if (s->tap) {
        struct trace_rec r;
        rec_init(&r, s, TR_RX, (char)('A' + to));
        r.u.rx.id = f->view.id;
        r.u.rx.seg = f->view.seg;
        r.u.rx.discarded = !seg_checksum_ok(&f->seg);
        s->tap(s->tap_ctx, s->sched.now, to, false, &f->seg, &r);
    }
    struct segment seg = f->seg;
    uint64_t id = f->view.id;
    f->seg.data = NULL; /* the local copy owns the payload until host_input returns */
    flight_release(s, i);
    io_now(s, to);
    host_input(s->host[to], &seg, id, &s->io[to]);
    seg_finish(&seg);
    rearm_all(s);
}

bool sim_drop_inflight(struct sim *s, uint64_t id, int copy)
{
    for (size_t i = 0; i < s->nflights; i++) {
        struct flight *f = &s->flights[i];
        if (!f->live || f->view.id != id || f->view.copy != copy)
            continue;
        sched_cancel(&s->sched, f->ev);
        struct trace_rec r;
        rec_init(&r, s, TR_LINK, (char)('A' + f->view.from));
        snprintf(r.u.link.dir, sizeof r.u.link.dir, "%c>%c", 'A' + f->view.from, 'B' - f->view.from);
        snprintf(r.note, sizeof r.note, "segment #%llu dropped in flight by the user",
                 (unsigned long long)id);
        flight_release(s, i);
        emit(s, &r);
        return true;
    }
    return false;
}

/* ---- scheduled actions -------------------------------------------------------------------- */

static void run_action(struct sim *s, const struct owned_action *oa)
{
    const struct sim_action *a = &oa->a;
    int h = a->host;
    struct host *host = s->host[h];
    struct host_io *io = &s->io[h];
    int sock = a->has_sock ? a->sock : -1;
    io_now(s, h);
    switch (a->kind) {
    case ACT_LISTEN:
        host_listen(host, a->port, io);
        break;
    case ACT_CONNECT:
        host_connect(host, a->port, s->cfg.host[1 - h].addr, a->rport, io);
        break;
    case ACT_SEND: {
        if (s->bytes_queued + a->len > s->cfg.limits.max_bytes) {
            s->stop = SIM_LIMIT_BYTES;
            return;
        }
        s->bytes_queued += a->len;
        /* A send without data writes the test pattern, made only now: scheduling it costs no
         * memory, and no more than max_bytes of it ever exists. */
        uint8_t *pattern = NULL;
        if (!oa->data && a->len > 0) {
            pattern = malloc(a->len);
            if (!pattern) {
                s->stop = SIM_NO_MEMORY;
                return;
            }
            for (size_t i = 0; i < a->len; i++)
                pattern[i] = (uint8_t)('a' + i % 26);
        }
        host_send(host, sock, pattern ? pattern : oa->data, a->len, io);
        free(pattern);
        break;
    }
    case ACT_SHUTDOWN:
        host_shutdown(host, sock, io);
        break;
    case ACT_CLOSE:
        host_close(host, sock, io);
        break;
    case ACT_ABORT:
        host_abort(host, sock, io);
        break;
    case ACT_CRASH:
        host_crash(host, io);
        break;
    case ACT_REBOOT:
        host_reboot(host, io);
        break;
    case ACT_AUTOREAD:
        host_set_autoread(host, a->flag);
        break;
    case ACT_INJECT: {
        struct segment seg = a->seg;
        seg.data = oa->data;
        seg.flipped_bit = -1;
        seg_set_checksum(&seg);
        /* Relative numbers as the sender's current connection would show them. */
        struct tcb_view v = { .sock = -1 };
        uint32_t rel_seq = seg.seq, rel_ack = seg.ack;
        const struct host *sender = s->host[a->dir];
        for (size_t i = 0; i < host_sock_count(sender); i++) {
            struct tcb_view t;
            if (host_sock_view(sender, i, &t) && !t.listener)
                v = t;
        }
        if (v.sock >= 0) {
            rel_seq = seg.seq - v.iss;
            rel_ack = v.irs_known ? seg.ack - v.irs : 0;
        }
        transmit(s, a->dir, &seg, rel_seq, rel_ack, -1, "injected (old duplicate)", false);
        break;
    }
    case ACT_LINK: {
        link_set_params(&s->link[a->dir], &a->link);
        struct trace_rec r;
        rec_init(&r, s, TR_LINK, 0);
        snprintf(r.u.link.dir, sizeof r.u.link.dir, "%c>%c", 'A' + a->dir, 'B' - a->dir);
        copy_text(r.note, sizeof r.note, a->link.down ? "link down" : "link parameters changed");
        emit(s, &r);
        break;
    }
    case ACT_CAPTION:
        emit_caption(s, oa->text, oa->text_ko);
        break;
    case ACT_PAUSE:
        emit_pause(s, "pause point");
        break;
    case ACT_VARIANT: {
        host_set_variants(host, &a->variants);
        struct trace_rec r;
        rec_init(&r, s, TR_APP, (char)('A' + h));
        r.u.app.action = APP_VARIANT;
        snprintf(r.note, sizeof r.note, "lesson variants now: two-way-handshake %s, isn-zero %s, time-wait-zero %s",
                 a->variants.two_way_handshake ? "on" : "off", a->variants.isn_zero ? "on" : "off",
                 a->variants.time_wait_zero ? "on" : "off");
        r.nonstandard = a->variants.two_way_handshake || a->variants.isn_zero || a->variants.time_wait_zero;
        emit(s, &r);
        break;
    }
    }
    rearm_all(s);
}

static void dispatch(void *ctx, uint64_t arg)
{
    struct sim *s = ctx;
    size_t index = (size_t)(arg >> EV_KIND_BITS);
    switch ((int)(arg & ((1u << EV_KIND_BITS) - 1))) {
    case EV_ACTION: {
        /* The slot is free again before the action runs: an action may schedule more (from a
         * trace sink), and those may take it or move the array. */
        struct owned_action oa = s->actions[index];
        s->actions[index] = (struct owned_action){ .data = NULL };
        s->free_actions[s->nfree_actions++] = index;
        run_action(s, &oa);
        free(oa.data);
        free(oa.text);
        free(oa.text_ko);
        break;
    }
    case EV_ARRIVE:
        arrive(s, index);
        break;
    case EV_TIMER_A:
    case EV_TIMER_B: {
        int h = (arg & 3u) == EV_TIMER_A ? 0 : 1;
        s->timer_ev[h] = 0;
        s->timer_at[h] = SIM_NEVER;
        io_now(s, h);
        host_on_timer(s->host[h], &s->io[h]);
        rearm_all(s);
        break;
    }
    }
}

/* ---- construction ------------------------------------------------------------------------- */

struct sim *sim_create(const struct sim_config *cfg, const struct trace_sink *sink)
{
    struct sim *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->cfg = *cfg;
    if (sink)
        s->user_sink = *sink;
    s->host_sink = (struct trace_sink){ .emit = host_sink_emit, .ctx = s };
    sched_init(&s->sched);
    for (int h = 0; h < SIM_HOSTS; h++) {
        /* ISNs come from a stream of their own, so link impairments never shift them. */
        rng_seed_keyed(&s->isn_rng[h], cfg->seed, 0x49534e /* "ISN" */, (uint64_t)h, 0);
        link_init(&s->link[h], h, cfg->seed, &cfg->link[h]);
        s->host[h] = host_create(&cfg->host[h]);
        if (!s->host[h]) {
            sim_destroy(s);
            return NULL;
        }
        /* Without a reader of the trace, hosts build no records at all (triggers only write
         * captions and pauses to that reader). */
        s->io[h] = (struct host_io){
            .rng = &s->isn_rng[h], .output = host_output, .output_ctx = s,
            .trace = s->user_sink.emit ? &s->host_sink : NULL,
        };
        s->timer_at[h] = SIM_NEVER;
    }
    return s;
}

void sim_destroy(struct sim *s)
{
    if (!s)
        return;
    for (int h = 0; h < SIM_HOSTS; h++) {
        host_destroy(s->host[h]);
        link_finish(&s->link[h]);
    }
    for (size_t i = 0; i < s->nactions; i++) {
        free(s->actions[i].data);
        free(s->actions[i].text);
        free(s->actions[i].text_ko);
    }
    for (size_t i = 0; i < s->ntriggers; i++) {
        free(s->triggers[i].text);
        free(s->triggers[i].text_ko);
    }
    for (size_t i = 0; i < s->nflights; i++)
        if (s->flights[i].live)
            seg_finish(&s->flights[i].seg);
    free(s->actions);
    free(s->free_actions);
    free(s->triggers);
    free(s->flights);
    free(s->free_flights);
    free(s->live_view);
    sched_finish(&s->sched);
    free(s);
}

static char *dup_str(const char *p, bool *ok)
{
    if (!p)
        return NULL;
    size_t n = strlen(p) + 1;
    char *q = malloc(n);
    if (!q)
        *ok = false;
    else
        memcpy(q, p, n);
    return q;
}

bool sim_schedule(struct sim *s, sim_time at, const struct sim_action *a)
{
    if (a->host < 0 || a->host >= SIM_HOSTS || a->dir < 0 || a->dir >= SIM_HOSTS || at < 0)
        return false;
    if (s->nfree_actions == 0 && s->nactions == s->actions_cap) {
        size_t cap = s->actions_cap ? s->actions_cap * 2 : 16;
        struct owned_action *p = realloc(s->actions, cap * sizeof *p);
        if (!p)
            return false;
        s->actions = p;
        size_t *fl = realloc(s->free_actions, cap * sizeof *fl);
        if (!fl)
            return false;
        s->free_actions = fl;
        s->actions_cap = cap;
    }
    size_t index = s->nfree_actions > 0 ? s->free_actions[s->nfree_actions - 1] : s->nactions;
    struct owned_action oa = { .a = *a };
    bool ok = true;
    const uint8_t *src = a->kind == ACT_INJECT ? a->seg.data : a->data;
    size_t len = a->kind == ACT_INJECT ? a->seg.len : a->len;
    /* Payloads given are copied; a send's test pattern is made when it runs (run_action). */
    if ((a->kind == ACT_INJECT || (a->kind == ACT_SEND && src)) && len > 0) {
        oa.data = malloc(len);
        if (!oa.data)
            return false;
        for (size_t i = 0; i < len; i++)
            oa.data[i] = src ? src[i] : (uint8_t)('a' + i % 26); /* the test pattern */
    }
    oa.text = dup_str(a->text, &ok);
    oa.text_ko = dup_str(a->text_ko, &ok);
    oa.a.data = NULL;
    oa.a.seg.data = NULL;
    oa.a.text = oa.a.text_ko = NULL;
    if (!ok || !sched_at(&s->sched, at, dispatch, s, EV_ARG(EV_ACTION, index))) {
        free(oa.data);
        free(oa.text);
        free(oa.text_ko);
        return false;
    }
    s->actions[index] = oa;
    if (index == s->nactions)
        s->nactions++;
    else
        s->nfree_actions--;
    return true;
}

bool sim_add_trigger(struct sim *s, const struct sim_trigger *t)
{
    if (t->host < 0 || t->host >= SIM_HOSTS ||
        (t->action.kind != ACT_CAPTION && t->action.kind != ACT_PAUSE))
        return false;
    if (s->ntriggers == s->triggers_cap) {
        size_t cap = s->triggers_cap ? s->triggers_cap * 2 : 8;
        struct owned_trigger *p = realloc(s->triggers, cap * sizeof *p);
        if (!p)
            return false;
        s->triggers = p;
        s->triggers_cap = cap;
    }
    bool ok = true;
    struct owned_trigger ot = { .t = *t };
    ot.text = dup_str(t->action.text, &ok);
    ot.text_ko = dup_str(t->action.text_ko, &ok);
    ot.t.action.text = ot.t.action.text_ko = NULL;
    if (!ok) {
        free(ot.text);
        free(ot.text_ko);
        return false;
    }
    s->triggers[s->ntriggers++] = ot;
    return true;
}

bool sim_add_fault(struct sim *s, int dir, const struct fault *f)
{
    if (dir < 0 || dir >= SIM_HOSTS)
        return false;
    return link_add_fault(&s->link[dir], f);
}

void sim_set_tap(struct sim *s, sim_tap_fn fn, void *ctx)
{
    s->tap = fn;
    s->tap_ctx = ctx;
}

void sim_set_deliver(struct sim *s, sim_deliver_fn fn, void *ctx)
{
    for (int h = 0; h < SIM_HOSTS; h++) {
        s->io[h].deliver = fn;
        s->io[h].deliver_ctx = ctx;
    }
}

/* ---- running ------------------------------------------------------------------------------ */

enum sim_stop sim_step(struct sim *s)
{
    if (s->stop != SIM_RUNNING)
        return s->stop;
    sim_time next = sched_peek_time(&s->sched);
    if (next == SIM_NEVER)
        return SIM_DONE;
    if (next > s->cfg.limits.max_time)
        return s->stop = SIM_LIMIT_TIME;
    if (s->sched.executed >= s->cfg.limits.max_events)
        return s->stop = SIM_LIMIT_EVENTS;
    sched_step(&s->sched);
    if (s->stop != SIM_RUNNING)
        return s->stop;
    return sched_peek_time(&s->sched) == SIM_NEVER ? SIM_DONE : SIM_RUNNING;
}

enum sim_stop sim_run_until(struct sim *s, sim_time until)
{
    enum sim_stop why = s->stop;
    while (why == SIM_RUNNING && sched_peek_time(&s->sched) <= until)
        why = sim_step(s);
    if (why == SIM_RUNNING || why == SIM_DONE) {
        if (until != SIM_NEVER && s->sched.now < until && until <= s->cfg.limits.max_time)
            s->sched.now = until;
    }
    if (why == SIM_RUNNING && sched_peek_time(&s->sched) == SIM_NEVER)
        why = SIM_DONE;
    return why;
}

enum sim_stop sim_run(struct sim *s)
{
    enum sim_stop why = s->stop;
    while (why == SIM_RUNNING)
        why = sim_step(s);
    return why;
}

const char *sim_stop_message(enum sim_stop why)
{
    switch (why) {
    case SIM_RUNNING: return "still running";
    case SIM_DONE: return "finished: no event remains";
    case SIM_LIMIT_EVENTS: return "stopped: the event limit was reached (limit events)";
    case SIM_LIMIT_TIME: return "stopped: the simulated time limit was reached (limit time)";
    case SIM_LIMIT_SEGMENTS: return "stopped: the segment limit was reached (limit segments)";
    case SIM_LIMIT_BYTES: return "stopped: the application byte limit was reached (limit bytes)";
    case SIM_NO_MEMORY: return "stopped: out of memory";
    }
    return "?";
}

/* ---- read-only accessors ------------------------------------------------------------------ */

sim_time sim_now(const struct sim *s) { return s->sched.now; }
sim_time sim_next_event_time(const struct sim *s) { return sched_peek_time(&s->sched); }
uint64_t sim_events_run(const struct sim *s) { return s->sched.executed; }
uint64_t sim_segments_sent(const struct sim *s) { return s->segments_sent; }
const struct sim_config *sim_config(const struct sim *s) { return &s->cfg; }

const struct host *sim_host(const struct sim *s, int index)
{
    return index >= 0 && index < SIM_HOSTS ? s->host[index] : NULL;
}

size_t sim_inflight_count(const struct sim *s)
{
    return s->nlive;
}

/* In-flight copies in order of transmission (id, then copy), independent of slot reuse. */
static int cmp_inflight(const void *a, const void *b)
{
    const struct sim_inflight *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->copy - y->copy;
}

const struct sim_inflight *sim_inflight_at(const struct sim *s, size_t i)
{
    struct sim *m = (struct sim *)s; /* the view is a cache; rebuilding it changes no state */
    if (m->live_view_stale) {
        struct sim_inflight *v = realloc(m->live_view, (m->nlive ? m->nlive : 1) * sizeof *v);
        if (!v)
            return NULL;
        m->live_view = v;
        size_t n = 0;
        for (size_t k = 0; k < m->nflights; k++)
            if (m->flights[k].live)
                v[n++] = m->flights[k].view;
        qsort(v, n, sizeof *v, cmp_inflight);
        m->live_view_stale = false;
    }
    return i < m->nlive ? &m->live_view[i] : NULL;
}
