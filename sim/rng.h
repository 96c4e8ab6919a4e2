/* rng.h: the simulation's only source of randomness: xoshiro256** seeded through SplitMix64.
 * Called by the link model (keyed streams), TCP (ISN) and the scenario runner; no global state. */
#ifndef TCPSIM_RNG_H
#define TCPSIM_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct rng {
    uint64_t s[4];
};

/* SplitMix64 step: advances *state and returns the next output (Vigna's reference). */
uint64_t rng_splitmix64(uint64_t *state);

/* Seed the four words of state from successive SplitMix64 outputs of seed. */
void rng_seed(struct rng *r, uint64_t seed);

/* A generator whose stream is a pure function of (seed, k1, k2, k3): a draw keyed this way does
 * not depend on how many other draws happened before it. */
void rng_seed_keyed(struct rng *r, uint64_t seed, uint64_t k1, uint64_t k2, uint64_t k3);

uint64_t rng_next(struct rng *r);

/* Uniform integer in [0, bound) without modulo bias (Lemire's multiply-and-reject); bound > 0. */
uint64_t rng_below(struct rng *r, uint64_t bound);

/* Uniform integer in [lo, hi] inclusive. */
int64_t rng_range(struct rng *r, int64_t lo, int64_t hi);

/* True with probability num/den exactly (rational probability, no floating point); den > 0. */
bool rng_chance(struct rng *r, uint64_t num, uint64_t den);

/* Approximately standard-normal integer sample scaled: returns round(N(0,1) * scale) using
 * only integer arithmetic (sum of 12 uniforms - 6, Irwin-Hall), so it is identical everywhere. */
int64_t rng_normal_scaled(struct rng *r, int64_t scale);

#endif
