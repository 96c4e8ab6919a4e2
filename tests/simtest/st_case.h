/* st_case.h: one simulation-testing case drawn from a seed: both hosts' profiles (rfc9293 or
 * linux with numbers varied), both link directions, and what the applications do and when.
 * Drawn by simtest.c; st_check.c reads it to know what was sent and how long progress may stall. */
#ifndef TCPSIM_ST_CASE_H
#define TCPSIM_ST_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim.h"

#define ST_MAX_ACTIONS 96
#define ST_MAX_SEND 20000u /* bytes in one send */

struct st_action {
    sim_time at;
    struct sim_action a; /* ACT_SEND: a.data points into the case's payload buffer */
};

struct st_case {
    uint64_t seed;
    struct sim_config cfg;
    struct st_action act[ST_MAX_ACTIONS]; /* in nondecreasing time order */
    size_t nact;
    uint8_t *payload;       /* every send's bytes, back to back */
    size_t npayload, payload_cap;
    char story[512];        /* what the applications do, for --verbose */
    sim_time last_action;   /* time of the last scheduled action */
    uint32_t drop_every;    /* 0, or: every this many events the user drops a copy in flight */
    sim_time stall;         /* longest time without progress a correct run can take */
};

/* Draws the case for this seed (a pure function of it). False only when memory runs out. */
bool st_case_draw(struct st_case *c, uint64_t seed);
void st_case_finish(struct st_case *c);
/* Schedules every action on sim; false if sim refuses one. */
bool st_case_schedule(const struct st_case *c, struct sim *sim);
/* Prints the parameters and the actions, one per line. */
void st_case_describe(const struct st_case *c, FILE *out);

#endif
