/* sched.h: the discrete-event scheduler: events ordered by (time, insertion counter) in a
 * 4-ary heap with handles for O(log n) cancel. Owned by struct sim; used by sim.c. */
#ifndef TCPSIM_SCHED_H
#define TCPSIM_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "simtime.h"

typedef void (*sched_fn)(void *ctx, uint64_t arg);

/* A handle names one scheduled event; 0 is never a valid handle. Handles are not reused. */
typedef uint64_t sched_handle;

/* Heap entry: 16 bytes, so four siblings share one cache line. order is the insertion counter
 * that breaks ties; it is 32 bits wide and renumbered (keeping the relative order of pending
 * events) before it would wrap. */
struct sched_entry {
    sim_time at;
    uint32_t order;
    uint32_t slot;
};

struct sched_slot {
    sched_fn fn;
    void *ctx;
    uint64_t arg;
    uint32_t heap_index; /* SCHED_FREE when the slot holds no pending event */
    uint32_t gen;        /* bumped on every reuse, so stale handles never match */
};

struct sched {
    sim_time now;
    uint32_t next_order;   /* the next insertion counter */
    uint64_t executed;
    struct sched_entry *heap; /* 4-ary min-heap on (at, order) */
    size_t len, cap;
    bool root_vacant;         /* sched_step took the root; the next push may fill it */
    struct sched_slot *slots;
    uint32_t *free_slots;
    size_t nslots, nfree, slots_cap;
};

void sched_init(struct sched *s);
void sched_finish(struct sched *s);

/* Schedules fn(ctx, arg) at absolute time at (>= now). Returns 0 only when memory runs out. */
sched_handle sched_at(struct sched *s, sim_time at, sched_fn fn, void *ctx, uint64_t arg);
/* Cancels a pending event; false if it already ran, was cancelled, or never existed. */
bool sched_cancel(struct sched *s, sched_handle h);
bool sched_pending(const struct sched *s, sched_handle h);

size_t sched_len(const struct sched *s);
/* Time of the earliest pending event, SIM_NEVER if none. */
sim_time sched_peek_time(const struct sched *s);

/* Runs the earliest event (advancing now to its time); false if none is pending. */
bool sched_step(struct sched *s);
/* Runs events with time <= until; then sets now = until (if until is not SIM_NEVER).
 * Stops early after max_events (0 = no limit). Returns the number of events run. */
uint64_t sched_run(struct sched *s, sim_time until, uint64_t max_events);

#endif
