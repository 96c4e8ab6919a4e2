/* test_profile.c: the rfc9293 and linux profiles' numbers and rule choices, KEY=VALUE overrides
 * and key kinds, and the table of legal state transitions the debug invariant enforces. */
#include "profile.h"
#include "tcp.h"
#include "testlib.h"

TEST(test_profile_rfc9293_defaults)
{
    struct tcp_profile p;
    profile_defaults(&p, PROFILE_RFC9293);
    CHECK_EQ_INT(p.rto_initial, sim_s(1));
    CHECK_EQ_INT(p.rto_min, sim_s(1));
    CHECK_EQ_INT(p.rto_max, sim_s(60));
    CHECK_EQ_INT(p.msl, sim_s(120));
    CHECK_EQ_INT(p.time_wait, sim_s(240));
    CHECK_EQ_INT(p.syn_retries, 7);
    CHECK_EQ_INT(p.data_retries, 6);
    CHECK_EQ_INT(p.delack, 0);
    CHECK_EQ_INT(p.fin_wait_2_timeout, 0);
    CHECK_EQ_INT(p.user_timeout, 0);
    CHECK(p.challenge_ack && !p.rfc1337 && !p.time_wait_reopen && !p.synack_on_dup_syn);
    CHECK(!p.psh_on_data && !p.rst_on_unread_close && !p.fin_in_zero_window && !p.rst_with_ack);
    CHECK_EQ_INT(p.mss, 1460);
    CHECK_EQ_INT(p.rcv_wnd, 65535);
    /* MUST-23: with these numbers a SYN is given up no earlier than 3 minutes */
    sim_time rto = p.rto_initial, at = 0;
    for (uint32_t i = 0; i <= p.syn_retries; i++) {
        at += rto;
        rto = rto * 2 > p.rto_max ? p.rto_max : rto * 2;
    }
    CHECK(at >= sim_s(180));
}

TEST(test_profile_linux_defaults)
{
    struct tcp_profile p;
    profile_defaults(&p, PROFILE_LINUX);
    CHECK_EQ_INT(p.rto_initial, sim_s(1));
    CHECK_EQ_INT(p.rto_min, sim_ms(200));
    CHECK_EQ_INT(p.rto_max, sim_s(120));
    CHECK_EQ_INT(p.time_wait, sim_s(60));
    CHECK_EQ_INT(p.syn_retries, 6);
    CHECK_EQ_INT(p.synack_retries, 5);
    CHECK_EQ_INT(p.delack, sim_ms(40));
    CHECK_EQ_INT(p.fin_wait_2_timeout, sim_s(60));
    CHECK(p.challenge_ack && !p.rfc1337 && p.time_wait_reopen && p.synack_on_dup_syn);
    CHECK(p.psh_on_data && p.rst_on_unread_close && p.fin_in_zero_window && p.rst_with_ack);
    CHECK_EQ_INT(p.rcv_wnd, 64240);
}

TEST(test_profile_names_and_overrides)
{
    enum profile_id id;
    CHECK(profile_parse("linux", &id) && id == PROFILE_LINUX);
    CHECK(profile_parse("rfc9293", &id) && id == PROFILE_RFC9293);
    CHECK(!profile_parse("freebsd", &id));
    CHECK_STR(profile_name(PROFILE_LINUX), "linux");
    CHECK_STR(profile_name(PROFILE_RFC9293), "rfc9293");

    struct tcp_profile p;
    profile_defaults(&p, PROFILE_RFC9293);
    CHECK(profile_set(&p, "rto_min", sim_ms(300)) && p.rto_min == sim_ms(300));
    CHECK(profile_set(&p, "syn_retries", 2) && p.syn_retries == 2);
    CHECK(profile_set(&p, "rfc1337", 1) && p.rfc1337);
    CHECK(profile_set(&p, "mss", 536) && p.mss == 536);
    CHECK(profile_set(&p, "msl", sim_s(30)) && p.time_wait == sim_s(60));
    CHECK(profile_set(&p, "time_wait", sim_s(7)) && p.time_wait == sim_s(7) && p.msl == sim_s(30));
    CHECK(profile_set(&p, "delack", sim_ms(40)) && p.delack == sim_ms(40));
    CHECK(!profile_set(&p, "no_such_key", 1));
    CHECK(!profile_set(&p, "rcv_wnd", 70000)); /* beyond a 16-bit window */
    CHECK(!profile_set(&p, "mss", 0));
    CHECK(!profile_set(&p, "rto_min", -1));
    CHECK_EQ_INT(p.rcv_wnd, 65535);

    CHECK_EQ_INT(profile_key_kind("time_wait"), PKEY_TIME);
    CHECK_EQ_INT(profile_key_kind("rto_initial"), PKEY_TIME);
    CHECK_EQ_INT(profile_key_kind("syn_retries"), PKEY_COUNT);
    CHECK_EQ_INT(profile_key_kind("mss"), PKEY_COUNT);
    CHECK_EQ_INT(profile_key_kind("challenge_ack"), PKEY_BOOL);
    CHECK_EQ_INT(profile_key_kind("bogus"), PKEY_UNKNOWN);
}

TEST(test_legal_transitions)
{
    /* RFC 9293 Figure 5 */
    CHECK(tcp_legal_transition(TCP_CLOSED, TCP_LISTEN));
    CHECK(tcp_legal_transition(TCP_CLOSED, TCP_SYN_SENT));
    CHECK(tcp_legal_transition(TCP_LISTEN, TCP_SYN_RECEIVED));
    CHECK(tcp_legal_transition(TCP_LISTEN, TCP_SYN_SENT));
    CHECK(tcp_legal_transition(TCP_SYN_SENT, TCP_SYN_RECEIVED));
    CHECK(tcp_legal_transition(TCP_SYN_SENT, TCP_ESTABLISHED));
    CHECK(tcp_legal_transition(TCP_SYN_RECEIVED, TCP_ESTABLISHED));
    CHECK(tcp_legal_transition(TCP_SYN_RECEIVED, TCP_FIN_WAIT_1));
    CHECK(tcp_legal_transition(TCP_SYN_RECEIVED, TCP_LISTEN)); /* Note 1 */
    CHECK(tcp_legal_transition(TCP_ESTABLISHED, TCP_FIN_WAIT_1));
    CHECK(tcp_legal_transition(TCP_ESTABLISHED, TCP_CLOSE_WAIT));
    CHECK(tcp_legal_transition(TCP_FIN_WAIT_1, TCP_FIN_WAIT_2));
    CHECK(tcp_legal_transition(TCP_FIN_WAIT_1, TCP_CLOSING));
    CHECK(tcp_legal_transition(TCP_FIN_WAIT_1, TCP_TIME_WAIT)); /* Note 2 */
    CHECK(tcp_legal_transition(TCP_FIN_WAIT_2, TCP_TIME_WAIT));
    CHECK(tcp_legal_transition(TCP_CLOSE_WAIT, TCP_LAST_ACK));
    CHECK(tcp_legal_transition(TCP_CLOSING, TCP_TIME_WAIT));
    CHECK(tcp_legal_transition(TCP_LAST_ACK, TCP_CLOSED));
    CHECK(tcp_legal_transition(TCP_TIME_WAIT, TCP_CLOSED));
    /* ABORT, RST, timeouts, crash: any state to CLOSED */
    for (int s = 1; s < TCP_STATE_COUNT; s++)
        CHECK(tcp_legal_transition((enum tcp_state)s, TCP_CLOSED));
    /* and nothing else */
    CHECK(!tcp_legal_transition(TCP_CLOSED, TCP_CLOSED));
    CHECK(!tcp_legal_transition(TCP_CLOSED, TCP_ESTABLISHED));
    CHECK(!tcp_legal_transition(TCP_LISTEN, TCP_ESTABLISHED));
    CHECK(!tcp_legal_transition(TCP_ESTABLISHED, TCP_SYN_RECEIVED));
    CHECK(!tcp_legal_transition(TCP_ESTABLISHED, TCP_TIME_WAIT));
    CHECK(!tcp_legal_transition(TCP_FIN_WAIT_2, TCP_CLOSING));
    CHECK(!tcp_legal_transition(TCP_CLOSE_WAIT, TCP_FIN_WAIT_1));
    CHECK(!tcp_legal_transition(TCP_TIME_WAIT, TCP_ESTABLISHED));
    CHECK(!tcp_legal_transition(TCP_LAST_ACK, TCP_TIME_WAIT));
    int legal = 0;
    for (int a = 0; a < TCP_STATE_COUNT; a++)
        for (int b = 0; b < TCP_STATE_COUNT; b++)
            legal += tcp_legal_transition((enum tcp_state)a, (enum tcp_state)b);
    CHECK_EQ_INT(legal, 17 + 10); /* the 17 Figure 5 edges not into CLOSED, and 10 into it */
}

int main(void)
{
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, test_profile_rfc9293_defaults);
    RUN_TEST(&ctx, test_profile_linux_defaults);
    RUN_TEST(&ctx, test_profile_names_and_overrides);
    RUN_TEST(&ctx, test_legal_transitions);
    return test_finish(&ctx);
}
