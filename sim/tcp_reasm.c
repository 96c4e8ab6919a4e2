/* tcp_reasm.c: reassembly: bytes within the window are held by sequence number until all before
 * them are there, then delivered in order, exactly once. Called by tcp_input.c. */
#include "tcp.h"

#include <stdlib.h>
#include <string.h>

#define RING_MASK (TCP_RING_SIZE - 1u)

void tcp_reasm_finish(struct tcp_rcvq *q)
{
    free(q->ring);
    free(q->have);
    q->ring = NULL;
    q->have = NULL;
    q->held = 0;
}

bool tcp_reasm_store(struct tcb *t, uint32_t seq, const uint8_t *data, uint32_t len)
{
    struct tcp_rcvq *q = &t->rq;
    if (len == 0)
        return true;
    if (!q->ring) {
        q->ring = malloc(TCP_RING_SIZE);
        q->have = calloc(TCP_RING_SIZE, 1);
        if (!q->ring || !q->have) {
            tcp_reasm_finish(q);
            return false;
        }
    }
    /* Only bytes inside [RCV.NXT, RCV.NXT + RCV.WND) are kept; the window is never larger than
     * the ring, so no two kept bytes share a slot. */
    uint32_t wnd = tcp_rcv_wnd(t);
    for (uint32_t i = 0; i < len; i++) {
        uint32_t s = seq + i;
        uint32_t off = s - t->rcv_nxt;
        if (seq_lt(s, t->rcv_nxt) || off >= wnd)
            continue;
        uint32_t slot = s & RING_MASK;
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
    while (run < TCP_RING_SIZE && q->have[(start + run) & RING_MASK])
        run++;
    if (run == 0)
        return 0;
    /* Hand the run to the application, in at most two pieces where the ring wraps. */
    uint32_t first = start & RING_MASK;
    uint32_t n1 = TCP_RING_SIZE - first < run ? TCP_RING_SIZE - first : run;
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
