/* test_syn_sent.c: reference cases C16-C23 (Part C, SYN-SENT, and the SYN / SYN+ACK timers):
 * an active open fed the exact segments of each case, with the replies and their times checked. */
#include "tcp_harness.h"
#include "testlib.h"

#define OUT(h, fl, s, e, a) CHECK(h_expect((h), (fl), (s), (e), (a)))
#define NONE(h) CHECK(h_expect_none(h))
/* The next output is sent at time `at` (ns) and looks like this. */
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

/* The end of most FTS scripts: close, the peer's FIN acking ours, TIME-WAIT. */
static void clean_close(struct test_ctx *t, struct harness *h)
{
    h_close(h);
    OUT(h, "F.", 1, 1, 1);
    h_in(h, "F.", 1, 1, 2, 32767);
    OUT(h, ".", 2, 2, 2);
    CHECK_EQ_INT(h_state(h), TCP_TIME_WAIT);
    NONE(h);
}

TEST(test_C16_active_open_completes)
{
    for (int p = 0; p < 2; p++) {
        struct harness h;
        h_init(&h, prof_of(p));
        h_connect(&h);
        OUT(&h, "S", 0, 0, 0);
        CHECK_EQ_INT(h_state(&h), TCP_SYN_SENT);
        h_at(&h, sim_ms(100));
        h_in(&h, "S.", 0, 0, 1, 32767);
        OUT(&h, ".", 1, 1, 1);
        CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
        CHECK_EQ_U64(rec_count_app(&h.rec, 'B', APP_CONNECTED), 1);
        clean_close(t, &h);
        h_finish(&h);
    }
}

TEST(test_C17_syn_sent_unacceptable_synack)
{
    for (int variant = 0; variant < 2; variant++) {
        struct harness h;
        h_init(&h, PROFILE_RFC9293);
        h_at(&h, sim_ms(1000));
        h_connect(&h);
        OUT_AT(&h, sim_ms(1000), "S", 0, 0, 0);
        h_at(&h, sim_ms(1100));
        if (variant == 0) {
            h_in(&h, "S.", 0, 0, 0, 32767); /* SEG.ACK = ISS */
            const struct h_out *o = h_peek(&h);
            CHECK(o && o->wnd == 0);
            OUT(&h, "R", 0, 0, 0);
        } else {
            h_in(&h, "S.", 0, 0, 2, 32767); /* SEG.ACK > SND.NXT */
            OUT(&h, "R", 2, 2, 0);
        }
        CHECK_EQ_INT(h_state(&h), TCP_SYN_SENT);
        h_at(&h, sim_ms(2000)); /* the SYN timer keeps running: 1 s after the SYN */
        OUT_AT(&h, sim_ms(2000), "S", 0, 0, 0);
        h_in(&h, "S.", 0, 0, 1, 32767);
        OUT(&h, ".", 1, 1, 1);
        CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
        clean_close(t, &h);
        h_finish(&h);
    }
}

TEST(test_C18_syn_sent_no_syn_no_rst)
{
    static const struct {
        const char *flags;
        uint32_t ack;
        const char *reply; /* NULL: nothing */
        uint32_t rst_seq;
    } cases[] = {
        {".", 1, NULL, 0},  /* a: acceptable ACK, no SYN: dropped */
        {".", 0, "R", 0},   /* b */
        {".", 2, "R", 2},   /* c */
        {"F", 0, NULL, 0},  /* d */
        {"F.", 1, NULL, 0}, /* e: FIN not processed in SYN-SENT */
        {"F.", 0, "R", 0},  /* f */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct harness h;
        h_init(&h, PROFILE_RFC9293);
        h_at(&h, sim_ms(1000));
        h_connect(&h);
        OUT(&h, "S", 0, 0, 0);
        h_at(&h, sim_ms(1100));
        h_in(&h, cases[i].flags, 0, 0, cases[i].ack, 32767);
        if (cases[i].reply)
            OUT(&h, cases[i].reply, cases[i].rst_seq, cases[i].rst_seq, 0);
        NONE(&h);
        CHECK_EQ_INT(h_state(&h), TCP_SYN_SENT);
        h_at(&h, sim_ms(2000));
        OUT_AT(&h, sim_ms(2000), "S", 0, 0, 0);
        h_in(&h, "S.", 0, 0, 1, 32767);
        OUT(&h, ".", 1, 1, 1);
        clean_close(t, &h);
        h_finish(&h);
    }
}

TEST(test_C19_syn_sent_rst)
{
    struct harness h;
    /* a: RST without ACK: dropped; the SYN goes again at +1 s and the handshake completes */
    h_init(&h, PROFILE_RFC9293);
    h_connect(&h);
    OUT(&h, "S", 0, 0, 0);
    h_at(&h, sim_ms(100));
    h_in(&h, "R", 0, 0, 0, 0);
    NONE(&h);
    CHECK_EQ_INT(h_state(&h), TCP_SYN_SENT);
    h_at(&h, sim_ms(1000));
    OUT_AT(&h, sim_ms(1000), "S", 0, 0, 0);
    h_in(&h, "S.", 0, 0, 1, 32767);
    OUT(&h, ".", 1, 1, 1);
    CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
    h_finish(&h);

    /* b: RST,ACK with an acceptable ACK: refused */
    h_init(&h, PROFILE_RFC9293);
    h_connect(&h);
    OUT(&h, "S", 0, 0, 0);
    h_in(&h, "R.", 1, 1, 1, 0);
    NONE(&h);
    CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
    CHECK_STR(rec_last_app_note(&h.rec, 'B', APP_ERROR), "connection refused");
    CHECK_EQ_U64(h_socks(&h), 0);
    h_finish(&h);

    /* c: RST,ACK with an unacceptable ACK: never answer a RST */
    for (uint32_t ack = 0; ack <= 2; ack += 2) {
        h_init(&h, PROFILE_RFC9293);
        h_connect(&h);
        OUT(&h, "S", 0, 0, 0);
        h_in(&h, "R.", ack, ack, ack, 0);
        NONE(&h);
        CHECK_EQ_INT(h_state(&h), TCP_SYN_SENT);
        h_finish(&h);
    }

    /* d (Linux) */
    h_init(&h, PROFILE_LINUX);
    h_connect(&h);
    OUT(&h, "S", 0, 0, 0);
    h_at(&h, sim_ms(50));
    h_in(&h, "R.", 0, 0, 1, 0);
    NONE(&h);
    CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
    CHECK_STR(rec_last_app_note(&h.rec, 'B', APP_ERROR), "connection refused");
    h_finish(&h);
}

TEST(test_C20_simultaneous_open_one_endpoint)
{
    struct harness h;
    h_init(&h, PROFILE_RFC9293);
    h_connect(&h);
    OUT(&h, "S", 0, 0, 0);
    h_at(&h, sim_ms(100));
    h_in(&h, "S", 0, 0, 0, 32767);
    OUT(&h, "S.", 0, 0, 1); /* SEQ = ISS */
    CHECK_EQ_INT(h_state(&h), TCP_SYN_RECEIVED);
    CHECK_EQ_U64(rec_count_app(&h.rec, 'B', APP_ERROR), 0);
    h_at(&h, sim_ms(200));
    h_in(&h, ".", 1, 1, 1, 32767);
    NONE(&h);
    CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
    CHECK_EQ_U64(rec_count_app(&h.rec, 'B', APP_CONNECTED), 1);
    clean_close(t, &h);
    h_finish(&h);

    /* With 3 bytes on the crossing SYN: queued, delivered after ESTABLISHED, FIN acks 4. */
    h_init(&h, PROFILE_RFC9293);
    h_connect(&h);
    OUT(&h, "S", 0, 0, 0);
    h_in(&h, "S", 0, 3, 0, 32767);
    OUT(&h, "S.", 0, 0, 1);
    CHECK_EQ_U64(h.ndata, 0);
    h_in(&h, ".", 4, 4, 1, 32767);
    CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
    CHECK_EQ_U64(h.ndata, 3);
    OUT(&h, ".", 1, 1, 4);
    h_close(&h);
    OUT(&h, "F.", 1, 1, 4);
    h_finish(&h);
}

TEST(test_C21_close_in_syn_sent)
{
    for (int p = 0; p < 2; p++) {
        struct harness h;
        h_init(&h, prof_of(p));
        h_connect(&h);
        OUT(&h, "S", 0, 0, 0);
        CHECK(h_close(&h) >= 0);
        NONE(&h); /* no RST */
        CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
        CHECK_EQ_U64(h_socks(&h), 0);
        CHECK_EQ_U64(rec_count_timer(&h.rec, 'B', TIMER_RTO, TIMER_CANCEL), 1);
        h_at(&h, sim_ms(100));
        h_in(&h, "S.", 0, 0, 1, 32000);
        OUT(&h, "R", 1, 1, 0);
        CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
        h_finish(&h);
    }
}

/* SYNs at `times` (retransmissions), then the failure at `fail`. */
static void syn_backoff(struct test_ctx *t, enum profile_id prof, int syn_retries,
                        const sim_time *times, size_t n, sim_time fail)
{
    struct harness h;
    h_init(&h, prof);
    if (syn_retries >= 0)
        h_set(&h, "syn_retries", syn_retries);
    h_connect(&h);
    OUT_AT(&h, 0, "S", 0, 0, 0);
    for (size_t i = 0; i < n; i++) {
        h_at(&h, times[i] - 1);
        NONE(&h);
        h_at(&h, times[i]);
        OUT_AT(&h, times[i], "S", 0, 0, 0);
    }
    h_at(&h, fail - 1);
    CHECK_EQ_INT(h_state(&h), TCP_SYN_SENT);
    h_at(&h, fail);
    NONE(&h);
    CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
    char want[TRACE_NOTE_MAX];
    snprintf(want, sizeof want, "connection timed out: SYN not answered after %zu retransmission%s",
             n, n == 1 ? "" : "s");
    CHECK_STR(rec_last_app_note(&h.rec, 'B', APP_ERROR), want);
    h_finish(&h);
}

TEST(test_C22_syn_backoff_and_give_up)
{
    /* Linux TCP_SYNCNT 1: SYN at 0, again at +1, the call fails at 3 s. */
    const sim_time one[] = {sim_s(1)};
    syn_backoff(t, PROFILE_LINUX, 1, one, 1, sim_s(3));
    /* Linux default tcp_syn_retries = 6: 1, 3, 7, 15, 31, 63 s, failure at 127 s. */
    const sim_time six[] = {sim_s(1), sim_s(3), sim_s(7), sim_s(15), sim_s(31), sim_s(63)};
    syn_backoff(t, PROFILE_LINUX, -1, six, 6, sim_s(127));
    /* rfc9293: MUST-23, at least 3 minutes: the RTO caps at 60 s, 7 retransmissions, 183 s. */
    const sim_time seven[] = {sim_s(1),  sim_s(3),  sim_s(7),  sim_s(15),
                              sim_s(31), sim_s(63), sim_s(123)};
    syn_backoff(t, PROFILE_RFC9293, -1, seven, 7, sim_s(183));

    /* RFC 6298 §5.7: after a SYN timeout the first data RTO is 3 s (both profiles). */
    for (int p = 0; p < 2; p++) {
        struct harness h;
        h_init(&h, prof_of(p));
        h_connect(&h);
        OUT(&h, "S", 0, 0, 0);
        h_at(&h, sim_s(1));
        OUT(&h, "S", 0, 0, 0);
        h_at(&h, sim_ms(1100));
        h_in(&h, "S.", 0, 0, 1, 32767);
        OUT(&h, ".", 1, 1, 1);
        h_at(&h, sim_ms(2000));
        h_send(&h, 100);
        OUT(&h, p ? "P." : ".", 1, 101, 1);
        CHECK_EQ_INT(rec_last_timer(&h.rec, 'B', TIMER_RTO, TIMER_SET), sim_ms(2000) + sim_s(3));
        h_at(&h, sim_ms(5000) - 1);
        NONE(&h);
        h_at(&h, sim_ms(5000));
        OUT(&h, p ? "P." : ".", 1, 101, 1);
        h_finish(&h);
    }
}

TEST(test_C23_synack_retransmission)
{
    /* LKS test 2: tcp_rto_max_ms = 1000, every SYN+ACK RTO capped at 1 s. */
    struct harness h;
    h_init(&h, PROFILE_LINUX);
    CHECK(h_set(&h, "rto_max", sim_s(1)));
    h_listen(&h);
    h_in(&h, "S", 0, 0, 0, 1000);
    const struct h_out *o = h_peek(&h);
    CHECK(o && o->mss == 1460);
    OUT_AT(&h, 0, "S.", 0, 0, 1);
    for (int i = 1; i <= 3; i++) {
        h_at(&h, sim_s(i));
        OUT_AT(&h, sim_s(i), "S.", 0, 0, 1);
    }
    h_in(&h, ".", 1, 1, 1, 1000);
    CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
    CHECK_EQ_U64(rec_count_app(&h.rec, 'B', APP_ACCEPT), 1);
    NONE(&h);
    h_finish(&h);

    /* Uncapped Linux default: 1, 3, 7, 15, 31 s, the request dropped at 63 s. */
    h_init(&h, PROFILE_LINUX);
    h_listen(&h);
    h_at(&h, sim_ms(100));
    h_in(&h, "S", 0, 0, 0, 1000);
    OUT_AT(&h, sim_ms(100), "S.", 0, 0, 1);
    const int at[] = {1, 3, 7, 15, 31};
    for (size_t i = 0; i < 5; i++) {
        h_at(&h, sim_ms(100) + sim_s(at[i]));
        OUT_AT(&h, sim_ms(100) + sim_s(at[i]), "S.", 0, 0, 1);
    }
    h_at(&h, sim_ms(100) + sim_s(63) - 1);
    CHECK_EQ_INT(h_state(&h), TCP_SYN_RECEIVED);
    h_at(&h, sim_ms(100) + sim_s(63));
    NONE(&h);
    CHECK_EQ_INT(h_state(&h), TCP_LISTEN);
    CHECK_EQ_U64(h_socks(&h), 1);
    CHECK_STR(rec_last_app_note(&h.rec, 'B', APP_ERROR),
              "connection timed out: SYN+ACK not answered after 5 retransmissions");
    h_finish(&h);
}

int main(void)
{
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, test_C16_active_open_completes);
    RUN_TEST(&ctx, test_C17_syn_sent_unacceptable_synack);
    RUN_TEST(&ctx, test_C18_syn_sent_no_syn_no_rst);
    RUN_TEST(&ctx, test_C19_syn_sent_rst);
    RUN_TEST(&ctx, test_C20_simultaneous_open_one_endpoint);
    RUN_TEST(&ctx, test_C21_close_in_syn_sent);
    RUN_TEST(&ctx, test_C22_syn_backoff_and_give_up);
    RUN_TEST(&ctx, test_C23_synack_retransmission);
    return test_finish(&ctx);
}
