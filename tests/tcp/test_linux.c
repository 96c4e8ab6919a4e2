/* test_linux.c: linux-profile rules read off real-kernel captures (timer wheel, backoff and
 * limits on it, RTO, delayed-ACK ticks, windows, RST window). Run by meson test (suite tcp). */
#include "tcp.h"
#include "tcp_harness.h"
#include "testlib.h"

#define OUT(h, fl, s, e, a) CHECK(h_expect((h), (fl), (s), (e), (a)))
#define NONE(h) CHECK(h_expect_none(h))

/* The harness runs with exact timers; these cases put the linux profile's tick back. */
static void linux_wheel(struct test_ctx *t, struct harness *h)
{
    h_init(h, PROFILE_LINUX);
    CHECK(h_set(h, "timer_tick", sim_ms(4)));
}

static const struct h_out *next_out(const struct harness *h)
{
    return h_peek(h);
}

TEST(test_wheel_rounding)
{
    const sim_time tick = sim_ms(4);
    /* level 0 (under 63 ticks): fires on the tick after the expiry tick */
    CHECK_EQ_INT(tcp_wheel_deadline(sim_ms(10), sim_ms(40), tick), sim_ms(52));
    CHECK_EQ_INT(tcp_wheel_deadline(sim_ms(8), sim_ms(40), tick), sim_ms(52));
    CHECK_EQ_INT(tcp_wheel_deadline(sim_ms(10), 0, tick), sim_ms(12)); /* "the next tick" */
    /* a timeout is rounded up to whole ticks first: 220.3 ms is 56 ticks */
    CHECK_EQ_INT(tcp_wheel_deadline(0, sim_us(220300), tick), sim_ms(228));
    /* level 1 (63..503 ticks): 8-tick (32 ms) buckets: A's and B's 1 s timers of the
     * lost_synack capture, armed 10 ms apart, share the 1.024 s bucket */
    CHECK_EQ_INT(tcp_wheel_deadline(0, sim_s(1), tick), sim_ms(1024));
    CHECK_EQ_INT(tcp_wheel_deadline(sim_ms(10), sim_s(1), tick), sim_ms(1024));
    CHECK_EQ_INT(tcp_wheel_deadline(sim_ms(24), sim_s(1), tick), sim_ms(1056));
    /* level 2 (504..4031 ticks): 64-tick (256 ms) buckets; level 3: 512 ticks (2.048 s) */
    CHECK_EQ_INT(tcp_wheel_deadline(sim_ms(3040), sim_s(4), tick), sim_ms(7168));
    CHECK_EQ_INT(tcp_wheel_deadline(0, sim_s(60), tick), sim_ms(61440));
    /* never early, late by less than the level's granularity plus a tick, always on a tick */
    static const sim_time timeouts[] = {0, 1, 3999999, 4000000, 40000000, 200000000,
                                        251999999, 252000000, 1000000000, 2015999999,
                                        2016000000, 16128000000, 60000000000, 86400000000000};
    for (size_t i = 0; i < sizeof timeouts / sizeof timeouts[0]; i++) {
        for (sim_time now = 0; now < sim_ms(80); now += sim_us(1300)) {
            sim_time to = timeouts[i];
            sim_time d = tcp_wheel_deadline(now, to, tick);
            int64_t ticks = (to + tick - 1) / tick, gran = 1;
            for (int l = 0; l < 8 && ticks >= 63 * gran; l++)
                gran *= 8;
            CHECK(d >= now + to && d > now);
            CHECK(d - (now + to) <= (gran + 1) * tick);
            CHECK_EQ_INT(d % tick, 0);
        }
    }
}

/* Kernel documentation (ip-sysctl tcp_syn_retries 6): SYNs at 0, 1, 3, 7, 15, 31, 63 s and the
 * connect fails at 127 s. On 4 ms jiffies each comes late by the wheel's rounding: every time
 * within 10% of the documented one, every gap within 10% of 1, 2, 4, ..., 64 s. */
TEST(test_syn_backoff_on_the_wheel)
{
    struct harness h;
    linux_wheel(t, &h);
    h_connect(&h);
    OUT(&h, "S", 0, 0, 0);
    static const int nominal_s[] = {1, 3, 7, 15, 31, 63};
    static const int64_t wheel_ms[] = {1024, 3040, 7168, 15360, 31488, 65536};
    sim_time prev = 0;
    for (size_t i = 0; i < 6; i++) {
        h_at(&h, sim_ms(wheel_ms[i]) - 1);
        NONE(&h);
        h_at(&h, sim_ms(wheel_ms[i]));
        const struct h_out *o = next_out(&h);
        CHECK(o && o->t == sim_ms(wheel_ms[i]));
        OUT(&h, "S", 0, 0, 0);
        sim_time nominal = sim_s(nominal_s[i]), gap_nominal = sim_s(1) << i;
        CHECK(sim_ms(wheel_ms[i]) >= nominal && (sim_ms(wheel_ms[i]) - nominal) * 10 <= nominal);
        sim_time gap = sim_ms(wheel_ms[i]) - prev;
        CHECK(gap >= gap_nominal && (gap - gap_nominal) * 10 <= gap_nominal);
        prev = sim_ms(wheel_ms[i]);
    }
    h_at(&h, sim_ms(131072) - 1);
    CHECK_EQ_INT(h_state(&h), TCP_SYN_SENT);
    h_at(&h, sim_ms(131072)); /* 127 s + 3.2% */
    NONE(&h);
    CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
    CHECK_STR(rec_last_app_note(&h.rec, 'B', APP_ERROR),
              "connection timed out: SYN not answered after 6 retransmissions");
    h_finish(&h);
}

/* tcp_synack_retries 5: SYN+ACKs 1, 3, 7, 15, 31 s after the first, the request dropped at 63 s;
 * here the first leaves at 100 ms. */
TEST(test_synack_backoff_on_the_wheel)
{
    struct harness h;
    linux_wheel(t, &h);
    h_listen(&h);
    h_at(&h, sim_ms(100));
    h_in(&h, "S", 0, 0, 0, 64240);
    OUT(&h, "S.", 0, 0, 1);
    static const int nominal_s[] = {1, 3, 7, 15, 31};
    sim_time at = sim_ms(100), rto = sim_s(1);
    for (size_t i = 0; i < 5; i++) {
        at = tcp_wheel_deadline(at, rto, sim_ms(4));
        rto *= 2;
        h_at(&h, at);
        const struct h_out *o = next_out(&h);
        CHECK(o && o->t == at);
        OUT(&h, "S.", 0, 0, 1);
        sim_time nominal = sim_ms(100) + sim_s(nominal_s[i]);
        CHECK(at >= nominal && (at - nominal) * 10 <= nominal);
    }
    sim_time drop = tcp_wheel_deadline(at, rto, sim_ms(4));
    CHECK(drop >= sim_ms(63100) && (drop - sim_ms(63100)) * 10 <= sim_ms(63100));
    h_at(&h, drop - 1);
    CHECK_EQ_INT(h_state(&h), TCP_SYN_RECEIVED);
    h_at(&h, drop);
    NONE(&h);
    CHECK_EQ_INT(h_state(&h), TCP_LISTEN);
    CHECK_STR(rec_last_app_note(&h.rec, 'B', APP_ERROR),
              "connection timed out: SYN+ACK not answered after 5 retransmissions");
    h_finish(&h);
}

/* A resent SYN in SYN_RECEIVED draws a SYN+ACK at once and restarts the SYN+ACK timer with
 * the current timeout (tcp_check_req); that SYN+ACK voids the handshake's RTT sample. */
TEST(test_dup_syn_restarts_synack_timer)
{
    struct harness h;
    h_init(&h, PROFILE_LINUX);
    h_listen(&h);
    h_in(&h, "S", 0, 0, 0, 64240);
    OUT(&h, "S.", 0, 0, 1);
    CHECK_EQ_INT(rec_last_timer(&h.rec, 'B', TIMER_RTO, TIMER_SET), sim_s(1));
    h_at(&h, sim_ms(500));
    h_in(&h, "S", 0, 0, 0, 64240);
    OUT(&h, "S.", 0, 0, 1);
    CHECK_EQ_INT(rec_last_timer(&h.rec, 'B', TIMER_RTO, TIMER_SET), sim_ms(1500));
    h_at(&h, sim_ms(520));
    h_in(&h, ".", 1, 1, 1, 64240);
    CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
    struct tcb_view v;
    CHECK(h_view(&h, 0, &v) && v.rto == sim_s(3)); /* no sample: RFC 6298 §5.7's 3 s */
    h_finish(&h);
}

/* One RTT sample r: linux RTO = r + max(4 x r/2, 200 ms); RFC 6298: max(r + 4 x r/2, min). */
static sim_time rto_after_sample(enum profile_id prof, sim_time r, const char *key, int64_t val)
{
    struct harness h;
    h_init(&h, prof);
    if (key)
        h_set(&h, key, val);
    h_connect(&h);
    h_at(&h, r);
    h_in(&h, "S.", 0, 0, 1, 64240);
    struct tcb_view v;
    sim_time rto = h_view(&h, 0, &v) ? v.rto : -1;
    h_finish(&h);
    return rto;
}

TEST(test_rto_is_srtt_plus_min)
{
    /* lost_final_ack: one 20 ms sample, the FIN resent 220 ms later (227 ms on the wire) */
    CHECK_EQ_INT(rto_after_sample(PROFILE_LINUX, sim_ms(20), NULL, 0), sim_ms(220));
    CHECK_EQ_INT(rto_after_sample(PROFILE_LINUX, sim_ms(20), "rto_srtt_plus_min", 0),
                 sim_ms(200));
    CHECK_EQ_INT(rto_after_sample(PROFILE_RFC9293, sim_ms(20), "rto_min", sim_ms(200)),
                 sim_ms(200));
    /* above the minimum both rules agree: 100 + 4 x 50 = 300 ms */
    CHECK_EQ_INT(rto_after_sample(PROFILE_LINUX, sim_ms(100), NULL, 0), sim_ms(300));
}

/* Server side, ESTABLISHED at time 0 (the peer's MSS 1460). */
static void linux_server(struct test_ctx *t, struct harness *h, bool wheel)
{
    if (wheel)
        linux_wheel(t, h);
    else
        h_init(h, PROFILE_LINUX);
    h_listen(h);
    h_in(h, "S", 0, 0, 0, 64240);
    OUT(h, "S.", 0, 0, 1);
    h_in(h, ".", 1, 1, 1, 64240);
    CHECK_EQ_INT(h_state(h), TCP_ESTABLISHED);
}

TEST(test_delayed_acks_on_ticks)
{
    struct harness h;
    /* a FIN before any data: ato is 0, the ACK goes on the next tick (capture: 0.3-4 ms) */
    linux_server(t, &h, true);
    h_at(&h, sim_ms(10));
    h_in(&h, "F.", 1, 1, 1, 64240);
    NONE(&h);
    h_at(&h, sim_ms(12));
    const struct h_out *o = next_out(&h);
    CHECK(o && o->t == sim_ms(12));
    OUT(&h, ".", 1, 1, 2);
    h_finish(&h);

    /* after data, the FIN's ACK waits for the 40 ms delayed-ACK timer, on the tick after */
    linux_server(t, &h, true);
    h_at(&h, sim_ms(10));
    h_in(&h, "P.", 1, 101, 1, 64240);
    OUT(&h, ".", 1, 1, 101); /* a quick ACK */
    h_at(&h, sim_ms(110));
    h_in(&h, "F.", 101, 101, 1, 64240);
    h_at(&h, sim_ms(150) - 1);
    NONE(&h);
    h_at(&h, sim_ms(160));
    o = next_out(&h);
    CHECK(o && o->t == sim_ms(152)); /* 110 ms is tick 27; 27 + 10 + 1 = 38 */
    OUT(&h, ".", 1, 1, 102);
    h_finish(&h);
}

TEST(test_receive_window_right_edge)
{
    struct harness h;
    linux_server(t, &h, false);
    /* 100 bytes read at once: the edge stays, the window reads 64240 - 100 */
    h_in(&h, "P.", 1, 101, 1, 64240);
    const struct h_out *o = next_out(&h);
    CHECK(o && o->wnd == 64140);
    OUT(&h, ".", 1, 1, 101);
    /* 1460 more: the edge may now move by a full MSS, back to the whole buffer */
    h_in(&h, "P.", 101, 1561, 1, 64240);
    o = next_out(&h);
    CHECK(o && o->wnd == 64240);
    OUT(&h, ".", 1, 1, 1561);
    /* the FIN takes one more: 64239, also in our own FIN after close() */
    h_in(&h, "F.", 1561, 1561, 1, 64240);
    h_after(&h, sim_ms(50));
    o = next_out(&h);
    CHECK(o && o->wnd == 64239);
    OUT(&h, ".", 1, 1, 1562);
    h_close(&h);
    o = next_out(&h);
    CHECK(o && o->wnd == 64239);
    OUT(&h, "F.", 1, 1, 1562);
    h_finish(&h);

    /* closed before the peer's FIN arrives: the ACK of that FIN offers the whole buffer */
    linux_server(t, &h, false);
    h_in(&h, "P.", 1, 101, 1, 64240);
    OUT(&h, ".", 1, 1, 101);
    h_close(&h);
    OUT(&h, "F.", 1, 1, 101);
    h_in(&h, ".", 101, 101, 2, 64240);
    h_in(&h, "F.", 101, 101, 2, 64240);
    o = next_out(&h);
    CHECK(o && o->wnd == 64240);
    OUT(&h, ".", 2, 2, 102);
    CHECK_EQ_INT(h_state(&h), TCP_TIME_WAIT);
    h_finish(&h);

    /* rfc9293 keeps its window at the buffer minus what is unread */
    h_init(&h, PROFILE_RFC9293);
    h_listen(&h);
    h_in(&h, "S", 0, 0, 0, 64240);
    OUT(&h, "S.", 0, 0, 1);
    h_in(&h, ".", 1, 1, 1, 64240);
    h_in(&h, "P.", 1, 101, 1, 64240);
    o = next_out(&h);
    CHECK(o && o->wnd == 65535);
    OUT(&h, ".", 1, 1, 101);
    h_finish(&h);
}

TEST(test_abort_rst_carries_window)
{
    struct harness h;
    linux_server(t, &h, false);
    h_in(&h, "P.", 1, 6, 1, 64240);
    OUT(&h, ".", 1, 1, 6);
    h_abort(&h);
    const struct h_out *o = next_out(&h);
    CHECK(o && o->wnd == 64235); /* abort capture: R. 101:101(0) ack 6 win 64235 */
    OUT(&h, "R.", 1, 1, 6);
    h_finish(&h);

    h_init(&h, PROFILE_RFC9293);
    h_listen(&h);
    h_in(&h, "S", 0, 0, 0, 64240);
    OUT(&h, "S.", 0, 0, 1);
    h_in(&h, ".", 1, 1, 1, 64240);
    h_abort(&h);
    o = next_out(&h);
    CHECK(o && o->wnd == 0);
    OUT(&h, "R", 1, 1, 0);
    h_finish(&h);
}

int main(void)
{
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, test_wheel_rounding);
    RUN_TEST(&ctx, test_syn_backoff_on_the_wheel);
    RUN_TEST(&ctx, test_synack_backoff_on_the_wheel);
    RUN_TEST(&ctx, test_dup_syn_restarts_synack_timer);
    RUN_TEST(&ctx, test_rto_is_srtt_plus_min);
    RUN_TEST(&ctx, test_delayed_acks_on_ticks);
    RUN_TEST(&ctx, test_receive_window_right_edge);
    RUN_TEST(&ctx, test_abort_rst_carries_window);
    return test_finish(&ctx);
}
