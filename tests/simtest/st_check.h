/* st_check.h: the invariants simtest checks after every event of a run: legal state edges,
 * sequence-space order, delivered data an exact prefix of what the peer's application sent,
 * segment conservation across the links, and liveness (progress within a retry budget, nothing
 * left behind). Fed by the trace sink, the deliver hook, the sim tap and read-only accessors. */
#ifndef TCPSIM_ST_CHECK_H
#define TCPSIM_ST_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim.h"
#include "st_case.h"

/* Counts over many runs, for --stats. */
struct st_stats {
    uint64_t runs, events, segments, bytes_delivered;
    uint64_t edges[TCP_STATE_COUNT][TCP_STATE_COUNT]; /* state changes seen, from x to */
    uint64_t ended_normal, ended_error, left_idle;    /* connections by how they ended */
    uint64_t app_stalled;                             /* runs stopped: an app never reads */
};

struct st_check;

/* A checker for one run of case c; trace records are also printed to verbose when it is not
 * NULL. NULL when memory runs out. */
struct st_check *st_check_create(const struct st_case *c, FILE *verbose);
void st_check_destroy(struct st_check *k); /* NULL is a no-op */
/* The sink to give sim_create; then st_check_attach once the sim exists. */
struct trace_sink st_check_sink(struct st_check *k);
void st_check_attach(struct st_check *k, struct sim *sim);
/* The deliver hook and tap st_check_attach installs. Only for test_st_check.c, which installs
 * its own hooks over them and forwards altered, repeated or swallowed calls, to prove the checker
 * notices; simtest itself never needs them. */
struct st_check_hooks {
    sim_deliver_fn deliver;
    sim_tap_fn tap;
    void *ctx;
};
struct st_check_hooks st_check_hooks(struct st_check *k);
/* The user dropped copy `copy` of segment id in flight; done is what sim_drop_inflight
 * returned. False once a check has failed. */
bool st_check_user_drop(struct st_check *k, uint64_t id, int copy, bool done);
/* After every sim_step: false once a check has failed, or when the run can only go on for ever
 * because an application stopped reading (st_check_end then passes it). */
bool st_check_step(struct st_check *k);
/* After the run stopped for reason why: false if it must not have stopped so or if something
 * was left behind. */
bool st_check_end(struct st_check *k, enum sim_stop why);
/* The first failure ("" while none). */
const char *st_check_failure(const struct st_check *k);
void st_check_add_stats(const struct st_check *k, struct st_stats *into);

#endif
