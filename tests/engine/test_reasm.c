/* test_reasm.c: unit tests of the receive ring (sim/tcp_reasm.c) as it grows from its smallest
 * size while out-of-order bytes are held: nothing held is lost, everything is delivered once, in
 * order. Suite 'engine'. */
#include <stdlib.h>

#include "tcp.h"
#include "testlib.h"

#define STREAM 8000u

struct got {
    uint8_t data[STREAM];
    size_t n;
    int calls;
};

static void deliver(void *ctx, char host, int32_t sock, const uint8_t *data, size_t len)
{
    (void)host;
    (void)sock;
    struct got *g = ctx;
    if (g->n + len <= STREAM)
        memcpy(g->data + g->n, data, len);
    g->n += len;
    g->calls++;
}

/* The peer's byte stream: byte k of the stream. */
static uint8_t byte_at(uint32_t k)
{
    return (uint8_t)(k * 7u + k / 251u);
}

static void store(struct tcb *t, uint32_t irs, uint32_t from, uint32_t to)
{
    static uint8_t buf[STREAM];
    for (uint32_t k = from; k < to; k++)
        buf[k - from] = byte_at(k);
    tcp_reasm_store(t, irs + 1u + from, buf, to - from);
}

static struct tcb *receiver(struct host_config *cfg, uint32_t irs)
{
    *cfg = (struct host_config){ .name = 'B', .addr = 2 };
    profile_defaults(&cfg->profile, PROFILE_RFC9293);
    struct tcb *t = tcp_create(cfg, 0, TCP_CLOSED, 2, 80, 1, 1000);
    t->state = TCP_ESTABLISHED;
    t->irs = irs;
    t->irs_known = true;
    t->rcv_nxt = irs + 1u;
    return t;
}

static void check_stream(struct test_ctx *t, const struct got *g, uint32_t n)
{
    CHECK_EQ_U64(g->n, n);
    size_t bad = 0;
    for (uint32_t k = 0; k < n && k < g->n; k++)
        bad += g->data[k] != byte_at(k);
    CHECK_EQ_U64(bad, 0);
}

TEST(test_ring_grows_keeping_held_bytes)
{
    struct host_config cfg;
    /* An IRS just below the wrap, so the stream crosses 2^32 while the ring grows. */
    uint32_t irs = UINT32_MAX - 1500u;
    struct tcb *tcb = receiver(&cfg, irs);
    static struct got g;
    memset(&g, 0, sizeof g);
    struct host_io io = { .deliver = deliver, .deliver_ctx = &g };

    store(tcb, irs, 300, 400);   /* out of order: the smallest ring */
    CHECK_EQ_U64(tcb->rq.cap, TCP_RING_MIN);
    store(tcb, irs, 3000, 3500); /* beyond it: the ring grows while 100 bytes are held */
    CHECK(tcb->rq.cap >= 4096u);
    store(tcb, irs, 6000, 7000); /* and again */
    CHECK_EQ_U64(tcb->rq.held, 1600);
    CHECK_EQ_U64(tcp_reasm_deliver(tcb, &io), 0); /* the gap at RCV.NXT holds everything */
    store(tcb, irs, 0, 300);
    store(tcb, irs, 400, 3000);
    store(tcb, irs, 3500, 6000);
    CHECK_EQ_U64(tcp_reasm_deliver(tcb, &io), 7000);
    CHECK_EQ_U64(tcb->rq.held, 0);
    CHECK_EQ_U64(tcb->rcv_nxt, irs + 1u + 7000u);
    check_stream(t, &g, 7000);
    tcp_destroy(tcb);
}

TEST(test_small_in_order_segments_stay_in_the_smallest_ring)
{
    struct host_config cfg;
    uint32_t irs = 12345u;
    struct tcb *tcb = receiver(&cfg, irs);
    static struct got g;
    memset(&g, 0, sizeof g);
    struct host_io io = { .deliver = deliver, .deliver_ctx = &g };
    /* 100-byte segments, each delivered before the next: the ring wraps many times. */
    for (uint32_t k = 0; k < 5000; k += 100) {
        store(tcb, irs, k, k + 100);
        CHECK_EQ_U64(tcp_reasm_deliver(tcb, &io), 100);
    }
    CHECK_EQ_U64(tcb->rq.cap, TCP_RING_MIN);
    check_stream(t, &g, 5000);
    tcp_destroy(tcb);
}

TEST(test_bytes_outside_the_window_are_not_kept)
{
    struct host_config cfg;
    uint32_t irs = 77u;
    struct tcb *tcb = receiver(&cfg, irs);
    cfg.profile.rcv_wnd = 2000; /* the TCB reads the profile through cfg */
    static struct got g;
    memset(&g, 0, sizeof g);
    struct host_io io = { .deliver = deliver, .deliver_ctx = &g };
    store(tcb, irs, 1500, 2500); /* 1500..2000 fit the window, 2000..2500 do not */
    CHECK_EQ_U64(tcb->rq.held, 500);
    CHECK(tcb->rq.cap <= 2048u);
    store(tcb, irs, 0, 1500);
    CHECK_EQ_U64(tcp_reasm_deliver(tcb, &io), 2000);
    check_stream(t, &g, 2000);
    tcp_destroy(tcb);
}

int main(void)
{
    struct test_ctx ctx = { 0 };
    RUN_TEST(&ctx, test_ring_grows_keeping_held_bytes);
    RUN_TEST(&ctx, test_small_in_order_segments_stay_in_the_smallest_ring);
    RUN_TEST(&ctx, test_bytes_outside_the_window_are_not_kept);
    return test_finish(&ctx);
}
