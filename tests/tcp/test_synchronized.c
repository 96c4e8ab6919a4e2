/* test_synchronized.c: reference cases C24-C28 (Part D, SYN-RECEIVED, and Part E, RST and SYN
 * robustness in synchronized states), under RFC 5961 (both profiles) and RFC 793 rules
 * (challenge_ack off). The IUT advertises 65535, so the right edge is RCV.NXT + 65534. */
#include "tcp_harness.h"
#include "testlib.h"

#define OUT(h, fl, s, e, a) CHECK(h_expect((h), (fl), (s), (e), (a)))
#define NONE(h) CHECK(h_expect_none(h))

#define RIGHT_EDGE 65535u    /* RCV.NXT + RCV.WND - 1 with RCV.NXT = 1 */
#define OUTSIDE_RIGHT 65536u /* RCV.NXT + RCV.WND */

static enum profile_id prof_of(int i)
{
    return i ? PROFILE_LINUX : PROFILE_RFC9293;
}

TEST(test_C24_passive_syn_received_rst_back_to_listen)
{
    for (int p = 0; p < 2; p++) {
        struct harness h;
        h_init(&h, prof_of(p));
        CHECK(h_set(&h, "rcv_wnd", 65535));
        h_listen(&h);
        h_in(&h, "S", 0, 0, 0, 32767);
        OUT(&h, "S.", 0, 0, 1);
        CHECK_EQ_INT(h_state(&h), TCP_SYN_RECEIVED);
        CHECK_EQ_U64(h_socks(&h), 2);
        h_at(&h, sim_ms(100));
        h_in(&h, "R", 1, 1, 0, 0);
        NONE(&h);
        CHECK_EQ_INT(h_state(&h), TCP_LISTEN);
        CHECK_EQ_U64(h_socks(&h), 1);
        const struct trace_rec *r = rec_last_state(&h.rec, 'B');
        CHECK(r && r->u.state.from == TCP_SYN_RECEIVED && r->u.state.to == TCP_LISTEN);
        CHECK_EQ_U64(rec_count_app(&h.rec, 'B', APP_ERROR), 0);
        /* The listener is intact: a new handshake and data. */
        h_in(&h, "S", 0, 0, 0, 32767);
        OUT(&h, "S.", 0, 0, 1);
        h_in(&h, ".", 1, 1, 1, 32767);
        CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
        h_send(&h, 1000);
        OUT(&h, p ? "P." : ".", 1, 1001, 1);
        h_finish(&h);
    }
}

/* connect, crossing SYN: SYN-RECEIVED via SYN-SENT with RCV.NXT = 1. */
static void active_syn_received(struct test_ctx *t, struct harness *h, enum profile_id prof)
{
    h_init(h, prof);
    CHECK(h_set(h, "rcv_wnd", 65535));
    h_connect(h);
    OUT(h, "S", 0, 0, 0);
    h_in(h, "S", 0, 0, 0, 32767);
    OUT(h, "S.", 0, 0, 1);
    CHECK_EQ_INT(h_state(h), TCP_SYN_RECEIVED);
}

TEST(test_C25_active_syn_received_rst)
{
    for (int p = 0; p < 2; p++) {
        struct harness h;
        /* a: RST at RCV.NXT: refused */
        active_syn_received(t, &h, prof_of(p));
        h_in(&h, "R", 1, 1, 0, 0);
        NONE(&h);
        CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
        CHECK_STR(rec_last_app_note(&h.rec, 'B', APP_ERROR), "connection refused");
        h_finish(&h);

        /* b: in window but not RCV.NXT: challenge ACK, no error; then the handshake ends */
        active_syn_received(t, &h, prof_of(p));
        h_in(&h, "R", RIGHT_EDGE, RIGHT_EDGE, 0, 0);
        OUT(&h, ".", 1, 1, 1);
        CHECK_EQ_INT(h_state(&h), TCP_SYN_RECEIVED);
        CHECK_EQ_U64(rec_count_app(&h.rec, 'B', APP_ERROR), 0);
        h_in(&h, "R", OUTSIDE_RIGHT, OUTSIDE_RIGHT, 0, 0); /* outside: silently dropped */
        NONE(&h);
        h_in(&h, ".", 1, 1, 1, 32767); /* b2 */
        NONE(&h);
        CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
        h_in(&h, "F.", 1, 1, 1, 32767); /* b3: acknowledged at once (no data yet) */
        OUT(&h, ".", 1, 1, 2);
        CHECK_EQ_INT(h_state(&h), TCP_CLOSE_WAIT);
        h_close(&h); /* b4 */
        OUT(&h, "F.", 1, 1, 2);
        CHECK_EQ_INT(h_state(&h), TCP_LAST_ACK);
        h_in(&h, ".", 2, 2, 2, 32767);
        NONE(&h);
        CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
        CHECK(rec_has_state(&h.rec, 'B', TCP_LAST_ACK, TCP_CLOSED));
        h_finish(&h);
    }
}

/* The common FTS setup of Part E. challenge: 1 = RFC 5961 (secure), 0 = RFC 793 (insecure). */
static void established(struct test_ctx *t, struct harness *h, enum profile_id prof, int challenge)
{
    h_init(h, prof);
    CHECK(h_set(h, "rcv_wnd", 65535));
    CHECK(h_set(h, "challenge_ack", challenge));
    h_connect(h);
    OUT(h, "S", 0, 0, 0);
    h_at(h, sim_ms(100));
    h_in(h, "S.", 0, 0, 1, 32767);
    OUT(h, ".", 1, 1, 1);
    CHECK_EQ_INT(h_state(h), TCP_ESTABLISHED);
}

/* "Survives": a clean close afterwards. */
static void survives(struct test_ctx *t, struct harness *h)
{
    CHECK_EQ_INT(h_state(h), TCP_ESTABLISHED);
    CHECK_EQ_U64(rec_count_app(&h->rec, 'B', APP_ERROR), 0);
    h_close(h);
    OUT(h, "F.", 1, 1, 1);
    h_in(h, "F.", 1, 1, 2, 32767);
    OUT(h, ".", 2, 2, 2);
    CHECK_EQ_INT(h_state(h), TCP_TIME_WAIT);
}

static void reset(struct test_ctx *t, struct harness *h)
{
    CHECK_EQ_INT(h_state(h), TCP_CLOSED);
    CHECK_STR(rec_last_app_note(&h->rec, 'B', APP_ERROR), "connection reset");
}

TEST(test_C27_established_rst_four_positions)
{
    /* secure under both profiles, insecure (RFC 793) under rfc9293 with challenge_ack off */
    for (int run = 0; run < 3; run++) {
        enum profile_id prof = run == 1 ? PROFILE_LINUX : PROFILE_RFC9293;
        int secure = run < 2;
        struct harness h;

        established(t, &h, prof, secure); /* RCV.NXT - 1 */
        h_in(&h, "R", 0, 0, 0, 0);
        NONE(&h);
        survives(t, &h);
        h_finish(&h);

        established(t, &h, prof, secure); /* = RCV.NXT */
        h_in(&h, "R", 1, 1, 0, 0);
        NONE(&h);
        reset(t, &h);
        h_finish(&h);

        established(t, &h, prof, secure); /* right edge */
        h_in(&h, "R", RIGHT_EDGE, RIGHT_EDGE, 0, 0);
        if (secure) {
            OUT(&h, ".", 1, 1, 1); /* challenge ACK */
            survives(t, &h);
        } else {
            NONE(&h);
            reset(t, &h);
        }
        h_finish(&h);

        established(t, &h, prof, secure); /* outside right */
        h_in(&h, "R", OUTSIDE_RIGHT, OUTSIDE_RIGHT, 0, 0);
        NONE(&h);
        survives(t, &h);
        h_finish(&h);
    }
}

TEST(test_C28_syn_in_synchronized_state)
{
    for (int run = 0; run < 3; run++) {
        enum profile_id prof = run == 1 ? PROFILE_LINUX : PROFILE_RFC9293;
        int secure = run < 2;
        const uint32_t seqs[] = {1, 0, RIGHT_EDGE, OUTSIDE_RIGHT}; /* a, b, c, c2 */
        for (size_t i = 0; i < 4; i++) {
            struct harness h;
            established(t, &h, prof, secure);
            h_in(&h, "S", seqs[i], seqs[i], 0, 32767);
            bool in_window = seqs[i] == 1 || seqs[i] == RIGHT_EDGE;
            if (secure || !in_window) {
                OUT(&h, ".", 1, 1, 1); /* challenge ACK / step-one ACK */
                survives(t, &h);
            } else {
                const struct h_out *o = h_peek(&h);
                CHECK(o && o->wnd == 0);
                OUT(&h, "R.", 1, 1, 1);
                reset(t, &h);
            }
            h_finish(&h);
        }
    }

    /* d: CLOSE-WAIT + SYN: challenge ACK, then a normal passive close */
    for (int p = 0; p < 2; p++) {
        struct harness h;
        established(t, &h, prof_of(p), 1);
        h_in(&h, "F.", 1, 1, 1, 32767);
        OUT(&h, ".", 1, 1, 2);
        CHECK_EQ_INT(h_state(&h), TCP_CLOSE_WAIT);
        h_in(&h, "S", 2, 2, 0, 32767);
        OUT(&h, ".", 1, 1, 2);
        CHECK_EQ_INT(h_state(&h), TCP_CLOSE_WAIT);
        h_close(&h);
        OUT(&h, "F.", 1, 1, 2);
        h_in(&h, ".", 2, 2, 2, 32767);
        NONE(&h);
        CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
        h_finish(&h);
    }
}

int main(void)
{
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, test_C24_passive_syn_received_rst_back_to_listen);
    RUN_TEST(&ctx, test_C25_active_syn_received_rst);
    RUN_TEST(&ctx, test_C27_established_rst_four_positions);
    RUN_TEST(&ctx, test_C28_syn_in_synchronized_state);
    return test_finish(&ctx);
}
