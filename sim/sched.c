/* sched.c: 4-ary min-heap of events on (time, insertion counter) plus a slot table, so that a
 * handle finds its event in O(1) and cancel costs O(log n). Owned by struct sim. */
#include "sched.h"

#include <stdlib.h>
#include <string.h>

#define SCHED_FREE UINT32_MAX
#define ARITY 4 /* half the depth of a binary heap; the four children fill one cache line */

#if defined(__GNUC__)
#define RARELY(x) __builtin_expect(!!(x), 0)
#else
#define RARELY(x) (x)
#endif

/* Earlier in (time, insertion counter) order. Equal times are rare, so the only branch is on
 * them; the time comparison itself becomes a flag the caller selects with, not a jump. */
static inline bool before(const struct sched_entry *a, const struct sched_entry *b)
{
    if (RARELY(a->at == b->at))
        return a->order < b->order;
    return a->at < b->at;
}

static inline size_t parent_of(size_t i)
{
    return (i - 1) / ARITY;
}

void sched_init(struct sched *s)
{
    memset(s, 0, sizeof *s);
}

void sched_finish(struct sched *s)
{
    free(s->heap);
    free(s->slots);
    free(s->free_slots);
    memset(s, 0, sizeof *s);
}

static inline void place(struct sched *s, size_t i, struct sched_entry e)
{
    s->heap[i] = e;
    s->slots[e.slot].heap_index = (uint32_t)i;
}

static void sift_up(struct sched *s, size_t i, struct sched_entry e)
{
    while (i > 0) {
        size_t parent = parent_of(i);
        if (!before(&e, &s->heap[parent]))
            break;
        place(s, i, s->heap[parent]);
        i = parent;
    }
    place(s, i, e);
}

/* Index of the earliest of the children first..first+ARITY-1 that exist (first < len). */
static inline size_t min_child(const struct sched *s, size_t first)
{
    const struct sched_entry *h = s->heap;
    if (first + ARITY <= s->len) {
        /* All four children exist: a tournament of two independent pairs, then the winners. */
        size_t a = first + (size_t)before(&h[first + 1], &h[first]);
        size_t b = first + 2 + (size_t)before(&h[first + 3], &h[first + 2]);
        return before(&h[b], &h[a]) ? b : a;
    }
    size_t best = first;
    for (size_t c = first + 1; c < s->len; c++)
        best = before(&h[c], &h[best]) ? c : best;
    return best;
}

static void sift_down(struct sched *s, size_t i, struct sched_entry e)
{
    for (;;) {
        size_t first = ARITY * i + 1;
        if (first >= s->len)
            break;
        size_t c = min_child(s, first);
        if (!before(&s->heap[c], &e))
            break;
        place(s, i, s->heap[c]);
        i = c;
    }
    place(s, i, e);
}

/* Removes the entry at heap position i, keeping the heap ordered. */
static void heap_remove(struct sched *s, size_t i)
{
    struct sched_entry last = s->heap[--s->len];
    if (i == s->len)
        return;
    if (i > 0 && before(&last, &s->heap[parent_of(i)]))
        sift_up(s, i, last);
    else
        sift_down(s, i, last);
}

/* Completes a pending pop of the root left by sched_step when no push filled it. */
static void settle_root(struct sched *s)
{
    if (!s->root_vacant)
        return;
    s->root_vacant = false;
    heap_remove(s, 0);
}

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

static bool alloc_slot(struct sched *s, uint32_t *out)
{
    if (s->nfree > 0) {
        *out = s->free_slots[--s->nfree];
        return true;
    }
    if (s->nslots >= SCHED_FREE - 1)
        return false;
    size_t cap = s->slots_cap;
    if (!grow((void **)&s->slots, &cap, s->nslots + 1, sizeof *s->slots))
        return false;
    size_t fcap = s->slots_cap;
    if (!grow((void **)&s->free_slots, &fcap, s->nslots + 1, sizeof *s->free_slots))
        return false;
    s->slots_cap = cap < fcap ? cap : fcap;
    s->slots[s->nslots].gen = 0;
    *out = (uint32_t)s->nslots++;
    return true;
}

static void free_slot(struct sched *s, uint32_t slot)
{
    s->slots[slot].heap_index = SCHED_FREE;
    s->slots[slot].gen++;
    s->free_slots[s->nfree++] = slot;
}

static int entry_cmp(const void *pa, const void *pb)
{
    const struct sched_entry *a = pa, *b = pb;
    return before(a, b) ? -1 : before(b, a) ? 1 : 0;
}

/* Before the 32-bit insertion counter wraps: sort the pending events (a sorted array is a valid
 * heap) and number them 0..len-1 in that order, which keeps every tie broken the same way. */
static void renumber(struct sched *s)
{
    settle_root(s);
    qsort(s->heap, s->len, sizeof *s->heap, entry_cmp);
    for (size_t i = 0; i < s->len; i++) {
        s->heap[i].order = (uint32_t)i;
        s->slots[s->heap[i].slot].heap_index = (uint32_t)i;
    }
    s->next_order = (uint32_t)s->len;
}

sched_handle sched_at(struct sched *s, sim_time at, sched_fn fn, void *ctx, uint64_t arg)
{
    if (at < s->now)
        at = s->now;
    if (RARELY(s->next_order == UINT32_MAX))
        renumber(s);
    uint32_t slot;
    if (!alloc_slot(s, &slot))
        return 0;
    struct sched_slot *sl = &s->slots[slot];
    sl->fn = fn;
    sl->ctx = ctx;
    sl->arg = arg;
    struct sched_entry e = { .at = at, .order = s->next_order++, .slot = slot };
    if (s->root_vacant) {
        /* The root was just taken by sched_step: putting the new event there and sifting down
         * does one pass instead of a pop and a push (the hold model's common case). */
        s->root_vacant = false;
        sift_down(s, 0, e);
    } else {
        size_t cap = s->cap;
        if (!grow((void **)&s->heap, &cap, s->len + 1, sizeof *s->heap)) {
            free_slot(s, slot);
            return 0;
        }
        s->cap = cap;
        s->len++;
        sift_up(s, s->len - 1, e);
    }
    return ((uint64_t)sl->gen << 32) | (uint64_t)(slot + 1);
}

static struct sched_slot *lookup(const struct sched *s, sched_handle h)
{
    uint64_t idx = h & 0xffffffffu;
    if (idx == 0 || idx > s->nslots)
        return NULL;
    struct sched_slot *sl = &s->slots[idx - 1];
    if (sl->gen != (uint32_t)(h >> 32) || sl->heap_index == SCHED_FREE)
        return NULL;
    return sl;
}

bool sched_pending(const struct sched *s, sched_handle h)
{
    struct sched_slot *sl = lookup(s, h);
    return sl && !(s->root_vacant && sl->heap_index == 0);
}

bool sched_cancel(struct sched *s, sched_handle h)
{
    if (!sched_pending(s, h))
        return false;
    settle_root(s);
    struct sched_slot *sl = lookup(s, h);
    if (!sl)
        return false;
    uint32_t slot = (uint32_t)(sl - s->slots);
    heap_remove(s, sl->heap_index);
    free_slot(s, slot);
    return true;
}

size_t sched_len(const struct sched *s)
{
    return s->len - (s->root_vacant ? 1 : 0);
}

sim_time sched_peek_time(const struct sched *s)
{
    if (s->root_vacant) {
        /* Only reachable from inside a callback: the smallest remaining child. */
        sim_time t = SIM_NEVER;
        for (size_t c = 1; c <= ARITY && c < s->len; c++)
            if (s->heap[c].at < t)
                t = s->heap[c].at;
        return t;
    }
    return s->len ? s->heap[0].at : SIM_NEVER;
}

bool sched_step(struct sched *s)
{
    settle_root(s);
    if (s->len == 0)
        return false;
    struct sched_entry top = s->heap[0];
    struct sched_slot sl = s->slots[top.slot];
    s->now = top.at;
    s->root_vacant = true;
    /* The slot is released before the callback runs, so a handle to the running event is no
     * longer pending and the callback may reuse its slot. */
    free_slot(s, top.slot);
    s->heap[0].slot = SCHED_FREE;
    s->executed++;
    sl.fn(sl.ctx, sl.arg);
    settle_root(s);
    return true;
}

uint64_t sched_run(struct sched *s, sim_time until, uint64_t max_events)
{
    uint64_t n = 0;
    while (max_events == 0 || n < max_events) {
        settle_root(s);
        if (s->len == 0 || s->heap[0].at > until)
            break;
        sched_step(s);
        n++;
    }
    if (until != SIM_NEVER && s->now < until && (max_events == 0 || n < max_events))
        s->now = until;
    return n;
}
