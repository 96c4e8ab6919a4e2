/* test_lifecycle.c: one lifecycle of the benchmark's workload (bench_lifecycles) through the
 * whole engine, segment by segment, over many seeds: connect, 100 bytes and close at once, the
 * peer closes on EOF, TIME_WAIT. Nothing is sent twice on a lossless link. Suite 'engine'. */
#include <stdlib.h>

#include "sim.h"
#include "testlib.h"

#define SEGS_MAX 32

struct seen {
    struct sim *sim;
    char from[SEGS_MAX];
    uint8_t flags[SEGS_MAX];
    uint32_t rel_seq[SEGS_MAX], len[SEGS_MAX];
    size_t n;
    int errors;
};

static void schedule_now(struct seen *s, struct sim_action a)
{
    if (!sim_schedule(s->sim, sim_now(s->sim), &a))
        abort();
}

static void on_record(void *ctx, const struct trace_rec *r)
{
    struct seen *s = ctx;
    if (r->ev == TR_TX && s->n < SEGS_MAX) {
        s->from[s->n] = r->host;
        s->flags[s->n] = r->u.tx.seg.flags;
        s->rel_seq[s->n] = r->u.tx.seg.rel_seq;
        s->len[s->n++] = r->u.tx.seg.len;
    }
    if (r->ev != TR_APP)
        return;
    if (r->u.app.action == APP_ERROR)
        s->errors++;
    if (r->host == 'A' && r->u.app.action == APP_CONNECTED) {
        schedule_now(s, (struct sim_action){ .kind = ACT_SEND, .host = 0, .has_sock = true,
                                             .sock = r->sock, .len = 100 });
        schedule_now(s, (struct sim_action){ .kind = ACT_CLOSE, .host = 0, .has_sock = true,
                                             .sock = r->sock });
    }
    if (r->host == 'B' && r->u.app.action == APP_EOF)
        schedule_now(s, (struct sim_action){ .kind = ACT_CLOSE, .host = 1, .has_sock = true,
                                             .sock = r->sock });
}

/* The nine segments of the lifecycle, in the order they are sent. B acknowledges the data and
 * the FIN as they arrive (the rfc9293 profile does not delay ACKs). */
static const struct {
    char from;
    uint8_t flags;
    uint32_t rel_seq, len;
} expected[] = {
    { 'A', SEG_SYN, 0, 0 },           { 'B', SEG_SYN | SEG_ACK, 0, 0 },
    { 'A', SEG_ACK, 1, 0 },           { 'A', SEG_ACK, 1, 100 },
    { 'A', SEG_FIN | SEG_ACK, 101, 0 }, { 'B', SEG_ACK, 1, 0 },
    { 'B', SEG_ACK, 1, 0 },           { 'B', SEG_FIN | SEG_ACK, 1, 0 },
    { 'A', SEG_ACK, 102, 0 },
};
#define NEXPECTED (sizeof expected / sizeof expected[0])

TEST(test_lifecycle_sends_each_segment_once)
{
    /* The ISNs come from the seed: every seed must give the same nine segments. */
    int bad_seeds = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        struct sim_config cfg;
        sim_config_defaults(&cfg);
        cfg.seed = seed;
        for (int h = 0; h < SIM_HOSTS; h++)
            cfg.link[h].rate_bps = 100000000;
        static struct seen s;
        memset(&s, 0, sizeof s);
        struct trace_sink sink = { .emit = on_record, .ctx = &s };
        s.sim = sim_create(&cfg, &sink);
        struct sim_action listen = { .kind = ACT_LISTEN, .host = 1, .port = 80 };
        struct sim_action connect = { .kind = ACT_CONNECT, .host = 0, .port = 1024, .rport = 80 };
        if (!s.sim || !sim_schedule(s.sim, 0, &listen) || !sim_schedule(s.sim, 0, &connect))
            abort();
        CHECK_EQ_INT(sim_run(s.sim), SIM_DONE);
        bool ok = s.n == NEXPECTED && s.errors == 0;
        for (size_t k = 0; ok && k < NEXPECTED; k++)
            ok = s.from[k] == expected[k].from && s.flags[k] == expected[k].flags &&
                 s.rel_seq[k] == expected[k].rel_seq && s.len[k] == expected[k].len;
        if (!ok && bad_seeds++ == 0) {
            fprintf(stderr, "seed %llu: %zu segments, %d errors:\n", (unsigned long long)seed,
                    s.n, s.errors);
            for (size_t k = 0; k < s.n; k++)
                fprintf(stderr, "  %c flags 0x%02x rel_seq %u len %u\n", s.from[k], s.flags[k],
                        s.rel_seq[k], s.len[k]);
        }
        CHECK_EQ_U64(host_sock_count(sim_host(s.sim, 0)), 0);
        sim_destroy(s.sim);
    }
    CHECK_EQ_INT(bad_seeds, 0);
}

int main(void)
{
    struct test_ctx ctx = { 0 };
    RUN_TEST(&ctx, test_lifecycle_sends_each_segment_once);
    return test_finish(&ctx);
}
