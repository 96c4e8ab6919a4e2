/* socktab.c: one host's socket table: slots with a free list, 4-tuple hash chains, creation
 * order with lazy compaction, and a 4-ary heap of earliest deadlines. Called by host.c. */
#include "socktab.h"

#include <stdlib.h>
#include <string.h>

#define NONE SOCKTAB_NONE
/* Removed sockets the creation order may hold beyond the live ones before it is compacted. */
#define ORDER_SLACK 64u

void socktab_init(struct socktab *st, uint32_t max)
{
    memset(st, 0, sizeof *st);
    st->max = max;
    st->free_slot = NONE;
}

void socktab_finish(struct socktab *st)
{
    free(st->slot);
    free(st->bucket);
    free(st->order);
    free(st->heap);
    free(st->touched);
    memset(st, 0, sizeof *st);
}

static bool is_listener(const struct tcb *t)
{
    return t->state == TCP_LISTEN && !t->gone;
}

/* ---- 4-tuple hash chains ------------------------------------------------------------------ */

/* Fibonacci hashing of (lport, raddr, rport); laddr is the host's own address. */
static uint32_t bucket_of(const struct socktab *st, uint16_t lport, uint32_t raddr, uint16_t rport)
{
    uint64_t key = ((uint64_t)raddr << 32) | ((uint64_t)lport << 16) | rport;
    return (uint32_t)((key * UINT64_C(0x9e3779b97f4a7c15)) >> 32) & (st->nbuckets - 1u);
}

static uint32_t bucket_of_slot(const struct socktab *st, uint32_t i)
{
    const struct tcb *t = st->slot[i].t;
    return bucket_of(st, t->lport, t->raddr, t->rport);
}

static void chain_link(struct socktab *st, uint32_t i)
{
    uint32_t b = bucket_of_slot(st, i);
    st->slot[i].chain = st->bucket[b];
    st->bucket[b] = i;
}

static void chain_unlink(struct socktab *st, uint32_t i)
{
    uint32_t *link = &st->bucket[bucket_of_slot(st, i)];
    for (uint32_t k = 0; *link != NONE && k < st->nslots; k++) {
        if (*link == i) {
            *link = st->slot[i].chain;
            return;
        }
        link = &st->slot[*link].chain;
    }
}

/* Keeps the load factor at most one: doubles the buckets and relinks every socket. */
static bool chains_reserve(struct socktab *st, uint32_t live)
{
    if (live <= st->nbuckets)
        return true;
    uint32_t nb = st->nbuckets ? st->nbuckets * 2u : 16u;
    uint32_t *b = malloc((size_t)nb * sizeof *b);
    if (!b)
        return false;
    free(st->bucket);
    st->bucket = b;
    st->nbuckets = nb;
    for (uint32_t k = 0; k < nb; k++)
        b[k] = NONE;
    for (uint32_t i = 0; i < st->nslots; i++)
        if (st->slot[i].t)
            chain_link(st, i);
    return true;
}

uint32_t socktab_find_conn(const struct socktab *st, uint32_t laddr, uint16_t lport,
                           uint32_t raddr, uint16_t rport)
{
    if (!st->nbuckets)
        return NONE;
    /* The lowest socket number wins should two TCBs ever share a 4-tuple. */
    uint32_t best = NONE;
    uint32_t i = st->bucket[bucket_of(st, lport, raddr, rport)];
    for (uint32_t k = 0; i != NONE && k < st->nslots; k++, i = st->slot[i].chain) {
        const struct tcb *t = st->slot[i].t;
        if (!t->gone && !is_listener(t) && t->state != TCP_CLOSED && t->lport == lport &&
            t->rport == rport && t->raddr == raddr && t->laddr == laddr &&
            (best == NONE || t->sock < st->slot[best].t->sock))
            best = i;
    }
    return best;
}

uint32_t socktab_find_listener(const struct socktab *st, uint16_t lport)
{
    if (!st->nbuckets)
        return NONE;
    /* A listener's foreign socket is unspecified (0, 0), so it hashes as (lport, 0, 0). The
     * host allows one listener a port; the oldest would win otherwise. */
    uint32_t best = NONE;
    uint32_t i = st->bucket[bucket_of(st, lport, 0, 0)];
    for (uint32_t k = 0; i != NONE && k < st->nslots; k++, i = st->slot[i].chain) {
        const struct tcb *t = st->slot[i].t;
        if (is_listener(t) && t->lport == lport &&
            (best == NONE || t->sock < st->slot[best].t->sock))
            best = i;
    }
    return best;
}

void socktab_set_remote(struct socktab *st, uint32_t i, uint32_t raddr, uint16_t rport)
{
    chain_unlink(st, i);
    st->slot[i].t->raddr = raddr;
    st->slot[i].t->rport = rport;
    chain_link(st, i);
}

/* ---- creation order ----------------------------------------------------------------------- */

static void order_compact(struct socktab *st)
{
    uint32_t w = 0;
    for (uint32_t k = 0; k < st->norder; k++) {
        struct socktab_order o = st->order[k];
        if (o.slot == NONE)
            continue;
        st->slot[o.slot].order_pos = w;
        st->order[w++] = o;
    }
    st->norder = w;
}

static bool order_append(struct socktab *st, int sock, uint32_t i)
{
    if (st->norder == st->order_cap) {
        uint32_t cap = st->order_cap ? st->order_cap * 2u : 8u;
        struct socktab_order *o = realloc(st->order, (size_t)cap * sizeof *o);
        if (!o)
            return false;
        st->order = o;
        st->order_cap = cap;
    }
    st->slot[i].order_pos = st->norder;
    st->order[st->norder++] = (struct socktab_order){ .sock = sock, .slot = i };
    return true;
}

uint32_t socktab_find_sock(const struct socktab *st, int sock)
{
    /* Binary search: the order is ascending in socket number, removed sockets included. */
    uint32_t lo = 0, hi = st->norder;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2u;
        if (st->order[mid].sock < sock)
            lo = mid + 1u;
        else
            hi = mid;
    }
    if (lo == st->norder || st->order[lo].sock != sock || st->order[lo].slot == NONE)
        return NONE;
    uint32_t i = st->order[lo].slot;
    return st->slot[i].t->gone ? NONE : i;
}

uint32_t socktab_newest_conn(const struct socktab *st)
{
    for (uint32_t k = st->norder; k-- > 0;) {
        uint32_t i = st->order[k].slot;
        if (i != NONE && !st->slot[i].t->gone && !is_listener(st->slot[i].t))
            return i;
    }
    return NONE;
}

bool socktab_has_listener(const struct socktab *st)
{
    for (uint32_t k = 0; k < st->norder; k++)
        if (st->order[k].slot != NONE && is_listener(st->slot[st->order[k].slot].t))
            return true;
    return false;
}

uint32_t socktab_at(struct socktab *st, uint32_t index)
{
    if (index >= st->live)
        return NONE;
    if (st->norder != st->live)
        order_compact(st);
    return st->order[index].slot;
}

/* ---- deadline heap ------------------------------------------------------------------------ */

/* A 4-ary min-heap whose entries carry their keys: the four children of a node share a cache
 * line, and sifting never looks at the slots (the heap holds thousands of TIME_WAIT entries). */
#define ARITY 4u

static bool earlier(const struct socktab_heap_ent *a, const struct socktab_heap_ent *b)
{
    if (a->due != b->due)
        return a->due < b->due;
    return a->sock < b->sock;
}

static void heap_place(struct socktab *st, uint32_t pos, struct socktab_heap_ent e)
{
    st->heap[pos] = e;
    st->slot[e.slot].heap_pos = pos;
}

static void heap_up(struct socktab *st, uint32_t pos, struct socktab_heap_ent e)
{
    while (pos > 0) {
        uint32_t parent = (pos - 1u) / ARITY;
        if (!earlier(&e, &st->heap[parent]))
            break;
        heap_place(st, pos, st->heap[parent]);
        pos = parent;
    }
    heap_place(st, pos, e);
}

static void heap_down(struct socktab *st, uint32_t pos, struct socktab_heap_ent e)
{
    for (;;) {
        uint32_t first = ARITY * pos + 1u;
        if (first >= st->nheap)
            break;
        uint32_t end = first + ARITY < st->nheap ? first + ARITY : st->nheap;
        uint32_t c = first;
        for (uint32_t k = first + 1u; k < end; k++)
            if (earlier(&st->heap[k], &st->heap[c]))
                c = k;
        if (!earlier(&st->heap[c], &e))
            break;
        heap_place(st, pos, st->heap[c]);
        pos = c;
    }
    heap_place(st, pos, e);
}

/* Puts e at pos (a hole) and moves it up or down to where it belongs. */
static void heap_fix(struct socktab *st, uint32_t pos, struct socktab_heap_ent e)
{
    if (pos > 0 && earlier(&e, &st->heap[(pos - 1u) / ARITY]))
        heap_up(st, pos, e);
    else
        heap_down(st, pos, e);
}

static void heap_remove(struct socktab *st, uint32_t i)
{
    uint32_t pos = st->slot[i].heap_pos;
    st->slot[i].heap_pos = NONE;
    struct socktab_heap_ent last = st->heap[--st->nheap];
    if (pos < st->nheap)
        heap_fix(st, pos, last);
}

sim_time socktab_due(const struct socktab *st, uint32_t i)
{
    uint32_t pos = st->slot[i].heap_pos;
    return pos == NONE ? SIM_NEVER : st->heap[pos].due;
}

void socktab_set_due(struct socktab *st, uint32_t i, sim_time due)
{
    uint32_t pos = st->slot[i].heap_pos;
    if (pos == NONE) {
        if (due != SIM_NEVER) {
            struct socktab_heap_ent e = { .due = due, .sock = st->slot[i].t->sock, .slot = i };
            heap_up(st, st->nheap++, e);
        }
    } else if (due == SIM_NEVER) {
        heap_remove(st, i);
    } else if (due != st->heap[pos].due) {
        struct socktab_heap_ent e = st->heap[pos];
        e.due = due;
        heap_fix(st, pos, e);
    }
}

/* ---- slots -------------------------------------------------------------------------------- */

/* Room for one more slot: slots, heap and touched list grow together (each holds a slot once). */
static bool slots_reserve(struct socktab *st)
{
    if (st->free_slot != NONE || st->nslots < st->cap)
        return true;
    uint32_t cap = st->cap ? st->cap * 2u : 8u;
    if (cap > st->max)
        cap = st->max;
    struct socktab_slot *s = realloc(st->slot, (size_t)cap * sizeof *s);
    if (!s)
        return false;
    st->slot = s;
    struct socktab_heap_ent *h = realloc(st->heap, (size_t)cap * sizeof *h);
    if (!h)
        return false;
    st->heap = h;
    uint32_t *t = realloc(st->touched, (size_t)cap * sizeof *t);
    if (!t)
        return false;
    st->touched = t;
    st->cap = cap;
    return true;
}

uint32_t socktab_add(struct socktab *st, struct tcb *t)
{
    if (st->live >= st->max || !slots_reserve(st) || !chains_reserve(st, st->live + 1u))
        return NONE;
    uint32_t i = st->free_slot;
    if (i != NONE)
        st->free_slot = st->slot[i].chain;
    else
        i = st->nslots++;
    st->slot[i] = (struct socktab_slot){ .t = t, .heap_pos = NONE };
    if (!order_append(st, t->sock, i)) {
        st->slot[i].t = NULL;
        st->slot[i].chain = st->free_slot;
        st->free_slot = i;
        return NONE;
    }
    chain_link(st, i);
    st->live++;
    socktab_touch(st, i);
    return i;
}

void socktab_remove(struct socktab *st, uint32_t i)
{
    struct socktab_slot *s = &st->slot[i];
    if (s->heap_pos != NONE)
        heap_remove(st, i);
    chain_unlink(st, i);
    st->order[s->order_pos].slot = NONE;
    s->t = NULL;
    s->chain = st->free_slot;
    st->free_slot = i;
    st->live--;
    if (st->norder - st->live > st->live + ORDER_SLACK)
        order_compact(st);
}

/* ---- touched list ------------------------------------------------------------------------- */

void socktab_touch(struct socktab *st, uint32_t i)
{
    if (st->slot[i].touched)
        return;
    st->slot[i].touched = true;
    st->touched[st->ntouched++] = i;
}

void socktab_clear_touched(struct socktab *st)
{
    for (uint32_t k = 0; k < st->ntouched; k++)
        st->slot[st->touched[k]].touched = false;
    st->ntouched = 0;
}
