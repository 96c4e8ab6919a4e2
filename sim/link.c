/* link.c: one direction of the simulated path: gives every offered segment its fate and the
 * arrival times of its copies. Called by sim.c only; it never touches the scheduler or trace.
 *
 * Why the stages run in the order link.h lists:
 * - down first: nothing crosses a link that is down, whatever else is configured.
 * - MTU next: the sending interface refuses a packet too large for it before it is queued, so
 *   it costs no queue space and no transmitter time.
 * - scripted drop before anything random: a lesson's "drop the first SYN+ACK" must hit the
 *   segment it names whatever the random settings are, and the segment then never takes queue
 *   space. The other scripted actions apply at the stage of their kind (corrupt at 6,
 *   duplicate at 7, extra delay at 9).
 * - queue and rate before loss: random loss stands for the wire and the path beyond the
 *   transmitter, so a lost segment has still occupied the queue and the transmitter, as on a
 *   real link; a segment the queue refused never reached the wire and so is never also "lost".
 * - loss before corruption, duplication and reordering: a lost segment has nothing left to
 *   corrupt, copy or hold back.
 * - corruption before duplication: the duplicate copies the frame as it travels, so both copies
 *   carry the flipped bit.
 * - reordering holds the segment (both copies) back on its path, after it was copied.
 * - delay and jitter last: they add up the time each copy spends on the path; each copy draws
 *   its own jitter, and a copy never arrives before its last bit left the transmitter.
 * Fate precedence (one fate per segment): dropped (nothing arrives), corrupted (what arrives
 * fails the receiver's checksum), duplicated, reordered, delivered: the more consequential to the
 * receiving TCP first. The note names every stage that acted, in stage order. */
#include "link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

#define IPV4_HEADER_LEN 20u

_Static_assert(LINK_MAX_FAULTS <= 64, "fired faults are a 64-bit set");

/* The second key of every stream: which decision it makes. Never renumber: it would change
 * every seeded run. */
enum link_stream {
    STREAM_LOSS = 1,
    STREAM_GILBERT = 2,
    STREAM_CORRUPT = 3,
    STREAM_DUPLICATE = 4,
    STREAM_REORDER = 5,
    STREAM_JITTER = 6,
    STREAM_SCRIPT = 7,
};

static void stream(const struct link *l, enum link_stream which, uint64_t ordinal, struct rng *r)
{
    rng_seed_keyed(r, l->seed, (uint64_t)l->dir, (uint64_t)which, ordinal);
}

static bool ratio_on(struct ratio r)
{
    return r.num > 0 && r.den > 0;
}

/* One decision with probability r for the segment with this ordinal, from its own stream. */
static bool decide(const struct link *l, enum link_stream which, uint64_t ordinal, struct ratio r)
{
    if (!ratio_on(r))
        return false;
    struct rng g;
    stream(l, which, ordinal, &g);
    return rng_chance(&g, r.num, r.den);
}

/* ---- Gilbert-Elliott ------------------------------------------------------------------------ */

static uint64_t gcd(uint64_t a, uint64_t b)
{
    while (b != 0) { /* Euclid: at most 93 steps for 64-bit operands */
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static struct ratio ratio_make(uint64_t num, uint64_t den)
{
    uint64_t g = gcd(num, den);
    if (g > 1) {
        num /= g;
        den /= g;
    }
    return (struct ratio){ num, den };
}

/* Terms below 2^32 keep every product below exact in 64 bits. Larger terms (more than nine
 * decimal places of a percentage) are scaled down together, changing the value by < 2^-31. */
static struct ratio ratio_fit32(struct ratio r)
{
    r = ratio_make(r.num, r.den);
    for (int i = 0; i < 64 && (r.num >> 32 || r.den >> 32); i++) {
        r.num >>= 1;
        r.den >>= 1;
    }
    if (r.den == 0)
        r.den = 1;
    return r;
}

/* Two-state Gilbert model with an all-loss bad state, from the overall loss rate L and the mean
 * burst length B: P(bad->good) = 1/B, P(good->bad) = L / (B (1 - L)), as exact rationals. The
 * bad state then lasts B segments on average and is occupied a fraction L of the time. */
static void gilbert_setup(struct link *l)
{
    struct ratio loss = ratio_fit32(l->p.loss), burst = ratio_fit32(l->p.ge_burst);
    if (loss.num == 0) {
        l->ge_to_bad = (struct ratio){ 0, 1 };
        l->ge_to_good = (struct ratio){ 1, 1 };
    } else if (loss.num >= loss.den) {
        l->ge_to_bad = (struct ratio){ 1, 1 }; /* everything lost: the bad state never ends */
        l->ge_to_good = (struct ratio){ 0, 1 };
    } else {
        /* L/(B(1-L)) = (ln/ld) / ((bn/bd) (ld-ln)/ld) = ln bd / (bn (ld-ln)); may exceed 1, in
         * which case rng_chance always moves to the bad state. */
        l->ge_to_bad = ratio_make(loss.num * burst.den, burst.num * (loss.den - loss.num));
        /* 1/B, at most 1 (a burst shorter than one segment is one segment). */
        l->ge_to_good = burst.num <= burst.den ? (struct ratio){ 1, 1 }
                                               : ratio_make(burst.den, burst.num);
    }
}

static bool gilbert_on(const struct link *l)
{
    return ratio_on(l->p.ge_burst);
}

/* Moves the chain one segment on (every offered segment, so that the pattern of losses over
 * ordinals does not depend on other stages); true when this segment falls in the bad state. */
static bool gilbert_step(struct link *l, uint64_t ordinal)
{
    if (!gilbert_on(l))
        return false;
    struct rng g;
    stream(l, STREAM_GILBERT, ordinal, &g);
    if (l->ge_bad)
        l->ge_bad = !rng_chance(&g, l->ge_to_good.num, l->ge_to_good.den);
    else
        l->ge_bad = rng_chance(&g, l->ge_to_bad.num, l->ge_to_bad.den);
    return l->ge_bad;
}

/* ---- the transmitter's queue ---------------------------------------------------------------- */

/* Forgets the waiting segments whose transmission has started by now. */
static void queue_advance(struct link *l, sim_time now)
{
    while (l->q_len > 0 && l->q_start[l->q_head] <= now) {
        l->q_head = (l->q_head + 1) % l->q_cap;
        l->q_len--;
    }
}

static bool queue_push(struct link *l, sim_time start)
{
    if (l->q_len == l->q_cap) {
        size_t cap = l->q_cap ? l->q_cap * 2 : 16;
        if (l->p.queue_limit > 0 && cap > l->p.queue_limit)
            cap = l->p.queue_limit > l->q_len ? l->p.queue_limit : l->q_len + 1;
        sim_time *q = malloc(cap * sizeof *q);
        if (!q)
            return false;
        for (size_t i = 0; i < l->q_len; i++)
            q[i] = l->q_start[(l->q_head + i) % l->q_cap];
        free(l->q_start);
        l->q_start = q;
        l->q_cap = cap;
        l->q_head = 0;
    }
    l->q_start[(l->q_head + l->q_len) % l->q_cap] = start;
    l->q_len++;
    return true;
}

size_t link_queue_len(const struct link *l, sim_time now)
{
    size_t started = 0;
    while (started < l->q_len && l->q_start[(l->q_head + started) % l->q_cap] <= now)
        started++;
    return l->q_len - started;
}

/* Time to clock bytes out at rate_bps, rounded up to whole nanoseconds (a bit never leaves
 * early). 0 when the rate is 0 (infinitely fast). */
static sim_time serialisation(uint64_t rate_bps, uint64_t bytes)
{
    if (rate_bps == 0)
        return 0;
    uint64_t bit_ns = bytes * 8u * 1000000000u; /* < 2^50 for any IPv4 packet */
    return (sim_time)((bit_ns + rate_bps - 1) / rate_bps);
}

/* ---- notes ---------------------------------------------------------------------------------- */

static void note_add(struct link_verdict *v, const char *part)
{
    size_t len = strlen(v->note);
    const char *sep = len ? "; " : "";
    size_t room = sizeof v->note - 1 - len;
    size_t nsep = strlen(sep) < room ? strlen(sep) : room;
    memcpy(v->note + len, sep, nsep);
    len += nsep;
    room -= nsep;
    size_t npart = strlen(part) < room ? strlen(part) : room;
    memcpy(v->note + len, part, npart);
    v->note[len + npart] = '\0';
}

/* A probability as a percentage with at most three decimals, e.g. "10%", "33.333%", "0.5%". */
static void format_percent(char *buf, size_t size, struct ratio r)
{
    if (!ratio_on(r) || r.num >= r.den) {
        snprintf(buf, size, "%s", ratio_on(r) ? "100%" : "0%");
        return;
    }
    while (r.den >> 59) { /* keep rem * 10 below 2^64 */
        r.num >>= 1;
        r.den >>= 1;
    }
    /* Long division: num/den * 10^5, rounded half up, in thousandths of a percent. */
    uint64_t rem = r.num, q = 0;
    for (int i = 0; i < 5; i++) {
        rem *= 10;
        q = q * 10 + rem / r.den;
        rem %= r.den;
    }
    if (rem * 2 >= r.den)
        q++;
    uint64_t whole = q / 1000, frac = q % 1000;
    if (frac == 0)
        snprintf(buf, size, "%llu%%", (unsigned long long)whole);
    else if (frac % 100 == 0)
        snprintf(buf, size, "%llu.%01llu%%", (unsigned long long)whole,
                 (unsigned long long)(frac / 100));
    else if (frac % 10 == 0)
        snprintf(buf, size, "%llu.%02llu%%", (unsigned long long)whole,
                 (unsigned long long)(frac / 10));
    else
        snprintf(buf, size, "%llu.%03llu%%", (unsigned long long)whole, (unsigned long long)frac);
}

/* A duration in the largest unit that shows it exactly: "30ms", "250us", "7ns". */
static void format_duration(char *buf, size_t size, sim_time t)
{
    if (t != 0 && t % 1000000000 == 0)
        snprintf(buf, size, "%llds", (long long)(t / 1000000000));
    else if (t != 0 && t % 1000000 == 0)
        snprintf(buf, size, "%lldms", (long long)(t / 1000000));
    else if (t != 0 && t % 1000 == 0)
        snprintf(buf, size, "%lldus", (long long)(t / 1000));
    else
        snprintf(buf, size, "%lldns", (long long)t);
}

/* ---- scripted faults ------------------------------------------------------------------------ */

static bool fault_matches(const struct fault *f, const struct segment *seg, uint32_t rel_seq,
                          uint32_t rel_ack)
{
    if (f->flags_exact ? seg->flags != f->flags_set : (seg->flags & f->flags_set) != f->flags_set)
        return false;
    if (f->match_seq && rel_seq != f->rel_seq)
        return false;
    if (f->match_ack && rel_ack != f->rel_ack)
        return false;
    if (f->match_len && seg->len != f->len)
        return false;
    return true;
}

/* Counts the segment against every fault it matches; returns the set of faults that fire on it. */
static uint64_t faults_fire(struct link *l, const struct segment *seg, uint32_t rel_seq,
                            uint32_t rel_ack)
{
    uint64_t fired = 0;
    for (size_t i = 0; i < l->nfaults; i++) {
        struct fault *f = &l->faults[i];
        if (!fault_matches(f, seg, rel_seq, rel_ack))
            continue;
        if (f->seen < UINT32_MAX)
            f->seen++;
        if (f->nth == 0 || f->seen == f->nth)
            fired |= UINT64_C(1) << i;
    }
    return fired;
}

/* The first fired fault with this action at or after index from, or -1. */
static int fault_next(const struct link *l, uint64_t fired, enum fault_action action, size_t from)
{
    for (size_t i = from; i < l->nfaults; i++)
        if ((fired >> i & 1) && l->faults[i].action == action)
            return (int)i;
    return -1;
}

static void note_script(struct link_verdict *v, const struct fault *f, int32_t bit)
{
    char part[TRACE_NOTE_MAX];
    if (bit >= 0)
        snprintf(part, sizeof part, "script: %.63s (bit %ld flipped)", f->label, (long)bit);
    else
        snprintf(part, sizeof part, "script: %.63s", f->label);
    note_add(v, part);
}

/* Notes every fired fault with this action (the caller has applied it). */
static void note_scripts(struct link_verdict *v, const struct link *l, uint64_t fired,
                         enum fault_action action, size_t from)
{
    int i = fault_next(l, fired, action, from);
    while (i >= 0) {
        note_script(v, &l->faults[i], -1);
        i = fault_next(l, fired, action, (size_t)i + 1);
    }
}

/* ---- the link ------------------------------------------------------------------------------- */

void link_init(struct link *l, int dir, uint64_t seed, const struct link_params *p)
{
    memset(l, 0, sizeof *l);
    l->dir = dir;
    l->seed = seed;
    link_set_params(l, p);
}

void link_finish(struct link *l)
{
    free(l->q_start);
    memset(l, 0, sizeof *l);
}

void link_set_params(struct link *l, const struct link_params *p)
{
    l->p = *p;
    gilbert_setup(l);
    if (!gilbert_on(l))
        l->ge_bad = false;
}

bool link_add_fault(struct link *l, const struct fault *f)
{
    if (l->nfaults >= LINK_MAX_FAULTS)
        return false;
    struct fault *dst = &l->faults[l->nfaults++];
    *dst = *f;
    dst->label[sizeof dst->label - 1] = '\0';
    dst->seen = 0;
    return true;
}

static void drop(struct link_verdict *v, const char *why)
{
    v->fate = FATE_DROPPED;
    v->ncopies = 0;
    note_add(v, why);
}

/* a + b for a time a >= 0 and a duration b >= 0, saturating just below SIM_NEVER: a scenario may
 * ask for delays of centuries (times go up to 2^63 - 1 ns), and such a copy must arrive after
 * every run's end, not wrap around into the past. */
static sim_time time_add(sim_time a, sim_time b)
{
    return b > SIM_NEVER - 1 - a ? SIM_NEVER - 1 : a + b;
}

/* One copy's arrival: departure, propagation delay and this copy's jitter (never before the
 * departure), then the extra holds. */
static sim_time arrival(const struct link_params *p, struct rng *jitter, sim_time depart,
                        sim_time extra)
{
    sim_time j = 0;
    if (p->jitter > 0 && p->jitter_kind == JITTER_UNIFORM)
        j = rng_range(jitter, 0, p->jitter);
    else if (p->jitter > 0 && p->jitter_kind == JITTER_NORMAL)
        j = rng_normal_scaled(jitter, p->jitter < UINT32_MAX ? p->jitter : UINT32_MAX);
    sim_time t = time_add(depart, p->delay);
    t = j >= 0 ? time_add(t, j) : t + j; /* a normal draw is above -2^35: no overflow */
    return time_add(t > depart ? t : depart, extra);
}

void link_offer(struct link *l, const struct segment *seg, uint32_t rel_seq, uint32_t rel_ack,
                sim_time now, struct link_verdict *out)
{
    const struct link_params *p = &l->p;
    uint64_t n = l->ordinal++;
    memset(out, 0, sizeof *out);
    out->fate = FATE_DELIVERED;
    out->depart = now;
    out->ncopies = 1;
    out->copy[0].flipped_bit = out->copy[1].flipped_bit = -1;

    /* State that advances with every offered segment, whatever happens to it below. */
    bool gilbert_bad = gilbert_step(l, n);
    uint64_t fired = faults_fire(l, seg, rel_seq, rel_ack);
    size_t wire_len = seg_wire_len(seg);
    uint64_t ip_len = IPV4_HEADER_LEN + (uint64_t)wire_len;
    char part[TRACE_NOTE_MAX];

    /* 1 down */
    if (p->down) {
        drop(out, "link down");
        return;
    }
    /* 2 MTU */
    if (p->mtu > 0 && ip_len > p->mtu) {
        snprintf(part, sizeof part, "exceeds MTU %lu", (unsigned long)p->mtu);
        drop(out, part);
        return;
    }
    /* 3 scripted drop */
    if (fault_next(l, fired, FAULT_DROP, 0) >= 0) {
        out->fate = FATE_DROPPED;
        out->ncopies = 0;
        note_scripts(out, l, fired, FAULT_DROP, 0);
        return;
    }
    /* 4 queue and rate: FIFO, so the departure is known on arrival. */
    queue_advance(l, now);
    if (p->queue_limit > 0 && l->q_len >= p->queue_limit) {
        snprintf(part, sizeof part, "queue full %lu/%lu", (unsigned long)l->q_len,
                 (unsigned long)p->queue_limit);
        drop(out, part);
        return;
    }
    sim_time start = l->wire_free_at > now ? l->wire_free_at : now;
    if (start > now && !queue_push(l, start)) {
        drop(out, "queue full (out of memory)");
        return;
    }
    l->wire_free_at = time_add(start, serialisation(p->rate_bps, ip_len));
    out->depart = l->wire_free_at;
    /* 5 loss */
    if (gilbert_on(l)) {
        if (gilbert_bad) {
            drop(out, "loss: gilbert-elliott burst (bad state)");
            return;
        }
    } else if (decide(l, STREAM_LOSS, n, p->loss)) {
        char pct[32];
        format_percent(pct, sizeof pct, p->loss);
        snprintf(part, sizeof part, "loss: bernoulli %s", pct);
        drop(out, part);
        return;
    }
    bool corrupted = false, duplicated = false, reordered = false;
    /* 6 corruption: one bit of the TCP wire image */
    int32_t bit = -1;
    int script_corrupt = fault_next(l, fired, FAULT_CORRUPT, 0);
    if (script_corrupt >= 0) {
        struct rng g;
        stream(l, STREAM_SCRIPT, n, &g);
        bit = (int32_t)rng_below(&g, (uint64_t)wire_len * 8u);
        note_script(out, &l->faults[script_corrupt], bit);
        note_scripts(out, l, fired, FAULT_CORRUPT, (size_t)script_corrupt + 1);
    } else if (ratio_on(p->corrupt)) {
        struct rng g;
        stream(l, STREAM_CORRUPT, n, &g);
        if (rng_chance(&g, p->corrupt.num, p->corrupt.den)) {
            bit = (int32_t)rng_below(&g, (uint64_t)wire_len * 8u);
            snprintf(part, sizeof part, "corrupt: bit %ld flipped", (long)bit);
            note_add(out, part);
        }
    }
    corrupted = bit >= 0;
    /* 7 duplication */
    if (fault_next(l, fired, FAULT_DUPLICATE, 0) >= 0) {
        duplicated = true;
        note_scripts(out, l, fired, FAULT_DUPLICATE, 0);
    }
    if (decide(l, STREAM_DUPLICATE, n, p->dup)) {
        char pct[32];
        duplicated = true;
        format_percent(pct, sizeof pct, p->dup);
        snprintf(part, sizeof part, "duplicate: %s", pct);
        note_add(out, part);
    }
    /* 8 reordering */
    sim_time extra = 0;
    if (p->reorder_delay > 0 && decide(l, STREAM_REORDER, n, p->reorder)) {
        char d[32];
        reordered = true;
        extra = time_add(extra, p->reorder_delay);
        format_duration(d, sizeof d, p->reorder_delay);
        snprintf(part, sizeof part, "reorder: held %s", d);
        note_add(out, part);
    }
    /* 9 delay: scripted extra delay, propagation delay and jitter */
    for (int i = fault_next(l, fired, FAULT_DELAY, 0); i >= 0;
         i = fault_next(l, fired, FAULT_DELAY, (size_t)i + 1))
        extra = time_add(extra, l->faults[i].extra_delay > 0 ? l->faults[i].extra_delay : 0);
    note_scripts(out, l, fired, FAULT_DELAY, 0);
    struct rng jitter;
    stream(l, STREAM_JITTER, n, &jitter);
    out->ncopies = duplicated ? 2 : 1;
    for (size_t c = 0; c < out->ncopies; c++) {
        out->copy[c].arrive = arrival(p, &jitter, out->depart, extra);
        out->copy[c].flipped_bit = bit;
    }
    out->fate = corrupted ? FATE_CORRUPTED
              : duplicated ? FATE_DUPLICATED
              : reordered ? FATE_REORDERED
                          : FATE_DELIVERED;
}
