/* test_rfc_figures.c: reference cases C01-C08, the RFC 9293 figure traces, run on two hosts with
 * every segment delivered, held or injected by hand in the figure's order, absolute numbers. */
#include "tcp_harness.h"
#include "testlib.h"

enum { A = 0, B = 1 };

/* Both sides ESTABLISHED with A's SND.NXT = iss_a + 1 and B's = iss_b + 1. */
static void establish(struct wire *w)
{
    w_listen(w, B);
    w_connect(w, A);
    w_deliver(w, A, 0);
    w_deliver(w, B, 0);
    w_deliver(w, A, 0);
}

TEST(test_C01_three_way_handshake)
{
    struct wire w;
    w_init(&w, PROFILE_RFC9293, 100, 300);
    CHECK(w_listen(&w, B) >= 0);
    CHECK_EQ_INT(w_state(&w, A), TCP_CLOSED);
    CHECK_EQ_INT(w_state(&w, B), TCP_LISTEN);
    CHECK(w_connect(&w, A) >= 0);
    CHECK_EQ_INT(w_state(&w, A), TCP_SYN_SENT);
    CHECK(w_check(&w, A, 0, "S", 100, 0, 0)); /* line 2 */
    w_deliver(&w, A, 0);
    CHECK_EQ_INT(w_state(&w, B), TCP_SYN_RECEIVED);
    CHECK(w_check(&w, B, 0, "S.", 300, 101, 0)); /* line 3 */
    w_deliver(&w, B, 0);
    CHECK_EQ_INT(w_state(&w, A), TCP_ESTABLISHED);
    CHECK(w_check(&w, A, 0, ".", 101, 301, 0)); /* line 4: the SYN took one number */
    w_deliver(&w, A, 0);
    CHECK_EQ_INT(w_state(&w, B), TCP_ESTABLISHED);
    CHECK(w_send(&w, A, (const uint8_t *)"hello", 5) >= 0);
    CHECK(w_check(&w, A, 0, ".", 101, 301, 5)); /* line 5: the pure ACK took none */
    w_deliver(&w, A, 0);
    CHECK(w_check(&w, B, 0, ".", 301, 106, 0));
    CHECK_EQ_U64(w.ndata[B], 5);
    CHECK(w.ndata[B] == 5 && memcmp(w.data[B], "hello", 5) == 0);
    CHECK_EQ_U64(rec_count_app(&w.rec, 'A', APP_CONNECTED), 1);
    CHECK_EQ_U64(rec_count_app(&w.rec, 'B', APP_ACCEPT), 1);
    CHECK(rec_has_state(&w.rec, 'B', TCP_LISTEN, TCP_SYN_RECEIVED));
    w_finish(&w);
}

TEST(test_C02_simultaneous_open)
{
    struct wire w;
    w_init(&w, PROFILE_RFC9293, 100, 300);
    w_connect(&w, A);
    CHECK(w_check(&w, A, 0, "S", 100, 0, 0)); /* line 2, delayed */
    w_connect(&w, B);
    CHECK(w_check(&w, B, 0, "S", 300, 0, 0));
    w_deliver(&w, B, 0); /* line 3 */
    CHECK_EQ_INT(w_state(&w, A), TCP_SYN_RECEIVED);
    CHECK_EQ_INT(w_state(&w, B), TCP_SYN_SENT);
    CHECK(w_check(&w, A, 1, "S.", 100, 301, 0)); /* line 5: SEQ=ISS again, plus ACK */
    w_deliver(&w, A, 0); /* line 4: the delayed SYN */
    CHECK_EQ_INT(w_state(&w, B), TCP_SYN_RECEIVED);
    CHECK(w_check(&w, B, 0, "S.", 300, 101, 0));
    w_deliver(&w, B, 0); /* line 6 */
    CHECK_EQ_INT(w_state(&w, A), TCP_ESTABLISHED);
    w_deliver(&w, A, 0); /* line 7 */
    CHECK_EQ_INT(w_state(&w, B), TCP_ESTABLISHED);
    CHECK_EQ_U64(w_waiting(&w, A), 0);
    CHECK_EQ_U64(w_waiting(&w, B), 0);
    CHECK(rec_has_state(&w.rec, 'A', TCP_SYN_SENT, TCP_SYN_RECEIVED));
    CHECK(rec_has_state(&w.rec, 'B', TCP_SYN_RECEIVED, TCP_ESTABLISHED));
    CHECK_EQ_U64(rec_count_app(&w.rec, 'A', APP_CONNECTED), 1);
    CHECK_EQ_U64(rec_count_app(&w.rec, 'B', APP_CONNECTED), 1);
    /* Data flows both ways afterwards. */
    w_send(&w, A, (const uint8_t *)"ab", 2);
    CHECK(w_check(&w, A, 0, ".", 101, 301, 2));
    w_deliver(&w, A, 0);
    CHECK_EQ_U64(w.ndata[B], 2);
    w_finish(&w);
}

TEST(test_C03_old_duplicate_syn)
{
    struct wire w;
    w_init(&w, PROFILE_RFC9293, 100, 300);
    w_listen(&w, B);
    w_connect(&w, A);
    CHECK(w_check(&w, A, 0, "S", 100, 0, 0)); /* line 2, delayed */
    w_inject(&w, A, "S", 90, 0, 0);           /* line 3: the old duplicate */
    w_deliver(&w, A, 1);
    CHECK_EQ_INT(w_state(&w, B), TCP_SYN_RECEIVED);
    CHECK(w_check(&w, B, 0, "S.", 300, 91, 0)); /* line 4 */
    w_deliver(&w, B, 0);
    CHECK_EQ_INT(w_state(&w, A), TCP_SYN_SENT);
    CHECK(w_check(&w, A, 1, "R", 91, 0, 0)); /* line 5: SEQ=SEG.ACK, no ACK bit */
    w_deliver(&w, A, 1);
    CHECK_EQ_INT(w_state(&w, B), TCP_LISTEN);
    CHECK(rec_has_state(&w.rec, 'B', TCP_SYN_RECEIVED, TCP_LISTEN));
    CHECK_EQ_U64(rec_count_app(&w.rec, 'B', APP_ERROR), 0); /* "The user need not be informed" */
    host_set_isn(w_host(&w, B), 400);
    w_deliver(&w, A, 0); /* line 6 */
    CHECK_EQ_INT(w_state(&w, B), TCP_SYN_RECEIVED);
    CHECK(w_check(&w, B, 0, "S.", 400, 101, 0)); /* line 7: a fresh ISS */
    w_deliver(&w, B, 0);
    CHECK_EQ_INT(w_state(&w, A), TCP_ESTABLISHED);
    CHECK(w_check(&w, A, 0, ".", 101, 401, 0)); /* line 8 */
    w_deliver(&w, A, 0);
    CHECK_EQ_INT(w_state(&w, B), TCP_ESTABLISHED);
    w_finish(&w);
}

TEST(test_C04_half_open_discovery)
{
    struct wire w;
    w_init(&w, PROFILE_RFC9293, 99, 299);
    establish(&w); /* A has sent up to 100, B up to 300 */
    CHECK_EQ_INT(w_state(&w, B), TCP_ESTABLISHED);
    w_crash(&w, A); /* line 1: A reboots, B keeps its TCB */
    CHECK_EQ_INT(w_state(&w, A), TCP_CLOSED);
    host_set_isn(w_host(&w, A), 400);
    w_connect(&w, A);
    CHECK(w_check(&w, A, 0, "S", 400, 0, 0)); /* line 3 */
    w_deliver(&w, A, 0);
    CHECK(w_check(&w, B, 0, ".", 300, 100, 0)); /* line 4: the (challenge) ACK */
    CHECK_EQ_INT(w_state(&w, B), TCP_ESTABLISHED);
    w_deliver(&w, B, 0);
    CHECK_EQ_INT(w_state(&w, A), TCP_SYN_SENT);
    CHECK(w_check(&w, A, 0, "R", 100, 0, 0)); /* line 5 */
    w_deliver(&w, A, 0);
    /* line 6: B aborts; only its listener is left */
    CHECK(rec_has_state(&w.rec, 'B', TCP_ESTABLISHED, TCP_CLOSED));
    CHECK_EQ_INT(w_state(&w, B), TCP_LISTEN);
    CHECK_EQ_U64(host_sock_count(w_host(&w, B)), 1);
    CHECK_STR(rec_last_app_note(&w.rec, 'B', APP_ERROR), "connection reset");
    w_run_until(&w, sim_ms(1001)); /* line 7: A's SYN again after the 1 s RTO */
    CHECK(w_check(&w, A, 0, "S", 400, 0, 0));
    CHECK_EQ_INT(w_state(&w, A), TCP_SYN_SENT);
    w_finish(&w);
}

TEST(test_C05_active_side_half_open)
{
    struct wire w;
    w_init(&w, PROFILE_RFC9293, 99, 299);
    establish(&w);
    w_crash(&w, A);
    w_send(&w, B, NULL, 10); /* line 2 */
    CHECK(w_check(&w, B, 0, ".", 300, 100, 10));
    w_deliver(&w, B, 0);
    CHECK(w_check(&w, A, 0, "R", 100, 0, 0)); /* line 3: no TCB, SEQ=SEG.ACK */
    w_deliver(&w, A, 0);
    CHECK(rec_has_state(&w.rec, 'B', TCP_ESTABLISHED, TCP_CLOSED));
    CHECK_EQ_U64(host_sock_count(w_host(&w, B)), 1);
    CHECK_STR(rec_last_app_note(&w.rec, 'B', APP_ERROR), "connection reset");
    w_finish(&w);
}

TEST(test_C06_old_syn_resets_two_passive_sockets)
{
    struct wire w;
    w_init(&w, PROFILE_RFC9293, 100, 300);
    w_listen(&w, A);
    w_listen(&w, B);
    w_inject(&w, A, "S", 5000, 0, 0); /* line 2: <SEQ=Z><CTL=SYN> */
    w_deliver(&w, A, 0);
    CHECK_EQ_INT(w_state(&w, B), TCP_SYN_RECEIVED);
    CHECK(w_check(&w, B, 0, "S.", 300, 5001, 0)); /* line 3 */
    w_deliver(&w, B, 0);
    CHECK_EQ_INT(w_state(&w, A), TCP_LISTEN);
    CHECK(w_check(&w, A, 0, "R", 5001, 0, 0)); /* line 4 */
    w_deliver(&w, A, 0);
    CHECK_EQ_INT(w_state(&w, A), TCP_LISTEN); /* line 5 */
    CHECK_EQ_INT(w_state(&w, B), TCP_LISTEN);
    CHECK_EQ_U64(host_sock_count(w_host(&w, B)), 1); /* the listener alone */
    w_finish(&w);
}

TEST(test_C07_normal_close)
{
    struct wire w;
    w_init(&w, PROFILE_RFC9293, 99, 299);
    establish(&w);
    w_close(&w, A);
    CHECK_EQ_INT(w_state(&w, A), TCP_FIN_WAIT_1);
    CHECK(w_check(&w, A, 0, "F.", 100, 300, 0)); /* line 2 */
    w_deliver(&w, A, 0);
    CHECK_EQ_INT(w_state(&w, B), TCP_CLOSE_WAIT);
    CHECK_EQ_U64(rec_count_app(&w.rec, 'B', APP_EOF), 1);
    CHECK(w_check(&w, B, 0, ".", 300, 101, 0)); /* line 3 */
    w_deliver(&w, B, 0);
    CHECK_EQ_INT(w_state(&w, A), TCP_FIN_WAIT_2);
    w_close(&w, B);
    CHECK_EQ_INT(w_state(&w, B), TCP_LAST_ACK);
    CHECK(w_check(&w, B, 0, "F.", 300, 101, 0)); /* line 4 */
    w_deliver(&w, B, 0);
    CHECK_EQ_INT(w_state(&w, A), TCP_TIME_WAIT);
    CHECK(w_check(&w, A, 0, ".", 101, 301, 0)); /* line 5 */
    w_deliver(&w, A, 0);
    CHECK(rec_has_state(&w.rec, 'B', TCP_LAST_ACK, TCP_CLOSED));
    CHECK_EQ_U64(host_sock_count(w_host(&w, B)), 1);
    CHECK_EQ_U64(rec_count_app(&w.rec, 'B', APP_CLOSED), 1);
    sim_time tw_start = w.now;
    w_run_until(&w, tw_start + sim_s(240) - 1);
    CHECK_EQ_INT(w_state(&w, A), TCP_TIME_WAIT); /* line 6: 2 MSL = 240 s */
    w_run_until(&w, tw_start + sim_s(240));
    CHECK_EQ_INT(w_state(&w, A), TCP_CLOSED);
    CHECK(rec_has_state(&w.rec, 'A', TCP_TIME_WAIT, TCP_CLOSED));
    CHECK(!rec_has_state(&w.rec, 'B', TCP_LAST_ACK, TCP_TIME_WAIT)); /* only the active closer */
    w_finish(&w);
}

TEST(test_C08_simultaneous_close)
{
    struct wire w;
    w_init(&w, PROFILE_RFC9293, 99, 299);
    establish(&w);
    w_close(&w, A);
    w_close(&w, B);
    CHECK(w_check(&w, A, 0, "F.", 100, 300, 0)); /* line 2 */
    CHECK(w_check(&w, B, 0, "F.", 300, 100, 0));
    w_deliver(&w, B, 0);
    CHECK_EQ_INT(w_state(&w, A), TCP_CLOSING);
    CHECK(w_check(&w, A, 1, ".", 101, 301, 0)); /* line 3 */
    w_deliver(&w, A, 0);
    CHECK_EQ_INT(w_state(&w, B), TCP_CLOSING);
    CHECK(w_check(&w, B, 0, ".", 301, 101, 0));
    w_deliver(&w, B, 0);
    w_deliver(&w, A, 0);
    CHECK_EQ_INT(w_state(&w, A), TCP_TIME_WAIT); /* line 4: both do TIME-WAIT */
    CHECK_EQ_INT(w_state(&w, B), TCP_TIME_WAIT);
    CHECK_EQ_U64(w_waiting(&w, A) + w_waiting(&w, B), 0);
    w_run_until(&w, w.now + sim_s(240));
    CHECK_EQ_INT(w_state(&w, A), TCP_CLOSED);
    CHECK(rec_has_state(&w.rec, 'B', TCP_TIME_WAIT, TCP_CLOSED));
    CHECK_EQ_U64(host_sock_count(w_host(&w, B)), 1);
    w_finish(&w);
}

int main(void)
{
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, test_C01_three_way_handshake);
    RUN_TEST(&ctx, test_C02_simultaneous_open);
    RUN_TEST(&ctx, test_C03_old_duplicate_syn);
    RUN_TEST(&ctx, test_C04_half_open_discovery);
    RUN_TEST(&ctx, test_C05_active_side_half_open);
    RUN_TEST(&ctx, test_C06_old_syn_resets_two_passive_sockets);
    RUN_TEST(&ctx, test_C07_normal_close);
    RUN_TEST(&ctx, test_C08_simultaneous_close);
    return test_finish(&ctx);
}
