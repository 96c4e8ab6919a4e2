/* test_closing.c: reference cases C29-C36 (closing) with both profiles where they differ; no
 * window scaling here, so scaled script windows (win 46, 257) are written as 32792. */
#include "tcp_harness.h"
#include "testlib.h"

#define OUT(h, fl, s, e, a) CHECK(h_expect((h), (fl), (s), (e), (a)))
#define NONE(h) CHECK(h_expect_none(h))
#define OUT_AT(h, at, fl, s, e, a)                                                           \
    do {                                                                                     \
        const struct h_out *o_ = h_peek(h);                                                  \
        CHECK(o_ && o_->t == (at));                                                          \
        if (o_ && o_->t != (at))                                                             \
            fprintf(stderr, "  sent at %lld ns, expected %lld\n", (long long)o_->t,          \
                    (long long)(at));                                                        \
        OUT(h, fl, s, e, a);                                                                 \
    } while (0)

static enum profile_id prof_of(int i)
{
    return i ? PROFILE_LINUX : PROFILE_RFC9293;
}

/* listen, the peer's SYN (MSS 1000) and ACK: ESTABLISHED as a server at time `at`. */
static void server(struct test_ctx *t, struct harness *h, enum profile_id prof, sim_time at)
{
    h_init(h, prof);
    h->in_mss = 1000;
    h_listen(h);
    h_at(h, at);
    h_in(h, "S", 0, 0, 0, 32792);
    OUT(h, "S.", 0, 0, 1);
    h_in(h, ".", 1, 1, 1, 32792);
    CHECK_EQ_INT(h_state(h), TCP_ESTABLISHED);
}

TEST(test_C29_active_close_then_peer_fin)
{
    for (int p = 0; p < 2; p++) {
        struct harness h;
        h_init(&h, prof_of(p));
        h.in_mss = 1000;
        h_connect(&h);
        OUT(&h, "S", 0, 0, 0);
        h_in(&h, "S.", 0, 0, 1, 32768);
        OUT(&h, ".", 1, 1, 1);
        h_send(&h, 1000); /* the peer's MSS 1000: one segment */
        OUT(&h, p ? "P." : ".", 1, 1001, 1);
        h_in(&h, ".", 1, 1, 1001, 32768);
        h_close(&h);
        OUT(&h, "F.", 1001, 1001, 1);
        CHECK_EQ_INT(h_state(&h), TCP_FIN_WAIT_1);
        h_in(&h, ".", 1, 1, 1002, 32768);
        NONE(&h);
        CHECK_EQ_INT(h_state(&h), TCP_FIN_WAIT_2);
        h_in(&h, "F.", 1, 1, 1002, 32768);
        OUT(&h, ".", 1002, 1002, 2);
        CHECK_EQ_INT(h_state(&h), TCP_TIME_WAIT);
        h_finish(&h);
    }
}

TEST(test_C30_passive_close_last_ack)
{
    for (int p = 0; p < 2; p++) {
        struct harness h;
        server(t, &h, prof_of(p), 0);
        h_at(&h, sim_ms(10));
        h_in(&h, "F.", 1, 1, 1, 32792);
        OUT_AT(&h, sim_ms(10), ".", 1, 1, 2);
        CHECK_EQ_INT(h_state(&h), TCP_CLOSE_WAIT);
        CHECK_EQ_U64(rec_count_app(&h.rec, 'B', APP_EOF), 1); /* read() returns 0 */
        h_at(&h, sim_ms(20));
        h_close(&h);
        OUT_AT(&h, sim_ms(20), "F.", 1, 1, 2);
        CHECK_EQ_INT(h_state(&h), TCP_LAST_ACK);
        h_at(&h, sim_ms(30));
        h_in(&h, ".", 2, 2, 2, 32792);
        NONE(&h);
        CHECK(rec_has_state(&h.rec, 'B', TCP_LAST_ACK, TCP_CLOSED));
        CHECK_EQ_U64(rec_count_app(&h.rec, 'B', APP_CLOSED), 1);
        h_at(&h, sim_ms(40));
        h_in(&h, ".", 2, 2, 2, 32792);
        OUT(&h, "R", 2, 2, 0); /* no record of the socket any more */
        h_finish(&h);
    }

    /* LPT variant: the final ACK is lost; the FIN goes again after one RTO (rfc9293: 1 s
     * minimum), then the ACK closes it and later data draws a RST. */
    struct harness h;
    server(t, &h, PROFILE_RFC9293, 0);
    h_at(&h, sim_ms(10));
    h_in(&h, "F.", 1, 1, 1, 32792);
    OUT(&h, ".", 1, 1, 2);
    h_at(&h, sim_ms(110));
    h_close(&h);
    OUT(&h, "F.", 1, 1, 2);
    h_at(&h, sim_ms(1110));
    OUT_AT(&h, sim_ms(1110), "F.", 1, 1, 2);
    h_at(&h, sim_ms(1120));
    h_in(&h, ".", 2, 2, 2, 32792);
    CHECK(rec_has_state(&h.rec, 'B', TCP_LAST_ACK, TCP_CLOSED));
    h_in(&h, "P.", 2, 1002, 2, 32792);
    const struct h_out *o = h_peek(&h);
    CHECK(o && o->wnd == 0);
    OUT(&h, "R", 2, 2, 0);
    h_finish(&h);
}

TEST(test_C31_half_close_peer_keeps_sending)
{
    for (int p = 0; p < 2; p++) {
        struct harness h;
        server(t, &h, prof_of(p), 0);
        h_at(&h, sim_ms(10));
        h_shutdown(&h);
        OUT(&h, "F.", 1, 1, 1);
        CHECK_EQ_INT(h_state(&h), TCP_FIN_WAIT_1);
        h_in(&h, ".", 1, 1, 2, 32792);
        NONE(&h);
        CHECK_EQ_INT(h_state(&h), TCP_FIN_WAIT_2);
        CHECK(h_send(&h, 1000) < 0); /* write() after SHUT_WR: EPIPE */
        CHECK_STR(rec_last_app_note(&h.rec, 'B', APP_ERROR), "connection closing");
        NONE(&h);
        h_at(&h, sim_ms(20));
        h_in(&h, ".", 1, 1001, 2, 32792); /* the peer, in CLOSE-WAIT, sends */
        OUT_AT(&h, sim_ms(20), ".", 2, 2, 1001);
        CHECK_EQ_U64(h.ndata, 1000); /* read() returns 1000 */
        h_at(&h, sim_ms(30));
        CHECK(h_close(&h) >= 0); /* after shutdown() close() sends nothing more */
        NONE(&h);
        CHECK_EQ_INT(h_state(&h), TCP_FIN_WAIT_2);
        if (p) /* linux: the orphan's FIN_WAIT_2 timer (tcp_fin_timeout) */
            CHECK_EQ_INT(rec_last_timer(&h.rec, 'B', TIMER_FIN_WAIT_2, TIMER_SET),
                         sim_ms(30) + sim_s(60));
        h_at(&h, sim_ms(40));
        h_in(&h, "F.", 1001, 1001, 2, 32792);
        OUT(&h, ".", 2, 2, 1002);
        CHECK_EQ_INT(h_state(&h), TCP_TIME_WAIT);
        CHECK_EQ_U64(rec_count_timer(&h.rec, 'B', TIMER_FIN_WAIT_2, TIMER_CANCEL), (uint64_t)p);
        h_finish(&h);
    }
}

static void client_established(struct test_ctx *t, struct harness *h, enum profile_id prof,
                               const char *key, int64_t value)
{
    h_init(h, prof);
    if (key)
        CHECK(h_set(h, key, value));
    h_connect(h);
    OUT(h, "S", 0, 0, 0);
    h_in(h, "S.", 0, 0, 1, 32767);
    OUT(h, ".", 1, 1, 1);
}

TEST(test_C32_simultaneous_close_closing)
{
    for (int run = 0; run < 3; run++) {
        for (int fourth = 0; fourth < 2; fourth++) {
            struct harness h;
            /* run 2: closing_ack_with_fin, the FreeBSD form */
            client_established(t, &h, prof_of(run == 1), run == 2 ? "closing_ack_with_fin" : NULL,
                               1);
            h_shutdown(&h);
            OUT(&h, "F.", 1, 1, 1);
            h_after(&h, sim_ms(100));
            h_in(&h, "F.", 1, 1, 1, 32767); /* the peer's FIN does not ack ours */
            if (run == 2)
                OUT(&h, "F.", 1, 1, 2);
            else
                OUT(&h, ".", 2, 2, 2);
            CHECK_EQ_INT(h_state(&h), TCP_CLOSING);
            if (fourth == 0) {
                h_in(&h, ".", 2, 2, 2, 32767); /* 4a */
                NONE(&h);
            } else {
                h_in(&h, "F.", 1, 1, 2, 32767); /* 4b: the FIN again, now acking ours */
                OUT(&h, ".", 2, 2, 2);
            }
            CHECK_EQ_INT(h_state(&h), TCP_TIME_WAIT);
            CHECK(rec_has_state(&h.rec, 'B', TCP_CLOSING, TCP_TIME_WAIT));
            NONE(&h);
            h_finish(&h);
        }
    }
}

TEST(test_C33_fin_wait_1_straight_to_time_wait)
{
    for (int p = 0; p < 2; p++) {
        for (int use_close = 0; use_close < 2; use_close++) {
            struct harness h;
            client_established(t, &h, prof_of(p), NULL, 0);
            if (use_close)
                h_close(&h);
            else
                h_shutdown(&h);
            OUT(&h, "F.", 1, 1, 1);
            h_after(&h, sim_ms(100));
            h_in(&h, "F.", 1, 1, 2, 32767);
            OUT(&h, ".", 2, 2, 2);
            CHECK_EQ_INT(h_state(&h), TCP_TIME_WAIT);
            CHECK(rec_has_state(&h.rec, 'B', TCP_FIN_WAIT_1, TCP_TIME_WAIT));
            CHECK(!rec_has_state(&h.rec, 'B', TCP_FIN_WAIT_1, TCP_CLOSING));
            CHECK(!rec_has_state(&h.rec, 'B', TCP_FIN_WAIT_1, TCP_FIN_WAIT_2));
            h_finish(&h);
        }
    }
}

TEST(test_C35_fin_retransmission_user_timeout)
{
    for (int late_data = 1; late_data >= 0; late_data--) {
        struct harness h;
        h_init(&h, PROFILE_LINUX);
        h.in_mss = 1000;
        CHECK(h_set(&h, "user_timeout", sim_s(3)));
        h_listen(&h);
        h_in(&h, "S", 0, 0, 0, 32792);
        const struct h_out *o = h_peek(&h);
        CHECK(o && o->mss == 1460);
        OUT(&h, "S.", 0, 0, 1);
        h_at(&h, sim_ms(100));
        h_in(&h, ".", 1, 1, 1, 32792); /* RTT 100 ms: SRTT 100, RTTVAR 50, RTO 300 ms */
        struct tcb_view v;
        CHECK(h_view(&h, 0, &v) && v.rto == sim_ms(300));
        h_at(&h, sim_ms(2100));
        h_close(&h);
        OUT_AT(&h, sim_ms(2100), "F.", 1, 1, 1);
        /* RFC 6298: RTO, 2 RTO, 4 RTO (Linux's first gap is a tail-loss probe instead). */
        h_at(&h, sim_ms(4200));
        OUT_AT(&h, sim_ms(2400), "F.", 1, 1, 1);
        OUT_AT(&h, sim_ms(3000), "F.", 1, 1, 1);
        OUT_AT(&h, sim_ms(4200), "F.", 1, 1, 1);
        NONE(&h);
        if (late_data) {
            h_in(&h, ".", 1, 2, 1, 32792); /* data after close(): nobody can read it */
            OUT(&h, "R", 1, 1, 0);
            CHECK(rec_has_state(&h.rec, 'B', TCP_FIN_WAIT_1, TCP_CLOSED));
            CHECK_EQ_U64(h_socks(&h), 1); /* the listener alone */
        } else {
            /* USER_TIMEOUT: 3 s after the FIN first went unacknowledged. */
            h_at(&h, sim_ms(5100) - 1);
            CHECK_EQ_INT(h_state(&h), TCP_FIN_WAIT_1);
            h_at(&h, sim_ms(5100));
            NONE(&h);
            CHECK(rec_has_state(&h.rec, 'B', TCP_FIN_WAIT_1, TCP_CLOSED));
            CHECK_EQ_U64(h_socks(&h), 1);
            CHECK_STR(rec_last_app_note(&h.rec, 'B', APP_ERROR),
                      "connection aborted due to user timeout");
            h_in(&h, ".", 1, 2, 1, 32792);
            OUT(&h, "R", 1, 1, 0);
        }
        h_finish(&h);
    }
}

TEST(test_C36_close_with_unread_data_rst)
{
    struct harness h;
    /* a: everything read: FIN, no RST */
    server(t, &h, PROFILE_LINUX, 0);
    h_in(&h, ".", 1, 1001, 1, 32792);
    OUT(&h, ".", 1, 1, 1001); /* a quick ACK */
    h_at(&h, sim_ms(100));
    h_in(&h, "F.", 1, 1001, 1, 32792); /* the data again, with a FIN */
    h_at(&h, sim_ms(140));
    const struct h_out *o = h_peek(&h);
    CHECK(o && o->t >= sim_ms(100) && o->t <= sim_ms(140));
    OUT(&h, ".", 1, 1, 1002);
    CHECK_EQ_INT(h_state(&h), TCP_CLOSE_WAIT);
    CHECK_EQ_U64(h.ndata, 1000); /* exactly once */
    h_close(&h);
    OUT(&h, "F.", 1, 1, 1002);
    CHECK_EQ_INT(h_state(&h), TCP_LAST_ACK);
    h_finish(&h);

    /* b: 1000 bytes never read, close() in CLOSE-WAIT sends RST (linux) or FIN (rfc9293) */
    for (int p = 1; p >= 0; p--) {
        h_init(&h, prof_of(p));
        host_set_autoread(h_host(&h), false);
        h_listen(&h);
        h_at(&h, sim_ms(100));
        h_in(&h, "S", 0, 0, 0, 32792);
        OUT(&h, "S.", 0, 0, 1);
        h_at(&h, sim_ms(200));
        h_in(&h, ".", 1, 1, 1, 32792);
        h_at(&h, sim_ms(210));
        h_in(&h, "P.", 1, 1001, 1, 32792);
        OUT_AT(&h, sim_ms(210), ".", 1, 1, 1001);
        h_at(&h, sim_ms(250));
        h_send(&h, 1000);
        OUT_AT(&h, sim_ms(250), p ? "P." : ".", 1, 1001, 1001);
        h_at(&h, sim_ms(300));
        h_in(&h, ".", 1001, 1001, 1001, 32792);
        h_at(&h, sim_ms(610));
        h_in(&h, "F.", 1001, 1001, 1001, 32792);
        h_at(&h, sim_ms(700));
        OUT_AT(&h, p ? sim_ms(650) : sim_ms(610), ".", 1001, 1001, 1002);
        CHECK_EQ_INT(h_state(&h), TCP_CLOSE_WAIT);
        struct tcb_view v;
        CHECK(h_view(&h, 0, &v) && v.bytes_unread == 1000);
        h_close(&h);
        if (p) {
            OUT_AT(&h, sim_ms(700), "R.", 1001, 1001, 1002);
            CHECK(rec_has_state(&h.rec, 'B', TCP_CLOSE_WAIT, TCP_CLOSED));
        } else {
            OUT_AT(&h, sim_ms(700), "F.", 1001, 1001, 1002);
            CHECK_EQ_INT(h_state(&h), TCP_LAST_ACK);
        }
        h_finish(&h);
    }

    /* c: SO_LINGER {1, 0}: close() is ABORT, a RST at SND.NXT (linux: RST+ACK) */
    for (int p = 1; p >= 0; p--) {
        server(t, &h, prof_of(p), 0);
        h_send(&h, 1000);
        OUT(&h, p ? "P." : ".", 1, 1001, 1);
        h_in(&h, ".", 1, 1, 1001, 32792);
        h_abort(&h);
        OUT(&h, p ? "R." : "R", 1001, 1001, 1);
        CHECK(rec_has_state(&h.rec, 'B', TCP_ESTABLISHED, TCP_CLOSED));
        CHECK(!rec_has_state(&h.rec, 'B', TCP_ESTABLISHED, TCP_TIME_WAIT));
        h_finish(&h);
    }

    /* d: 10 bytes of SYN data queued, delivered, never read: RST acks them (linux) */
    h_init(&h, PROFILE_LINUX);
    host_set_autoread(h_host(&h), false);
    h_listen(&h);
    h_in(&h, "S", 0, 10, 0, 32792);
    OUT(&h, "S.", 0, 0, 1);
    h_in(&h, ".", 11, 11, 1, 32792);
    OUT(&h, ".", 1, 1, 11);
    h_close(&h);
    OUT(&h, "R.", 1, 1, 11);
    h_finish(&h);
}

int main(void)
{
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, test_C29_active_close_then_peer_fin);
    RUN_TEST(&ctx, test_C30_passive_close_last_ack);
    RUN_TEST(&ctx, test_C31_half_close_peer_keeps_sending);
    RUN_TEST(&ctx, test_C32_simultaneous_close_closing);
    RUN_TEST(&ctx, test_C33_fin_wait_1_straight_to_time_wait);
    RUN_TEST(&ctx, test_C35_fin_retransmission_user_timeout);
    RUN_TEST(&ctx, test_C36_close_with_unread_data_rst);
    return test_finish(&ctx);
}
