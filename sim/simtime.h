/* simtime.h: the simulation's clock type, integer nanoseconds, and unit helpers.
 * Used by every part of sim/ and render/; no floating point ever decides a time. */
#ifndef TCPSIM_SIMTIME_H
#define TCPSIM_SIMTIME_H

#include <stdint.h>

typedef int64_t sim_time;

#define SIM_NEVER INT64_MAX

static inline sim_time sim_ns(int64_t v) { return v; }
static inline sim_time sim_us(int64_t v) { return v * 1000; }
static inline sim_time sim_ms(int64_t v) { return v * 1000000; }
static inline sim_time sim_s(int64_t v) { return v * 1000000000; }

#endif
