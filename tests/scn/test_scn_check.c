/* test_scn_check.c: the expectation checker fed synthetic trace records: every kind of
 * expectation passing and failing, the host state it follows, retransmission counting and the
 * exact failure text. Run by meson (suite scn). */
#include "scn.h"
#include "testlib.h"

#define MS ((sim_time)1000000)

static struct trace_rec rec_base(sim_time t, enum trace_ev ev, char host, int32_t sock)
{
    struct trace_rec r;
    memset(&r, 0, sizeof r);
    r.t = t;
    r.ev = ev;
    r.host = host;
    r.sock = sock;
    return r;
}

static struct trace_rec tx(sim_time t, char host, int32_t sock, uint8_t flags, uint32_t rseq,
                           uint16_t len, uint32_t rack, enum seg_fate fate)
{
    struct trace_rec r = rec_base(t, TR_TX, host, sock);
    r.u.tx.id = (uint64_t)t;
    r.u.tx.seg.flags = flags;
    r.u.tx.seg.rel_seq = rseq;
    r.u.tx.seg.seq = rseq + 1000;
    r.u.tx.seg.len = len;
    r.u.tx.seg.rel_ack = rack;
    r.u.tx.seg.wnd = 65535;
    r.u.tx.fate = fate;
    r.u.tx.to = host == 'A' ? 'B' : 'A';
    return r;
}

static struct trace_rec rx(sim_time t, char host, uint8_t flags)
{
    struct trace_rec r = rec_base(t, TR_RX, host, 0);
    r.u.rx.seg.flags = flags;
    return r;
}

static struct trace_rec st(sim_time t, char host, int32_t sock, enum tcp_state from,
                           enum tcp_state to, const char *note)
{
    struct trace_rec r = rec_base(t, TR_STATE, host, sock);
    r.u.state.from = from;
    r.u.state.to = to;
    snprintf(r.note, sizeof r.note, "%s", note);
    return r;
}

static struct trace_rec app(sim_time t, char host, enum app_action a, uint64_t bytes,
                            const char *note)
{
    struct trace_rec r = rec_base(t, TR_APP, host, 0);
    r.u.app.action = a;
    r.u.app.bytes = bytes;
    snprintf(r.note, sizeof r.note, "%s", note);
    return r;
}

/* A handshake as the engine would trace it: B listens (sock 0), A connects (sock 0), B's
 * passive connection is sock 1. Fed through the checker's trace sink. */
static void feed_handshake(struct scn_check *c)
{
    const struct trace_rec recs[] = {
        st(0, 'B', 0, TCP_CLOSED, TCP_LISTEN, "listen"),
        st(0, 'A', 0, TCP_CLOSED, TCP_SYN_SENT, "connect"),
        tx(0, 'A', 0, SEG_SYN, 0, 0, 0, FATE_DELIVERED),
        rx(10 * MS, 'B', SEG_SYN),
        st(10 * MS, 'B', 1, TCP_CLOSED, TCP_SYN_RECEIVED, "rx SYN"),
        tx(10 * MS, 'B', 1, SEG_SYN | SEG_ACK, 0, 0, 1, FATE_DELIVERED),
        rx(20 * MS, 'A', SEG_SYN | SEG_ACK),
        st(20 * MS, 'A', 0, TCP_SYN_SENT, TCP_ESTABLISHED, "rx SYN+ACK"),
        tx(20 * MS, 'A', 0, SEG_ACK, 1, 0, 1, FATE_DELIVERED),
        rx(30 * MS, 'B', SEG_ACK),
        st(30 * MS, 'B', 1, TCP_SYN_RECEIVED, TCP_ESTABLISHED, "rx ACK"),
    };
    struct trace_sink sink = scn_check_sink(c);
    for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++)
        trace_emit(&sink, &recs[i]);
}

static struct scn *parse(struct test_ctx *t, const char *text)
{
    struct scn *s = NULL;
    struct scn_error err;
    bool ok = scn_parse_string("c.scn", text, strlen(text), &s, &err);
    CHECK(ok);
    if (!ok)
        fprintf(stderr, "  %s\n", err.text);
    return s;
}

/* Runs the handshake against expectations; returns the checker (ended) or NULL. */
static struct scn_check *check_handshake(struct test_ctx *t, const char *expects,
                                         struct scn **out)
{
    char text[4096];
    snprintf(text, sizeof text, "at 0s B listen 80\nat 0s A connect 40000 -> 80\n%s", expects);
    *out = parse(t, text);
    if (!*out)
        return NULL;
    struct scn_check *c = scn_check_begin(*out);
    CHECK(c != NULL);
    if (!c)
        return NULL;
    feed_handshake(c);
    scn_check_end(c);
    return c;
}

static void print_failures(const struct scn_check *c)
{
    for (size_t i = 0; i < scn_check_failure_count(c); i++)
        fprintf(stderr, "  %s\n%s", scn_check_failure(c, i)->summary,
                scn_check_failure(c, i)->detail);
}

TEST(handshake_meets_every_expectation)
{
    struct scn *s;
    struct scn_check *c = check_handshake(t,
                                          "expect segments\n"
                                          "  A>B S 0:0(0)\n"
                                          "  B>A S. 0:0(0) ack 1 win 65535\n"
                                          "  A>B . 1:1(0) ack 1 delivered\n"
                                          "end\n"
                                          "expect at 5ms B LISTEN\n"
                                          "expect at 5ms A SYN_SENT\n"
                                          "expect at 10ms B SYN_RECEIVED\n"
                                          "expect at 29ms B SYN_RECEIVED\n"
                                          "expect at 30ms B ESTABLISHED\n"
                                          "expect at 1s A ESTABLISHED\n"
                                          "expect final A ESTABLISHED\n"
                                          "expect final B ESTABLISHED\n"
                                          "expect ever B ESTABLISHED\n"
                                          "expect never A TIME_WAIT\n"
                                          "expect count tx A>B = 2\n"
                                          "expect count tx B>A S. = 1\n"
                                          "expect count tx has ACK = 2\n"
                                          "expect count rx = 3\n"
                                          "expect count rx A>B SYN = 1\n"
                                          "expect count retransmits = 0\n"
                                          "expect count drops = 0\n"
                                          "expect no error\n",
                                          &s);
    if (!c)
        return;
    CHECK_EQ_INT(scn_check_expect_count(c), 19);
    CHECK_EQ_INT(scn_check_failure_count(c), 0);
    print_failures(c);
    CHECK(scn_check_failure(c, 0) == NULL);
    scn_check_destroy(c);
    scn_free(s);
}

TEST(segment_mismatch_shows_both_lines_aligned)
{
    struct scn *s;
    struct scn_check *c = check_handshake(t,
                                          "expect segments\n"
                                          "  A>B S 0:0(0)\n"
                                          "  B>A S. 0:0(0) ack 1\n"
                                          "  A>B R 1:1(0)\n"
                                          "end\n",
                                          &s);
    if (!c)
        return;
    CHECK_EQ_INT(scn_check_failure_count(c), 1);
    const struct scn_failure *f = scn_check_failure(c, 0);
    if (f) {
        CHECK_EQ_INT(f->line, 3);
        CHECK_STR(f->summary, "c.scn:3: expect segments: segment 3 differs: expected 'A>B R "
                              "1:1(0)', got 'A>B . 1:1(0)' at 20ms");
        CHECK_STR(f->detail, "    segment 3 of 3 (line 6)\n"
                             "    expected  A>B R 1:1(0)\n"
                             "    actual    A>B . 1:1(0)   at 20ms\n"
                             "                  ^\n");
    }
    scn_check_destroy(c);
    scn_free(s);
}

TEST(segment_ack_mismatch)
{
    struct scn *s;
    struct scn_check *c = check_handshake(t,
                                          "expect segments from 5ms\n"
                                          "  B>A S. 0:0(0) ack 2\n"
                                          "end\n",
                                          &s);
    if (!c)
        return;
    const struct scn_failure *f = scn_check_failure(c, 0);
    CHECK(f != NULL);
    if (f)
        CHECK_STR(f->detail, "    segment 1 of 1 (line 4)\n"
                             "    expected  B>A S. 0:0(0) ack 2\n"
                             "    actual    B>A S. 0:0(0) ack 1   at 10ms\n"
                             "                                ^\n");
    scn_check_destroy(c);
    scn_free(s);
}

TEST(missing_segments)
{
    struct scn *s;
    struct scn_check *c = check_handshake(t,
                                          "expect segments\n"
                                          "  A>B S\n  B>A S.\n  A>B .\n  A>B F.\n"
                                          "end\n",
                                          &s);
    if (!c)
        return;
    const struct scn_failure *f = scn_check_failure(c, 0);
    CHECK(f != NULL);
    if (f) {
        CHECK_STR(f->summary, "c.scn:3: expect segments: segment 4 missing: expected 'A>B F.', "
                              "the run sent only 3 from 0ns");
        CHECK_STR(f->detail, "    segment 4 of 4 (line 7)\n"
                             "    expected  A>B F.\n"
                             "    actual    (no more segments)\n");
    }
    scn_check_destroy(c);
    scn_free(s);
}

TEST(state_failures_say_what_the_host_was)
{
    struct scn *s;
    struct scn_check *c = check_handshake(t,
                                          "expect at 25ms B ESTABLISHED\n"
                                          "expect final A CLOSED\n"
                                          "expect ever A TIME_WAIT\n"
                                          "expect never B ESTABLISHED\n",
                                          &s);
    if (!c)
        return;
    CHECK_EQ_INT(scn_check_failure_count(c), 4);
    const struct scn_failure *f = scn_check_failure(c, 0);
    if (f) {
        CHECK_STR(f->summary, "c.scn:3: expect at 25ms B ESTABLISHED: B was SYN_RECEIVED (since "
                              "10ms)");
        CHECK_STR(f->detail, "    expected  B ESTABLISHED at 25ms\n"
                             "    actual    B SYN_RECEIVED at 25ms (since 10ms)\n");
    }
    f = scn_check_failure(c, 1);
    if (f)
        CHECK_STR(f->summary, "c.scn:4: expect final A CLOSED: A ended in ESTABLISHED (since "
                              "20ms)");
    f = scn_check_failure(c, 2);
    if (f)
        CHECK_STR(f->detail, "    expected  A enters TIME_WAIT\n"
                             "    actual    A entered only: SYN_SENT ESTABLISHED\n");
    f = scn_check_failure(c, 3);
    if (f)
        CHECK_STR(f->summary, "c.scn:6: expect never B ESTABLISHED: B entered ESTABLISHED at "
                              "30ms (rx ACK)");
    scn_check_destroy(c);
    scn_free(s);
}

TEST(count_failure)
{
    struct scn *s;
    struct scn_check *c = check_handshake(t, "expect count tx A>B SYN = 2\n", &s);
    if (!c)
        return;
    const struct scn_failure *f = scn_check_failure(c, 0);
    CHECK(f != NULL);
    if (f) {
        CHECK_STR(f->summary, "c.scn:3: expect count tx A>B SYN = 2: counted 1");
        CHECK_STR(f->detail, "    expected  = 2\n    actual    1\n");
    }
    scn_check_destroy(c);
    scn_free(s);
}

static struct scn_check *begin(struct test_ctx *t, const char *text, struct scn **out)
{
    *out = parse(t, text);
    if (!*out)
        return NULL;
    struct scn_check *c = scn_check_begin(*out);
    CHECK(c != NULL);
    return c;
}

TEST(retransmissions_and_drops)
{
    struct scn *s;
    struct scn_check *c = begin(t,
                                "at 0s A connect 1 -> 80\n"
                                "expect count retransmits A>B SYN = 2\n"
                                "expect count retransmits A>B = 4\n"
                                "expect count retransmits has FIN = 1\n"
                                "expect count drops A>B = 3\n"
                                "expect count drops A>B has SYN = 2\n"
                                "expect count tx A>B SYN >= 3\n"
                                "expect count tx A>B SYN < 3\n",
                                &s);
    if (!c)
        return;
    const struct trace_rec recs[] = {
        tx(0, 'A', 0, SEG_SYN, 0, 0, 0, FATE_DROPPED),
        tx(1000 * MS, 'A', 0, SEG_SYN, 0, 0, 0, FATE_DROPPED),
        tx(3000 * MS, 'A', 0, SEG_SYN, 0, 0, 0, FATE_DELIVERED),
        tx(3020 * MS, 'A', 0, SEG_ACK, 1, 0, 1, FATE_DELIVERED),         /* no sequence space */
        tx(3030 * MS, 'A', 0, SEG_ACK | SEG_PSH, 1, 5, 1, FATE_DROPPED), /* 1:6 */
        tx(3040 * MS, 'A', 0, SEG_ACK | SEG_PSH, 6, 5, 1, FATE_DELIVERED), /* 6:11, new */
        tx(4030 * MS, 'A', 0, SEG_ACK | SEG_PSH, 1, 5, 1, FATE_DELIVERED), /* 1:6 again */
        tx(4040 * MS, 'A', 0, SEG_ACK | SEG_FIN, 11, 0, 1, FATE_DELIVERED),
        tx(5040 * MS, 'A', 0, SEG_ACK | SEG_FIN, 11, 0, 1, FATE_DELIVERED),
        tx(5050 * MS, 'A', 0, SEG_ACK, 12, 0, 2, FATE_DELIVERED),
    };
    for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++)
        scn_check_record(c, &recs[i]);
    CHECK_EQ_INT(scn_check_end(c), 1);
    const struct scn_failure *f = scn_check_failure(c, 0);
    if (f)
        CHECK_STR(f->summary, "c.scn:8: expect count tx A>B SYN < 3: counted 3");
    scn_check_destroy(c);
    scn_free(s);
}

TEST(a_reused_socket_number_is_a_new_connection)
{
    struct scn *s;
    struct scn_check *c = begin(t,
                                "at 0s A connect 1 -> 80\n"
                                "expect count retransmits = 0\n"
                                "expect final A SYN_SENT\n",
                                &s);
    if (!c)
        return;
    const struct trace_rec recs[] = {
        st(0, 'A', 3, TCP_CLOSED, TCP_SYN_SENT, "connect"),
        tx(0, 'A', 3, SEG_SYN, 0, 0, 0, FATE_DELIVERED),
        st(10 * MS, 'A', 3, TCP_SYN_SENT, TCP_CLOSED, "rx RST"),
        st(20 * MS, 'A', 3, TCP_CLOSED, TCP_SYN_SENT, "connect"),
        tx(20 * MS, 'A', 3, SEG_SYN, 0, 0, 0, FATE_DELIVERED),
    };
    for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++)
        scn_check_record(c, &recs[i]);
    CHECK_EQ_INT(scn_check_end(c), 0);
    print_failures(c);
    scn_check_destroy(c);
    scn_free(s);
}

TEST(host_state_follows_the_newest_connection)
{
    struct scn *s;
    struct scn_check *c = begin(t,
                                "at 0s B listen 80\n"
                                "expect at 1ms B LISTEN\n"
                                "expect at 15ms B SYN_RECEIVED\n"
                                "expect at 25ms B ESTABLISHED\n"
                                "expect at 35ms B SYN_RECEIVED\n"  /* the second connection */
                                "expect at 45ms B ESTABLISHED\n"   /* the second went away */
                                "expect at 55ms B LISTEN\n"
                                "expect at 65ms B CLOSED\n"        /* crash forgot everything */
                                "expect final B CLOSED\n",
                                &s);
    if (!c)
        return;
    const struct trace_rec recs[] = {
        st(0, 'B', 0, TCP_CLOSED, TCP_LISTEN, "listen"),
        st(10 * MS, 'B', 1, TCP_CLOSED, TCP_SYN_RECEIVED, "rx SYN"),
        st(20 * MS, 'B', 1, TCP_SYN_RECEIVED, TCP_ESTABLISHED, "rx ACK"),
        st(30 * MS, 'B', 2, TCP_CLOSED, TCP_SYN_RECEIVED, "rx SYN"),
        st(40 * MS, 'B', 2, TCP_SYN_RECEIVED, TCP_CLOSED, "rx RST"),
        st(50 * MS, 'B', 1, TCP_ESTABLISHED, TCP_CLOSED, "abort"),
        app(60 * MS, 'B', APP_CRASH, 0, ""),
    };
    for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++)
        scn_check_record(c, &recs[i]);
    CHECK_EQ_INT(scn_check_end(c), 0);
    print_failures(c);
    scn_check_destroy(c);
    scn_free(s);
}

TEST(expect_at_is_decided_before_later_records)
{
    /* the state at 10ms must not see the change at 11ms, even though the checker learns of
     * the expectation's moment only when the 11ms record arrives */
    struct scn *s;
    struct scn_check *c = begin(t, "at 0s B listen 80\nexpect at 10ms B LISTEN\n", &s);
    if (!c)
        return;
    struct trace_rec a = st(0, 'B', 0, TCP_CLOSED, TCP_LISTEN, "listen");
    struct trace_rec b = st(11 * MS, 'B', 1, TCP_CLOSED, TCP_SYN_RECEIVED, "rx SYN");
    scn_check_record(c, &a);
    scn_check_record(c, &b);
    CHECK_EQ_INT(scn_check_end(c), 0);
    scn_check_destroy(c);
    scn_free(s);
}

TEST(delivered_bytes_and_content)
{
    struct scn *s;
    struct scn_check *c = begin(t,
                                "at 0s B listen 80\n"
                                "expect delivered B \"hello\"\n"
                                "expect delivered B 5 bytes\n"
                                "expect delivered A 0\n",
                                &s);
    if (!c)
        return;
    struct trace_rec d1 = app(10 * MS, 'B', APP_DELIVER, 3, "");
    struct trace_rec d2 = app(20 * MS, 'B', APP_DELIVER, 2, "");
    scn_check_record(c, &d1);
    scn_check_deliver(c, 'B', (const uint8_t *)"hel", 3);
    scn_check_record(c, &d2);
    scn_check_deliver(c, 'B', (const uint8_t *)"lo", 2);
    CHECK_EQ_INT(scn_check_end(c), 0);
    print_failures(c);
    scn_check_destroy(c);
    scn_free(s);
}

TEST(delivered_failures)
{
    struct scn *s;
    struct scn_check *c = begin(t,
                                "at 0s B listen 80\n"
                                "expect delivered B \"hello\"\n"
                                "expect delivered A \"hi\"\n"
                                "expect delivered A 1000 bytes\n",
                                &s);
    if (!c)
        return;
    struct trace_rec d1 = app(10 * MS, 'B', APP_DELIVER, 5, "");
    struct trace_rec d2 = app(10 * MS, 'A', APP_DELIVER, 3, "");
    scn_check_record(c, &d1);
    scn_check_deliver(c, 'B', (const uint8_t *)"hallo", 5);
    scn_check_record(c, &d2);
    CHECK_EQ_INT(scn_check_end(c), 3);
    const struct scn_failure *f = scn_check_failure(c, 0);
    if (f) {
        CHECK_STR(f->summary, "c.scn:2: expect delivered B \"hello\": B's application got "
                              "different bytes from byte 2");
        CHECK_STR(f->detail, "    expected  \"hello\"\n    actual    \"hallo\"\n"
                             "    first difference at byte 2\n");
    }
    f = scn_check_failure(c, 1);
    if (f) /* no content was fed for A: only the count can be shown */
        CHECK_STR(f->detail, "    expected  2 bytes \"hi\"\n    actual    3 bytes\n");
    f = scn_check_failure(c, 2);
    if (f)
        CHECK_STR(f->summary, "c.scn:4: expect delivered A 1000 bytes: A's application got 3 "
                              "bytes, expected 1000");
    scn_check_destroy(c);
    scn_free(s);
}

TEST(error_expectations)
{
    struct scn *s;
    struct scn_check *c = begin(t,
                                "at 0s A connect 1 -> 80\n"
                                "expect error A \"Connection REFUSED\"\n"
                                "expect error A\n"
                                "expect error A \"timed out\"\n"
                                "expect error B\n"
                                "expect no error B\n"
                                "expect no error\n",
                                &s);
    if (!c)
        return;
    struct trace_rec e = app(20 * MS, 'A', APP_ERROR, 0, "connection refused");
    scn_check_record(c, &e);
    CHECK_EQ_INT(scn_check_end(c), 3);
    const struct scn_failure *f = scn_check_failure(c, 0);
    if (f) {
        CHECK_EQ_INT(f->line, 4);
        CHECK_STR(f->summary, "c.scn:4: expect error A \"timed out\": no matching error");
        CHECK_STR(f->detail, "    expected  an error for A containing \"timed out\"\n"
                             "    actual    A: connection refused at 20ms\n");
    }
    f = scn_check_failure(c, 1);
    if (f)
        CHECK_STR(f->detail, "    expected  an error for B\n    actual    no error\n");
    f = scn_check_failure(c, 2);
    if (f)
        CHECK_STR(f->summary, "c.scn:7: expect no error: error A: connection refused at 20ms");
    scn_check_destroy(c);
    scn_free(s);
}

TEST(records_after_end_are_ignored_and_end_is_idempotent)
{
    struct scn *s;
    struct scn_check *c = begin(t, "at 0s B listen 80\nexpect final B LISTEN\n", &s);
    if (!c)
        return;
    struct trace_rec a = st(0, 'B', 0, TCP_CLOSED, TCP_LISTEN, "listen");
    scn_check_record(c, &a);
    CHECK_EQ_INT(scn_check_end(c), 0);
    struct trace_rec b = st(1, 'B', 0, TCP_LISTEN, TCP_CLOSED, "close");
    scn_check_record(c, &b);
    CHECK_EQ_INT(scn_check_end(c), 0);
    CHECK_EQ_INT(scn_check_failure_count(c), 0);
    scn_check_destroy(c);
    scn_check_destroy(NULL);
    scn_free(s);
}

TEST(records_without_a_host_are_harmless)
{
    struct scn *s;
    struct scn_check *c = begin(t, "at 0s B listen 80\nexpect count tx = 0\n", &s);
    if (!c)
        return;
    struct trace_rec cap = rec_base(5, TR_CAPTION, 0, -1);
    struct trace_rec odd = tx(6, 'Z', -1, SEG_SYN, 0, 0, 0, FATE_DELIVERED);
    scn_check_record(c, &cap);
    scn_check_record(c, &odd);
    scn_check_deliver(c, 'Q', (const uint8_t *)"x", 1);
    CHECK_EQ_INT(scn_check_end(c), 0);
    scn_check_destroy(c);
    scn_free(s);
}

int main(void)
{
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, handshake_meets_every_expectation);
    RUN_TEST(&ctx, segment_mismatch_shows_both_lines_aligned);
    RUN_TEST(&ctx, segment_ack_mismatch);
    RUN_TEST(&ctx, missing_segments);
    RUN_TEST(&ctx, state_failures_say_what_the_host_was);
    RUN_TEST(&ctx, count_failure);
    RUN_TEST(&ctx, retransmissions_and_drops);
    RUN_TEST(&ctx, a_reused_socket_number_is_a_new_connection);
    RUN_TEST(&ctx, host_state_follows_the_newest_connection);
    RUN_TEST(&ctx, expect_at_is_decided_before_later_records);
    RUN_TEST(&ctx, delivered_bytes_and_content);
    RUN_TEST(&ctx, delivered_failures);
    RUN_TEST(&ctx, error_expectations);
    RUN_TEST(&ctx, records_after_end_are_ignored_and_end_is_idempotent);
    RUN_TEST(&ctx, records_without_a_host_are_harmless);
    return test_finish(&ctx);
}
