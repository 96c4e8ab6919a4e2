/* test_sim_react.c: unit tests of how a driver reacts to a simulation (sim/sim.c): actions on an
 * explicit socket, actions scheduled from inside a trace sink, recycled action slots, and a run
 * with nobody reading the trace. Suite 'engine'. */
#include <stdlib.h>

#include "sim.h"
#include "testlib.h"

#define LOG_MAX 512

/* Every app, state and tx record, in order, as (time, host, sock, kind, detail). */
struct log {
    struct sim *sim;
    struct {
        sim_time t;
        char host;
        int sock;
        enum trace_ev ev;
        int what; /* app action, state entered, or tx flags | payload length << 8 */
    } e[LOG_MAX];
    size_t n;
    /* Reactions under test: on A's APP_CONNECTED, send 10 bytes and close that socket; on B's
     * APP_EOF, close that socket. */
    bool react;
    uint64_t connected;
};

static void log_rec(void *ctx, const struct trace_rec *r)
{
    struct log *l = ctx;
    if (r->ev != TR_APP && r->ev != TR_STATE && r->ev != TR_TX)
        return;
    if (l->n < LOG_MAX) {
        l->e[l->n].t = r->t;
        l->e[l->n].host = r->host;
        l->e[l->n].sock = r->sock;
        l->e[l->n].ev = r->ev;
        l->e[l->n].what = r->ev == TR_APP     ? (int)r->u.app.action
                          : r->ev == TR_STATE ? (int)r->u.state.to
                                              : r->u.tx.seg.flags | r->u.tx.seg.len << 8;
        l->n++;
    }
    if (l->react && r->ev == TR_APP && r->host == 'A' && r->u.app.action == APP_CONNECTED) {
        l->connected++;
        struct sim_action send = { .kind = ACT_SEND, .host = 0, .has_sock = true,
                                   .sock = r->sock, .len = 10 };
        struct sim_action close = { .kind = ACT_CLOSE, .host = 0, .has_sock = true,
                                    .sock = r->sock };
        if (!sim_schedule(l->sim, sim_now(l->sim), &send) ||
            !sim_schedule(l->sim, sim_now(l->sim), &close))
            abort();
    }
    if (l->react && r->ev == TR_APP && r->host == 'B' && r->u.app.action == APP_EOF) {
        struct sim_action close = { .kind = ACT_CLOSE, .host = 1, .has_sock = true,
                                    .sock = r->sock };
        if (!sim_schedule(l->sim, sim_now(l->sim), &close))
            abort();
    }
}

static void at(struct sim *s, sim_time when, struct sim_action a)
{
    if (!sim_schedule(s, when, &a))
        abort();
}

/* Index of the first record after `from` matching (host, ev, what), or LOG_MAX. */
static size_t find(const struct log *l, size_t from, char host, enum trace_ev ev, int what)
{
    for (size_t i = from; i < l->n; i++)
        if (l->e[i].host == host && l->e[i].ev == ev && l->e[i].what == what)
            return i;
    return LOG_MAX;
}

static struct sim *make(struct log *l, bool with_sink)
{
    struct sim_config cfg;
    sim_config_defaults(&cfg);
    struct trace_sink sink = { .emit = log_rec, .ctx = l };
    struct sim *s = sim_create(&cfg, with_sink ? &sink : NULL);
    l->sim = s;
    return s;
}

TEST(test_explicit_socket_acts_on_that_connection)
{
    static struct log l;
    memset(&l, 0, sizeof l);
    struct sim *s = make(&l, true);
    at(s, 0, (struct sim_action){ .kind = ACT_LISTEN, .host = 1, .port = 80 });
    at(s, 0, (struct sim_action){ .kind = ACT_CONNECT, .host = 0, .port = 1000, .rport = 80 });
    at(s, 0, (struct sim_action){ .kind = ACT_CONNECT, .host = 0, .port = 1001, .rport = 80 });
    /* A's sockets are 0 (port 1000) and 1 (port 1001, the current connection). */
    at(s, sim_ms(100), (struct sim_action){ .kind = ACT_CLOSE, .host = 0, .has_sock = true, .sock = 0 });
    at(s, sim_ms(200), (struct sim_action){ .kind = ACT_CLOSE, .host = 0 });
    sim_run_until(s, sim_ms(150));
    struct tcb_view v0, v1;
    CHECK(host_sock_view(sim_host(s, 0), 0, &v0) && host_sock_view(sim_host(s, 0), 1, &v1));
    CHECK_EQ_INT(v0.lport, 1000);
    CHECK_EQ_INT(v0.state, TCP_FIN_WAIT_2);
    CHECK_EQ_INT(v1.state, TCP_ESTABLISHED);
    /* Without has_sock, the action takes the current connection: socket 1. */
    sim_run_until(s, sim_ms(250));
    CHECK(host_sock_view(sim_host(s, 0), 1, &v1));
    CHECK_EQ_INT(v1.state, TCP_FIN_WAIT_2);
    /* An explicit socket that does not exist is an error, not the current connection. */
    at(s, sim_ms(300), (struct sim_action){ .kind = ACT_ABORT, .host = 0, .has_sock = true, .sock = 7 });
    sim_run_until(s, sim_ms(300));
    CHECK(find(&l, 0, 'A', TR_APP, APP_ERROR) != LOG_MAX);
    CHECK(host_sock_view(sim_host(s, 0), 1, &v1));
    CHECK_EQ_INT(v1.state, TCP_FIN_WAIT_2);
    sim_destroy(s);
}

TEST(test_sink_reaction_runs_after_the_event_at_the_same_time)
{
    static struct log l;
    memset(&l, 0, sizeof l);
    l.react = true;
    struct sim *s = make(&l, true);
    at(s, 0, (struct sim_action){ .kind = ACT_LISTEN, .host = 1, .port = 80 });
    at(s, 0, (struct sim_action){ .kind = ACT_CONNECT, .host = 0, .port = 1000, .rport = 80 });
    sim_run_until(s, sim_s(1));
    size_t c = find(&l, 0, 'A', TR_APP, APP_CONNECTED);
    CHECK(c != LOG_MAX);
    size_t send = find(&l, c, 'A', TR_APP, APP_SEND);
    size_t close = find(&l, c, 'A', TR_APP, APP_CLOSE);
    CHECK(send != LOG_MAX && close != LOG_MAX && send < close);
    if (c == LOG_MAX || send == LOG_MAX || close == LOG_MAX)
        return;
    CHECK_EQ_INT(l.e[send].t, l.e[c].t);
    CHECK_EQ_INT(l.e[close].t, l.e[c].t);
    CHECK_EQ_INT(l.e[send].sock, l.e[c].sock);
    /* The reaction did not run inside the host's call: the handshake's ACK, sent at the end of
     * that call, comes before the reaction's first record. */
    size_t ack = find(&l, c, 'A', TR_TX, SEG_ACK);
    CHECK(ack < send);
    CHECK(find(&l, c, 'A', TR_TX, SEG_ACK | SEG_PSH | 10 << 8) > send ||
          find(&l, c, 'A', TR_TX, SEG_ACK | 10 << 8) > send);
    CHECK(find(&l, 0, 'B', TR_APP, APP_EOF) != LOG_MAX);
    sim_destroy(s);
}

TEST(test_reactions_over_many_connections_all_run)
{
    static struct log l;
    memset(&l, 0, sizeof l);
    l.react = true;
    struct sim_config cfg;
    sim_config_defaults(&cfg);
    for (int h = 0; h < SIM_HOSTS; h++)
        profile_set(&cfg.host[h].profile, "time_wait", sim_ms(50));
    struct trace_sink sink = { .emit = log_rec, .ctx = &l };
    struct sim *s = sim_create(&cfg, &sink);
    l.sim = s;
    at(s, 0, (struct sim_action){ .kind = ACT_LISTEN, .host = 1, .port = 80 });
    /* 300 connections one after another, each closed by its reaction. */
    for (int i = 0; i < 300; i++)
        at(s, sim_ms(200) * i, (struct sim_action){ .kind = ACT_CONNECT, .host = 0,
                                                    .port = (uint16_t)(2000 + i), .rport = 80 });
    CHECK_EQ_INT(sim_run(s), SIM_DONE);
    CHECK_EQ_U64(l.connected, 300);
    CHECK_EQ_U64(host_sock_count(sim_host(s, 0)), 0);
    CHECK_EQ_U64(host_sock_count(sim_host(s, 1)), 1); /* the listener */
    sim_destroy(s);
}

/* With no sink the hosts build no records; what happens must not change. */
TEST(test_run_without_sink_is_the_same_run)
{
    static struct log l1, l2;
    memset(&l1, 0, sizeof l1);
    memset(&l2, 0, sizeof l2);
    struct sim *a = make(&l1, true);
    struct sim *b = make(&l2, false);
    struct sim *both[2] = { a, b };
    for (int k = 0; k < 2; k++) {
        struct sim *s = both[k];
        struct link_params lossy = { .delay = sim_ms(10), .loss = { 1, 4 } };
        at(s, 0, (struct sim_action){ .kind = ACT_LINK, .dir = 0, .link = lossy });
        at(s, 0, (struct sim_action){ .kind = ACT_LISTEN, .host = 1, .port = 80 });
        at(s, 0, (struct sim_action){ .kind = ACT_CONNECT, .host = 0, .port = 1000, .rport = 80 });
        at(s, sim_ms(500), (struct sim_action){ .kind = ACT_SEND, .host = 0, .len = 3000 });
        at(s, sim_s(20), (struct sim_action){ .kind = ACT_CLOSE, .host = 0 });
        at(s, sim_s(30), (struct sim_action){ .kind = ACT_CLOSE, .host = 1 });
    }
    CHECK_EQ_INT(sim_run(a), SIM_DONE);
    CHECK_EQ_INT(sim_run(b), SIM_DONE);
    CHECK(l1.n > 20);
    CHECK_EQ_U64(l2.n, 0);
    CHECK_EQ_U64(sim_events_run(a), sim_events_run(b));
    CHECK_EQ_U64(sim_segments_sent(a), sim_segments_sent(b));
    CHECK_EQ_INT(sim_now(a), sim_now(b));
    CHECK(sim_segments_sent(a) > 8);
    sim_destroy(a);
    sim_destroy(b);
}

int main(void)
{
    struct test_ctx ctx = { 0 };
    RUN_TEST(&ctx, test_explicit_socket_acts_on_that_connection);
    RUN_TEST(&ctx, test_sink_reaction_runs_after_the_event_at_the_same_time);
    RUN_TEST(&ctx, test_reactions_over_many_connections_all_run);
    RUN_TEST(&ctx, test_run_without_sink_is_the_same_run);
    return test_finish(&ctx);
}
