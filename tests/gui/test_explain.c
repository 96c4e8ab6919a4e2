/* test_explain.c: the explanations of steps built from synthetic trace records, in English and
 * (through the shipped catalog) Korean, the event log's short form, flag names and durations.
 * Run by meson (tests/gui); argv[1] = assets/locale/ko.po. */
#include <string.h>

#include "explain.h"
#include "testlib.h"

static struct i18n ko;

static struct trace_rec rec(enum trace_ev ev, sim_time t, char host)
{
    struct trace_rec r;
    memset(&r, 0, sizeof r);
    r.t = t;
    r.ev = ev;
    r.host = host;
    r.sock = 1;
    return r;
}

static struct trace_rec tx(sim_time t, char host, uint8_t flags, uint32_t seq, uint32_t rel_seq, uint32_t rel_ack,
                           uint16_t len, enum seg_fate fate, const char *note)
{
    struct trace_rec r = rec(TR_TX, t, host);
    r.u.tx.id = 2;
    r.u.tx.to = host == 'A' ? 'B' : 'A';
    r.u.tx.seg = (struct trace_seg){ .flags = flags, .seq = seq, .rel_seq = rel_seq, .rel_ack = rel_ack, .len = len,
                                     .ack = 1000 + rel_ack };
    r.u.tx.fate = fate;
    snprintf(r.note, sizeof r.note, "%s", note);
    return r;
}

static struct trace_rec rx(sim_time t, char host, uint8_t flags)
{
    struct trace_rec r = rec(TR_RX, t, host);
    r.u.rx.id = 1;
    r.u.rx.seg = (struct trace_seg){ .flags = flags };
    return r;
}

static struct trace_rec state(sim_time t, char host, enum tcp_state from, enum tcp_state to, const char *cause)
{
    struct trace_rec r = rec(TR_STATE, t, host);
    r.u.state.from = from;
    r.u.state.to = to;
    snprintf(r.note, sizeof r.note, "%s", cause);
    return r;
}

static struct trace_rec timer(sim_time t, char host, enum tcp_timer tm, enum timer_action a, sim_time deadline)
{
    struct trace_rec r = rec(TR_TIMER, t, host);
    r.u.timer.timer = tm;
    r.u.timer.action = a;
    r.u.timer.deadline = deadline;
    return r;
}

static struct trace_rec app(sim_time t, char host, enum app_action a, uint64_t bytes)
{
    struct trace_rec r = rec(TR_APP, t, host);
    r.u.app.action = a;
    r.u.app.bytes = bytes;
    return r;
}

/* B receives SYN in LISTEN, moves to SYN_RECEIVED and answers SYN+ACK: the brief's example. */
static size_t syn_step(struct trace_rec *r)
{
    r[0] = rx(sim_ms(10), 'B', SEG_SYN);
    r[1] = state(sim_ms(10), 'B', TCP_LISTEN, TCP_SYN_RECEIVED, "rx SYN");
    r[2] = tx(sim_ms(10), 'B', SEG_SYN | SEG_ACK, 3000, 0, 1, 0, FATE_DELIVERED, "");
    r[3] = timer(sim_ms(10), 'B', TIMER_RTO, TIMER_SET, sim_ms(1010));
    return 4;
}

TEST(explains_the_synack_step)
{
    struct trace_rec r[4];
    size_t n = syn_step(r);
    struct explain_opts o = { 0 };
    char buf[1024];
    explain_step(r, n, &o, buf, sizeof buf);
    CHECK_STR(buf, "B receives SYN in LISTEN, moves to SYN_RECEIVED and answers SYN+ACK with its own initial "
                   "sequence number 3000 and ack = A's ISN + 1. If nothing acknowledges it within 1 s, B will send "
                   "it again.");
    o.cat = &ko;
    explain_step(r, n, &o, buf, sizeof buf);
    CHECK_STR(buf, "B는 LISTEN 상태에서 SYN 세그먼트를 받아 SYN_RECEIVED 상태로 바뀌고, SYN+ACK (자신의 초기 순서 "
                   "번호 3000, ack = A의 ISN + 1) 세그먼트로 응답합니다. 1 s 안에 확인 응답이 오지 않으면 B는 다시 "
                   "보냅니다.");
    o.cat = NULL;
    explain_step_short(r, n, &o, buf, sizeof buf);
    CHECK_STR(buf, "B ← SYN · B LISTEN → SYN_RECEIVED · B SYN+ACK →");
}

TEST(explains_a_lost_segment_and_a_call)
{
    struct trace_rec r[4];
    r[0] = app(0, 'A', APP_CONNECT, 0);
    r[1] = state(0, 'A', TCP_CLOSED, TCP_SYN_SENT, "connect");
    r[2] = tx(0, 'A', SEG_SYN, 777, 0, 0, 0, FATE_DROPPED, "loss: bernoulli 10%");
    struct explain_opts o = { 0 };
    char buf[1024];
    explain_step(r, 3, &o, buf, sizeof buf);
    CHECK_STR(buf, "A's application calls connect(): A sends SYN with initial sequence number 777 and moves to "
                   "SYN_SENT. The link loses it (loss: bernoulli 10%).");
    explain_step_short(r, 3, &o, buf, sizeof buf);
    CHECK_STR(buf, "A connect() · A CLOSED → SYN_SENT · A SYN → (lost)");
    o.cat = &ko;
    explain_step_short(r, 3, &o, buf, sizeof buf);
    CHECK_STR(buf, "A connect() · A CLOSED → SYN_SENT · A SYN → (손실)");
}

TEST(explains_timers)
{
    struct trace_rec r[4];
    struct explain_opts o = { 0 };
    char buf[1024];
    /* The retransmission timer fires and the SYN goes again. */
    r[0] = timer(sim_s(1), 'A', TIMER_RTO, TIMER_FIRE, sim_s(1));
    r[1] = tx(sim_s(1), 'A', SEG_SYN, 777, 0, 0, 0, FATE_DELIVERED, "");
    explain_step(r, 2, &o, buf, sizeof buf);
    CHECK_STR(buf, "A's retransmission (RTO) timer expires: A retransmits SYN with initial sequence number 777.");
    /* The final ACK: A enters TIME_WAIT, which lasts 2 x MSL. */
    r[0] = rx(sim_ms(410), 'A', SEG_FIN | SEG_ACK);
    r[1] = state(sim_ms(410), 'A', TCP_FIN_WAIT_2, TCP_TIME_WAIT, "rx FIN");
    r[2] = tx(sim_ms(410), 'A', SEG_ACK, 0, 7, 7, 0, FATE_DELIVERED, "");
    r[3] = timer(sim_ms(410), 'A', TIMER_TIME_WAIT, TIMER_SET, sim_ms(410) + sim_s(240));
    explain_step(r, 4, &o, buf, sizeof buf);
    CHECK_STR(buf, "A receives FIN+ACK in FIN_WAIT_2, moves to TIME_WAIT and answers ACK (seq 7, ack 7). A waits "
                   "in TIME_WAIT for 240 s (2 x MSL) before deleting the connection.");
    /* TIME_WAIT ends. */
    r[0] = timer(sim_s(240), 'A', TIMER_TIME_WAIT, TIMER_FIRE, sim_s(240));
    r[1] = state(sim_s(240), 'A', TCP_TIME_WAIT, TCP_CLOSED, "TIME_WAIT timeout");
    r[2] = app(sim_s(240), 'A', APP_CLOSED, 0);
    explain_step(r, 3, &o, buf, sizeof buf);
    CHECK_STR(buf, "A's TIME_WAIT is over: the connection is deleted and A is CLOSED. A deletes the connection's "
                   "TCB.");
    o.cat = &ko;
    explain_step(r, 3, &o, buf, sizeof buf);
    CHECK_STR(buf, "A의 TIME_WAIT가 끝났습니다: 연결이 지워지고 A는 CLOSED 상태가 됩니다. A는 연결의 TCB를 "
                   "지웁니다.");
}

TEST(names_the_unchanged_state_when_known)
{
    struct trace_rec r[1] = { rx(sim_ms(120), 'B', SEG_ACK) };
    struct explain_opts o = { .know_before = true, .before = { TCP_ESTABLISHED, TCP_CLOSE_WAIT } };
    char buf[256];
    explain_step(r, 1, &o, buf, sizeof buf);
    CHECK_STR(buf, "B receives ACK in CLOSE_WAIT; its state does not change.");
    o.know_before = false;
    explain_step(r, 1, &o, buf, sizeof buf);
    CHECK_STR(buf, "B receives ACK.");
}

TEST(explains_a_segment_for_a_closed_port)
{
    struct trace_rec r[2];
    r[0] = rx(sim_ms(210), 'B', SEG_SYN);
    r[0].sock = -1;
    r[0].u.rx.seg.dst_port = 81;
    r[1] = tx(sim_ms(210), 'B', SEG_RST | SEG_ACK, 0, 0, 1, 0, FATE_DELIVERED, "");
    struct explain_opts o = { .know_before = true, .before = { TCP_SYN_SENT, TCP_LISTEN } };
    char buf[512];
    explain_step(r, 2, &o, buf, sizeof buf);
    CHECK_STR(buf, "B has no socket for port 81, so it answers the arriving SYN with RST+ACK (seq 0).");
    o.cat = &ko;
    explain_step(r, 2, &o, buf, sizeof buf);
    CHECK_STR(buf, "B에는 81번 포트의 소켓이 없어서, 도착한 SYN 세그먼트에 RST+ACK (seq 0) 세그먼트로 응답합니다.");
}

TEST(explains_data_and_numbers)
{
    struct trace_rec r[3];
    r[0] = app(sim_ms(300), 'B', APP_SEND, 5);
    r[1] = tx(sim_ms(300), 'B', SEG_ACK | SEG_PSH, 5001, 1, 7, 5, FATE_DUPLICATED, "");
    struct explain_opts o = { 0 };
    char buf[512];
    explain_step(r, 2, &o, buf, sizeof buf);
    CHECK_STR(buf, "B's application calls send(): B sends PSH+ACK carrying 5 bytes (seq 1, ack 7). The link "
                   "duplicates it: two copies are on the way.");
    o.absolute = true;
    explain_step(r, 2, &o, buf, sizeof buf);
    CHECK_STR(buf, "B's application calls send(): B sends PSH+ACK carrying 5 bytes (seq 5001, ack 1007). The "
                   "link duplicates it: two copies are on the way.");
}

TEST(captions_in_the_log_follow_the_language)
{
    struct trace_rec r = rec(TR_CAPTION, 0, 0);
    snprintf(r.u.caption.text, sizeof r.u.caption.text, "B listens");
    snprintf(r.u.caption.text_ko, sizeof r.u.caption.text_ko, "B가 듣는다");
    struct explain_opts o = { 0 };
    char buf[128];
    explain_step_short(&r, 1, &o, buf, sizeof buf);
    CHECK_STR(buf, "“B listens”");
    o.korean = true;
    explain_step_short(&r, 1, &o, buf, sizeof buf);
    CHECK_STR(buf, "“B가 듣는다”");
    explain_step(&r, 1, &o, buf, sizeof buf);
    CHECK_STR(buf, "");
}

TEST(formats_flags_and_durations)
{
    char buf[64];
    explain_flags(SEG_SYN | SEG_ACK, buf, sizeof buf);
    CHECK_STR(buf, "SYN+ACK");
    explain_flags(SEG_FIN | SEG_ACK | SEG_PSH, buf, sizeof buf);
    CHECK_STR(buf, "FIN+PSH+ACK");
    explain_flags(SEG_RST | SEG_ACK, buf, sizeof buf);
    CHECK_STR(buf, "RST+ACK");
    explain_flags(0, buf, sizeof buf);
    CHECK_STR(buf, "none");
    explain_duration(sim_s(240), buf, sizeof buf);
    CHECK_STR(buf, "240 s");
    explain_duration(sim_ms(1500), buf, sizeof buf);
    CHECK_STR(buf, "1.5 s");
    explain_duration(sim_ms(1234), buf, sizeof buf);
    CHECK_STR(buf, "1.234 s");
    explain_duration(sim_ms(200), buf, sizeof buf);
    CHECK_STR(buf, "200 ms");
    explain_duration(sim_us(40), buf, sizeof buf);
    CHECK_STR(buf, "40 μs");
    char small[6];
    size_t need = explain_flags(SEG_SYN | SEG_ACK, small, sizeof small);
    CHECK_STR(small, "SYN+A");
    CHECK_EQ_INT(need, 7);
}

int main(int argc, char **argv)
{
    char err[256];
    if (argc < 2 || !i18n_load(&ko, argv[1], err, sizeof err)) {
        fprintf(stderr, "usage: test_explain ko.po (%s)\n", argc < 2 ? "missing" : err);
        return 2;
    }
    struct test_ctx t = { 0 };
    RUN_TEST(&t, explains_the_synack_step);
    RUN_TEST(&t, explains_a_lost_segment_and_a_call);
    RUN_TEST(&t, explains_timers);
    RUN_TEST(&t, names_the_unchanged_state_when_known);
    RUN_TEST(&t, explains_a_segment_for_a_closed_port);
    RUN_TEST(&t, explains_data_and_numbers);
    RUN_TEST(&t, captions_in_the_log_follow_the_language);
    RUN_TEST(&t, formats_flags_and_durations);
    i18n_finish(&ko);
    return test_finish(&t);
}
