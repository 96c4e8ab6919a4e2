/* test_sweep_run.c: a sweep's runs and numbers: the plan's order and limits, one run's metrics
 * against what its trace says, outcomes, the statistics and summary, and workers giving the
 * same results as one process. Run by meson (suite sweep) with the scenarios' folders. */
#include <stdlib.h>

#include "sweep.h"
#include "testlib.h"

static const char *scenarios_dir, *tests_dir;

/* A file's bytes (the caller frees them), NULL if it cannot be read. */
static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(SCN_MAX_FILE_BYTES + 1);
    *len = buf ? fread(buf, 1, SCN_MAX_FILE_BYTES, f) : 0;
    fclose(f);
    if (buf)
        buf[*len] = '\0';
    return buf;
}

struct fixture {
    char *text;
    size_t len;
    struct sweep_plan plan;
};

static bool setup(struct test_ctx *t, struct fixture *fx, const char *dir, const char *name,
                  const char *const *sets, size_t nsets, uint64_t seeds)
{
    fx->text = slurp(dir, name, &fx->len);
    CHECK(fx->text != NULL);
    if (!fx->text)
        return false;
    struct sweep_error err;
    bool ok = sweep_plan_init(&fx->plan, name, fx->text, fx->len, sets, nsets, seeds, &err);
    CHECK(ok);
    if (!ok)
        fprintf(stderr, "  %s\n", err.text);
    return ok;
}

static bool run_one(struct test_ctx *t, const struct sweep_plan *p, uint64_t run,
                    struct sweep_result *out)
{
    struct sweep_runner *r = sweep_runner_create(p);
    struct sweep_error err;
    bool ok = r && sweep_runner_run(r, run, out, &err);
    CHECK(ok);
    if (!ok && r)
        fprintf(stderr, "  %s\n", err.text);
    sweep_runner_destroy(r);
    return ok;
}

TEST(full_lifecycle_metrics_match_its_trace)
{
    struct fixture fx;
    if (!setup(t, &fx, scenarios_dir, "04-full-lifecycle.scn", NULL, 0, 1)) {
        free(fx.text);
        return;
    }
    struct sweep_result r;
    if (run_one(t, &fx.plan, 0, &r)) {
        /* 10 ms links: SYN reaches B at 10 ms, SYN+ACK reaches A at 20 ms */
        CHECK_EQ_INT(r.outcome, SWEEP_COMPLETED);
        CHECK_STR(r.why, "");
        CHECK_EQ_INT(r.handshake, sim_ms(20));
        /* B's LAST_ACK ends at 420 ms; A's TIME_WAIT expiry at 240.41 s does not count */
        CHECK_EQ_INT(r.total, sim_ms(420));
        CHECK_EQ_U64(r.segments, 11); /* the file's expect segments block lists all 11 */
        CHECK_EQ_U64(r.retransmits, 0);
        CHECK_EQ_U64(r.delivered, 10); /* "hello" and "data!" */
        CHECK_EQ_U64(r.seed, 1);
        CHECK_EQ_U64(r.expects, 20); /* the expect lines of 04-full-lifecycle.scn */
        CHECK_EQ_U64(r.expects_failed, 0);
    }
    free(fx.text);
}

TEST(slower_links_and_a_set_move_the_numbers)
{
    const char *sets[] = {"A>B.delay=10ms..30ms/10ms", "B>A.delay=30ms"};
    struct fixture fx;
    if (setup(t, &fx, scenarios_dir, "04-full-lifecycle.scn", sets, 2, 2)) {
        CHECK_EQ_U64(fx.plan.combos, 3);
        CHECK_EQ_U64(fx.plan.runs, 6);
        struct sweep_result r;
        /* run 5 = combination 2 (A>B 30 ms), seed 2: handshake 30 + 30 ms */
        if (run_one(t, &fx.plan, 5, &r)) {
            CHECK_EQ_U64(r.seed, 2);
            CHECK_EQ_INT(r.handshake, sim_ms(60));
            /* B's close at 400 ms: FIN reaches A at 430 ms, the ACK reaches B at 460 ms */
            CHECK_EQ_INT(r.total, sim_ms(460));
            CHECK(r.expects_failed > 0); /* the file's timings assume 10 ms links */
        }
    }
    free(fx.text);
}

TEST(small_scenario_metrics)
{
    struct fixture fx;
    if (setup(t, &fx, tests_dir, "small.scn", NULL, 0, 1)) {
        struct sweep_result r;
        if (run_one(t, &fx.plan, 0, &r)) {
            CHECK_EQ_INT(r.outcome, SWEEP_COMPLETED);
            CHECK_EQ_INT(r.handshake, sim_ms(40));
            CHECK_EQ_INT(r.total, sim_ms(1040));
            CHECK_EQ_U64(r.delivered, 200);
            CHECK_EQ_U64(r.expects, 4);
            CHECK_EQ_U64(r.expects_failed, 0);
        }
    }
    free(fx.text);
}

TEST(outcomes_name_what_went_wrong)
{
    struct fixture fx;
    struct sweep_result r;
    if (setup(t, &fx, tests_dir, "refused.scn", NULL, 0, 1) && run_one(t, &fx.plan, 0, &r)) {
        CHECK_EQ_INT(r.outcome, SWEEP_FAILED);
        CHECK_STR(r.why, "A: connection refused");
        CHECK_EQ_INT(r.handshake, -1);
        CHECK_EQ_U64(r.expects, 0);
    }
    free(fx.text);
    if (setup(t, &fx, tests_dir, "halfclosed.scn", NULL, 0, 1) && run_one(t, &fx.plan, 0, &r)) {
        CHECK_EQ_INT(r.outcome, SWEEP_FAILED);
        CHECK_STR(r.why, "not closed: A in FIN_WAIT_2");
        char text[64];
        sweep_outcome_text(&r, text, sizeof text);
        CHECK_STR(text, "failed: not closed: A in FIN_WAIT_2");
    }
    free(fx.text);
}

/* Counts segments, retransmissions and delivered bytes with the scenario checker: the sweep's
 * numbers, written as expect lines, must all pass. */
TEST(lossy_metrics_agree_with_the_checker)
{
    struct fixture fx;
    if (!setup(t, &fx, tests_dir, "lossy-small.scn", NULL, 0, 12)) {
        free(fx.text);
        return;
    }
    struct sweep_runner *runner = sweep_runner_create(&fx.plan);
    uint64_t retransmitted = 0;
    for (uint64_t i = 0; i < fx.plan.runs && runner; i++) {
        struct sweep_result r;
        struct sweep_error err;
        CHECK(sweep_runner_run(runner, i, &r, &err));
        retransmitted += r.retransmits;
        size_t n = fx.len + 200;
        char *text = malloc(n);
        snprintf(text, n, "%.*s\nexpect count tx = %llu\nexpect count retransmits = %llu\n",
                 (int)fx.len, fx.text, (unsigned long long)r.segments,
                 (unsigned long long)r.retransmits);
        struct scn *s = NULL;
        struct scn_error e;
        char seed[32];
        snprintf(seed, sizeof seed, "seed=%llu", (unsigned long long)r.seed);
        CHECK(scn_parse_string("x.scn", text, strlen(text), &s, &e) && scn_set(s, seed, &e));
        struct scn_check *chk = scn_check_begin(s);
        struct trace_sink sink = scn_check_sink(chk);
        struct sim *sim = scn_build(s, &sink, &e);
        CHECK(sim && sim_run(sim) == SIM_DONE);
        CHECK_EQ_U64(scn_check_end(chk), 0);
        for (size_t k = 0; k < scn_check_failure_count(chk); k++)
            fprintf(stderr, "  seed %llu: %s\n", (unsigned long long)r.seed,
                    scn_check_failure(chk, k)->summary);
        sim_destroy(sim);
        scn_check_destroy(chk);
        scn_free(s);
        free(text);
    }
    CHECK(retransmitted > 0); /* 30% loss: the comparison covered retransmissions */
    sweep_runner_destroy(runner);
    free(fx.text);
}

static struct trace_rec rec(sim_time t, enum trace_ev ev, char host, int32_t sock)
{
    struct trace_rec r;
    memset(&r, 0, sizeof r);
    r.t = t;
    r.ev = ev;
    r.host = host;
    r.sock = sock;
    return r;
}

static struct trace_rec state(sim_time t, char host, int32_t sock, enum tcp_state from,
                              enum tcp_state to)
{
    struct trace_rec r = rec(t, TR_STATE, host, sock);
    r.u.state.from = from;
    r.u.state.to = to;
    return r;
}

static struct trace_rec app(sim_time t, char host, int32_t sock, enum app_action a, uint64_t n)
{
    struct trace_rec r = rec(t, TR_APP, host, sock);
    r.u.app.action = a;
    r.u.app.bytes = n;
    return r;
}

TEST(metrics_from_records)
{
    struct sweep_metrics m;
    sweep_metrics_init(&m);
    struct trace_rec rs[] = {
        app(0, 'A', 3, APP_CONNECT, 0),
        state(0, 'A', 3, TCP_CLOSED, TCP_SYN_SENT),
        state(sim_ms(7), 'A', 3, TCP_SYN_SENT, TCP_ESTABLISHED),
        rec(sim_ms(9), TR_CAPTION, 0, -1),
        state(sim_ms(50), 'A', 3, TCP_ESTABLISHED, TCP_TIME_WAIT),
        rec(sim_ms(60), TR_TIMER, 'A', 3),
        state(sim_s(240), 'A', 3, TCP_TIME_WAIT, TCP_CLOSED),
        app(sim_s(240), 'A', 3, APP_CLOSED, 0),
    };
    for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++)
        sweep_metrics_record(&m, &rs[i]);
    struct sweep_result r;
    memset(&r, 0, sizeof r);
    sweep_metrics_finish(&m, SIM_DONE, &r);
    CHECK_EQ_INT(r.outcome, SWEEP_COMPLETED);
    CHECK_EQ_INT(r.handshake, sim_ms(7));
    CHECK_EQ_INT(r.total, sim_ms(50)); /* not the caption, timer or TIME_WAIT expiry */

    sweep_metrics_finish(&m, SIM_LIMIT_EVENTS, &r);
    CHECK_EQ_INT(r.outcome, SWEEP_LIMIT);
    CHECK_STR(r.why, "max_events");

    /* data not delivered, then an error, which comes first */
    struct trace_rec send = app(sim_ms(8), 'A', 3, APP_SEND, 100);
    struct trace_rec deliver = app(sim_ms(30), 'B', 1, APP_DELIVER, 40);
    sweep_metrics_record(&m, &send);
    sweep_metrics_record(&m, &deliver);
    sweep_metrics_finish(&m, SIM_DONE, &r);
    CHECK_EQ_INT(r.outcome, SWEEP_FAILED);
    CHECK_STR(r.why, "B got 40 of 100 bytes");
    CHECK_EQ_U64(r.delivered, 40);
    struct trace_rec error = app(sim_ms(70), 'B', 1, APP_ERROR, 0);
    snprintf(error.note, sizeof error.note, "connection reset");
    sweep_metrics_record(&m, &error);
    sweep_metrics_finish(&m, SIM_DONE, &r);
    CHECK_STR(r.why, "B: connection reset");
    CHECK_EQ_INT(r.total, sim_ms(70));

    /* a connection that never got past SYN_SENT */
    sweep_metrics_init(&m);
    struct trace_rec c = app(0, 'B', 0, APP_CONNECT, 0);
    sweep_metrics_record(&m, &c);
    sweep_metrics_finish(&m, SIM_DONE, &r);
    CHECK_STR(r.why, "not established");
    CHECK_EQ_INT(r.handshake, -1);
}

TEST(retransmissions_start_below_the_highest_sent)
{
    struct sweep_metrics m;
    sweep_metrics_init(&m);
    static const struct { uint8_t flags; uint32_t seq; uint16_t len; } segs[] = {
        {SEG_SYN, 0, 0},            /* new */
        {SEG_SYN, 0, 0},            /* again: retransmission */
        {SEG_ACK, 1, 0},            /* no sequence space: never counted */
        {SEG_ACK, 1, 0},
        {SEG_ACK | SEG_PSH, 1, 50}, /* new */
        {SEG_ACK | SEG_PSH, 1, 50}, /* retransmission */
        {SEG_ACK | SEG_FIN, 51, 0}, /* new */
    };
    for (size_t i = 0; i < sizeof segs / sizeof segs[0]; i++) {
        struct trace_rec r = rec(sim_ms((int64_t)i), TR_TX, 'A', 0);
        r.u.tx.seg.flags = segs[i].flags;
        r.u.tx.seg.rel_seq = segs[i].seq;
        r.u.tx.seg.len = segs[i].len;
        sweep_metrics_record(&m, &r);
    }
    struct sweep_result r;
    sweep_metrics_finish(&m, SIM_DONE, &r);
    CHECK_EQ_U64(r.segments, 7);
    CHECK_EQ_U64(r.retransmits, 2);
    CHECK_STR(r.why, "no connect");
}

TEST(statistics_are_exact)
{
    sim_time a[] = {5, 1, 3, 2, 4};
    struct sweep_stat s;
    sweep_stat_compute(a, 5, &s);
    CHECK_EQ_U64(s.n, 5);
    CHECK_EQ_INT(s.mean, 3);
    CHECK_EQ_INT(s.median, 3);
    CHECK_EQ_INT(s.p90, 5);
    sim_time b[] = {40, 10, 30, 20};
    sweep_stat_compute(b, 4, &s);
    CHECK_EQ_INT(s.mean, 25);
    CHECK_EQ_INT(s.median, 20); /* rank ceil(4/2) = 2 */
    CHECK_EQ_INT(s.p90, 40);    /* rank ceil(3.6) = 4 */
    sim_time c[] = {1, 2};
    sweep_stat_compute(c, 2, &s);
    CHECK_EQ_INT(s.mean, 2); /* 1.5 rounds up */
    sim_time d[] = {1, 1, 2};
    sweep_stat_compute(d, 3, &s);
    CHECK_EQ_INT(s.mean, 1); /* 1.33 */
    sim_time e[] = {INT64_MAX, INT64_MAX - 1, INT64_MAX};
    sweep_stat_compute(e, 3, &s);
    CHECK_EQ_INT(s.mean, INT64_MAX); /* the sum overflows 64 bits; the mean does not */
    sim_time f[20];
    for (int i = 0; i < 20; i++)
        f[i] = (sim_time)(20 - i) * 1000;
    sweep_stat_compute(f, 20, &s);
    CHECK_EQ_INT(s.mean, 10500);
    CHECK_EQ_INT(s.median, 10000);
    CHECK_EQ_INT(s.p90, 18000); /* rank 18 of 20 */
    sweep_stat_compute(f, 0, &s);
    CHECK_EQ_U64(s.n, 0);
    CHECK_EQ_INT(s.mean, 0);
}

TEST(summary_rows_per_combination)
{
    const char *sets[] = {"link.loss=0%..40%/20%"};
    struct fixture fx;
    if (!setup(t, &fx, tests_dir, "small.scn", sets, 1, 4)) {
        free(fx.text);
        return;
    }
    struct sweep_summary sum;
    CHECK(sweep_summary_init(&sum, &fx.plan));
    struct sweep_runner *runner = sweep_runner_create(&fx.plan);
    sim_time tot[3][4];
    uint64_t failures[3] = {0};
    for (uint64_t i = 0; i < fx.plan.runs && runner; i++) {
        struct sweep_result r;
        struct sweep_error err;
        CHECK(sweep_runner_run(runner, i, &r, &err));
        tot[i / 4][i % 4] = r.total;
        failures[i / 4] += r.outcome != SWEEP_COMPLETED;
        CHECK(sweep_summary_add(&sum, &r));
    }
    CHECK_EQ_U64(sum.nrows, 3);
    for (size_t c = 0; c < 3 && sum.nrows == 3; c++) {
        struct sweep_stat want;
        sweep_stat_compute(tot[c], 4, &want);
        CHECK_EQ_U64(sum.rows[c].combo, c);
        CHECK_EQ_U64(sum.rows[c].runs, 4);
        CHECK_EQ_U64(sum.rows[c].failures, failures[c]);
        CHECK_EQ_INT(sum.rows[c].total.mean, want.mean);
        CHECK_EQ_INT(sum.rows[c].total.p90, want.p90);
    }
    if (sum.nrows == 3) {
        char v[SWEEP_VALUE_MAX];
        CHECK_EQ_U64(sweep_summary_value(&sum, 2, 0, v, sizeof v), 2);
        CHECK_STR(v, "40%");
        CHECK_EQ_INT(sum.rows[0].handshake.median, sim_ms(40)); /* no loss */
        CHECK_EQ_INT(sum.rows[0].total.mean, sim_ms(1040));
    }
    sweep_runner_destroy(runner);
    sweep_summary_finish(&sum);
    free(fx.text);
}

TEST(plan_orders_runs_and_caps_them)
{
    const char *sets[] = {"A>B.loss=0%..20%/10%", "time_wait=1s", "link.delay=10ms..20ms/10ms"};
    struct fixture fx;
    if (setup(t, &fx, tests_dir, "small.scn", sets, 3, 5)) {
        CHECK_EQ_U64(fx.plan.nranges, 2);
        CHECK_EQ_U64(fx.plan.combos, 6);
        CHECK_EQ_U64(fx.plan.runs, 30);
        uint64_t k[SWEEP_MAX_SETS];
        sweep_plan_values(&fx.plan, 3, k); /* the last range varies fastest */
        CHECK_EQ_U64(k[0], 1);
        CHECK_EQ_U64(k[1], 1);
    }
    free(fx.text);
    struct sweep_error err;
    const char *many[] = {"link.loss=0%..100%/1%", "link.delay=1ms..100ms/1ms"};
    fx.text = slurp(tests_dir, "small.scn", &fx.len);
    CHECK(!sweep_plan_init(&fx.plan, "small.scn", fx.text, fx.len, many, 2, 100, &err));
    CHECK_STR(err.text, "tcpsim sweep: error: more than 1000000 runs: 100 seeds x 101 values of "
                        "link.loss x 100 values of link.delay (use fewer seeds or values)");
    /* each value is tried on the scenario before anything runs */
    const char *over[] = {"link.loss=0%..150%/50%"};
    CHECK(!sweep_plan_init(&fx.plan, "small.scn", fx.text, fx.len, over, 1, 1, &err));
    CHECK_STR(err.text, "--set:1:11: error: percentage above 100% near '150%'");
    const char *seed[] = {"seed=3"};
    CHECK(!sweep_plan_init(&fx.plan, "small.scn", fx.text, fx.len, seed, 1, 1, &err));
    CHECK_STR(err.text, "--set:1:1: error: a sweep runs seeds 1..N (--seeds N), not --set seed "
                        "near 'seed=3'");
    /* more overrides of profile keys than the settings vector first held */
    const char *keys[] = {"mss=536..1460/4"};
    CHECK(sweep_plan_init(&fx.plan, "small.scn", fx.text, fx.len, keys, 1, 1, &err));
    CHECK_EQ_U64(fx.plan.runs, 232);
    free(fx.text);
}

struct collected {
    struct sweep_result *r;
    size_t n, cap;
};

static bool collect(void *ctx, const struct sweep_result *r)
{
    struct collected *c = ctx;
    if (c->n == c->cap)
        return false;
    memcpy(&c->r[c->n++], r, sizeof *r); /* padding too: the arrays are compared whole */
    return true;
}

/* 210 runs make 4 blocks of 64, so up to 4 workers each get some. */
TEST(workers_give_the_same_results)
{
    const char *sets[] = {"link.loss=0%..30%/15%"};
    struct fixture fx;
    if (!setup(t, &fx, tests_dir, "lossy-small.scn", sets, 1, 70)) {
        free(fx.text);
        return;
    }
    struct collected one = {calloc(210, sizeof *one.r), 0, 210};
    struct sweep_error err;
    CHECK(one.r && sweep_jobs_run(&fx.plan, 1, collect, &one, &err));
    CHECK_EQ_U64(one.n, 210);
    for (unsigned jobs = 2; jobs <= 4; jobs++) {
        struct collected many = {calloc(210, sizeof *many.r), 0, 210};
        CHECK(many.r && sweep_jobs_run(&fx.plan, jobs, collect, &many, &err));
        CHECK_EQ_U64(many.n, 210);
        CHECK(many.r && memcmp(one.r, many.r, 210 * sizeof *one.r) == 0);
        free(many.r);
    }
    for (size_t i = 0; i < one.n; i++)
        CHECK_EQ_U64(one.r[i].run, i);
    /* an emit that stops the sweep stops it, workers or not */
    struct collected few = {calloc(5, sizeof *few.r), 0, 5};
    CHECK(!sweep_jobs_run(&fx.plan, 3, collect, &few, &err));
    CHECK_EQ_U64(few.n, 5);
    free(few.r);
    /* a run that cannot be set up stops the sweep with its reason, from a worker or not */
    fx.plan.len = 0; /* an empty scenario: it has no at line */
    for (unsigned jobs = 1; jobs <= 3; jobs += 2) {
        struct collected none = {calloc(210, sizeof *none.r), 0, 210};
        CHECK(!sweep_jobs_run(&fx.plan, jobs, collect, &none, &err));
        CHECK_EQ_U64(none.n, 0);
        CHECK(strstr(err.text, "lossy-small.scn") && strstr(err.text, "error: "));
        free(none.r);
    }
    free(one.r);
    free(fx.text);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_sweep_run SCENARIOS_DIR TESTS_SWEEP_DIR\n");
        return 2;
    }
    scenarios_dir = argv[1];
    tests_dir = argv[2];
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, full_lifecycle_metrics_match_its_trace);
    RUN_TEST(&ctx, slower_links_and_a_set_move_the_numbers);
    RUN_TEST(&ctx, small_scenario_metrics);
    RUN_TEST(&ctx, outcomes_name_what_went_wrong);
    RUN_TEST(&ctx, lossy_metrics_agree_with_the_checker);
    RUN_TEST(&ctx, metrics_from_records);
    RUN_TEST(&ctx, retransmissions_start_below_the_highest_sent);
    RUN_TEST(&ctx, statistics_are_exact);
    RUN_TEST(&ctx, summary_rows_per_combination);
    RUN_TEST(&ctx, plan_orders_runs_and_caps_them);
    RUN_TEST(&ctx, workers_give_the_same_results);
    return test_finish(&ctx);
}
