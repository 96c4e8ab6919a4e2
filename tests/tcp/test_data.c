/* test_data.c: data transfer: segmentation, window, reordering, loss, exactly-once delivery, a FIN
 * after a gap, zero-window probes, half-close, linux delayed ACKs. Run by meson test. */
#include <stdlib.h>

#include "tcp_harness.h"
#include "testlib.h"

#define OUT(h, fl, s, e, a) CHECK(h_expect((h), (fl), (s), (e), (a)))
#define NONE(h) CHECK(h_expect_none(h))

enum { A = 0, B = 1 };

static void connect_manual(struct wire *w)
{
    w_listen(w, B);
    w_connect(w, A);
    w_deliver(w, A, 0);
    w_deliver(w, B, 0);
    w_deliver(w, A, 0);
}

static uint8_t *pattern(size_t n, unsigned seed)
{
    uint8_t *p = malloc(n);
    if (!p)
        abort();
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)((i * 31u + seed * 7u + (i >> 8)) & 0xffu);
    return p;
}

TEST(test_data_mss_segmentation_and_window)
{
    struct wire w;
    w_init(&w, PROFILE_RFC9293, 1000, 5000);
    connect_manual(&w);
    uint8_t *d = pattern(10000, 1);
    w_send(&w, A, d, 10000);
    /* 65535-byte window: all of it, in 1460-byte segments, numbered back to back */
    CHECK_EQ_U64(w_waiting(&w, A), 7);
    for (size_t k = 0; k < 7; k++)
        CHECK(w_check(&w, A, k, ".", 1001u + 1460u * (uint32_t)k, 5001, k < 6 ? 1460 : 1240));
    for (size_t k = 0; k < 7; k++)
        w_deliver(&w, A, 0);
    CHECK(w.ndata[B] == 10000 && memcmp(w.data[B], d, 10000) == 0);
    CHECK_EQ_U64(w_waiting(&w, B), 7); /* rfc9293: every segment is acknowledged */
    CHECK(w_check(&w, B, 6, ".", 5001, 11001, 0));
    w_finish(&w);

    /* The receiver's window (rcv_wnd 4000) and MSS (536) limit the sender. */
    w_init(&w, PROFILE_RFC9293, 1000, 5000);
    CHECK(w_set(&w, B, "rcv_wnd", 4000));
    CHECK(w_set(&w, B, "mss", 536));
    connect_manual(&w);
    w_send(&w, A, d, 10000);
    CHECK_EQ_U64(w_waiting(&w, A), 8); /* 7 x 536 + 248 = 4000 */
    CHECK(w_check(&w, A, 7, ".", 1001u + 7u * 536u, 5001, 248));
    w_deliver(&w, A, 0);
    CHECK(w_check(&w, B, 0, ".", 5001, 1537, 0));
    w_deliver(&w, B, 0); /* the window slides by 536: one more segment */
    CHECK_EQ_U64(w_waiting(&w, A), 8);
    CHECK(w_check(&w, A, 7, ".", 5001, 5001, 536));
    free(d);
    w_finish(&w);
}

TEST(test_data_reordering_exactly_once)
{
    struct wire w;
    w_init(&w, PROFILE_RFC9293, 1000, 5000);
    connect_manual(&w);
    uint8_t *d = pattern(4380, 2);
    w_send(&w, A, d, 4380); /* three segments */
    w_deliver(&w, A, 2);    /* the third first: out of order, held, duplicate ACK at once */
    CHECK_EQ_U64(w.ndata[B], 0);
    CHECK(w_check(&w, B, 0, ".", 5001, 1001, 0));
    w_deliver(&w, A, 1); /* the second */
    CHECK_EQ_U64(w.ndata[B], 0);
    CHECK(w_check(&w, B, 1, ".", 5001, 1001, 0));
    w_deliver(&w, A, 0); /* the first fills the gap: everything at once */
    CHECK(w.ndata[B] == 4380 && memcmp(w.data[B], d, 4380) == 0);
    CHECK(w_check(&w, B, 2, ".", 5001, 5381, 0));
    CHECK_EQ_U64(rec_count_app(&w.rec, 'B', APP_DELIVER), 1);
    /* A duplicate of old data is not delivered twice; it is acknowledged. */
    w_inject(&w, A, ".", 1001, 5001, 100);
    w_deliver(&w, A, 0);
    CHECK_EQ_U64(w.ndata[B], 4380);
    CHECK(w_check(&w, B, 3, ".", 5001, 5381, 0));
    free(d);
    w_finish(&w);
}

struct drop_nth {
    int from;
    uint64_t nth[4];
};

static bool drop_listed(void *ctx, int from, const struct segment *s, uint64_t n, sim_time *extra)
{
    const struct drop_nth *c = ctx;
    (void)s;
    (void)extra;
    if (from != c->from)
        return true;
    for (int i = 0; i < 4; i++)
        if (c->nth[i] == n)
            return false;
    return true;
}

TEST(test_data_loss_and_retransmission)
{
    for (int p = 0; p < 2; p++) {
        struct wire w;
        w_init(&w, p ? PROFILE_LINUX : PROFILE_RFC9293, 1000, 5000);
        struct drop_nth c = {A, {4, 6, 0, 0}}; /* A's 4th and 6th segments (data 2 and 4) */
        w.automatic = true;
        w.filter = drop_listed;
        w.filter_ctx = &c;
        w_listen(&w, B);
        w_connect(&w, A);
        w_run_until(&w, sim_ms(100));
        CHECK_EQ_INT(w_state(&w, A), TCP_ESTABLISHED);
        uint8_t *d = pattern(20000, 3);
        w_send(&w, A, d, 20000);
        w_run_until(&w, sim_s(30));
        CHECK(w.ndata[B] == 20000 && memcmp(w.data[B], d, 20000) == 0);
        struct tcb_view v;
        CHECK(host_sock_view(w_host(&w, A), 0, &v));
        CHECK(v.retransmits >= 2);
        CHECK_EQ_U64(v.bytes_acked, 20000);
        CHECK(v.snd_una == v.snd_nxt);
        CHECK_EQ_INT(v.timer_deadline[TIMER_RTO], SIM_NEVER);
        free(d);
        w_finish(&w);
    }
}

struct random_loss {
    struct rng rng;
    uint64_t num, den;
    sim_time jitter;
};

static bool lose_randomly(void *ctx, int from, const struct segment *s, uint64_t n, sim_time *extra)
{
    struct random_loss *c = ctx;
    (void)from;
    (void)s;
    (void)n;
    *extra = (sim_time)rng_below(&c->rng, (uint64_t)c->jitter + 1); /* reorders too */
    return !rng_chance(&c->rng, c->num, c->den);
}

TEST(test_data_random_loss_both_ways_then_close)
{
    for (int p = 0; p < 2; p++) {
        for (uint64_t seed = 1; seed <= 4; seed++) {
            struct wire w;
            w_init(&w, p ? PROFILE_LINUX : PROFILE_RFC9293, 1000, 5000);
            struct random_loss c = {.num = 1, .den = 10, .jitter = sim_ms(15)};
            rng_seed(&c.rng, seed);
            w.automatic = true;
            w.filter = lose_randomly;
            w.filter_ctx = &c;
            w_listen(&w, B);
            w_connect(&w, A);
            w_run_until(&w, sim_s(20));
            CHECK_EQ_INT(w_state(&w, A), TCP_ESTABLISHED);
            uint8_t *da = pattern(60000, 4), *db = pattern(30000, 5);
            w_send(&w, A, da, 60000);
            w_send(&w, B, db, 30000);
            w_shutdown(&w, A); /* done sending; still reading (linux: close() would reset) */
            w_run_until(&w, sim_s(300));
            CHECK(w.ndata[B] == 60000 && memcmp(w.data[B], da, 60000) == 0);
            CHECK(w.ndata[A] == 30000 && memcmp(w.data[A], db, 30000) == 0);
            w_close(&w, B);
            w_close(&w, A);
            w_run_until(&w, sim_s(2000));
            CHECK_EQ_U64(rec_count_app(&w.rec, 'B', APP_EOF), 1);
            CHECK_EQ_U64(rec_count_app(&w.rec, 'A', APP_EOF), 1);
            CHECK_EQ_INT(w_state(&w, A), TCP_CLOSED);
            CHECK_EQ_U64(host_sock_count(w_host(&w, B)), 1); /* the listener */
            free(da);
            free(db);
            w_finish(&w);
        }
    }
}

TEST(test_data_fin_waits_for_gap)
{
    struct wire w;
    w_init(&w, PROFILE_RFC9293, 1000, 5000);
    connect_manual(&w);
    uint8_t *d = pattern(3000, 6);
    w_send(&w, A, d, 3000); /* 1460 + 1460 + 80 */
    w_close(&w, A);
    CHECK(w_check(&w, A, 3, "F.", 4001, 5001, 0));
    w_deliver(&w, A, 0);
    w_deliver(&w, A, 1); /* the third and the FIN before the second */
    w_deliver(&w, A, 1);
    CHECK_EQ_INT(w_state(&w, B), TCP_ESTABLISHED);
    CHECK_EQ_U64(rec_count_app(&w.rec, 'B', APP_EOF), 0);
    CHECK_EQ_U64(w.ndata[B], 1460);
    CHECK(w_check(&w, B, 1, ".", 5001, 2461, 0)); /* "still missing 2461" */
    CHECK(w_check(&w, B, 2, ".", 5001, 2461, 0));
    w_deliver(&w, A, 0); /* the gap fills: data, then the FIN */
    CHECK(w.ndata[B] == 3000 && memcmp(w.data[B], d, 3000) == 0);
    CHECK_EQ_INT(w_state(&w, B), TCP_CLOSE_WAIT);
    CHECK(w_check(&w, B, 3, ".", 5001, 4002, 0));
    /* the EOF comes after the last delivery */
    size_t last_deliver = 0, eof = 0;
    for (size_t i = 0; i < w.rec.n; i++) {
        const struct trace_rec *r = &w.rec.r[i];
        if (r->ev == TR_APP && r->host == 'B' && r->u.app.action == APP_DELIVER)
            last_deliver = i;
        if (r->ev == TR_APP && r->host == 'B' && r->u.app.action == APP_EOF)
            eof = i;
    }
    CHECK(eof > last_deliver);
    free(d);
    w_finish(&w);

    /* The FIN rides on the last data segment when it is queued before that segment goes
     * (here the peer's small window holds the data back). */
    w_init(&w, PROFILE_RFC9293, 1000, 5000);
    CHECK(w_set(&w, B, "rcv_wnd", 2000));
    connect_manual(&w);
    d = pattern(3000, 6);
    w_send(&w, A, d, 3000);
    w_close(&w, A);
    CHECK_EQ_U64(w_waiting(&w, A), 2); /* 1460 + 540 */
    w_deliver(&w, A, 0);
    w_deliver(&w, A, 0);
    w_deliver(&w, B, 0);
    w_deliver(&w, B, 0);
    CHECK(w_check(&w, A, 0, "F.", 3001, 5001, 1000));
    free(d);
    w_finish(&w);
}

TEST(test_data_zero_window_probe)
{
    for (int p = 0; p < 2; p++) {
        struct wire w;
        w_init(&w, p ? PROFILE_LINUX : PROFILE_RFC9293, 1000, 5000);
        CHECK(w_set(&w, B, "rcv_wnd", 3000));
        w.automatic = true;
        w_listen(&w, B);
        host_set_autoread(w_host(&w, B), false);
        w_connect(&w, A);
        w_run_until(&w, sim_ms(100));
        uint8_t *d = pattern(10000, 7);
        w_send(&w, A, d, 10000);
        w_run_until(&w, sim_s(1));
        CHECK_EQ_U64(w.ndata[B], 3000); /* the window is full */
        struct tcb_view v;
        CHECK(host_sock_view(w_host(&w, A), 0, &v));
        CHECK_EQ_U64(v.snd_wnd, 0);
        w_run_until(&w, sim_s(200)); /* probes go and are answered: no give-up */
        CHECK(host_sock_view(w_host(&w, A), 0, &v));
        CHECK_EQ_INT(v.state, TCP_ESTABLISHED);
        CHECK(v.retransmits > 3);
        CHECK_EQ_U64(w.ndata[B], 3000);
        host_set_autoread(w_host(&w, B), true); /* the application reads: the window opens */
        w_run_until(&w, sim_s(600));
        CHECK(w.ndata[B] == 10000 && memcmp(w.data[B], d, 10000) == 0);
        free(d);
        w_finish(&w);
    }
}

TEST(test_data_half_close_other_side_keeps_sending)
{
    struct wire w;
    w_init(&w, PROFILE_RFC9293, 1000, 5000);
    w.automatic = true;
    w_listen(&w, B);
    w_connect(&w, A);
    w_run_until(&w, sim_ms(100));
    w_shutdown(&w, A);
    w_run_until(&w, sim_ms(200));
    CHECK_EQ_INT(w_state(&w, A), TCP_FIN_WAIT_2);
    CHECK_EQ_INT(w_state(&w, B), TCP_CLOSE_WAIT);
    uint8_t *d = pattern(5000, 8);
    CHECK(w_send(&w, B, d, 5000) >= 0); /* SEND is allowed in CLOSE-WAIT */
    w_run_until(&w, sim_ms(300));
    CHECK(w.ndata[A] == 5000 && memcmp(w.data[A], d, 5000) == 0);
    w_close(&w, B);
    w_run_until(&w, sim_ms(400));
    CHECK_EQ_INT(w_state(&w, A), TCP_TIME_WAIT);
    CHECK(rec_has_state(&w.rec, 'B', TCP_LAST_ACK, TCP_CLOSED));
    free(d);
    w_finish(&w);
}

TEST(test_data_linux_delayed_and_quick_acks)
{
    struct harness h;
    h_init(&h, PROFILE_LINUX);
    CHECK(h_set(&h, "quickack_segments", 3));
    h_listen(&h);
    h_in(&h, "S", 0, 0, 0, 32767);
    OUT(&h, "S.", 0, 0, 1);
    h_in(&h, ".", 1, 1, 1, 32767);
    uint32_t seq = 1;
    for (int i = 0; i < 3; i++) { /* quick ACKs at the start */
        h_after(&h, sim_ms(100));
        h_in(&h, "P.", seq, seq + 100, 1, 32767);
        seq += 100;
        const struct h_out *o = h_peek(&h);
        CHECK(o && o->t == h.now);
        OUT(&h, ".", 1, 1, seq);
    }
    h_after(&h, sim_ms(100));
    sim_time at = h.now;
    h_in(&h, "P.", seq, seq + 100, 1, 32767); /* now delayed by 40 ms */
    seq += 100;
    NONE(&h);
    h_after(&h, sim_ms(39));
    NONE(&h);
    h_after(&h, sim_ms(1));
    const struct h_out *o = h_peek(&h);
    CHECK(o && o->t == at + sim_ms(40));
    OUT(&h, ".", 1, 1, seq);
    CHECK_EQ_U64(rec_count_timer(&h.rec, 'B', TIMER_DELACK, TIMER_FIRE), 1);
    /* two full-sized segments: acknowledged at once on the second */
    h_after(&h, sim_ms(100));
    h_in(&h, ".", seq, seq + 1460, 1, 32767);
    NONE(&h);
    h_in(&h, ".", seq + 1460, seq + 2920, 1, 32767);
    OUT(&h, ".", 1, 1, seq + 2920);
    CHECK_EQ_U64(rec_count_timer(&h.rec, 'B', TIMER_DELACK, TIMER_CANCEL), 1);
    /* a delayed ACK rides on data sent before it fires */
    h_after(&h, sim_ms(100));
    seq += 2920;
    h_in(&h, ".", seq, seq + 10, 1, 32767);
    h_after(&h, sim_ms(10));
    h_send(&h, 5);
    OUT(&h, "P.", 1, 6, seq + 10);
    h_after(&h, sim_ms(100));
    NONE(&h);
    h_finish(&h);
}

int main(void)
{
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, test_data_mss_segmentation_and_window);
    RUN_TEST(&ctx, test_data_reordering_exactly_once);
    RUN_TEST(&ctx, test_data_loss_and_retransmission);
    RUN_TEST(&ctx, test_data_random_loss_both_ways_then_close);
    RUN_TEST(&ctx, test_data_fin_waits_for_gap);
    RUN_TEST(&ctx, test_data_zero_window_probe);
    RUN_TEST(&ctx, test_data_half_close_other_side_keeps_sending);
    RUN_TEST(&ctx, test_data_linux_delayed_and_quick_acks);
    return test_finish(&ctx);
}
