/* test_user_calls.c: Table 1a (OPEN, SEND, CLOSE, SHUTDOWN, ABORT in every state, error strings)
 * and the trace records of calls and arrivals. Run by meson test. */
#include "tcp_harness.h"
#include "testlib.h"

#define OUT(h, fl, s, e, a) CHECK(h_expect((h), (fl), (s), (e), (a)))
#define NONE(h) CHECK(h_expect_none(h))

/* Drives a fresh IUT (rfc9293 unless linux) into `st`; returns the listener's sock or -1. */
static int reach(struct test_ctx *t, struct harness *h, enum tcp_state st, bool linux)
{
    h_init(h, linux ? PROFILE_LINUX : PROFILE_RFC9293);
    int lsock = -1;
    switch (st) {
    case TCP_CLOSED:
        h_host(h);
        break;
    case TCP_LISTEN:
        lsock = h_listen(h);
        break;
    case TCP_SYN_SENT:
        h_connect(h);
        break;
    case TCP_SYN_RECEIVED:
        lsock = h_listen(h);
        h_in(h, "S", 0, 0, 0, 60000);
        break;
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        h_connect(h);
        h_in(h, "S.", 0, 0, 1, 60000);
        if (st == TCP_FIN_WAIT_1 || st == TCP_FIN_WAIT_2 || st == TCP_CLOSING ||
            st == TCP_TIME_WAIT)
            h_close(h);
        if (st == TCP_FIN_WAIT_2 || st == TCP_TIME_WAIT)
            h_in(h, ".", 1, 1, 2, 60000);
        if (st == TCP_TIME_WAIT)
            h_in(h, "F.", 1, 1, 2, 60000);
        if (st == TCP_CLOSE_WAIT || st == TCP_LAST_ACK || st == TCP_CLOSING)
            h_in(h, "F.", 1, 1, 1, 60000);
        if (st == TCP_LAST_ACK)
            h_close(h);
        break;
    }
    CHECK_EQ_INT(h_state(h), st);
    h->cursor = h->nout; /* what it took to get here is not under test */
    return lsock;
}

static void expect_error(struct test_ctx *t, struct harness *h, int rc, const char *why)
{
    CHECK(rc < 0);
    CHECK_STR(rec_last_app_note(&h->rec, 'B', APP_ERROR), why);
    NONE(h);
}

TEST(test_table_1a_closed)
{
    struct harness h;
    reach(t, &h, TCP_CLOSED, false);
    const enum app_action calls[] = {APP_SEND, APP_SHUTDOWN, APP_CLOSE, APP_ABORT};
    for (size_t i = 0; i < 4; i++)
        expect_error(t, &h, h_call(&h, calls[i], -1), "connection does not exist");
    expect_error(t, &h, h_call(&h, APP_CLOSE, 7), "connection does not exist");
    CHECK_EQ_U64(rec_count_app(&h.rec, 'B', APP_ERROR), 5);
    h_finish(&h);
}

TEST(test_table_1a_listen)
{
    struct harness h;
    int l = reach(t, &h, TCP_LISTEN, false);
    expect_error(t, &h, h_call(&h, APP_SEND, l), "foreign socket unspecified");
    expect_error(t, &h, h_call(&h, APP_SHUTDOWN, l), "connection does not exist");
    CHECK(h_listen(&h) < 0); /* the port is taken */
    CHECK_STR(rec_last_app_note(&h.rec, 'B', APP_ERROR), "address already in use");
    CHECK(h_call(&h, APP_CLOSE, l) == l); /* delete TCB, no segment */
    NONE(&h);
    CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
    CHECK_EQ_U64(h_socks(&h), 0);
    h_finish(&h);

    l = reach(t, &h, TCP_LISTEN, false);
    CHECK(h_call(&h, APP_ABORT, l) == l);
    NONE(&h);
    CHECK_EQ_U64(h_socks(&h), 0);
    h_finish(&h);

    /* an active OPEN naming the foreign socket turns the listener active */
    l = reach(t, &h, TCP_LISTEN, false);
    CHECK(h_connect(&h) == l);
    OUT(&h, "S", 0, 0, 0);
    CHECK(rec_has_state(&h.rec, 'B', TCP_LISTEN, TCP_SYN_SENT));
    h_finish(&h);
}

TEST(test_table_1a_syn_sent)
{
    struct harness h;
    reach(t, &h, TCP_SYN_SENT, false);
    expect_error(t, &h, h_connect(&h), "connection already exists");
    CHECK(h_send(&h, 10) >= 0); /* queued until ESTABLISHED */
    NONE(&h);
    h_in(&h, "S.", 0, 0, 1, 60000);
    OUT(&h, ".", 1, 1, 1);
    OUT(&h, ".", 1, 11, 1);
    h_finish(&h);

    for (int call = 0; call < 3; call++) {
        reach(t, &h, TCP_SYN_SENT, false);
        const enum app_action a[] = {APP_CLOSE, APP_ABORT, APP_SHUTDOWN};
        CHECK(h_call(&h, a[call], -1) >= 0);
        NONE(&h); /* the TCB goes, nothing is sent */
        CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
        CHECK_EQ_U64(h_socks(&h), 0);
        h_finish(&h);
    }
}

TEST(test_table_1a_syn_received)
{
    struct harness h;
    /* SEND queues; CLOSE with the data queued waits for ESTABLISHED, then data and FIN */
    reach(t, &h, TCP_SYN_RECEIVED, false);
    CHECK(h_send(&h, 10) >= 0);
    NONE(&h);
    CHECK(h_close(&h) >= 0);
    NONE(&h);
    CHECK_EQ_INT(h_state(&h), TCP_SYN_RECEIVED);
    h_in(&h, ".", 1, 1, 1, 60000);
    CHECK(rec_has_state(&h.rec, 'B', TCP_SYN_RECEIVED, TCP_ESTABLISHED));
    CHECK(rec_has_state(&h.rec, 'B', TCP_ESTABLISHED, TCP_FIN_WAIT_1));
    OUT(&h, "F.", 1, 11, 1);
    h_finish(&h);

    /* CLOSE with nothing queued: FIN at once, FIN-WAIT-1 (the SYN+ACK still unacknowledged) */
    reach(t, &h, TCP_SYN_RECEIVED, false);
    CHECK(h_close(&h) >= 0);
    OUT(&h, "F.", 1, 1, 1);
    CHECK_EQ_INT(h_state(&h), TCP_FIN_WAIT_1);
    h_in(&h, ".", 1, 1, 2, 60000); /* acks SYN and FIN */
    CHECK_EQ_INT(h_state(&h), TCP_FIN_WAIT_2);
    h_finish(&h);

    /* ABORT: <SEQ=SND.NXT><CTL=RST> */
    reach(t, &h, TCP_SYN_RECEIVED, false);
    CHECK(h_abort(&h) >= 0);
    OUT(&h, "R", 1, 1, 0);
    CHECK_EQ_INT(h_state(&h), TCP_LISTEN);
    h_finish(&h);
}

TEST(test_table_1a_established_and_close_wait)
{
    for (int linux = 0; linux < 2; linux++) {
        struct harness h;
        reach(t, &h, TCP_ESTABLISHED, linux);
        expect_error(t, &h, h_connect(&h), "connection already exists");
        CHECK(h_send(&h, 10) >= 0);
        OUT(&h, linux ? "P." : ".", 1, 11, 1);
        CHECK(h_abort(&h) >= 0);
        OUT(&h, linux ? "R." : "R", 11, 11, 1);
        CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
        CHECK_STR(rec_last_app_note(&h.rec, 'B', APP_CLOSED), "aborted: RST sent");
        h_finish(&h);

        reach(t, &h, TCP_ESTABLISHED, linux);
        CHECK(h_shutdown(&h) >= 0);
        OUT(&h, "F.", 1, 1, 1);
        CHECK_EQ_INT(h_state(&h), TCP_FIN_WAIT_1);
        expect_error(t, &h, h_shutdown(&h), "connection closing");
        h_finish(&h);

        reach(t, &h, TCP_CLOSE_WAIT, linux);
        CHECK(h_send(&h, 10) >= 0); /* allowed: the half-close */
        OUT(&h, linux ? "P." : ".", 1, 11, 2);
        CHECK(h_close(&h) >= 0);
        OUT(&h, "F.", 11, 11, 2);
        CHECK_EQ_INT(h_state(&h), TCP_LAST_ACK);
        h_finish(&h);

        reach(t, &h, TCP_CLOSE_WAIT, linux);
        CHECK(h_abort(&h) >= 0);
        OUT(&h, linux ? "R." : "R", 1, 1, 2);
        h_finish(&h);
    }
}

TEST(test_table_1a_closing_states)
{
    const enum tcp_state fin_waits[] = {TCP_FIN_WAIT_1, TCP_FIN_WAIT_2};
    for (size_t i = 0; i < 2; i++) {
        struct harness h;
        reach(t, &h, fin_waits[i], false);
        expect_error(t, &h, h_send(&h, 10), "connection closing");
        expect_error(t, &h, h_close(&h), "connection closing");
        expect_error(t, &h, h_connect(&h), "connection already exists");
        CHECK(h_abort(&h) >= 0);
        OUT(&h, "R", 2, 2, 0); /* SND.NXT is past our FIN */
        CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
        h_finish(&h);
    }
    const enum tcp_state last[] = {TCP_CLOSING, TCP_LAST_ACK, TCP_TIME_WAIT};
    for (size_t i = 0; i < 3; i++) {
        struct harness h;
        reach(t, &h, last[i], false);
        expect_error(t, &h, h_send(&h, 10), "connection closing");
        expect_error(t, &h, h_close(&h), "connection closing");
        expect_error(t, &h, h_shutdown(&h), "connection closing");
        CHECK(h_abort(&h) >= 0); /* "ok", delete the TCB, no RST */
        NONE(&h);
        CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
        CHECK_STR(rec_last_app_note(&h.rec, 'B', APP_CLOSED), "aborted");
        h_finish(&h);
    }
}

TEST(test_trace_records_of_calls_and_arrivals)
{
    struct harness h;
    h_init(&h, PROFILE_RFC9293);
    int l = h_listen(&h);
    CHECK_EQ_U64(rec_count_app(&h.rec, 'B', APP_LISTEN), 1);
    const struct trace_rec *st = rec_last_state(&h.rec, 'B');
    CHECK(st && st->sock == l && strcmp(st->note, "listen") == 0);
    h_in(&h, "S", 0, 0, 0, 60000);
    /* the rx record names the listener; the reply carries relative numbers and a checksum */
    const struct trace_rec *rx = NULL;
    for (size_t i = 0; i < h.rec.n; i++)
        if (h.rec.r[i].ev == TR_RX)
            rx = &h.rec.r[i];
    CHECK(rx && rx->sock == l && !rx->u.rx.discarded && rx->u.rx.seg.flags == SEG_SYN);
    CHECK(rx && rx->u.rx.seg.seq == H_PEER_ISN && rx->u.rx.seg.rel_seq == 0);
    const struct h_out *o = h_peek(&h);
    CHECK(o && o->host_rel_seq == 0 && o->host_rel_ack == 1 && o->sock != l && o->checksum_ok);
    OUT(&h, "S.", 0, 0, 1);
    st = rec_last_state(&h.rec, 'B');
    CHECK(st && st->u.state.from == TCP_LISTEN && st->u.state.to == TCP_SYN_RECEIVED &&
          strcmp(st->note, "rx SYN") == 0);
    h_in(&h, "P.", 1, 6, 1, 60000); /* data with the handshake's ACK */
    CHECK_EQ_U64(rec_count_app(&h.rec, 'B', APP_ACCEPT), 1);
    CHECK_EQ_U64(rec_count_app(&h.rec, 'B', APP_DELIVER), 1);
    for (size_t i = 0; i < h.rec.n; i++)
        if (h.rec.r[i].ev == TR_APP && h.rec.r[i].u.app.action == APP_DELIVER)
            CHECK_EQ_U64(h.rec.r[i].u.app.bytes, 5);
    o = h_peek(&h);
    CHECK(o && o->host_rel_seq == 1 && o->host_rel_ack == 6);
    OUT(&h, ".", 1, 1, 6);
    h_send(&h, 3);
    for (size_t i = 0; i < h.rec.n; i++)
        if (h.rec.r[i].ev == TR_APP && h.rec.r[i].u.app.action == APP_SEND)
            CHECK_EQ_U64(h.rec.r[i].u.app.bytes, 3);
    OUT(&h, ".", 1, 4, 6);
    /* a corrupted segment: discarded with the reason, no reply, no socket named */
    size_t before = h.rec.n;
    h_in_corrupt(&h, "F.", 6, 6, 4, 60000);
    NONE(&h);
    CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
    const struct trace_rec *bad = h.rec.n == before + 1 ? &h.rec.r[before] : NULL;
    CHECK(bad && bad->ev == TR_RX && bad->u.rx.discarded && bad->sock == -1);
    CHECK(bad && strcmp(bad->note, "bad checksum: discarded") == 0);
    /* no TCB: sock -1 on the rx record */
    h_finish(&h);
    h_init(&h, PROFILE_RFC9293);
    h_in(&h, "S", 0, 0, 0, 60000);
    CHECK(h.rec.n >= 1 && h.rec.r[0].ev == TR_RX && h.rec.r[0].sock == -1);
    o = h_peek(&h);
    CHECK(o && o->sock == -1);
    h_finish(&h);
}

int main(void)
{
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, test_table_1a_closed);
    RUN_TEST(&ctx, test_table_1a_listen);
    RUN_TEST(&ctx, test_table_1a_syn_sent);
    RUN_TEST(&ctx, test_table_1a_syn_received);
    RUN_TEST(&ctx, test_table_1a_established_and_close_wait);
    RUN_TEST(&ctx, test_table_1a_closing_states);
    RUN_TEST(&ctx, test_trace_records_of_calls_and_arrivals);
    return test_finish(&ctx);
}
