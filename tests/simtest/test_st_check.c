/* test_st_check.c: proves that simtest's checker (st_check.c) can fail. Each proof draws a real
 * simtest case (st_case.c), runs it as simtest.c's run_one does, sabotages ONE thing the checker
 * observes (a trace record, a delivery, a segment on the wire, how the run ends) and asserts the
 * checker reports the failure that sabotage stands for. The control runs the same seeds untouched,
 * through the same (then transparent) wrappers, and sees them pass: the sabotage, not the seed,
 * made each failure. Suite 'simtest'. */
#include <stdlib.h>
#include <string.h>

#include "st_case.h"
#include "st_check.h"
#include "testlib.h"

#define FIRST_SEED 1u
#define LAST_SEED 200u   /* a proof looks for its seeds among these */
#define SEEDS_PER_PROOF 5u
#define LIMIT_EVENTS 20u /* SAB_LIMIT's event limit, for seeds whose runs have more events */
#define MSG_MAX 1024

enum sabotage {
    SAB_NONE,
    SAB_STATE_EDGE,    /* the first SYN_SENT -> ESTABLISHED record says SYN_SENT -> TIME_WAIT */
    SAB_STATE_FROM,    /* ... says SYN_RECEIVED -> ESTABLISHED: a legal edge, the wrong start */
    SAB_STATE_LOST,    /* ... never reaches the checker */
    SAB_DATA_FLIP,     /* the first delivery call: its first byte flipped */
    SAB_DATA_TWICE,    /* the first delivery call: handed to the checker twice */
    SAB_DATA_SWALLOW,  /* the first delivered run: no call reaches the checker, its record does */
    SAB_WIRE_FLIP,     /* the first data segment leaving a host: a payload byte flipped (tap) */
    SAB_SEQ_HIDDEN,    /* the first delivered run: neither its calls nor its record reach it */
    SAB_RX_LOST,       /* the first rx record never reaches the checker */
    SAB_RX_HEADER,     /* the first rx record: its window field changed */
    SAB_RX_DISCARDED,  /* the first accepted arrival traced as discarded */
    SAB_LIMIT,         /* the run stops at an event limit */
    SAB_STALL,         /* the case's stall budget shrunk to 1 ns, below any quiet stretch */
    SAB_CUT_IN_FLIGHT, /* declared over at the first SYN_SENT, a copy still on the link */
    SAB_CUT_HANDSHAKE, /* declared over at the first SYN_SENT, the user having dropped every copy */
};

/* What an untouched run of a seed showed: whether it has what a sabotage needs. */
struct facts {
    unsigned active_opens;      /* SYN_SENT -> ESTABLISHED records */
    unsigned rx, rx_accepted;   /* rx records; those not discarded */
    unsigned data_tx;           /* data segments leaving a host (tap) */
    size_t first_call;          /* bytes of the first delivery call, 0 if none */
    uint64_t events;
    bool syn_sent;              /* after some event a socket was in SYN_SENT */
    bool syn_sent_in_flight;    /* ... with a copy on a link */
};

/* One run of one seed: the ctx of the trace sink, deliver hook and tap put over the checker's. */
struct run {
    enum sabotage sab;
    struct st_check *k;
    struct sim *sim;
    struct trace_sink sink;      /* the checker's: every record is forwarded to it */
    struct st_check_hooks hooks; /* the checker's: every call is forwarded to them */
    bool done;                   /* the sabotage was carried out */
    bool swallowing;             /* SAB_DATA_SWALLOW, SAB_SEQ_HIDDEN: inside the swallowed run */
    struct facts f;
};

struct outcome {
    bool passed, done;
    struct facts f;
    char failure[MSG_MAX];
};

/* ---- the wrappers ------------------------------------------------------------------------- */

static bool is_active_open(const struct trace_rec *r)
{
    return r->ev == TR_STATE && r->u.state.from == TCP_SYN_SENT && r->u.state.to == TCP_ESTABLISHED;
}

static void note_record(struct facts *f, const struct trace_rec *r)
{
    if (is_active_open(r))
        f->active_opens++;
    if (r->ev == TR_RX) {
        f->rx++;
        if (!r->u.rx.discarded)
            f->rx_accepted++;
    }
}

/* Whether r is the kind of record sab alters or swallows (only the first one is). */
static bool targets_record(enum sabotage sab, const struct trace_rec *r)
{
    switch (sab) {
    case SAB_STATE_EDGE:
    case SAB_STATE_FROM:
    case SAB_STATE_LOST:
        return is_active_open(r);
    case SAB_RX_LOST:
    case SAB_RX_HEADER:
        return r->ev == TR_RX;
    case SAB_RX_DISCARDED:
        return r->ev == TR_RX && !r->u.rx.discarded;
    case SAB_NONE:
    case SAB_DATA_FLIP:
    case SAB_DATA_TWICE:
    case SAB_DATA_SWALLOW:
    case SAB_WIRE_FLIP:
    case SAB_SEQ_HIDDEN:
    case SAB_LIMIT:
    case SAB_STALL:
    case SAB_CUT_IN_FLIGHT:
    case SAB_CUT_HANDSHAKE:
        return false;
    }
    return false;
}

/* The record the checker gets instead of r: r itself, copy (r altered), or NULL for none. */
static const struct trace_rec *sabotage_record(struct run *run, const struct trace_rec *r,
                                               struct trace_rec *copy)
{
    if (run->swallowing && r->ev == TR_APP && r->u.app.action == APP_DELIVER) {
        run->swallowing = false; /* the swallowed run ends with its record */
        if (run->sab == SAB_SEQ_HIDDEN)
            return NULL; /* which is swallowed too (SAB_DATA_SWALLOW forwards it) */
    }
    if (run->done || !targets_record(run->sab, r))
        return r;
    run->done = true;
    *copy = *r;
    if (run->sab == SAB_STATE_EDGE)
        copy->u.state.to = TCP_TIME_WAIT;
    else if (run->sab == SAB_STATE_FROM)
        copy->u.state.from = TCP_SYN_RECEIVED;
    else if (run->sab == SAB_RX_HEADER)
        copy->u.rx.seg.wnd ^= 1u;
    else if (run->sab == SAB_RX_DISCARDED)
        copy->u.rx.discarded = true;
    else
        return NULL; /* SAB_STATE_LOST, SAB_RX_LOST */
    return copy;
}

static void wrap_record(void *ctx, const struct trace_rec *r)
{
    struct run *run = ctx;
    note_record(&run->f, r);
    struct trace_rec copy;
    const struct trace_rec *fwd = sabotage_record(run, r, &copy);
    if (fwd)
        run->sink.emit(run->sink.ctx, fwd);
}

static void note_delivery(struct facts *f, size_t len)
{
    if (f->first_call == 0)
        f->first_call = len;
}

static void wrap_deliver(void *ctx, char host, int32_t sock, const uint8_t *data, size_t len)
{
    struct run *run = ctx;
    const struct st_check_hooks *k = &run->hooks;
    note_delivery(&run->f, len);
    bool first = !run->done && len > 0;
    if (first && run->sab == SAB_DATA_FLIP) {
        uint8_t *bad = malloc(len);
        if (!bad)
            abort();
        memcpy(bad, data, len);
        bad[0] ^= 0xffu;
        run->done = true;
        k->deliver(k->ctx, host, sock, bad, len);
        free(bad);
        return;
    }
    if (first && run->sab == SAB_DATA_TWICE) {
        run->done = true;
        k->deliver(k->ctx, host, sock, data, len);
    } else if (first && (run->sab == SAB_DATA_SWALLOW || run->sab == SAB_SEQ_HIDDEN)) {
        run->done = true;
        run->swallowing = true;
    }
    if (!run->swallowing)
        k->deliver(k->ctx, host, sock, data, len);
}

static void wrap_tap(void *ctx, sim_time t, int host, bool outbound, const struct segment *seg,
                     const struct trace_rec *rec)
{
    struct run *run = ctx;
    const struct st_check_hooks *k = &run->hooks;
    bool data = outbound && seg->len > 0 && !(seg->flags & (SEG_SYN | SEG_RST));
    if (data)
        run->f.data_tx++;
    if (data && !run->done && run->sab == SAB_WIRE_FLIP && seg->len <= SEG_MAX_PAYLOAD) {
        uint8_t payload[SEG_MAX_PAYLOAD];
        struct segment bad = *seg;
        memcpy(payload, seg->data, seg->len);
        payload[seg->len / 2] ^= 0xffu;
        bad.data = payload;
        run->done = true;
        k->tap(k->ctx, t, host, outbound, &bad, rec);
        return;
    }
    k->tap(k->ctx, t, host, outbound, seg, rec);
}

/* ---- running a seed ------------------------------------------------------------------------ */

static bool in_syn_sent(const struct sim *sim)
{
    for (int h = 0; h < SIM_HOSTS; h++) {
        const struct host *host = sim_host(sim, h);
        for (size_t i = 0; i < host_sock_count(host); i++) {
            struct tcb_view v;
            if (host_sock_view(host, i, &v) && v.state == TCP_SYN_SENT)
                return true;
        }
    }
    return false;
}

/* The user drops every copy in flight, as the front end may; the checker is told of each. */
static void drop_all(struct run *run)
{
    while (sim_inflight_count(run->sim) > 0) {
        const struct sim_inflight *v = sim_inflight_at(run->sim, 0);
        uint64_t id = v ? v->id : 0;
        int copy = v ? v->copy : 0;
        if (!st_check_user_drop(run->k, id, copy, sim_drop_inflight(run->sim, id, copy)))
            return;
    }
}

/* After an event: true if the driver is to declare the run over here (SAB_CUT_*). */
static bool cut_here(struct run *run)
{
    if (!in_syn_sent(run->sim))
        return false;
    bool in_flight = sim_inflight_count(run->sim) > 0;
    run->f.syn_sent = true;
    run->f.syn_sent_in_flight = run->f.syn_sent_in_flight || in_flight;
    if (run->done || (run->sab != SAB_CUT_IN_FLIGHT && run->sab != SAB_CUT_HANDSHAKE))
        return false;
    if (run->sab == SAB_CUT_IN_FLIGHT && !in_flight)
        return false;
    if (run->sab == SAB_CUT_HANDSHAKE)
        drop_all(run);
    run->done = true;
    return true;
}

/* simtest.c's run_one loop, user drops included; returns why the run stopped (as the driver
 * says). */
static enum sim_stop drive(struct run *run, const struct st_case *c)
{
    enum sim_stop why = SIM_RUNNING;
    bool stepping = true;
    for (uint64_t n = 1; why == SIM_RUNNING && stepping; n++) {
        why = sim_step(run->sim);
        stepping = st_check_step(run->k);
        if (stepping && why == SIM_RUNNING && cut_here(run))
            return SIM_DONE; /* the lie of SAB_CUT_*: events remain */
        size_t live = sim_inflight_count(run->sim);
        if (stepping && c->drop_every && n % c->drop_every == 0 && live > 0) {
            size_t at = (size_t)(n / c->drop_every) % live;
            const struct sim_inflight *v = sim_inflight_at(run->sim, at);
            uint64_t id = v ? v->id : 0;
            int copy = v ? v->copy : 0;
            stepping = st_check_user_drop(run->k, id, copy, sim_drop_inflight(run->sim, id, copy));
        }
    }
    return why;
}

static struct outcome run_seed(uint64_t seed, enum sabotage sab)
{
    struct outcome out;
    memset(&out, 0, sizeof out);
    struct st_case c;
    if (!st_case_draw(&c, seed)) {
        snprintf(out.failure, sizeof out.failure, "out of memory drawing the case");
        return out;
    }
    struct run run = { .sab = sab, .done = sab == SAB_LIMIT || sab == SAB_STALL };
    if (sab == SAB_LIMIT)
        c.cfg.limits.max_events = LIMIT_EVENTS;
    if (sab == SAB_STALL)
        c.stall = 1;
    struct trace_sink wrapped = { .emit = wrap_record, .ctx = &run };
    run.k = st_check_create(&c, NULL);
    if (run.k) {
        run.sink = st_check_sink(run.k);
        run.sim = sim_create(&c.cfg, &wrapped);
    }
    if (run.sim && st_case_schedule(&c, run.sim)) {
        st_check_attach(run.k, run.sim);
        run.hooks = st_check_hooks(run.k);
        sim_set_deliver(run.sim, wrap_deliver, &run);
        sim_set_tap(run.sim, wrap_tap, &run);
        out.passed = st_check_end(run.k, drive(&run, &c));
        snprintf(out.failure, sizeof out.failure, "%s", st_check_failure(run.k));
        run.f.events = sim_events_run(run.sim);
    } else {
        snprintf(out.failure, sizeof out.failure, "out of memory setting up the case");
    }
    out.done = run.done;
    out.f = run.f;
    sim_destroy(run.sim);
    st_check_destroy(run.k);
    st_case_finish(&c);
    return out;
}

/* Whether a seed whose untouched run showed f has what sab sabotages. */
static bool has_target(enum sabotage sab, const struct facts *f)
{
    switch (sab) {
    case SAB_STATE_EDGE:
    case SAB_STATE_FROM:
    case SAB_STATE_LOST:
        return f->active_opens > 0;
    case SAB_DATA_FLIP:
    case SAB_DATA_TWICE:
    case SAB_DATA_SWALLOW:
    case SAB_SEQ_HIDDEN:
        return f->first_call > 0;
    case SAB_WIRE_FLIP:
        return f->data_tx > 0;
    case SAB_RX_LOST:
    case SAB_RX_HEADER:
        return f->rx > 0;
    case SAB_RX_DISCARDED:
        return f->rx_accepted > 0;
    case SAB_LIMIT:
        return f->events > LIMIT_EVENTS;
    case SAB_STALL: /* a segment spent time on a link: a stretch without progress */
        return f->rx > 0;
    case SAB_CUT_IN_FLIGHT:
        return f->syn_sent_in_flight;
    case SAB_CUT_HANDSHAKE:
        return f->syn_sent;
    case SAB_NONE:
        return true;
    }
    return false;
}

/* The first seed from `from` on whose untouched run has what sab sabotages (whether the run
 * passed is left to the control); 0 if none up to LAST_SEED. */
static uint64_t next_seed(enum sabotage sab, uint64_t from)
{
    for (uint64_t seed = from; seed <= LAST_SEED; seed++) {
        struct outcome o = run_seed(seed, SAB_NONE);
        if (has_target(sab, &o.f))
            return seed;
    }
    return 0;
}

/* ---- the proofs ------------------------------------------------------------------------------ */

struct proof {
    const char *what;
    enum sabotage sab;
    const char *expect;  /* a stable part of the message st_check.c gives for the check */
    const char *expect2; /* NULL, or another message of the same check that may come first */
};

static bool names(const struct proof *p, const char *failure)
{
    return strstr(failure, p->expect) || (p->expect2 && strstr(failure, p->expect2));
}

/* "1 2 4 5 6" */
static void seed_list(const uint64_t *seeds, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < SEEDS_PER_PROOF && n < size; i++)
        n += (size_t)snprintf(out + n, size - n, "%s%" PRIu64, i ? " " : "", seeds[i]);
}

/* Fills seeds with the first SEEDS_PER_PROOF seeds that have what p sabotages; false (and a
 * failed check) if there are fewer. */
static bool proof_seeds(struct test_ctx *t, const struct proof *p, uint64_t *seeds)
{
    uint64_t seed = FIRST_SEED;
    for (size_t i = 0; i < SEEDS_PER_PROOF; i++, seed++) {
        seed = next_seed(p->sab, seed);
        seeds[i] = seed;
        if (seed == 0) {
            fprintf(stderr, "%s: fewer than %u seeds in %u..%u have what '%s' needs\n", t->name,
                    SEEDS_PER_PROOF, FIRST_SEED, LAST_SEED, p->what);
            CHECK(seed != 0);
            return false;
        }
    }
    return true;
}

/* Each sabotaged run of p's seeds fails, and the checker names the right problem. */
static void prove(struct test_ctx *t, const struct proof *p)
{
    uint64_t seeds[SEEDS_PER_PROOF];
    if (!proof_seeds(t, p, seeds))
        return;
    int before = t->failures;
    char first[MSG_MAX] = "";
    for (size_t i = 0; i < SEEDS_PER_PROOF; i++) {
        struct outcome o = run_seed(seeds[i], p->sab);
        bool named = names(p, o.failure);
        CHECK(o.done);
        CHECK(!o.passed);
        CHECK(named);
        if (!o.done || o.passed || !named)
            fprintf(stderr, "%s: %s, seed %" PRIu64 ": sabotage %s, checker %s '%s', expected "
                    "'%s'\n", t->name, p->what, seeds[i], o.done ? "done" : "never done",
                    o.passed ? "passed" : "failed with", o.failure, p->expect);
        if (i == 0)
            snprintf(first, sizeof first, "%s", o.failure);
    }
    char list[128];
    seed_list(seeds, list, sizeof list);
    if (t->failures == before)
        printf("caught  %-38s seeds %-12s e.g. %s\n", p->what, list, first);
}

/* README, state changes: "every `state` record follows an edge of RFC 9293 Figure 5 ..., starts
 * where the previous one ended, and matches `host_sock_view`". */
static const struct proof state_proofs[] = {
    { "state record on an illegal edge", SAB_STATE_EDGE,
      "illegal transition SYN_SENT -> TIME_WAIT", NULL },
    { "state record from the wrong state", SAB_STATE_FROM,
      "state change says from SYN_RECEIVED but it was in SYN_SENT", NULL },
    { "state record lost", SAB_STATE_LOST, "is in ESTABLISHED but its records say SYN_SENT", NULL },
};

/* README, sequence space: "RCV.NXT - IRS - 1 equals the bytes delivered (plus the FIN)". The
 * other rules of the class read host_sock_view, which a test cannot alter without changing the
 * library: hiding a delivery from the checker altogether is what breaks this one. */
static const struct proof sequence_proofs[] = {
    { "delivered run hidden with its record", SAB_SEQ_HIDDEN, "RCV.NXT - IRS - 1 is", NULL },
};

/* README, data: "every byte put on the wire is the byte the sending application wrote at that
 * sequence number ..., every delivery is exactly the next bytes of what the peer's application
 * sent (never invented, never reordered, never twice)". */
static const struct proof data_proofs[] = {
    { "delivered byte flipped", SAB_DATA_FLIP, "delivered byte 0 is 0x", NULL },
    /* The repeat is compared with the bytes after the first run, or goes past what the peer's
     * application has sent so far. */
    { "delivery handed over twice", SAB_DATA_TWICE, "delivered byte",
      "delivered, but the peer's application sent only" },
    { "delivered run swallowed", SAB_DATA_SWALLOW, "deliver records add up to", NULL },
    { "byte flipped on the wire", SAB_WIRE_FLIP,
      "carries other bytes than its application sent", NULL },
};

/* README, conservation: "every copy the link made of a segment ... is in flight or has arrived
 * exactly once, unchanged, discarded exactly when corrupted". */
static const struct proof conservation_proofs[] = {
    { "arrival lost", SAB_RX_LOST, "conservation: ", NULL },
    { "arrival with a changed header", SAB_RX_HEADER, "arrived with other header fields", NULL },
    { "intact arrival discarded", SAB_RX_DISCARDED, "arrived discarded", NULL },
};

/* README, liveness: "no stretch without progress ... longer than the case's budget; when no
 * event remains, only listeners are left, or connections their application never closed", and
 * st_check_end: a run must not stop at a limit, nor with copies in flight. */
static const struct proof liveness_proofs[] = {
    { "run stopped at the event limit", SAB_LIMIT, "the event limit was reached", NULL },
    { "quiet for longer than the budget", SAB_STALL, "no progress for", NULL },
    { "run declared over with a SYN in flight", SAB_CUT_IN_FLIGHT, "copies in flight", NULL },
    { "run declared over mid-handshake", SAB_CUT_HANDSHAKE,
      "left in SYN_SENT when nothing more can happen", NULL },
};

#define NPROOFS(a) (sizeof(a) / sizeof(a)[0])

static void prove_all(struct test_ctx *t, const struct proof *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        prove(t, &p[i]);
}

TEST(state_changes)
{
    prove_all(t, state_proofs, NPROOFS(state_proofs));
}

TEST(sequence_space)
{
    prove_all(t, sequence_proofs, NPROOFS(sequence_proofs));
}

TEST(data)
{
    prove_all(t, data_proofs, NPROOFS(data_proofs));
}

TEST(conservation)
{
    prove_all(t, conservation_proofs, NPROOFS(conservation_proofs));
}

TEST(liveness_and_ending)
{
    prove_all(t, liveness_proofs, NPROOFS(liveness_proofs));
}

/* Every proof's seeds, run untouched through the same (then transparent) wrappers, pass. */
static void control(struct test_ctx *t, const struct proof *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t seeds[SEEDS_PER_PROOF];
        if (!proof_seeds(t, &p[i], seeds))
            continue;
        for (size_t j = 0; j < SEEDS_PER_PROOF; j++) {
            struct outcome o = run_seed(seeds[j], SAB_NONE);
            CHECK(o.passed);
            CHECK(!o.done);
            if (!o.passed)
                fprintf(stderr, "%s: seed %" PRIu64 " untouched failed: %s\n", t->name, seeds[j],
                        o.failure);
        }
        char list[128];
        seed_list(seeds, list, sizeof list);
        printf("passed  %-38s seeds %s untouched\n", p[i].what, list);
    }
}

TEST(control_same_seeds_pass)
{
    control(t, state_proofs, NPROOFS(state_proofs));
    control(t, sequence_proofs, NPROOFS(sequence_proofs));
    control(t, data_proofs, NPROOFS(data_proofs));
    control(t, conservation_proofs, NPROOFS(conservation_proofs));
    control(t, liveness_proofs, NPROOFS(liveness_proofs));
}

int main(void)
{
    struct test_ctx ctx = { 0 };
    RUN_TEST(&ctx, state_changes);
    RUN_TEST(&ctx, sequence_space);
    RUN_TEST(&ctx, data);
    RUN_TEST(&ctx, conservation);
    RUN_TEST(&ctx, liveness_and_ending);
    RUN_TEST(&ctx, control_same_seeds_pass);
    return test_finish(&ctx);
}
