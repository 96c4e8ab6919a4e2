/* test_timers.c: RFC 6298 RTO (samples, minimum, Karn, backoff, cap), retry give-up per profile,
 * USER_TIMEOUT, FIN_WAIT_2, and TR_TIMER records with deadlines. Run by meson test. */
#include "tcp_harness.h"
#include "testlib.h"

#define OUT(h, fl, s, e, a) CHECK(h_expect((h), (fl), (s), (e), (a)))
#define NONE(h) CHECK(h_expect_none(h))

static enum profile_id prof_of(int i)
{
    return i ? PROFILE_LINUX : PROFILE_RFC9293;
}

/* Client: SYN at 0, SYN+ACK at rtt: ESTABLISHED with one RTT sample. */
static void client(struct test_ctx *t, struct harness *h, enum profile_id prof, sim_time rtt,
                   const char *key, int64_t value)
{
    h_init(h, prof);
    if (key)
        CHECK(h_set(h, key, value));
    h_connect(h);
    OUT(h, "S", 0, 0, 0);
    h_at(h, rtt);
    h_in(h, "S.", 0, 0, 1, 60000);
    OUT(h, ".", 1, 1, 1);
}

static sim_time rto_of(const struct harness *h)
{
    struct tcb_view v;
    return h_view(h, 0, &v) ? v.rto : -1;
}

TEST(test_rto_from_samples)
{
    struct harness h;
    /* linux: minimum 200 ms; one sample of 100 ms: SRTT 100, RTTVAR 50, RTO 300 ms */
    client(t, &h, PROFILE_LINUX, sim_ms(100), NULL, 0);
    CHECK_EQ_INT(rto_of(&h), sim_ms(300));
    /* a second sample of 200 ms: RTTVAR = 3/4 50 + 1/4 100 = 62.5, SRTT = 7/8 100 + 1/8 200 =
     * 112.5, RTO = 112.5 + 4 x 62.5 = 362.5 ms */
    h_send(&h, 100);
    OUT(&h, "P.", 1, 101, 1);
    h_after(&h, sim_ms(200));
    h_in(&h, ".", 1, 1, 101, 60000);
    CHECK_EQ_INT(rto_of(&h), sim_us(362500));
    h_finish(&h);

    /* rfc9293: the same sample gives 300 ms, rounded up to the 1 s minimum */
    client(t, &h, PROFILE_RFC9293, sim_ms(100), NULL, 0);
    CHECK_EQ_INT(rto_of(&h), sim_s(1));
    h_finish(&h);
    /* a long RTT goes above the minimum: 2 s sample: 2 + 4 x 1 = 6 s (initial RTO 3 s so
     * that the SYN is not retransmitted, which would void the sample) */
    client(t, &h, PROFILE_RFC9293, sim_s(2), "rto_initial", sim_s(3));
    CHECK_EQ_INT(rto_of(&h), sim_s(6));
    h_finish(&h);
    /* the SYN retransmitted at 1 s: Karn gives no sample; §5.7 makes the RTO 3 s */
    h_init(&h, PROFILE_RFC9293);
    h_connect(&h);
    h_at(&h, sim_s(2));
    h_in(&h, "S.", 0, 0, 1, 60000);
    CHECK_EQ_INT(rto_of(&h), sim_s(3));
    h_finish(&h);
}

TEST(test_rto_backoff_karn_and_recovery)
{
    struct harness h;
    client(t, &h, PROFILE_LINUX, sim_ms(100), NULL, 0); /* RTO 300 ms */
    sim_time t0 = h.now;
    h_send(&h, 100);
    OUT(&h, "P.", 1, 101, 1);
    CHECK_EQ_INT(rec_last_timer(&h.rec, 'B', TIMER_RTO, TIMER_SET), t0 + sim_ms(300));
    /* lost: retransmitted at 300, then 600 later (RFC 6298 §5.5 doubling) */
    h_at(&h, t0 + sim_ms(300));
    OUT(&h, "P.", 1, 101, 1);
    h_at(&h, t0 + sim_ms(900));
    OUT(&h, "P.", 1, 101, 1);
    CHECK_EQ_INT(rto_of(&h), sim_ms(1200));
    /* the ACK of the retransmission: no RTT sample (Karn), the backed-off RTO stays */
    h_after(&h, sim_ms(50));
    h_in(&h, ".", 1, 1, 101, 60000);
    CHECK_EQ_INT(rto_of(&h), sim_ms(1200));
    CHECK_EQ_INT(rec_last_timer(&h.rec, 'B', TIMER_RTO, TIMER_CANCEL), t0 + sim_ms(2100));
    /* new data acknowledged without retransmission gives a sample again */
    h_send(&h, 100);
    OUT(&h, "P.", 101, 201, 1);
    h_after(&h, sim_ms(100));
    h_in(&h, ".", 1, 1, 201, 60000);
    CHECK(rto_of(&h) < sim_ms(1200));
    h_finish(&h);
}

/* Data never acknowledged: retransmissions at `times` after t0, give-up at `fail`. */
static void data_give_up(struct test_ctx *t, enum profile_id prof, const char *key, int64_t value,
                         const sim_time *gaps, size_t n, const char *why)
{
    struct harness h;
    client(t, &h, prof, sim_ms(10), key, value);
    sim_time at = h.now;
    h_send(&h, 10);
    OUT(&h, prof == PROFILE_LINUX ? "P." : ".", 1, 11, 1);
    for (size_t i = 0; i < n; i++) {
        at += gaps[i];
        h_at(&h, at);
        if (i + 1 < n) {
            const struct h_out *o = h_peek(&h);
            CHECK(o && o->t == at);
            OUT(&h, prof == PROFILE_LINUX ? "P." : ".", 1, 11, 1);
        }
    }
    NONE(&h);
    CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
    CHECK_STR(rec_last_app_note(&h.rec, 'B', APP_ERROR), why);
    h_finish(&h);
}

TEST(test_data_retries_give_up_per_profile)
{
    /* rfc9293: RTO 1 s (minimum), 6 retransmissions, cap 60 s: gives up at 123 s >= 100 s */
    const sim_time rfc[] = {sim_s(1),  sim_s(2),  sim_s(4), sim_s(8),
                            sim_s(16), sim_s(32), sim_s(60)};
    data_give_up(t, PROFILE_RFC9293, NULL, 0, rfc, 7,
                 "connection timed out: data not acknowledged after 6 retransmissions");
    /* linux with data_retries 3: one 10 ms sample, RTO = SRTT + max(4 x RTTVAR, 200 ms) =
     * 210 ms (the capture's FIN RTO is SRTT + 200 ms, tests/linux observation 3): 0.21, 0.42,
     * 0.84, then gives up 1.68 s later */
    const sim_time lin[] = {sim_ms(210), sim_ms(420), sim_ms(840), sim_ms(1680)};
    data_give_up(t, PROFILE_LINUX, "data_retries", 3, lin, 4,
                 "connection timed out: data not acknowledged after 3 retransmissions");
    /* linux's cap: rto_max 1 s */
    struct harness h;
    client(t, &h, PROFILE_LINUX, sim_ms(10), "rto_max", sim_s(1));
    sim_time t0 = h.now;
    h_send(&h, 10);
    h_at(&h, t0 + sim_ms(210 + 420 + 840 + 1000 + 1000));
    CHECK_EQ_INT(rto_of(&h), sim_s(1));
    CHECK_EQ_U64(h_pending(&h), 6); /* original + 5 retransmissions, the last gaps capped */
    CHECK(h.out[h.nout - 1].t == t0 + sim_ms(3470));
    h_finish(&h);
}

TEST(test_fin_retries_give_up)
{
    struct harness h;
    client(t, &h, PROFILE_RFC9293, sim_ms(10), "data_retries", 2);
    sim_time t0 = h.now;
    h_shutdown(&h);
    OUT(&h, "F.", 1, 1, 1);
    h_at(&h, t0 + sim_s(1));
    OUT(&h, "F.", 1, 1, 1);
    h_at(&h, t0 + sim_s(3));
    OUT(&h, "F.", 1, 1, 1);
    h_at(&h, t0 + sim_s(7) - 1);
    CHECK_EQ_INT(h_state(&h), TCP_FIN_WAIT_1);
    h_at(&h, t0 + sim_s(7));
    NONE(&h);
    CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
    CHECK_STR(rec_last_app_note(&h.rec, 'B', APP_ERROR),
              "connection timed out: FIN not acknowledged after 2 retransmissions");
    h_finish(&h);
}

TEST(test_user_timeout_on_data)
{
    for (int p = 0; p < 2; p++) {
        struct harness h;
        client(t, &h, prof_of(p), sim_ms(10), "user_timeout", sim_s(5));
        sim_time t0 = h.now;
        CHECK_EQ_U64(rec_count_timer(&h.rec, 'B', TIMER_USER_TIMEOUT, TIMER_CANCEL), 1);
        h_send(&h, 10);
        CHECK_EQ_INT(rec_last_timer(&h.rec, 'B', TIMER_USER_TIMEOUT, TIMER_SET), t0 + sim_s(5));
        /* an ACK of new data restarts it */
        h_at(&h, t0 + sim_s(2));
        h_in(&h, ".", 1, 1, 6, 60000);
        CHECK_EQ_INT(rec_last_timer(&h.rec, 'B', TIMER_USER_TIMEOUT, TIMER_SET), t0 + sim_s(7));
        h_at(&h, t0 + sim_s(7) - 1);
        CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
        h_at(&h, t0 + sim_s(7));
        CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
        CHECK_STR(rec_last_app_note(&h.rec, 'B', APP_ERROR),
                  "connection aborted due to user timeout");
        CHECK_EQ_U64(rec_count_timer(&h.rec, 'B', TIMER_USER_TIMEOUT, TIMER_FIRE), 1);
        h_finish(&h);
    }
}

TEST(test_fin_wait_2_timeout_per_profile)
{
    for (int p = 0; p < 2; p++) {
        struct harness h;
        client(t, &h, prof_of(p), sim_ms(10), NULL, 0);
        h_close(&h);
        OUT(&h, "F.", 1, 1, 1);
        sim_time t0 = h.now + sim_ms(10);
        h_at(&h, t0);
        h_in(&h, ".", 1, 1, 2, 60000);
        CHECK_EQ_INT(h_state(&h), TCP_FIN_WAIT_2);
        h_at(&h, t0 + sim_s(60) - 1);
        CHECK_EQ_INT(h_state(&h), TCP_FIN_WAIT_2);
        h_at(&h, t0 + sim_s(1000));
        if (p) { /* linux: tcp_fin_timeout 60 s for an orphan, silently */
            CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
            CHECK_STR(rec_last_app_note(&h.rec, 'B', APP_CLOSED), "FIN_WAIT_2 timeout");
            CHECK_EQ_INT(rec_last_timer(&h.rec, 'B', TIMER_FIN_WAIT_2, TIMER_FIRE),
                         t0 + sim_s(60));
        } else { /* rfc9293: no such timer; FIN-WAIT-2 waits for the peer */
            CHECK_EQ_INT(h_state(&h), TCP_FIN_WAIT_2);
            CHECK_EQ_U64(rec_count_timer(&h.rec, 'B', TIMER_FIN_WAIT_2, TIMER_SET), 0);
        }
        NONE(&h);
        h_finish(&h);
    }
}

TEST(test_timer_records_have_deadlines)
{
    struct harness h;
    h_init(&h, PROFILE_RFC9293);
    h_at(&h, sim_ms(5));
    h_connect(&h);
    CHECK_EQ_INT(rec_last_timer(&h.rec, 'B', TIMER_RTO, TIMER_SET), sim_ms(1005));
    CHECK_EQ_INT(host_next_deadline(h_host(&h)), sim_ms(1005));
    h_at(&h, sim_ms(1005));
    CHECK_EQ_INT(rec_last_timer(&h.rec, 'B', TIMER_RTO, TIMER_FIRE), sim_ms(1005));
    CHECK_EQ_INT(rec_last_timer(&h.rec, 'B', TIMER_RTO, TIMER_SET), sim_ms(3005));
    h_at(&h, sim_ms(1500));
    h_in(&h, "S.", 0, 0, 1, 60000);
    CHECK_EQ_INT(rec_last_timer(&h.rec, 'B', TIMER_RTO, TIMER_CANCEL), sim_ms(3005));
    CHECK_EQ_INT(host_next_deadline(h_host(&h)), SIM_NEVER);
    /* every timer record is stamped with the time it was emitted */
    for (size_t i = 0; i < h.rec.n; i++)
        if (h.rec.r[i].ev == TR_TIMER && h.rec.r[i].u.timer.action == TIMER_FIRE)
            CHECK(h.rec.r[i].t == h.rec.r[i].u.timer.deadline);
    h_finish(&h);
}

int main(void)
{
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, test_rto_from_samples);
    RUN_TEST(&ctx, test_rto_backoff_karn_and_recovery);
    RUN_TEST(&ctx, test_data_retries_give_up_per_profile);
    RUN_TEST(&ctx, test_fin_retries_give_up);
    RUN_TEST(&ctx, test_user_timeout_on_data);
    RUN_TEST(&ctx, test_fin_wait_2_timeout_per_profile);
    RUN_TEST(&ctx, test_timer_records_have_deadlines);
    return test_finish(&ctx);
}
