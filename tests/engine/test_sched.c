/* test_sched.c: unit tests of the event scheduler (sim/sched.c): ordering, ties, cancel, running
 * to a time or a count, a randomized comparison with a sorted-array reference. Suite 'engine'. */
#include <stdlib.h>

#include "rng.h"
#include "sched.h"
#include "testlib.h"

#define LOG_MAX 4096

/* What the callbacks saw: the arg of every event run, and the clock when it ran. */
struct log {
    struct sched *s;
    uint64_t arg[LOG_MAX];
    sim_time at[LOG_MAX];
    size_t n;
    /* For callbacks that act on the scheduler. */
    sched_handle target;
    bool cancel_result;
    bool pending_result;
    size_t len_seen;
    sim_time peek_seen;
};

static void record(void *ctx, uint64_t arg)
{
    struct log *l = ctx;
    if (l->n < LOG_MAX) {
        l->arg[l->n] = arg;
        l->at[l->n] = l->s->now;
        l->n++;
    }
}

static void log_init(struct log *l, struct sched *s)
{
    memset(l, 0, sizeof *l);
    l->s = s;
}

TEST(test_orders_by_time)
{
    struct sched s;
    struct log l;
    sched_init(&s);
    log_init(&l, &s);
    const sim_time times[] = { 50, 10, 40, 20, 30, 0, 70, 60 };
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
        CHECK(sched_at(&s, times[i], record, &l, (uint64_t)times[i]) != 0);
    CHECK_EQ_INT(sched_len(&s), 8);
    CHECK_EQ_INT(sched_peek_time(&s), 0);
    CHECK_EQ_INT(sched_run(&s, SIM_NEVER, 0), 8);
    CHECK_EQ_INT(l.n, 8);
    for (size_t i = 0; i < l.n; i++) {
        CHECK_EQ_INT(l.arg[i], (uint64_t)(i * 10));
        CHECK_EQ_INT(l.at[i], (sim_time)(i * 10));
    }
    CHECK_EQ_INT(sched_len(&s), 0);
    CHECK_EQ_INT(sched_peek_time(&s), SIM_NEVER);
    CHECK_EQ_INT(s.now, 70);
    CHECK_EQ_U64(s.executed, 8);
    sched_finish(&s);
}

TEST(test_ties_run_in_insertion_order)
{
    struct sched s;
    struct log l;
    sched_init(&s);
    log_init(&l, &s);
    /* 300 events at three times, inserted round robin: each time's events keep their order. */
    for (uint64_t i = 0; i < 300; i++)
        sched_at(&s, (sim_time)(100 * (2 - i % 3)), record, &l, i);
    CHECK_EQ_INT(sched_run(&s, SIM_NEVER, 0), 300);
    size_t k = 0;
    for (int time = 0; time < 3; time++)
        for (uint64_t i = 0; i < 300; i++)
            if (100 * (2 - (int)(i % 3)) == 100 * time) {
                CHECK_EQ_U64(l.arg[k], i);
                k++;
            }
    CHECK_EQ_INT(k, 300);
    sched_finish(&s);
}

TEST(test_past_times_run_now)
{
    struct sched s;
    struct log l;
    sched_init(&s);
    log_init(&l, &s);
    sched_at(&s, 1000, record, &l, 1);
    sched_run(&s, SIM_NEVER, 0);
    sched_at(&s, 5, record, &l, 2); /* in the past: clamped to now, never runs backwards */
    sched_run(&s, SIM_NEVER, 0);
    CHECK_EQ_INT(l.n, 2);
    CHECK_EQ_INT(l.at[1], 1000);
    sched_finish(&s);
}

TEST(test_cancel_pending_and_stale)
{
    struct sched s;
    struct log l;
    sched_init(&s);
    log_init(&l, &s);
    sched_handle a = sched_at(&s, 10, record, &l, 1);
    sched_handle b = sched_at(&s, 20, record, &l, 2);
    sched_handle c = sched_at(&s, 30, record, &l, 3);
    CHECK(a != 0 && b != 0 && c != 0);
    CHECK(a != b && b != c);
    CHECK(sched_pending(&s, b));
    CHECK(sched_cancel(&s, b));
    CHECK(!sched_pending(&s, b));
    CHECK(!sched_cancel(&s, b)); /* twice */
    CHECK(!sched_cancel(&s, 0)); /* never valid */
    CHECK(!sched_cancel(&s, (sched_handle)12345)); /* no such slot */
    CHECK_EQ_INT(sched_len(&s), 2);
    CHECK_EQ_INT(sched_run(&s, 10, 0), 1);
    CHECK(!sched_pending(&s, a)); /* already ran */
    CHECK(!sched_cancel(&s, a));
    /* a's slot is reused by the next event: a's handle must not name it. */
    sched_handle d = sched_at(&s, 40, record, &l, 4);
    CHECK(d != a);
    CHECK(!sched_cancel(&s, a));
    CHECK(!sched_cancel(&s, b));
    CHECK(sched_pending(&s, d));
    CHECK_EQ_INT(sched_run(&s, SIM_NEVER, 0), 2);
    CHECK_EQ_INT(l.n, 3);
    CHECK_EQ_U64(l.arg[0], 1);
    CHECK_EQ_U64(l.arg[1], 3);
    CHECK_EQ_U64(l.arg[2], 4);
    sched_finish(&s);
}

TEST(test_cancel_root_and_last)
{
    struct sched s;
    struct log l;
    sched_init(&s);
    log_init(&l, &s);
    sched_handle h[20];
    for (uint64_t i = 0; i < 20; i++)
        h[i] = sched_at(&s, (sim_time)(i * 7 % 20), record, &l, i);
    /* The earliest (time 0 is i = 0) and the one inserted last. */
    CHECK(sched_cancel(&s, h[0]));
    CHECK(sched_cancel(&s, h[19]));
    CHECK_EQ_INT(sched_peek_time(&s), 1);
    CHECK_EQ_INT(sched_run(&s, SIM_NEVER, 0), 18);
    for (size_t i = 1; i < l.n; i++)
        CHECK(l.at[i - 1] < l.at[i]);
    sched_finish(&s);
}

static void cancel_target(void *ctx, uint64_t arg)
{
    struct log *l = ctx;
    record(ctx, arg);
    l->pending_result = sched_pending(l->s, l->target);
    l->cancel_result = sched_cancel(l->s, l->target);
}

TEST(test_cancel_running_event)
{
    struct sched s;
    struct log l;
    sched_init(&s);
    log_init(&l, &s);
    l.target = sched_at(&s, 10, cancel_target, &l, 1);
    l.cancel_result = true;
    l.pending_result = true;
    sched_at(&s, 20, record, &l, 2);
    CHECK_EQ_INT(sched_run(&s, SIM_NEVER, 0), 2);
    CHECK(!l.pending_result); /* the running event is no longer pending */
    CHECK(!l.cancel_result);
    CHECK_EQ_INT(l.n, 2);
    sched_finish(&s);
}

TEST(test_cancel_from_callback)
{
    struct sched s;
    struct log l;
    sched_init(&s);
    log_init(&l, &s);
    sched_at(&s, 10, cancel_target, &l, 1);
    /* Same time as the running event and later: both are cancelled from inside a callback. */
    l.target = sched_at(&s, 10, record, &l, 2);
    sched_at(&s, 15, record, &l, 3);
    CHECK_EQ_INT(sched_run(&s, 10, 0), 1);
    CHECK(l.cancel_result);
    CHECK_EQ_INT(l.n, 1);
    l.target = sched_at(&s, 30, record, &l, 4);
    sched_at(&s, 20, cancel_target, &l, 5);
    CHECK_EQ_INT(sched_run(&s, SIM_NEVER, 0), 2);
    CHECK(l.cancel_result);
    CHECK_EQ_INT(l.n, 3);
    CHECK_EQ_U64(l.arg[1], 3);
    CHECK_EQ_U64(l.arg[2], 5);
    sched_finish(&s);
}

/* Reschedules itself (arg - 1 more times) and looks at the queue from inside the callback. */
static void chain(void *ctx, uint64_t arg)
{
    struct log *l = ctx;
    record(ctx, arg);
    l->len_seen = sched_len(l->s);
    l->peek_seen = sched_peek_time(l->s);
    if (arg > 0)
        sched_at(l->s, l->s->now, chain, l, arg - 1);
}

TEST(test_schedule_from_callback)
{
    struct sched s;
    struct log l;
    sched_init(&s);
    log_init(&l, &s);
    sched_at(&s, 5, chain, &l, 2);
    sched_at(&s, 5, record, &l, 100);
    sched_at(&s, 6, record, &l, 101);
    sched_at(&s, 5, record, &l, 102);
    CHECK(sched_step(&s));
    /* Inside the callback the running event no longer counts and the next one is still at 5. */
    CHECK_EQ_INT(l.len_seen, 3);
    CHECK_EQ_INT(l.peek_seen, 5);
    CHECK_EQ_INT(sched_run(&s, SIM_NEVER, 0), 5);
    /* Events scheduled at now from a callback run after those already waiting at now. */
    const uint64_t want[] = { 2, 100, 102, 1, 0, 101 };
    CHECK_EQ_INT(l.n, 6);
    for (size_t i = 0; i < 6; i++)
        CHECK_EQ_U64(l.arg[i], want[i]);
    CHECK_EQ_INT(l.len_seen, 1);
    CHECK_EQ_INT(l.peek_seen, 6);
    sched_finish(&s);
}

TEST(test_peek_inside_callback)
{
    struct sched s;
    struct log l;
    sched_init(&s);
    log_init(&l, &s);
    struct rng r;
    rng_seed(&r, 7);
    /* Many layouts of the heap below a running event: the peek must always find the minimum. */
    for (int round = 0; round < 200; round++) {
        sched_at(&s, s.now, chain, &l, 0);
        sim_time min = SIM_NEVER;
        size_t count = 1 + (size_t)rng_below(&r, 40);
        for (size_t i = 0; i < count; i++) {
            sim_time at = s.now + 1 + (sim_time)rng_below(&r, 1000);
            min = at < min ? at : min;
            sched_at(&s, at, record, &l, i);
        }
        CHECK(sched_step(&s));
        CHECK_EQ_INT(l.peek_seen, min);
        CHECK_EQ_INT(l.len_seen, count);
        sched_run(&s, SIM_NEVER, 0);
    }
    sched_finish(&s);
}

TEST(test_step_and_run_limits)
{
    struct sched s;
    struct log l;
    sched_init(&s);
    log_init(&l, &s);
    CHECK(!sched_step(&s)); /* empty */
    CHECK_EQ_INT(sched_run(&s, SIM_NEVER, 0), 0);
    for (uint64_t i = 1; i <= 10; i++)
        sched_at(&s, (sim_time)(i * 100), record, &l, i);
    /* Until a time: events at or before it run, then the clock stands at it. */
    CHECK_EQ_INT(sched_run(&s, 350, 0), 3);
    CHECK_EQ_INT(s.now, 350);
    CHECK_EQ_INT(sched_run(&s, 400, 0), 1); /* an event exactly at until runs */
    CHECK_EQ_INT(s.now, 400);
    /* An event count: stops early, the clock stays at the last event. */
    CHECK_EQ_INT(sched_run(&s, SIM_NEVER, 2), 2);
    CHECK_EQ_INT(s.now, 600);
    CHECK(sched_step(&s));
    CHECK_EQ_INT(s.now, 700);
    /* Until empty. */
    CHECK_EQ_INT(sched_run(&s, SIM_NEVER, 0), 3);
    CHECK_EQ_INT(s.now, 1000);
    CHECK(!sched_step(&s));
    CHECK_EQ_INT(sched_run(&s, 5000, 0), 0);
    CHECK_EQ_INT(s.now, 5000);
    CHECK_EQ_INT(l.n, 10);
    sched_finish(&s);
}

TEST(test_interleaved_schedule_and_run)
{
    struct sched s;
    struct log l;
    sched_init(&s);
    log_init(&l, &s);
    sched_at(&s, 100, record, &l, 1);
    sched_at(&s, 300, record, &l, 3);
    CHECK_EQ_INT(sched_run(&s, 150, 0), 1);
    sched_at(&s, 200, record, &l, 2);
    sched_at(&s, 150, record, &l, 0); /* at now */
    CHECK_EQ_INT(sched_run(&s, SIM_NEVER, 0), 3);
    CHECK_EQ_U64(l.arg[1], 0);
    CHECK_EQ_U64(l.arg[2], 2);
    CHECK_EQ_U64(l.arg[3], 3);
    CHECK_EQ_INT(l.at[1], 150);
    sched_finish(&s);
}

TEST(test_insertion_counter_renumbering)
{
    struct sched s;
    struct log l;
    sched_init(&s);
    log_init(&l, &s);
    for (uint64_t i = 0; i < 5; i++)
        sched_at(&s, 10, record, &l, i);
    sched_at(&s, 5, record, &l, 99);
    /* Skip ahead to just before the 32-bit counter wraps (a test-only shortcut past 4 billion
     * insertions): the ties at 10 must still run in insertion order across the renumbering. */
    s.next_order = UINT32_MAX - 2;
    for (uint64_t i = 5; i < 10; i++)
        sched_at(&s, 10, record, &l, i);
    CHECK(s.next_order < 100);
    CHECK_EQ_INT(sched_run(&s, SIM_NEVER, 0), 11);
    CHECK_EQ_U64(l.arg[0], 99);
    for (uint64_t i = 0; i < 10; i++)
        CHECK_EQ_U64(l.arg[i + 1], i);
    sched_finish(&s);
}

/* The randomized reference: pending events in a sorted array of (time, serial). */
struct ref_ev {
    sim_time at;
    uint64_t serial;
    sched_handle h;
};

struct fuzz {
    struct sched *s;
    uint64_t ran_serial;
    sim_time ran_at;
    size_t ran;
};

static void fuzz_ran(void *ctx, uint64_t arg)
{
    struct fuzz *f = ctx;
    f->ran_serial = arg;
    f->ran_at = f->s->now;
    f->ran++;
}

TEST(test_randomized_against_reference)
{
    enum { OPS = 100000, CAP = 4096 };
    struct sched s;
    sched_init(&s);
    struct fuzz f = { .s = &s };
    struct ref_ev *ref = calloc(CAP, sizeof *ref);
    sched_handle *dead = calloc(OPS, sizeof *dead);
    CHECK(ref && dead);
    if (!ref || !dead) {
        free(ref);
        free(dead);
        return;
    }
    size_t n = 0, ndead = 0;
    uint64_t serial = 0;
    struct rng r;
    rng_seed(&r, 20240501);
    int mismatches = 0;
    for (int op = 0; op < OPS && mismatches < 5; op++) {
        uint64_t kind = rng_below(&r, 10);
        if (kind < 4 && n < CAP) {
            /* Schedule: small time range so ties are frequent. */
            sim_time at = s.now + (sim_time)rng_below(&r, 50);
            sched_handle h = sched_at(&s, at, fuzz_ran, &f, serial);
            size_t pos = n;
            while (pos > 0 && ref[pos - 1].at > at)
                pos--;
            memmove(&ref[pos + 1], &ref[pos], (n - pos) * sizeof *ref);
            ref[pos] = (struct ref_ev){ .at = at, .serial = serial, .h = h };
            n++;
            serial++;
        } else if (kind < 6 && n > 0) {
            size_t k = (size_t)rng_below(&r, n);
            if (!sched_cancel(&s, ref[k].h))
                mismatches++;
            dead[ndead++] = ref[k].h;
            memmove(&ref[k], &ref[k + 1], (n - k - 1) * sizeof *ref);
            n--;
        } else if (kind < 7 && ndead > 0) {
            if (sched_cancel(&s, dead[rng_below(&r, ndead)]))
                mismatches++;
        } else {
            size_t before_ran = f.ran;
            bool stepped = sched_step(&s);
            if (stepped != (n > 0)) {
                mismatches++;
                continue;
            }
            if (!stepped)
                continue;
            if (f.ran != before_ran + 1 || f.ran_serial != ref[0].serial || f.ran_at != ref[0].at)
                mismatches++;
            dead[ndead++] = ref[0].h;
            memmove(&ref[0], &ref[1], (n - 1) * sizeof *ref);
            n--;
        }
        if (sched_len(&s) != n || sched_peek_time(&s) != (n ? ref[0].at : SIM_NEVER))
            mismatches++;
    }
    CHECK_EQ_INT(mismatches, 0);
    CHECK(serial > 30000);
    CHECK_EQ_INT(sched_run(&s, SIM_NEVER, 0), n);
    free(ref);
    free(dead);
    sched_finish(&s);
}

int main(void)
{
    struct test_ctx ctx = { 0 };
    RUN_TEST(&ctx, test_orders_by_time);
    RUN_TEST(&ctx, test_ties_run_in_insertion_order);
    RUN_TEST(&ctx, test_past_times_run_now);
    RUN_TEST(&ctx, test_cancel_pending_and_stale);
    RUN_TEST(&ctx, test_cancel_root_and_last);
    RUN_TEST(&ctx, test_cancel_running_event);
    RUN_TEST(&ctx, test_cancel_from_callback);
    RUN_TEST(&ctx, test_schedule_from_callback);
    RUN_TEST(&ctx, test_peek_inside_callback);
    RUN_TEST(&ctx, test_step_and_run_limits);
    RUN_TEST(&ctx, test_interleaved_schedule_and_run);
    RUN_TEST(&ctx, test_insertion_counter_renumbering);
    RUN_TEST(&ctx, test_randomized_against_reference);
    return test_finish(&ctx);
}
