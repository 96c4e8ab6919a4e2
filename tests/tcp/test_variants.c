/* test_variants.c: the lesson variants (two-way handshake, ISN always zero, TIME_WAIT of zero),
 * each marking the records it causes nonstandard, and crash/reboot of a host. */
#include <stdlib.h>

#include "tcp_harness.h"
#include "testlib.h"

#define OUT(h, fl, s, e, a) CHECK(h_expect((h), (fl), (s), (e), (a)))
#define NONE(h) CHECK(h_expect_none(h))

enum { A = 0, B = 1 };

TEST(test_variant_two_way_handshake_accepts_old_syn)
{
    for (int variant = 0; variant < 2; variant++) {
        struct wire w;
        w_init(&w, PROFILE_RFC9293, 100, 300);
        w.cfg[B].variants.two_way_handshake = variant;
        w_listen(&w, B);
        /* A is CLOSED: an old duplicate SYN of some earlier attempt reaches B */
        w_inject(&w, A, "S", 90, 0, 0);
        w_deliver(&w, A, 0);
        CHECK(w_check(&w, B, 0, "S.", 300, 91, 0));
        if (variant) {
            /* the passive side trusts the SYN at once: a connection nobody asked for */
            CHECK_EQ_INT(w_state(&w, B), TCP_ESTABLISHED);
            CHECK_EQ_U64(rec_count_app(&w.rec, 'B', APP_ACCEPT), 1);
            CHECK(rec_all_nonstandard_marked(&w.rec, "lesson variant"));
            const struct trace_rec *acc = NULL;
            for (size_t i = 0; i < w.rec.n; i++)
                if (w.rec.r[i].ev == TR_APP && w.rec.r[i].u.app.action == APP_ACCEPT)
                    acc = &w.rec.r[i];
            CHECK(acc && acc->nonstandard);
        } else {
            CHECK_EQ_INT(w_state(&w, B), TCP_SYN_RECEIVED);
            CHECK_EQ_U64(rec_count_app(&w.rec, 'B', APP_ACCEPT), 0);
        }
        w_deliver(&w, B, 0); /* A has no TCB: RST <SEQ=SEG.ACK> */
        CHECK(w_check(&w, A, 0, "R", 91, 0, 0));
        w_deliver(&w, A, 0);
        if (variant) { /* the phantom connection is reset only now */
            CHECK(rec_has_state(&w.rec, 'B', TCP_ESTABLISHED, TCP_CLOSED));
            CHECK_STR(rec_last_app_note(&w.rec, 'B', APP_ERROR), "connection reset");
        } else { /* three-way: never accepted, quietly back to LISTEN */
            CHECK(rec_has_state(&w.rec, 'B', TCP_SYN_RECEIVED, TCP_LISTEN));
            CHECK_EQ_U64(rec_count_app(&w.rec, 'B', APP_ERROR), 0);
        }
        CHECK_EQ_INT(w_state(&w, B), TCP_LISTEN);
        if (variant) {
            /* switched off during the run: the next old SYN is handled by the rules */
            struct lesson_variants off = {0};
            host_set_variants(w_host(&w, B), &off);
            w_inject(&w, A, "S", 95, 0, 0);
            w_deliver(&w, A, 0);
            CHECK_EQ_INT(w_state(&w, B), TCP_SYN_RECEIVED);
            CHECK_EQ_U64(rec_count_app(&w.rec, 'B', APP_ACCEPT), 1);
        }
        w_finish(&w);
    }
}

/* Incarnation 1 sends 10 bytes whose duplicate lingers in the network; after both close and
 * TIME-WAIT passes, incarnation 2 of the same 4-tuple starts. Returns the bytes B delivered in
 * incarnation 2 after the old duplicate arrived. */
static size_t old_duplicate_into_new_incarnation(struct test_ctx *t, bool isn_zero)
{
    struct wire w;
    w_init(&w, PROFILE_RFC9293, 1000, 5000);
    for (int i = 0; i < 2; i++) {
        w.cfg[i].variants.isn_zero = isn_zero;
        w.cfg[i].isn_policy = ISN_RANDOM;
        CHECK(w_set(&w, i, "time_wait", sim_s(1)));
    }
    w_listen(&w, B);
    w_connect(&w, A);
    w_deliver(&w, A, 0);
    w_deliver(&w, B, 0);
    w_deliver(&w, A, 0);
    w_send(&w, A, (const uint8_t *)"OLD-DATA-1", 10);
    const struct segment *s = w_peek(&w, A, 0);
    CHECK(s != NULL);
    w_inject(&w, A, ".", s ? s->seq : 0, s ? s->ack : 0, 10); /* the duplicate (zero bytes) */
    w_deliver(&w, A, 0);
    w_deliver(&w, B, 0);
    w_close(&w, A);
    w_deliver(&w, A, 1); /* the FIN; the duplicate stays behind */
    w_deliver(&w, B, 0);
    w_close(&w, B);
    w_deliver(&w, B, 0);
    w_deliver(&w, A, 1);
    w_run_until(&w, sim_s(5));
    CHECK_EQ_INT(w_state(&w, A), TCP_CLOSED);
    size_t before = w.ndata[B];
    w_connect(&w, A);
    w_deliver(&w, A, 1);
    w_deliver(&w, B, 0);
    w_deliver(&w, A, 1);
    CHECK_EQ_INT(w_state(&w, B), TCP_ESTABLISHED);
    w_deliver(&w, A, 0); /* the old duplicate arrives now */
    size_t got = w.ndata[B] - before;
    if (isn_zero)
        CHECK(rec_all_nonstandard_marked(&w.rec, "ISN 0"));
    w_finish(&w);
    return got;
}

TEST(test_variant_isn_zero_old_duplicate_accepted)
{
    /* ISN 0 every time: the old bytes fall into the new connection's window and are taken */
    CHECK_EQ_U64(old_duplicate_into_new_incarnation(t, true), 10);
    /* random ISNs: the old segment is outside the window and only draws an ACK */
    CHECK_EQ_U64(old_duplicate_into_new_incarnation(t, false), 0);

    struct harness h;
    h_init(&h, PROFILE_RFC9293);
    h.cfg.variants.isn_zero = true;
    h_connect(&h);
    const struct h_out *o = h_peek(&h);
    CHECK(o && o->seq == 0 && o->flags == SEG_SYN && o->nonstandard);
    const struct trace_rec *st = rec_last_state(&h.rec, 'B');
    CHECK(st && st->nonstandard && st->u.state.to == TCP_SYN_SENT);
    h_finish(&h);
}

TEST(test_variant_time_wait_zero)
{
    struct wire w;
    w_init(&w, PROFILE_RFC9293, 100, 300);
    w.cfg[A].variants.time_wait_zero = true;
    w_listen(&w, B);
    w_connect(&w, A);
    w_deliver(&w, A, 0);
    w_deliver(&w, B, 0);
    w_deliver(&w, A, 0);
    w_close(&w, A);
    w_deliver(&w, A, 0);
    w_deliver(&w, B, 0);
    w_close(&w, B);
    w_deliver(&w, B, 0);
    /* A enters TIME_WAIT and leaves it at once; the final ACK still goes */
    CHECK(rec_has_state(&w.rec, 'A', TCP_FIN_WAIT_2, TCP_TIME_WAIT));
    CHECK(rec_has_state(&w.rec, 'A', TCP_TIME_WAIT, TCP_CLOSED));
    CHECK_EQ_INT(w_state(&w, A), TCP_CLOSED);
    CHECK_EQ_U64(host_sock_count(w_host(&w, A)), 0);
    CHECK(rec_all_nonstandard_marked(&w.rec, "lesson variant"));
    CHECK(w_check(&w, A, 0, ".", 102, 302, 0));
    /* the lesson: that ACK is lost, B retransmits its FIN, and A - with no TCB - resets */
    w_drop(&w, A, 0);
    w_run_until(&w, sim_s(2));
    CHECK(w_check(&w, B, 0, "F.", 301, 102, 0));
    w_deliver(&w, B, 0);
    CHECK(w_check(&w, A, 0, "R", 102, 0, 0));
    w_deliver(&w, A, 0);
    CHECK(rec_has_state(&w.rec, 'B', TCP_LAST_ACK, TCP_CLOSED));
    w_finish(&w);
}

TEST(test_crash_and_reboot)
{
    struct wire w;
    w_init(&w, PROFILE_RFC9293, 100, 300);
    w_listen(&w, B);
    w_connect(&w, A);
    w_deliver(&w, A, 0);
    w_deliver(&w, B, 0);
    w_deliver(&w, A, 0);
    w_send(&w, B, NULL, 100); /* B has data in flight and its RTO running */
    CHECK(host_next_deadline(w_host(&w, B)) != SIM_NEVER);
    size_t a_out = w_waiting(&w, A);
    w_crash(&w, B);
    CHECK_EQ_U64(w_waiting(&w, B), 1); /* only what was already on the wire */
    CHECK_EQ_U64(w_waiting(&w, A), a_out);
    CHECK_EQ_INT(w_state(&w, B), TCP_CLOSED);
    CHECK_EQ_U64(host_sock_count(w_host(&w, B)), 0);
    CHECK_EQ_INT(host_next_deadline(w_host(&w, B)), SIM_NEVER);
    CHECK_EQ_U64(rec_count_app(&w.rec, 'B', APP_CRASH), 1);
    CHECK(rec_has_state(&w.rec, 'B', TCP_ESTABLISHED, TCP_CLOSED));
    CHECK(rec_has_state(&w.rec, 'B', TCP_LISTEN, TCP_CLOSED));
    CHECK_EQ_U64(rec_count_timer(&w.rec, 'B', TIMER_RTO, TIMER_CANCEL), 2);
    struct trace_sink sink = {NULL, NULL};
    struct host_io io = {0};
    io.trace = &sink;
    host_reboot(w_host(&w, B), &io);
    /* after the reboot B listens again; A's old connection learns of the crash by a RST */
    w_listen(&w, B);
    w_drop(&w, B, 0);
    w_send(&w, A, NULL, 5);
    w_deliver(&w, A, 0);
    CHECK(w_check(&w, B, 0, "R", 301, 0, 0));
    w_deliver(&w, B, 0);
    CHECK_STR(rec_last_app_note(&w.rec, 'A', APP_ERROR), "connection reset");
    /* and a new connection works */
    host_set_isn(w_host(&w, A), 7000);
    w_connect(&w, A);
    w_deliver(&w, A, 0);
    w_deliver(&w, B, 0);
    w_deliver(&w, A, 0);
    CHECK_EQ_INT(w_state(&w, B), TCP_ESTABLISHED);
    w_finish(&w);
}

int main(void)
{
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, test_variant_two_way_handshake_accepts_old_syn);
    RUN_TEST(&ctx, test_variant_isn_zero_old_duplicate_accepted);
    RUN_TEST(&ctx, test_variant_time_wait_zero);
    RUN_TEST(&ctx, test_crash_and_reboot);
    return test_finish(&ctx);
}
