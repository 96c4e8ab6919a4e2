/* socktab.h: one host's socket table: TCBs in slots, found by 4-tuple (hash, O(1)), by socket
 * number and in creation order, with a heap of their earliest timer deadlines. Used by host.c. */
#ifndef TCPSIM_SOCKTAB_H
#define TCPSIM_SOCKTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "simtime.h"
#include "tcp.h"

#define SOCKTAB_NONE UINT32_MAX

struct socktab_slot {
    struct tcb *t;      /* NULL while the slot is free */
    uint32_t chain;     /* next slot in the same 4-tuple bucket; next free slot when free */
    uint32_t order_pos; /* index in the creation order */
    uint32_t heap_pos;  /* index in the deadline heap, SOCKTAB_NONE when no timer runs */
    bool touched;       /* on the touched list */
};

/* A running timer: the TCB's earliest deadline when the table was last told. */
struct socktab_heap_ent {
    sim_time due;
    int32_t sock;
    uint32_t slot;
};

/* Creation order is ascending socket number; a removed socket leaves slot SOCKTAB_NONE. */
struct socktab_order {
    int sock;
    uint32_t slot;
};

struct socktab {
    uint32_t max;                  /* most sockets at once */
    struct socktab_slot *slot;
    uint32_t nslots, cap;          /* slots ever used, slots allocated */
    uint32_t free_slot;            /* head of the free list */
    uint32_t live;
    uint32_t *bucket;              /* heads of the 4-tuple chains */
    uint32_t nbuckets;             /* a power of two, at least live */
    struct socktab_order *order;
    uint32_t norder, order_cap;
    struct socktab_heap_ent *heap; /* min-heap on (due, sock) */
    uint32_t nheap;
    uint32_t *touched;             /* slots called into since the last socktab_clear_touched */
    uint32_t ntouched;
};

void socktab_init(struct socktab *st, uint32_t max);
/* Frees the table; the TCBs still in it are the caller's to destroy first (socktab_at). */
void socktab_finish(struct socktab *st);

/* Adds a TCB (its socket number above every one before it) and touches it. Returns its slot,
 * or SOCKTAB_NONE when max sockets are in the table or memory runs out. */
uint32_t socktab_add(struct socktab *st, struct tcb *t);
/* Takes the slot out of every index; the TCB is the caller's to destroy. */
void socktab_remove(struct socktab *st, uint32_t i);
/* Gives the slot's TCB a new foreign socket (a listener that becomes active: the caller takes
 * it out of LISTEN at once, since a listener's foreign socket is (0, 0)). */
void socktab_set_remote(struct socktab *st, uint32_t i, uint32_t raddr, uint16_t rport);

static inline struct tcb *socktab_tcb(const struct socktab *st, uint32_t i)
{
    return st->slot[i].t;
}

/* Lookups; each returns a slot or SOCKTAB_NONE. A listener is a TCB in LISTEN not deleted; its
 * foreign socket is (0, 0) (a passive child leaves LISTEN in the call that made it). */
uint32_t socktab_find_conn(const struct socktab *st, uint32_t laddr, uint16_t lport,
                           uint32_t raddr, uint16_t rport);
uint32_t socktab_find_listener(const struct socktab *st, uint16_t lport);
uint32_t socktab_find_sock(const struct socktab *st, int sock);
uint32_t socktab_newest_conn(const struct socktab *st); /* newest that is not a listener */
bool socktab_has_listener(const struct socktab *st);

/* Sockets in creation order: count, and the slot of the index-th (compacts the order first
 * when sockets were removed, so that walking all indices stays linear). */
static inline uint32_t socktab_count(const struct socktab *st)
{
    return st->live;
}
uint32_t socktab_at(struct socktab *st, uint32_t index);

/* The touched list: slots whose TCB was called into during the current host call. */
void socktab_touch(struct socktab *st, uint32_t i);
void socktab_clear_touched(struct socktab *st);

/* The deadline heap: set a slot's earliest deadline (SIM_NEVER takes it out); the slot with
 * the earliest (deadline, socket number), SOCKTAB_NONE if no timer runs. */
void socktab_set_due(struct socktab *st, uint32_t i, sim_time due);
static inline uint32_t socktab_earliest(const struct socktab *st)
{
    return st->nheap ? st->heap[0].slot : SOCKTAB_NONE;
}
sim_time socktab_due(const struct socktab *st, uint32_t i);

#endif
