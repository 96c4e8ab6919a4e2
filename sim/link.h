/* link.h: one direction of the path between the hosts: delay, jitter, loss (Bernoulli or
 * Gilbert-Elliott), duplication, corruption, reordering, rate, FIFO queue, MTU, down/up and
 * scripted faults. Pure: sim.c offers it each segment and schedules the copies it returns. */
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
    sim_time jitter;             /* uniform: extra delay in [0, jitter]; normal: std deviation */
    struct ratio loss;           /* Bernoulli loss, used when ge_burst is zero */
    struct ratio ge_burst;       /* Gilbert-Elliott mean burst length in segments (>= 1) */
    struct ratio dup;            /* probability a segment is delivered twice */
    struct ratio corrupt;        /* probability one bit of the segment is flipped */
    struct ratio reorder;        /* probability a segment is held back reorder_delay extra */
    sim_time reorder_delay;
    uint64_t rate_bps;           /* serialisation rate in bit/s; 0 = infinitely fast */
    uint32_t queue_limit;        /* segments waiting for the wire; 0 = unlimited */
    uint32_t mtu;                /* IPv4 MTU in bytes; 0 = no limit */
    bool down;
};

enum fault_action { FAULT_DROP, FAULT_DELAY, FAULT_DUPLICATE, FAULT_CORRUPT };

/* A scripted fault: applies to the nth segment (1-based) sent in this direction that matches. */
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
    sim_time wire_free_at; /* when the transmitter finishes its current backlog */
    sim_time *queue_departs; /* ring of departure times of queued segments */
    size_t q_head, q_len, q_cap;
};

/* One copy the link will deliver. */
struct link_copy {
    sim_time arrive;
    int32_t flipped_bit;   /* -1 or the bit to flip */
};

struct link_verdict {
    enum seg_fate fate;
    char note[TRACE_NOTE_MAX];
    size_t ncopies;        /* 0 (dropped), 1, or 2 (duplicated) */
    struct link_copy copy[2];
};

void link_init(struct link *l, int dir, uint64_t seed, const struct link_params *p);
void link_finish(struct link *l);
void link_set_params(struct link *l, const struct link_params *p);
bool link_add_fault(struct link *l, const struct fault *f);

/* Decides the fate of one segment offered at time now; rel_seq/rel_ack are the trace's relative
 * numbers, used by scripted faults. */
void link_offer(struct link *l, const struct segment *seg, uint32_t rel_seq, uint32_t rel_ack,
                sim_time now, struct link_verdict *out);

#endif
