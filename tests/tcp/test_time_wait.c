/* test_time_wait.c: TIME-WAIT: re-ACK of a retransmitted FIN with 2 MSL restarted, RST and SYN
 * per profile, exact expiry, connect() onto it, the lost final ACK. Run by meson test. */
#include "tcp_harness.h"
#include "testlib.h"

#define OUT(h, fl, s, e, a) CHECK(h_expect((h), (fl), (s), (e), (a)))
#define NONE(h) CHECK(h_expect_none(h))

static enum profile_id prof_of(int i)
{
    return i ? PROFILE_LINUX : PROFILE_RFC9293;
}

static sim_time tw_of(int p)
{
    return p ? sim_s(60) : sim_s(240);
}

/* Active closer in TIME-WAIT at t = 1 s with RCV.NXT = 2, SND.NXT = 2 (the FTS setup). */
static void client_time_wait(struct test_ctx *t, struct harness *h, enum profile_id prof,
                             const char *key, int64_t value)
{
    h_init(h, prof);
    if (key)
        CHECK(h_set(h, key, value));
    h_connect(h);
    OUT(h, "S", 0, 0, 0);
    h_in(h, "S.", 0, 0, 1, 32767);
    OUT(h, ".", 1, 1, 1);
    h_at(h, sim_ms(900));
    h_shutdown(h);
    OUT(h, "F.", 1, 1, 1);
    h_at(h, sim_s(1));
    h_in(h, "F.", 1, 1, 2, 32767);
    OUT(h, ".", 2, 2, 2);
    CHECK_EQ_INT(h_state(h), TCP_TIME_WAIT);
}

TEST(test_time_wait_expires_exactly)
{
    for (int p = 0; p < 2; p++) {
        struct harness h;
        client_time_wait(t, &h, prof_of(p), NULL, 0);
        CHECK_EQ_INT(rec_last_timer(&h.rec, 'B', TIMER_TIME_WAIT, TIMER_SET), sim_s(1) + tw_of(p));
        h_at(&h, sim_s(1) + tw_of(p) - 1);
        CHECK_EQ_INT(h_state(&h), TCP_TIME_WAIT);
        h_at(&h, sim_s(1) + tw_of(p));
        CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
        CHECK_EQ_U64(rec_count_timer(&h.rec, 'B', TIMER_TIME_WAIT, TIMER_FIRE), 1);
        const struct trace_rec *r = rec_last_state(&h.rec, 'B');
        CHECK(r && r->u.state.from == TCP_TIME_WAIT && r->u.state.to == TCP_CLOSED &&
              strcmp(r->note, "TIME_WAIT timer") == 0);
        CHECK_EQ_U64(rec_count_app(&h.rec, 'B', APP_CLOSED), 1);
        NONE(&h);
        h_finish(&h);
    }
    /* Overrides: msl sets 2 x MSL, time_wait sets it alone. */
    struct harness h;
    client_time_wait(t, &h, PROFILE_RFC9293, "msl", sim_s(5));
    h_at(&h, sim_s(11) - 1);
    CHECK_EQ_INT(h_state(&h), TCP_TIME_WAIT);
    h_at(&h, sim_s(11));
    CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
    h_finish(&h);
    client_time_wait(t, &h, PROFILE_LINUX, "time_wait", sim_ms(1500));
    h_at(&h, sim_ms(2500));
    CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
    h_finish(&h);
}

TEST(test_time_wait_reacks_retransmitted_fin)
{
    for (int p = 0; p < 2; p++) {
        struct harness h;
        client_time_wait(t, &h, prof_of(p), NULL, 0);
        sim_time later = sim_s(1) + tw_of(p) / 2;
        h_at(&h, later);
        h_in(&h, "F.", 1, 1, 2, 32767); /* the peer did not get our ACK */
        OUT(&h, ".", 2, 2, 2);
        CHECK_EQ_INT(h_state(&h), TCP_TIME_WAIT);
        CHECK_EQ_INT(rec_last_timer(&h.rec, 'B', TIMER_TIME_WAIT, TIMER_SET), later + tw_of(p));
        h_at(&h, sim_s(1) + tw_of(p)); /* the old deadline passes */
        CHECK_EQ_INT(h_state(&h), TCP_TIME_WAIT);
        h_at(&h, later + tw_of(p) - 1);
        CHECK_EQ_INT(h_state(&h), TCP_TIME_WAIT);
        h_at(&h, later + tw_of(p));
        CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
        h_finish(&h);
    }
}

TEST(test_time_wait_rst_per_profile)
{
    for (int p = 0; p < 2; p++) {
        struct harness h;
        /* RST at RCV.NXT ends TIME-WAIT (divergence 1: RFC 9293 text; Linux tcp_rfc1337=0) */
        client_time_wait(t, &h, prof_of(p), NULL, 0);
        h_in(&h, "R", 2, 2, 0, 0);
        NONE(&h);
        CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
        CHECK_STR(rec_last_app_note(&h.rec, 'B', APP_CLOSED), "reset by peer");
        h_finish(&h);

        /* RFC 1337 F1 (rfc1337 = 1): ignored */
        client_time_wait(t, &h, prof_of(p), "rfc1337", 1);
        h_in(&h, "R", 2, 2, 0, 0);
        h_in(&h, "R", 100, 100, 0, 0);
        NONE(&h);
        CHECK_EQ_INT(h_state(&h), TCP_TIME_WAIT);
        h_finish(&h);

        /* In window but not RCV.NXT: challenge ACK; outside: nothing */
        client_time_wait(t, &h, prof_of(p), NULL, 0);
        h_in(&h, "R", 100, 100, 0, 0);
        OUT(&h, ".", 2, 2, 2);
        h_in(&h, "R", 1, 1, 0, 0);
        NONE(&h);
        CHECK_EQ_INT(h_state(&h), TCP_TIME_WAIT);
        h_finish(&h);
    }
}

/* The IUT as server closes first and ends in TIME-WAIT with its listener still there. */
static void server_time_wait(struct test_ctx *t, struct harness *h, enum profile_id prof)
{
    h_init(h, prof);
    h_listen(h);
    h_in(h, "S", 0, 0, 0, 32767);
    OUT(h, "S.", 0, 0, 1);
    h_in(h, ".", 1, 1, 1, 32767);
    h_at(h, sim_ms(500));
    h_close(h);
    OUT(h, "F.", 1, 1, 1);
    h_at(h, sim_ms(600)); /* within the first RTO (linux: 200 ms) */
    h_in(h, "F.", 1, 1, 2, 32767);
    OUT(h, ".", 2, 2, 2);
    CHECK_EQ_INT(h_state(h), TCP_TIME_WAIT);
}

TEST(test_time_wait_syn_per_profile)
{
    struct harness h;
    /* rfc9293 (divergence 5): a new SYN draws the RFC 5961 challenge ACK; TIME-WAIT stays */
    server_time_wait(t, &h, PROFILE_RFC9293);
    h_at(&h, sim_s(2));
    h_in(&h, "S", 100000, 100000, 0, 32767);
    OUT(&h, ".", 2, 2, 2);
    CHECK_EQ_INT(h_state(&h), TCP_TIME_WAIT);
    CHECK_EQ_U64(h_socks(&h), 2);
    h_finish(&h);

    /* linux: a SYN beyond RCV.NXT reopens with ISN = old SND.NXT + 65535 + 2 */
    server_time_wait(t, &h, PROFILE_LINUX);
    h_at(&h, sim_s(2));
    h_in(&h, "S", 100000, 100000, 0, 32767);
    const struct h_out *o = h_peek(&h);
    CHECK(o && o->seq == H_IUT_ISS + 2u + 65535u + 2u && (o->flags == (SEG_SYN | SEG_ACK)));
    CHECK(o && o->ack == H_PEER_ISN + 100001u);
    CHECK(h_pending(&h) == 1);
    h.cursor = h.nout;
    CHECK(rec_has_state(&h.rec, 'B', TCP_TIME_WAIT, TCP_CLOSED));
    CHECK_EQ_INT(h_state(&h), TCP_SYN_RECEIVED);
    CHECK_EQ_U64(h_socks(&h), 2); /* listener + the new incarnation */
    h_in(&h, ".", 100001, 100001, 1, 32767);
    CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
    CHECK_EQ_U64(rec_count_app(&h.rec, 'B', APP_ACCEPT), 2);
    h_finish(&h);

    /* linux: a SYN not beyond RCV.NXT may be an old duplicate: ACK, no reopen */
    server_time_wait(t, &h, PROFILE_LINUX);
    h_in(&h, "S", 1, 1, 0, 32767);
    OUT(&h, ".", 2, 2, 2);
    CHECK_EQ_INT(h_state(&h), TCP_TIME_WAIT);
    h_finish(&h);

    /* linux without a listener (the client's TIME-WAIT): the TIME-WAIT ACK */
    client_time_wait(t, &h, PROFILE_LINUX, NULL, 0);
    h_in(&h, "S", 100000, 100000, 0, 32767);
    OUT(&h, ".", 2, 2, 2);
    CHECK_EQ_INT(h_state(&h), TCP_TIME_WAIT);
    h_finish(&h);
}

TEST(test_time_wait_blocks_connect)
{
    for (int p = 0; p < 2; p++) {
        struct harness h;
        client_time_wait(t, &h, prof_of(p), NULL, 0);
        h_at(&h, sim_s(10));
        CHECK(h_connect(&h) < 0);
        CHECK_STR(rec_last_app_note(&h.rec, 'B', APP_ERROR), "address already in use (TIME_WAIT)");
        NONE(&h);
        CHECK_EQ_INT(h_state(&h), TCP_TIME_WAIT);
        h_at(&h, sim_s(1) + tw_of(p));
        CHECK(h_connect(&h) >= 0); /* a new incarnation once TIME-WAIT is over */
        OUT(&h, "S", 0, 0, 0);
        CHECK_EQ_INT(h_state(&h), TCP_SYN_SENT);
        h_finish(&h);
    }
}

TEST(test_time_wait_lost_final_ack)
{
    /* A closes; B's FIN is acknowledged but that ACK is lost; B retransmits its FIN after its
     * RTO and A, in TIME-WAIT, acknowledges it again: both sides end cleanly. */
    for (int p = 0; p < 2; p++) {
        struct wire w;
        w_init(&w, prof_of(p), 1000, 5000);
        w_listen(&w, 1);
        w_connect(&w, 0);
        w_deliver(&w, 0, 0);
        w_deliver(&w, 1, 0);
        w_deliver(&w, 0, 0);
        w_close(&w, 0);
        w_deliver(&w, 0, 0); /* FIN to B */
        w_run_until(&w, sim_ms(50));
        w_deliver(&w, 1, 0); /* B's ACK */
        w_close(&w, 1);
        w_deliver(&w, 1, 0); /* B's FIN */
        CHECK_EQ_INT(w_state(&w, 0), TCP_TIME_WAIT);
        CHECK(w_check(&w, 0, 0, ".", 1002, 5002, 0));
        w_drop(&w, 0, 0); /* the final ACK is lost */
        CHECK_EQ_INT(w_state(&w, 1), TCP_LAST_ACK);
        sim_time rto = p ? sim_ms(200) : sim_s(1);
        w_run_until(&w, sim_ms(50) + rto);
        CHECK(w_check(&w, 1, 0, "F.", 5001, 1002, 0)); /* retransmitted */
        w_deliver(&w, 1, 0);
        CHECK(w_check(&w, 0, 0, ".", 1002, 5002, 0)); /* re-ACKed from TIME-WAIT */
        w_deliver(&w, 0, 0);
        CHECK(rec_has_state(&w.rec, 'B', TCP_LAST_ACK, TCP_CLOSED));
        CHECK_EQ_INT(w_state(&w, 0), TCP_TIME_WAIT);
        CHECK_EQ_U64(rec_count_timer(&w.rec, 'A', TIMER_TIME_WAIT, TIMER_SET), 2);
        w_finish(&w);
    }
}

int main(void)
{
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, test_time_wait_expires_exactly);
    RUN_TEST(&ctx, test_time_wait_reacks_retransmitted_fin);
    RUN_TEST(&ctx, test_time_wait_rst_per_profile);
    RUN_TEST(&ctx, test_time_wait_syn_per_profile);
    RUN_TEST(&ctx, test_time_wait_blocks_connect);
    RUN_TEST(&ctx, test_time_wait_lost_final_ack);
    return test_finish(&ctx);
}
