/* bench_scheduler.c: scheduler throughput in the hold model of ns-3's scheduler.cc (1000 pending
 * events, each reschedules itself 1 ns..1 ms ahead until M events ran). Run by run-bench.sh. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sched.h"

#define PENDING 1000

struct hold {
    struct sched *s;
    uint64_t left;
    uint64_t x; /* xorshift64 state, the same generator and seed as scheduler.cc */
};

static uint64_t hold_rnd(struct hold *h)
{
    h->x ^= h->x << 13;
    h->x ^= h->x >> 7;
    h->x ^= h->x << 17;
    return h->x;
}

static void hold_tick(void *ctx, uint64_t arg)
{
    (void)arg;
    struct hold *h = ctx;
    if (h->left == 0)
        return;
    h->left--;
    sched_at(h->s, h->s->now + 1 + (sim_time)(hold_rnd(h) % 1000000), hold_tick, h, 0);
}

static double seconds(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) * 1e-9;
}

int main(int argc, char **argv)
{
    uint64_t m = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000;
    struct sched s;
    sched_init(&s);
    struct hold h = { .s = &s, .left = m, .x = 88172645463325252u };
    for (int i = 0; i < PENDING; i++)
        if (!sched_at(&s, (sim_time)(hold_rnd(&h) % 1000000), hold_tick, &h, 0)) {
            fprintf(stderr, "bench_scheduler: out of memory\n");
            return 1;
        }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint64_t events = sched_run(&s, SIM_NEVER, 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = seconds(&t0, &t1);
    printf("scheduler tcpsim events %" PRIu64 " wall_s %.3f\n", events, wall);
    printf("events_per_s %.0f\n", wall > 0 ? (double)events / wall : 0.0);
    sched_finish(&s);
    return 0;
}
