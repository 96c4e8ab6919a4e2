/* rng.c: xoshiro256** 1.0 and SplitMix64 (Blackman and Vigna), bounded and rational draws.
 * The one randomness source of the simulation; see rng.h for who calls what. */
#include "rng.h"

uint64_t rng_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t seed)
{
    uint64_t sm = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = rng_splitmix64(&sm);
}

void rng_seed_keyed(struct rng *r, uint64_t seed, uint64_t k1, uint64_t k2, uint64_t k3)
{
    /* Fold the keys in through SplitMix64 so that nearby keys give unrelated streams. */
    uint64_t sm = seed;
    uint64_t h = rng_splitmix64(&sm);
    sm = h ^ k1;
    h = rng_splitmix64(&sm);
    sm = h ^ k2;
    h = rng_splitmix64(&sm);
    sm = h ^ k3;
    h = rng_splitmix64(&sm);
    rng_seed(r, h);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* 64x64 -> 128 multiply, split into high and low words, without compiler extensions. */
static void mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
    uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32;
    uint64_t b_lo = b & 0xffffffffu, b_hi = b >> 32;
    uint64_t p0 = a_lo * b_lo, p1 = a_lo * b_hi, p2 = a_hi * b_lo, p3 = a_hi * b_hi;
    uint64_t mid = (p0 >> 32) + (p1 & 0xffffffffu) + (p2 & 0xffffffffu);
    *lo = (mid << 32) | (p0 & 0xffffffffu);
    *hi = p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
}

uint64_t rng_below(struct rng *r, uint64_t bound)
{
    /* Lemire, "Fast Random Integer Generation in an Interval" (2019): reject the few low
     * products that would make some results more likely than others. */
    uint64_t hi, lo;
    mul64(rng_next(r), bound, &hi, &lo);
    if (lo < bound) {
        uint64_t threshold = (0 - bound) % bound;
        while (lo < threshold)
            mul64(rng_next(r), bound, &hi, &lo);
    }
    return hi;
}

int64_t rng_range(struct rng *r, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    if (span == UINT64_MAX)
        return (int64_t)rng_next(r);
    return (int64_t)((uint64_t)lo + rng_below(r, span + 1));
}

bool rng_chance(struct rng *r, uint64_t num, uint64_t den)
{
    if (den == 0 || num == 0)
        return false;
    if (num >= den)
        return true;
    return rng_below(r, den) < num;
}

int64_t rng_normal_scaled(struct rng *r, int64_t scale)
{
    /* Irwin-Hall: the sum of 12 uniforms on [0,1) less 6 has mean 0 and variance 1. Each uniform
     * is a 32-bit integer, so the sum is exact and the result identical on every machine.
     * scale must lie in [0, 2^32). */
    uint64_t sum = 0;
    for (int i = 0; i < 12; i++)
        sum += rng_next(r) >> 32;
    uint64_t s = (uint64_t)scale;
    uint64_t scaled = (sum >> 32) * s + (((sum & 0xffffffffu) * s) >> 32);
    return (int64_t)scaled - 6 * scale;
}
