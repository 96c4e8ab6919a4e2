/* test_closed_listen.c: reference cases C10-C15 (Part B, CLOSED and LISTEN): segments fed to a
 * port without a TCB or to a listener, and the exact replies in packetdrill's relative numbers. */
#include "tcp_harness.h"
#include "testlib.h"

#define OUT(h, fl, s, e, a) CHECK(h_expect((h), (fl), (s), (e), (a)))
#define NONE(h) CHECK(h_expect_none(h))

/* A closed port: the reply to one segment, then still no socket. */
static void closed_reply(struct test_ctx *t, const char *in, uint32_t s, uint32_t e, uint32_t a,
                         const char *out, uint32_t os, uint32_t oe, uint32_t oa)
{
    struct harness h;
    h_init(&h, PROFILE_RFC9293);
    h_in(&h, in, s, e, a, 32767);
    const struct h_out *o = h_peek(&h);
    CHECK(o && o->wnd == 0);
    OUT(&h, out, os, oe, oa);
    NONE(&h);
    CHECK_EQ_INT(h_state(&h), TCP_CLOSED);
    CHECK_EQ_U64(h_socks(&h), 0);
    h_finish(&h);
}

TEST(test_C10_closed_port_no_ack_bit)
{
    /* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, SEG.LEN counting payload, SYN and FIN */
    closed_reply(t, "S", 0, 0, 0, "R.", 0, 0, 1);  /* a */
    closed_reply(t, "S", 0, 3, 0, "R.", 0, 0, 4);  /* b */
    closed_reply(t, "SF", 0, 0, 0, "R.", 0, 0, 2); /* c */
    closed_reply(t, "F", 0, 3, 0, "R.", 0, 0, 4);  /* d */
}

TEST(test_C11_closed_port_ack_bit)
{
    /* <SEQ=SEG.ACK><CTL=RST>: no ACK bit, the ack value copied unchecked */
    closed_reply(t, ".", 17, 17, 34, "R", 34, 34, 0);  /* a */
    closed_reply(t, ".", 17, 20, 34, "R", 34, 34, 0);  /* b */
    closed_reply(t, "S.", 17, 17, 34, "R", 34, 34, 0); /* c */
    closed_reply(t, "F.", 17, 20, 34, "R", 34, 34, 0); /* d */

    /* e (Linux): after LAST-ACK -> CLOSED the same 4-tuple answers with a RST */
    struct harness h;
    h_init(&h, PROFILE_LINUX);
    h_listen(&h);
    h_in(&h, "S", 0, 0, 0, 32792);
    OUT(&h, "S.", 0, 0, 1);
    h_in(&h, ".", 1, 1, 1, 257);
    h_in(&h, "F.", 1, 1, 1, 257);
    OUT(&h, ".", 1, 1, 2);
    h_close(&h);
    OUT(&h, "F.", 1, 1, 2);
    h_in(&h, ".", 2, 2, 2, 257);
    NONE(&h);
    CHECK(rec_has_state(&h.rec, 'B', TCP_LAST_ACK, TCP_CLOSED));
    h_in(&h, ".", 2, 2, 2, 257);
    OUT(&h, "R", 2, 2, 0);
    CHECK_EQ_INT(h_state(&h), TCP_LISTEN); /* the listener alone remains */
    h_finish(&h);
}

/* The probe that a listener is unchanged: a SYN gets its SYN+ACK. */
static void probe_listen(struct test_ctx *t, struct harness *h, uint32_t peer_seq)
{
    h_in(h, "S", peer_seq, peer_seq, 0, 32767);
    OUT(h, "S.", 0, 0, peer_seq + 1);
    CHECK_EQ_INT(h_state(h), TCP_SYN_RECEIVED);
}

TEST(test_C12_no_reply_in_closed_or_listen)
{
    struct harness h;
    /* a: CLOSED, RSTs draw nothing */
    h_init(&h, PROFILE_RFC9293);
    h_in(&h, "R", 0, 0, 0, 0);
    h_in(&h, "R", 0, 3, 0, 0);
    NONE(&h);
    h_listen(&h);
    probe_listen(t, &h, 0);
    h_finish(&h);

    /* b: LISTEN + RST */
    h_init(&h, PROFILE_RFC9293);
    h_listen(&h);
    h_in(&h, "R", 0, 0, 0, 0);
    NONE(&h);
    CHECK_EQ_INT(h_state(&h), TCP_LISTEN);
    probe_listen(t, &h, 0);
    h_finish(&h);

    /* c: LISTEN + RST,ACK */
    h_init(&h, PROFILE_RFC9293);
    h_listen(&h);
    h_in(&h, "R.", 17, 17, 34, 0);
    NONE(&h);
    probe_listen(t, &h, 0);
    h_finish(&h);

    /* d: LISTEN + FIN without ACK: dropped ("fourth: other text or control") */
    h_init(&h, PROFILE_RFC9293);
    h_listen(&h);
    h_in(&h, "F", 17, 17, 0, 32767);
    NONE(&h);
    h_after(&h, sim_s(1));
    probe_listen(t, &h, 27);
    h_finish(&h);

    /* e (Linux): SYN+RST is a RST first: ignored */
    for (int variant = 0; variant < 2; variant++) {
        h_init(&h, PROFILE_LINUX);
        h_listen(&h);
        h_in(&h, variant == 0 ? "SR" : "-", 0, 0, 0, 32767); /* f: no flags at all */
        NONE(&h);
        CHECK_EQ_INT(h_state(&h), TCP_LISTEN);
        probe_listen(t, &h, 0);
        h_in(&h, ".", 1, 1, 1, 32767);
        CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
        CHECK_EQ_U64(rec_count_app(&h.rec, 'B', APP_ACCEPT), 1);
        NONE(&h);
        h_finish(&h);
    }
}

TEST(test_C13_listen_syn)
{
    struct harness h;
    /* a */
    h_init(&h, PROFILE_RFC9293);
    h_listen(&h);
    h_in(&h, "S", 17, 17, 0, 32767);
    const struct h_out *o = h_peek(&h);
    CHECK(o && o->wnd == 65535 && o->mss == 1460);
    OUT(&h, "S.", 0, 0, 18);
    CHECK_EQ_INT(h_state(&h), TCP_SYN_RECEIVED);
    CHECK_EQ_U64(h_socks(&h), 2); /* the listener keeps listening beside the child */
    h_finish(&h);

    /* b: SYN with 3 bytes: the SYN+ACK acknowledges the SYN only; the bytes are queued and
     * delivered (and acknowledged) once ESTABLISHED */
    h_init(&h, PROFILE_RFC9293);
    h_listen(&h);
    h_in(&h, "S", 17, 20, 0, 32767);
    OUT(&h, "S.", 0, 0, 18);
    CHECK_EQ_U64(h.ndata, 0);
    h_in(&h, ".", 21, 21, 1, 32767);
    CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
    CHECK_EQ_U64(h.ndata, 3);
    OUT(&h, ".", 1, 1, 21);
    NONE(&h);
    h_finish(&h);

    /* c (Linux) */
    h_init(&h, PROFILE_LINUX);
    h_listen(&h);
    h_in(&h, "S", 0, 0, 0, 32767);
    OUT(&h, "S.", 0, 0, 1);
    h_in(&h, ".", 1, 1, 1, 32767);
    CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
    CHECK_EQ_U64(rec_count_app(&h.rec, 'B', APP_ACCEPT), 1);
    NONE(&h);
    h_finish(&h);
}

TEST(test_C14_listen_ack_rst_listener_survives)
{
    for (int prof = 0; prof < 2; prof++) {
        struct harness h;
        /* a */
        h_init(&h, prof ? PROFILE_LINUX : PROFILE_RFC9293);
        h_listen(&h);
        h_in(&h, ".", 17, 17, 34, 32767);
        const struct h_out *o = h_peek(&h);
        CHECK(o && o->wnd == 0);
        OUT(&h, "R", 34, 34, 0);
        h_in(&h, ".", 17, 20, 34, 32767);
        OUT(&h, "R", 34, 34, 0);
        CHECK_EQ_INT(h_state(&h), TCP_LISTEN);
        h_finish(&h);

        /* b, c (GPD-hist, Linux) */
        h_init(&h, prof ? PROFILE_LINUX : PROFILE_RFC9293);
        h_listen(&h);
        h_at(&h, sim_ms(100));
        h_in(&h, ".", 0, 0, 0, 32792);
        OUT(&h, "R", 0, 0, 0);
        CHECK(h.out[h.cursor - 1].t == sim_ms(100));
        CHECK_EQ_INT(h_state(&h), TCP_LISTEN);
        h_at(&h, sim_ms(200));
        h_in(&h, "S", 0, 0, 0, 32792);
        o = h_peek(&h);
        CHECK(o && o->mss == 1460 && o->t == sim_ms(200));
        OUT(&h, "S.", 0, 0, 1);
        h_at(&h, sim_ms(300));
        h_in(&h, ".", 1, 1, 1, 320);
        CHECK_EQ_INT(h_state(&h), TCP_ESTABLISHED);
        CHECK_EQ_U64(rec_count_app(&h.rec, 'B', APP_ACCEPT), 1);
        h_finish(&h);
    }
}

TEST(test_C15_listen_synack)
{
    /* Divergence 3: RFC 9293 and Linux answer a SYN+ACK in LISTEN with a RST (both profiles);
     * FreeBSD would drop it. */
    for (int prof = 0; prof < 2; prof++) {
        struct harness h;
        h_init(&h, prof ? PROFILE_LINUX : PROFILE_RFC9293);
        h_listen(&h);
        h_at(&h, sim_ms(100));
        h_in(&h, "S.", 0, 0, 0, 32792); /* a: ack field 0 */
        OUT(&h, "R", 0, 0, 0);
        h_in(&h, "S.", 17, 17, 34, 32792); /* b */
        OUT(&h, "R", 34, 34, 0);
        CHECK_EQ_INT(h_state(&h), TCP_LISTEN);
        h_in(&h, "S", 0, 0, 0, 32792); /* c */
        OUT(&h, "S.", 0, 0, 1);
        NONE(&h);
        h_finish(&h);
    }
}

int main(void)
{
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, test_C10_closed_port_no_ack_bit);
    RUN_TEST(&ctx, test_C11_closed_port_ack_bit);
    RUN_TEST(&ctx, test_C12_no_reply_in_closed_or_listen);
    RUN_TEST(&ctx, test_C13_listen_syn);
    RUN_TEST(&ctx, test_C14_listen_ack_rst_listener_survives);
    RUN_TEST(&ctx, test_C15_listen_synack);
    return test_finish(&ctx);
}
