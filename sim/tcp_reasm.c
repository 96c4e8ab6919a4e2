/* tcp_reasm.c: reassembly: bytes within the window are held by sequence number until all before
 * them are there, then delivered in order, exactly once. Called by tcp_input.c. */
#include "tcp.h"

#include <stdlib.h>
#include <string.h>

void tcp_reasm_finish(struct tcp_rcvq *q)
{
    free(q->ring); /* have lies in the same block */
    q->ring = NULL;
    q->have = NULL;
    q->cap = 0;
    q->held = 0;
}

/* A ring of at least span bytes from RCV.NXT (span <= TCP_RING_SIZE): held bytes, all within
 * [RCV.NXT, RCV.NXT + old size), move to their slots in the larger ring. */
static bool ring_reserve(struct tcp_rcvq *q, uint32_t rcv_nxt, uint32_t span)
{
    if (q->ring && span <= q->cap)
        return true;
    uint32_t cap = q->cap ? q->cap : TCP_RING_MIN;
    while (cap < span)
        cap *= 2u;
    /* One block: the bytes, then the map of which are held. */
    uint8_t *ring = malloc(2u * (size_t)cap);
    if (!ring)
        return false;
    uint8_t *have = ring + cap;
    memset(have, 0, cap);
    for (uint32_t off = 0; off < q->cap; off++) {
        uint32_t from = (rcv_nxt + off) & (q->cap - 1u), to = (rcv_nxt + off) & (cap - 1u);
        have[to] = q->have[from];
        ring[to] = q->ring[from];
    }
    free(q->ring);
    q->ring = ring;
    q->have = have;
    q->cap = cap;
    return true;
}

bool tcp_reasm_store(struct tcb *t, uint32_t seq, const uint8_t *data, uint32_t len)
{
    struct tcp_rcvq *q = &t->rq;
    if (len == 0)
        return true;
    /* Only bytes inside [RCV.NXT, RCV.NXT + RCV.WND) are kept; the ring covers the part of the
     * window this segment reaches, so no two kept bytes share a slot. */
    uint32_t wnd = tcp_rcv_wnd(t);
    uint32_t span = seq_gt(seq + len, t->rcv_nxt) ? seq + len - t->rcv_nxt : 0;
    if (!ring_reserve(q, t->rcv_nxt, span < wnd ? span : wnd))
        return false;
    for (uint32_t i = 0; i < len; i++) {
        uint32_t s = seq + i;
        uint32_t off = s - t->rcv_nxt;
        if (seq_lt(s, t->rcv_nxt) || off >= wnd)
            continue;
        uint32_t slot = s & (q->cap - 1u);
        if (!q->have[slot]) {
            q->have[slot] = 1;
            q->held++;
        }
        q->ring[slot] = data[i];
    }
    return true;
}

uint32_t tcp_reasm_deliver(struct tcb *t, struct host_io *io)
{
    struct tcp_rcvq *q = &t->rq;
    if (!q->ring || q->held == 0)
        return 0;
    uint32_t start = t->rcv_nxt;
    uint32_t run = 0;
    while (run < q->cap && q->have[(start + run) & (q->cap - 1u)])
        run++;
    if (run == 0)
        return 0;
    /* Hand the run to the application, in at most two pieces where the ring wraps. */
    uint32_t first = start & (q->cap - 1u);
    uint32_t n1 = q->cap - first < run ? q->cap - first : run;
    if (io->deliver) {
        io->deliver(io->deliver_ctx, t->cfg->name, t->sock, q->ring + first, n1);
        if (run > n1)
            io->deliver(io->deliver_ctx, t->cfg->name, t->sock, q->ring, run - n1);
    }
    memset(q->have + first, 0, n1);
    if (run > n1)
        memset(q->have, 0, run - n1);
    q->held -= run;
    t->rcv_nxt += run;
    t->bytes_delivered += run;
    if (!t->autoread)
        t->unread += run;
    tcp_trace_app(t, APP_DELIVER, run, NULL, io);
    return run;
}
