/* link.h: one direction of the path between the hosts: delay, jitter, loss (Bernoulli or
 * Gilbert-Elliott), duplication, corruption, reordering, rate, FIFO queue, MTU, down/up and
 * scripted faults. Pure: sim.c offers it each segment and schedules the copies it returns.
 *
 * Every offered segment passes these stages in this order (link.c says why); a stage that drops
 * it ends the walk, so at most one drop reason is ever given:
 *
 *   1 down         dropped, "link down"
 *   2 MTU          IPv4 packet (20 + seg_wire_len bytes) larger than mtu: "exceeds MTU 576"
 *   3 script drop  a scripted FAULT_DROP: "script: <label>"
 *   4 queue/rate   FIFO transmitter at rate_bps; tail drop when queue_limit segments already
 *                  wait for it: "queue full 100/100"
 *   5 loss         Bernoulli "loss: bernoulli 10%", or Gilbert-Elliott when ge_burst is set:
 *                  "loss: gilbert-elliott burst (bad state)"
 *   6 corruption   one bit of the TCP wire image flipped: "corrupt: bit 117 flipped", or by a
 *                  FAULT_CORRUPT: "script: <label> (bit 117 flipped)"; both copies carry it
 *   7 duplication  a second copy: "duplicate: 5%", or by a FAULT_DUPLICATE: "script: <label>"
 *   8 reordering   held reorder_delay extra so later segments overtake it: "reorder: held 30ms"
 *   9 delay        a FAULT_DELAY's extra_delay ("script: <label>"), then propagation delay plus
 *                  jitter drawn per copy
 *
 * The fate is the first that applies of dropped, corrupted, duplicated, reordered, delivered; the
 * note lists every stage that acted, in stage order, joined by "; ".
 *
 * Randomness: each decision about the segment with ordinal n (0-based count of segments offered
 * in this direction, dropped ones included) draws from its own stream
 * rng_seed_keyed(seed, dir, stage, n), so turning one impairment on or off never changes which
 * segments another one hits. */
#ifndef TCPSIM_LINK_H
#define TCPSIM_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "segment.h"
#include "simtime.h"
#include "trace.h"

/* A probability num/den; den == 0 means zero. */
struct ratio {
    uint64_t num, den;
};

enum jitter_kind { JITTER_NONE, JITTER_UNIFORM, JITTER_NORMAL };

struct link_params {
    sim_time delay;              /* propagation delay */
    enum jitter_kind jitter_kind;
    sim_time jitter;             /* uniform: extra delay in [0, jitter]; normal: std deviation
                                  * (below 2^32 ns); a copy never arrives before it was sent */
    struct ratio loss;           /* loss rate: Bernoulli, or Gilbert-Elliott's overall rate */
    struct ratio ge_burst;       /* Gilbert-Elliott mean burst length in segments (>= 1); zero
                                  * selects Bernoulli. Reachable loss is at most burst/(burst+1) */
    struct ratio dup;            /* probability a segment is delivered twice */
    struct ratio corrupt;        /* probability one bit of the segment is flipped */
    struct ratio reorder;        /* probability a segment is held back reorder_delay extra */
    sim_time reorder_delay;
    uint64_t rate_bps;           /* serialisation rate in bit/s of IPv4 packets (20 + TCP wire
                                  * bytes; no link-layer framing); 0 = infinitely fast */
    uint32_t queue_limit;        /* segments waiting for the transmitter (the one being sent
                                  * does not count); 0 = unlimited */
    uint32_t mtu;                /* IPv4 MTU in bytes; 0 = no limit */
    bool down;
};

enum fault_action { FAULT_DROP, FAULT_DELAY, FAULT_DUPLICATE, FAULT_CORRUPT };

/* A scripted fault: applies to the nth segment (1-based) sent in this direction that matches.
 * Every offered segment is matched and counted, even one a down link or the MTU then drops. */
struct fault {
    uint8_t flags_set;     /* flags that must be set */
    uint8_t flags_exact;   /* if nonzero: flags must equal flags_set exactly */
    bool match_seq, match_ack, match_len;
    uint32_t rel_seq, rel_ack; /* relative numbers as in the trace */
    uint16_t len;
    uint32_t nth;          /* 0 = every matching segment */
    enum fault_action action;
    sim_time extra_delay;  /* FAULT_DELAY */
    char label[64];        /* written into the fate note, e.g. "drop A>B SYN nth 1" */
    uint32_t seen;         /* matches so far (state) */
};

#define LINK_MAX_FAULTS 32

struct link {
    int dir;               /* 0 = A>B, 1 = B>A: part of every stream key */
    uint64_t seed;
    struct link_params p;
    struct fault faults[LINK_MAX_FAULTS];
    size_t nfaults;
    uint64_t ordinal;      /* segments offered so far */
    bool ge_bad;           /* Gilbert-Elliott state */
    struct ratio ge_to_bad, ge_to_good; /* transition probabilities derived from p */
    sim_time wire_free_at; /* when the transmitter finishes its current backlog */
    sim_time *q_start;     /* ring: when each waiting segment starts transmission (ascending) */
    size_t q_head, q_len, q_cap; /* q_cap: at most the largest queue_limit set, or twice
                                  * the longest backlog while the queue is unlimited */
};

/* One copy the link will deliver. */
struct link_copy {
    sim_time arrive;
    int32_t flipped_bit;   /* -1 or the bit to flip */
};

struct link_verdict {
    enum seg_fate fate;
    char note[TRACE_NOTE_MAX];
    sim_time depart;       /* when the last bit left the transmitter (now when nothing waits
                            * and rate is 0; now when dropped before the queue) */
    size_t ncopies;        /* 0 (dropped), 1, or 2 (duplicated) */
    struct link_copy copy[2];
};

void link_init(struct link *l, int dir, uint64_t seed, const struct link_params *p);
void link_finish(struct link *l);
/* Takes effect for segments offered from now on; segments already given a verdict keep it. */
void link_set_params(struct link *l, const struct link_params *p);
/* Adds a scripted fault (its match count starts at zero); false when LINK_MAX_FAULTS are set. */
bool link_add_fault(struct link *l, const struct fault *f);

/* Decides the fate of one segment offered at time now (never earlier than the previous offer);
 * rel_seq/rel_ack are the trace's relative numbers, used by scripted faults. */
void link_offer(struct link *l, const struct segment *seg, uint32_t rel_seq, uint32_t rel_ack,
                sim_time now, struct link_verdict *out);

/* Segments waiting for the transmitter at time now (>= the last offer), for the front end. */
size_t link_queue_len(const struct link *l, sim_time now);

#endif
