/* test_synchronized.c: reference cases C24-C28 (SYN-RECEIVED; RST and SYN in synchronized
 * states, RFC 5961 and RFC 793) and divergences 4, 9 and 11. Window 65535: right edge
 * RCV.NXT+65534. */
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

TEST(test_dup_syn_in_syn_received_per_profile)
{
    /* Divergence 4: the peer's SYN again (our SYN+ACK was lost). rfc9293: it fails Table 6 and
     * draws <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>; linux resends the SYN+ACK. */
    for (int p = 0; p < 2; p++) {
        struct harness h;
        h_init(&h, prof_of(p));
        h_listen(&h);
        h_in(&h, "S", 0, 0, 0, 32767);
        OUT(&h, "S.", 0, 0, 1);
        h_at(&h, sim_ms(500));
        h_in(&h, "S", 0, 0, 0, 32767);
        if (p)
            OUT(&h, "S.", 0, 0, 1);
        else
            OUT(&h, ".", 1, 1, 1);
        NONE(&h);
        CHECK_EQ_INT(h_state(&h), TCP_SYN_RECEIVED);
        CHECK_EQ_U64(h_socks(&h), 2);
        /* a SYN with another sequence number: "return this connection to the LISTEN state" */
        h_in(&h, "S", 500, 500, 0, 32767);
        NONE(&h);
        CHECK_EQ_INT(h_state(&h), TCP_LISTEN);
        CHECK(rec_has_state(&h.rec, 'B', TCP_SYN_RECEIVED, TCP_LISTEN));
        h_finish(&h);
    }
}

TEST(test_unacceptable_acks)
{
    struct harness h;
    /* SYN-RECEIVED: an ACK outside SND.UNA < SEG.ACK =< SND.NXT draws <SEQ=SEG.ACK><CTL=RST> */
    h_init(&h, PROFILE_RFC9293);
    h_listen(&h);
    h_in(&h, "S", 0, 0, 0, 32767);
    OUT(&h, "S.", 0, 0, 1);
    h_in(&h, ".", 1, 1, 5, 32767);
    OUT(&h, "R", 5, 5, 0);
    CHECK_EQ_INT(h_state(&h), TCP_SYN_RECEIVED);
    h_in(&h, ".", 1, 1, 0, 32767);
    OUT(&h, "R", 0, 0, 0);
    h_in(&h, ".", 1, 1, 1, 32767);
    NONE(&h);
    CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
    /* ESTABLISHED: an ACK of something not yet sent: ACK and drop (the data is not taken) */
    h_in(&h, ".", 1, 11, 50, 32767);
    OUT(&h, ".", 1, 1, 1);
    CHECK_EQ_U64(h.ndata, 0);
    /* RFC 5961 §5.2: an ACK older than SND.UNA - MAX.SND.WND: ACK and drop */
    h_in(&h, ".", 1, 11, 1u - 40000u, 32767);
    OUT(&h, ".", 1, 1, 1);
    CHECK_EQ_U64(h.ndata, 0);
    /* an old duplicate ACK within that range is fine and the data is taken */
    h_in(&h, ".", 1, 11, 1u - 100u, 32767);
    OUT(&h, ".", 1, 1, 11);
    CHECK_EQ_U64(h.ndata, 10);
    /* ACK bit off in a synchronized state: dropped silently */
    h_in(&h, "P", 11, 21, 0, 32767);
    NONE(&h);
    CHECK_EQ_U64(h.ndata, 10);
    h_finish(&h);
}

/* listen, passive open: ESTABLISHED with RCV.NXT = 1, a 100-byte window and an application that
 * reads nothing, so 100 bytes shut the window. */
static void established_unread_100(struct test_ctx *t, struct harness *h, enum profile_id prof)
{
    h_init(h, prof);
    CHECK(h_set(h, "rcv_wnd", 100));
    host_set_autoread(h_host(h), false);
    h_listen(h);
    h_in(h, "S", 0, 0, 0, 32767);
    OUT(h, "S.", 0, 0, 1);
    h_in(h, ".", 1, 1, 1, 32767);
}

TEST(test_fin_with_zero_window_per_profile)
{
    /* Divergence 9: the application reads nothing, the 100-byte window fills, then a FIN comes.
     * rfc9293 (Table 6: SEG.LEN 1 with RCV.WND 0 is unacceptable): an ACK saying window 0, the
     * FIN waits. linux (tcp_sequence): the FIN is taken. */
    for (int p = 0; p < 2; p++) {
        struct harness h;
        established_unread_100(t, &h, prof_of(p));
        h_in(&h, "P.", 1, 101, 1, 32767);
        const struct h_out *o = h_peek(&h);
        CHECK(o && o->wnd == 0);
        OUT(&h, ".", 1, 1, 101);
        h_in(&h, "F.", 101, 101, 1, 32767);
        if (p) {
            h_after(&h, sim_ms(40));
            OUT(&h, ".", 1, 1, 102);
            CHECK_EQ_INT(h_state(&h), TCP_CLOSE_WAIT);
        } else {
            OUT(&h, ".", 1, 1, 101);
            CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
            /* the special allowance: the ACK field of such a segment is still processed */
            h_send(&h, 10);
            OUT(&h, ".", 1, 11, 101);
            h_in(&h, "F.", 101, 101, 11, 32767);
            OUT(&h, ".", 11, 11, 101);
            struct tcb_view v;
            CHECK(h_view(&h, 0, &v) && v.snd_una == v.snd_nxt);
        }
        /* more data than the window: not acceptable either way */
        h_in(&h, "P.", 101, 111, p ? 1 : 11, 32767);
        o = h_peek(&h);
        CHECK(o && o->wnd == 0 && (o->flags & SEG_ACK));
        h.cursor = h.nout;
        CHECK_EQ_U64(h.ndata, 100);
        h_finish(&h);
    }
}

TEST(test_bare_ack_beyond_window_per_profile)
{
    /* Divergence 11 (README; tests/robust/regress/ack-war.scn): an unacceptable bare ACK that
     * lies beyond the window gets no reply, or two hosts probing each other's shut windows
     * answer each other's answers for ever. Anything else unacceptable is still answered:
     * text or a probe byte, and an old bare ACK (a keep-alive). */
    for (int p = 0; p < 2; p++) {
        struct harness h;
        established_unread_100(t, &h, prof_of(p));
        /* window open (RCV.NXT 1, RCV.WND 100): a bare ACK at the right edge is beyond it */
        h_in(&h, ".", 101, 101, 1, 32767);
        NONE(&h);
        h_in(&h, "P.", 1, 101, 1, 32767); /* fills the window */
        const struct h_out *o = h_peek(&h);
        CHECK(o && o->wnd == 0);
        OUT(&h, ".", 1, 1, 101);
        /* window shut (RCV.NXT 101): the peer's SND.NXT past its probe byte, no reply */
        h_in(&h, ".", 102, 102, 1, 32767);
        NONE(&h);
        h_in(&h, ".", 101 + 5000, 101 + 5000, 1, 32767);
        NONE(&h);
        /* the probe byte itself is answered with the shut window */
        h_in(&h, "P.", 101, 102, 1, 32767);
        o = h_peek(&h);
        CHECK(o && o->wnd == 0);
        OUT(&h, ".", 1, 1, 101);
        /* an old bare ACK (a keep-alive, SEG.SEQ = RCV.NXT - 1) is answered */
        h_in(&h, ".", 100, 100, 1, 32767);
        OUT(&h, ".", 1, 1, 101);
        CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
        CHECK_EQ_U64(h.ndata, 100);
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
    RUN_TEST(&ctx, test_dup_syn_in_syn_received_per_profile);
    RUN_TEST(&ctx, test_unacceptable_acks);
    RUN_TEST(&ctx, test_fin_with_zero_window_per_profile);
    RUN_TEST(&ctx, test_bare_ack_beyond_window_per_profile);
    return test_finish(&ctx);
}
