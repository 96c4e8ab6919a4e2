/* test_socktab.c: unit tests of a host's socket table (sim/socktab.c): random adds, removals,
 * deadline changes and rekeys checked against a linear reference, and the host's socket limit
 * as the trace reports it. Suite 'engine'. */
#include <stdlib.h>

#include "rng.h"
#include "sim.h"
#include "socktab.h"
#include "testlib.h"

#define REF_MAX 600
#define LADDR 0x0a000002u

/* The reference: every TCB in the table, in creation order, with the deadline it was given. */
struct ref {
    struct tcb *t[REF_MAX];
    sim_time due[REF_MAX];
    size_t n;
};

static bool ref_listener(const struct tcb *t)
{
    return t->state == TCP_LISTEN && !t->gone;
}

static struct tcb *ref_conn(const struct ref *r, uint16_t lport, uint32_t raddr, uint16_t rport)
{
    for (size_t i = 0; i < r->n; i++) {
        struct tcb *t = r->t[i];
        if (!t->gone && !ref_listener(t) && t->state != TCP_CLOSED && t->lport == lport &&
            t->raddr == raddr && t->rport == rport)
            return t;
    }
    return NULL;
}

static struct tcb *ref_listen(const struct ref *r, uint16_t lport)
{
    for (size_t i = 0; i < r->n; i++)
        if (ref_listener(r->t[i]) && r->t[i]->lport == lport)
            return r->t[i];
    return NULL;
}

static struct tcb *ref_newest(const struct ref *r)
{
    for (size_t i = r->n; i-- > 0;)
        if (!r->t[i]->gone && !ref_listener(r->t[i]))
            return r->t[i];
    return NULL;
}

/* The earliest (deadline, sock) among running timers, as the table's heap must give it. */
static struct tcb *ref_earliest(const struct ref *r, sim_time *due)
{
    struct tcb *best = NULL;
    *due = SIM_NEVER;
    for (size_t i = 0; i < r->n; i++)
        if (r->due[i] < *due) {
            *due = r->due[i];
            best = r->t[i];
        }
    return best;
}

static struct tcb *slot_tcb(const struct socktab *st, uint32_t i)
{
    return i == SOCKTAB_NONE ? NULL : socktab_tcb(st, i);
}

static const enum tcp_state some_states[] = { TCP_LISTEN, TCP_SYN_SENT, TCP_ESTABLISHED,
                                              TCP_TIME_WAIT, TCP_CLOSED, TCP_LAST_ACK };

/* Few ports and addresses, so that 4-tuples collide, listeners share ports with connections
 * and hash chains hold several entries. */
static void random_tuple(struct rng *g, uint16_t *lport, uint32_t *raddr, uint16_t *rport)
{
    *lport = (uint16_t)(80 + rng_below(g, 4));
    *raddr = 0x0a000001u + (uint32_t)rng_below(g, 2);
    *rport = (uint16_t)(1000 + rng_below(g, 6));
}

static void check_against(struct test_ctx *t, struct socktab *st, const struct ref *r,
                          struct rng *g)
{
    CHECK_EQ_U64(socktab_count(st), r->n);
    for (uint16_t lport = 80; lport < 84; lport++) {
        CHECK(slot_tcb(st, socktab_find_listener(st, lport)) == ref_listen(r, lport));
        for (uint32_t a = 0; a < 2; a++)
            for (uint16_t rport = 1000; rport < 1006; rport++)
                CHECK(slot_tcb(st, socktab_find_conn(st, LADDR, lport, 0x0a000001u + a, rport)) ==
                      ref_conn(r, lport, 0x0a000001u + a, rport));
    }
    CHECK(slot_tcb(st, socktab_newest_conn(st)) == ref_newest(r));
    sim_time due;
    struct tcb *e = ref_earliest(r, &due);
    CHECK(slot_tcb(st, socktab_earliest(st)) == e);
    if (e)
        CHECK_EQ_INT(socktab_due(st, socktab_earliest(st)), due);
    /* A few random socket numbers, present or not, and every index in creation order. */
    for (int k = 0; k < 4 && r->n > 0; k++) {
        const struct tcb *want = r->t[rng_below(g, r->n)];
        uint32_t i = socktab_find_sock(st, want->sock);
        CHECK(slot_tcb(st, i) == (want->gone ? NULL : want));
    }
    CHECK(socktab_find_sock(st, -5) == SOCKTAB_NONE);
    for (size_t k = 0; k < r->n; k++)
        CHECK(slot_tcb(st, socktab_at(st, (uint32_t)k)) == r->t[k]);
}

static void ref_remove(struct ref *r, size_t k)
{
    memmove(&r->t[k], &r->t[k + 1], (r->n - k - 1) * sizeof r->t[0]);
    memmove(&r->due[k], &r->due[k + 1], (r->n - k - 1) * sizeof r->due[0]);
    r->n--;
}

static uint32_t slot_of(const struct socktab *st, const struct tcb *t)
{
    for (uint32_t i = 0; i < st->nslots; i++)
        if (st->slot[i].t == t)
            return i;
    return SOCKTAB_NONE;
}

TEST(test_random_operations_match_linear_reference)
{
    struct host_config cfg = { .name = 'B', .addr = LADDR };
    profile_defaults(&cfg.profile, PROFILE_RFC9293);
    struct socktab st;
    socktab_init(&st, 500);
    static struct ref r;
    memset(&r, 0, sizeof r);
    struct rng g;
    rng_seed_keyed(&g, 7, 1, 2, 3);
    int next_sock = 0;
    for (int step = 0; step < 6000; step++) {
        uint64_t op = rng_below(&g, 10);
        if (op < 4 && r.n < REF_MAX) {
            uint16_t lport, rport;
            uint32_t raddr;
            random_tuple(&g, &lport, &raddr, &rport);
            enum tcp_state state = some_states[rng_below(&g, 6)];
            if (state == TCP_LISTEN || rng_chance(&g, 1, 10)) {
                raddr = 0; /* a listener, or a TCB about to become one: no foreign socket */
                rport = 0;
            }
            struct tcb *tcb = tcp_create(&cfg, next_sock++, state, LADDR, lport, raddr, rport);
            tcb->gone = rng_chance(&g, 1, 20);
            uint32_t i = socktab_add(&st, tcb);
            if (r.n >= 500) {
                CHECK(i == SOCKTAB_NONE); /* the limit */
                tcp_destroy(tcb);
            } else {
                CHECK(i != SOCKTAB_NONE && st.slot[i].touched);
                r.t[r.n] = tcb;
                r.due[r.n++] = SIM_NEVER;
            }
        } else if (op < 6 && r.n > 0) {
            size_t k = rng_below(&g, r.n);
            uint32_t i = slot_of(&st, r.t[k]);
            socktab_remove(&st, i);
            tcp_destroy(r.t[k]);
            ref_remove(&r, k);
        } else if (op < 9 && r.n > 0) {
            /* Deadlines from a small set, so ties must go to the lower socket number. */
            size_t k = rng_below(&g, r.n);
            sim_time due = rng_chance(&g, 1, 4) ? SIM_NEVER : (sim_time)rng_below(&g, 8) * 1000;
            socktab_set_due(&st, slot_of(&st, r.t[k]), due);
            r.due[k] = due;
        } else if (r.n > 0) {
            size_t k = rng_below(&g, r.n);
            uint16_t lport, rport;
            uint32_t raddr;
            random_tuple(&g, &lport, &raddr, &rport);
            /* As host_connect does: a listener given a foreign socket becomes active. */
            socktab_set_remote(&st, slot_of(&st, r.t[k]), raddr, rport);
            if (r.t[k]->state == TCP_LISTEN)
                r.t[k]->state = TCP_SYN_SENT;
        }
        socktab_clear_touched(&st);
        if (step % 7 == 0)
            check_against(t, &st, &r, &g);
    }
    check_against(t, &st, &r, &g);
    for (size_t k = 0; k < r.n; k++)
        tcp_destroy(r.t[k]);
    socktab_finish(&st);
}

/* ---- the host's limit, seen through a whole simulation ------------------------------------ */

struct errors {
    char note[4][TRACE_NOTE_MAX];
    char host[4];
    size_t n;
};

static void catch_errors(void *ctx, const struct trace_rec *r)
{
    struct errors *e = ctx;
    if (r->ev == TR_APP && r->u.app.action == APP_ERROR && e->n < 4) {
        e->host[e->n] = r->host;
        snprintf(e->note[e->n++], TRACE_NOTE_MAX, "%s", r->note);
    }
}

static void at(struct sim *s, sim_time when, struct sim_action a)
{
    if (!sim_schedule(s, when, &a))
        abort();
}

TEST(test_socket_limit_drops_syn_and_refuses_calls)
{
    struct sim_config cfg;
    sim_config_defaults(&cfg);
    cfg.host[0].max_socks = 2; /* A: two connections at most */
    cfg.host[1].max_socks = 2; /* B: the listener and one child */
    struct errors e = { .n = 0 };
    struct trace_sink sink = { .emit = catch_errors, .ctx = &e };
    struct sim *s = sim_create(&cfg, &sink);
    at(s, 0, (struct sim_action){ .kind = ACT_LISTEN, .host = 1, .port = 80 });
    at(s, 0, (struct sim_action){ .kind = ACT_CONNECT, .host = 0, .port = 1000, .rport = 80 });
    at(s, sim_ms(1), (struct sim_action){ .kind = ACT_CONNECT, .host = 0, .port = 1001, .rport = 80 });
    at(s, sim_ms(2), (struct sim_action){ .kind = ACT_CONNECT, .host = 0, .port = 1002, .rport = 80 });
    sim_run_until(s, sim_ms(500));
    CHECK_EQ_INT(e.n, 2);
    CHECK_EQ_INT(e.host[0], 'A');
    CHECK_STR(e.note[0], "insufficient resources");
    CHECK_EQ_INT(e.host[1], 'B');
    CHECK_STR(e.note[1], "SYN dropped: socket table full");
    CHECK_EQ_U64(host_sock_count(sim_host(s, 0)), 2);
    CHECK_EQ_U64(host_sock_count(sim_host(s, 1)), 2);
    sim_destroy(s);
}

TEST(test_default_limit_is_set)
{
    struct sim_config cfg;
    sim_config_defaults(&cfg);
    CHECK_EQ_U64(cfg.host[0].max_socks, HOST_MAX_SOCKS_DEFAULT);
    CHECK_EQ_U64(cfg.host[1].max_socks, HOST_MAX_SOCKS_DEFAULT);
}

int main(void)
{
    struct test_ctx ctx = { 0 };
    RUN_TEST(&ctx, test_random_operations_match_linear_reference);
    RUN_TEST(&ctx, test_socket_limit_drops_syn_and_refuses_calls);
    RUN_TEST(&ctx, test_default_limit_is_set);
    return test_finish(&ctx);
}
