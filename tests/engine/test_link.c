/* test_link.c: unit tests of the link impairment model (sim/link.c): each impairment's statistics
 * over 100,000 segments at fixed seeds, exact queue and rate arithmetic, scripted faults,
 * independence of the impairments' draws and determinism. Suite 'engine'. */
#include <stdio.h>
#include <stdlib.h>

#include "link.h"
#include "testlib.h"

#define N 100000

static uint8_t payload[SEG_MAX_PAYLOAD];

static struct segment make_seg(uint8_t flags, uint16_t len)
{
    struct segment s = {
        .src_addr = 0x0a000001, .dst_addr = 0x0a000002, .src_port = 40000, .dst_port = 80,
        .seq = 1000, .ack = 2000, .flags = flags, .wnd = 65535, .len = len,
        .flipped_bit = -1, .data = len ? payload : NULL,
    };
    return s;
}

static struct link_params params(void)
{
    struct link_params p;
    memset(&p, 0, sizeof p);
    p.delay = sim_ms(10);
    return p;
}

/* Offers one data segment (100 bytes: IPv4 packet of 140) every `gap` starting at 0. */
static void offer_stream(struct link *l, size_t count, sim_time gap, struct link_verdict *v)
{
    struct segment s = make_seg(SEG_ACK | SEG_PSH, 100);
    for (size_t i = 0; i < count; i++)
        link_offer(l, &s, (uint32_t)(1 + 100 * i), 1, (sim_time)i * gap, &v[i]);
}

static struct link_verdict *verdicts(void)
{
    struct link_verdict *v = calloc(N, sizeof *v);
    if (!v) {
        fprintf(stderr, "test_link: out of memory\n");
        exit(2);
    }
    return v;
}

static size_t count_fate(const struct link_verdict *v, size_t n, enum seg_fate f)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += v[i].fate == f;
    return k;
}

static bool note_has(const struct link_verdict *v, const char *text)
{
    return strstr(v->note, text) != NULL;
}

TEST(test_clean_link_delivers_after_delay)
{
    struct link l;
    struct link_params p = params();
    link_init(&l, 0, 1, &p);
    struct link_verdict *v = verdicts();
    offer_stream(&l, 1000, sim_ms(1), v);
    for (size_t i = 0; i < 1000; i++) {
        CHECK_EQ_INT(v[i].fate, FATE_DELIVERED);
        CHECK_STR(v[i].note, "");
        CHECK_EQ_INT(v[i].ncopies, 1);
        CHECK_EQ_INT(v[i].depart, (sim_time)i * sim_ms(1));
        CHECK_EQ_INT(v[i].copy[0].arrive, (sim_time)i * sim_ms(1) + sim_ms(10));
        CHECK_EQ_INT(v[i].copy[0].flipped_bit, -1);
    }
    free(v);
    link_finish(&l);
}

TEST(test_bernoulli_loss_rate)
{
    struct link l;
    struct link_params p = params();
    p.loss = (struct ratio){ 1, 10 };
    link_init(&l, 0, 2, &p);
    struct link_verdict *v = verdicts();
    offer_stream(&l, N, sim_us(100), v);
    size_t lost = count_fate(v, N, FATE_DROPPED);
    CHECK_NEAR(lost, N / 10, 0.03); /* 3 standard deviations are 2.8% */
    CHECK_EQ_INT(count_fate(v, N, FATE_DELIVERED), N - lost);
    for (size_t i = 0; i < N; i++) {
        if (v[i].fate == FATE_DROPPED) {
            CHECK_STR(v[i].note, "loss: bernoulli 10%");
            CHECK_EQ_INT(v[i].ncopies, 0);
        }
    }
    /* Percentages print exactly, with at most three decimals. */
    const struct {
        struct ratio r;
        const char *note;
    } cases[] = {
        { { 1, 3 }, "loss: bernoulli 33.333%" }, { { 1, 200 }, "loss: bernoulli 0.5%" },
        { { 1, 8 }, "loss: bernoulli 12.5%" },   { { 2, 3 }, "loss: bernoulli 66.667%" },
        { { 5, 5 }, "loss: bernoulli 100%" },    { { 1, 100000 }, "loss: bernoulli 0.001%" },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        p.loss = cases[c].r;
        link_set_params(&l, &p);
        struct link_verdict one = { 0 };
        struct segment s = make_seg(SEG_ACK, 0);
        for (int k = 0; k < 1000000 && one.fate != FATE_DROPPED; k++)
            link_offer(&l, &s, 0, 0, sim_s(10), &one);
        CHECK_STR(one.note, cases[c].note);
    }
    free(v);
    link_finish(&l);
}

/* Runs of consecutive drops: their number and mean length. */
static double mean_burst(const struct link_verdict *v, size_t n, size_t *bursts)
{
    size_t runs = 0, lost = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].fate != FATE_DROPPED)
            continue;
        lost++;
        if (i == 0 || v[i - 1].fate != FATE_DROPPED)
            runs++;
    }
    *bursts = runs;
    return runs ? (double)lost / (double)runs : 0;
}

TEST(test_gilbert_elliott_bursts)
{
    struct link l;
    struct link_params p = params();
    p.loss = (struct ratio){ 5, 100 };
    p.ge_burst = (struct ratio){ 4, 1 };
    link_init(&l, 1, 3, &p);
    /* P(good->bad) = L/(B(1-L)) = 0.05/(4*0.95) = 1/76 exactly; P(bad->good) = 1/4. */
    CHECK_EQ_U64(l.ge_to_bad.num, 1);
    CHECK_EQ_U64(l.ge_to_bad.den, 76);
    CHECK_EQ_U64(l.ge_to_good.num, 1);
    CHECK_EQ_U64(l.ge_to_good.den, 4);
    struct link_verdict *v = verdicts();
    offer_stream(&l, N, sim_us(100), v);
    size_t lost = count_fate(v, N, FATE_DROPPED), bursts;
    double burst = mean_burst(v, N, &bursts);
    /* Losses are correlated (variance about 6.6 times Bernoulli's): 10% is about 3 sigma. */
    CHECK_NEAR(lost, N / 20, 0.10);
    CHECK_NEAR(burst, 4.0, 0.10);
    CHECK(bursts > 1000);
    for (size_t i = 0; i < N; i++)
        if (v[i].fate == FATE_DROPPED)
            CHECK_STR(v[i].note, "loss: gilbert-elliott burst (bad state)");
    /* The same loss rate as Bernoulli loss has bursts of about 1/(1-L) = 1.05. */
    struct link b;
    struct link_params pb = params();
    pb.loss = (struct ratio){ 5, 100 };
    link_init(&b, 1, 3, &pb);
    offer_stream(&b, N, sim_us(100), v);
    CHECK_NEAR(mean_burst(v, N, &bursts), 1.0 / 0.95, 0.05);
    link_finish(&b);

    /* A fractional burst (2.5 segments) and the edges: loss 0 never, loss 100% always. */
    p.ge_burst = (struct ratio){ 5, 2 };
    p.loss = (struct ratio){ 1, 10 };
    link_set_params(&l, &p);
    CHECK_EQ_U64(l.ge_to_good.num, 2);
    CHECK_EQ_U64(l.ge_to_good.den, 5);
    offer_stream(&l, N, sim_us(100), v);
    CHECK_NEAR(count_fate(v, N, FATE_DROPPED), N / 10, 0.10);
    CHECK_NEAR(mean_burst(v, N, &bursts), 2.5, 0.10);
    p.loss = (struct ratio){ 0, 1 };
    link_set_params(&l, &p);
    offer_stream(&l, 1000, sim_us(100), v);
    CHECK_EQ_INT(count_fate(v, 1000, FATE_DROPPED), 0);
    p.loss = (struct ratio){ 1, 1 };
    link_set_params(&l, &p);
    offer_stream(&l, 1000, sim_us(100), v);
    CHECK_EQ_INT(count_fate(v, 1000, FATE_DROPPED), 1000);
    /* Switching Gilbert-Elliott off leaves the bad state behind. */
    p.ge_burst = (struct ratio){ 0, 0 };
    p.loss = (struct ratio){ 0, 0 };
    link_set_params(&l, &p);
    CHECK(!l.ge_bad);
    offer_stream(&l, 100, sim_us(100), v);
    CHECK_EQ_INT(count_fate(v, 100, FATE_DELIVERED), 100);
    free(v);
    link_finish(&l);
}

TEST(test_duplicate_rate)
{
    struct link l;
    struct link_params p = params();
    p.dup = (struct ratio){ 5, 100 };
    link_init(&l, 0, 4, &p);
    struct link_verdict *v = verdicts();
    offer_stream(&l, N, sim_us(100), v);
    size_t dups = count_fate(v, N, FATE_DUPLICATED);
    CHECK_NEAR(dups, N / 20, 0.05); /* 3 sigma: 4.1% */
    for (size_t i = 0; i < N; i++) {
        CHECK_EQ_INT(v[i].ncopies, v[i].fate == FATE_DUPLICATED ? 2 : 1);
        if (v[i].fate == FATE_DUPLICATED) {
            CHECK_STR(v[i].note, "duplicate: 5%");
            CHECK_EQ_INT(v[i].copy[1].arrive, v[i].copy[0].arrive); /* no jitter */
            CHECK_EQ_INT(v[i].copy[1].flipped_bit, -1);
        }
    }
    free(v);
    link_finish(&l);
}

TEST(test_corruption_flips_one_wire_bit)
{
    struct link l;
    struct link_params p = params();
    p.corrupt = (struct ratio){ 1, 100 };
    link_init(&l, 0, 5, &p);
    struct link_verdict *v = verdicts();
    offer_stream(&l, N, sim_us(100), v);
    CHECK_NEAR(count_fate(v, N, FATE_CORRUPTED), N / 100, 0.10); /* 3 sigma: 9.4% */
    struct segment s = make_seg(SEG_ACK | SEG_PSH, 100);
    for (size_t i = 0; i < 100; i++)
        payload[i] = (uint8_t)(i * 7);
    seg_set_checksum(&s);
    CHECK(seg_checksum_ok(&s));
    const int32_t bits = (int32_t)seg_wire_len(&s) * 8;
    int32_t lo = bits, hi = -1;
    for (size_t i = 0; i < N; i++) {
        int32_t b = v[i].copy[0].flipped_bit;
        if (v[i].fate != FATE_CORRUPTED) {
            CHECK_EQ_INT(b, -1);
            continue;
        }
        CHECK(b >= 0 && b < bits);
        char want[64];
        snprintf(want, sizeof want, "corrupt: bit %ld flipped", (long)b);
        CHECK_STR(v[i].note, want);
        lo = b < lo ? b : lo;
        hi = b > hi ? b : hi;
        /* The receiver's checksum check catches it. */
        s.flipped_bit = b;
        CHECK(!seg_checksum_ok(&s));
    }
    /* Bits are chosen across the whole image: header and payload. */
    CHECK(lo < 16 && hi > bits - 16);
    free(v);
    link_finish(&l);
}

TEST(test_reordered_segments_are_overtaken)
{
    struct link l;
    struct link_params p = params();
    p.reorder = (struct ratio){ 1, 10 };
    p.reorder_delay = sim_ms(30);
    link_init(&l, 0, 6, &p);
    struct link_verdict *v = verdicts();
    offer_stream(&l, N, sim_ms(1), v);
    size_t held = count_fate(v, N, FATE_REORDERED), overtaken = 0;
    CHECK_NEAR(held, N / 10, 0.03);
    for (size_t i = 0; i + 1 < N; i++) {
        if (v[i].fate != FATE_REORDERED)
            continue;
        CHECK_STR(v[i].note, "reorder: held 30ms");
        CHECK_EQ_INT(v[i].copy[0].arrive, (sim_time)i * sim_ms(1) + sim_ms(10) + sim_ms(30));
        /* The next segment, sent 1 ms later, arrives first unless it was held too. */
        if (v[i + 1].fate != FATE_REORDERED) {
            CHECK(v[i + 1].copy[0].arrive < v[i].copy[0].arrive);
            overtaken++;
        }
    }
    CHECK(overtaken > held * 8 / 10);
    free(v);
    link_finish(&l);
}

TEST(test_serialisation_times_exact)
{
    struct link l;
    struct link_params p = params();
    p.rate_bps = 1000000;
    link_init(&l, 0, 7, &p);
    struct link_verdict v[4];
    /* 100 payload bytes: TCP 120 + IPv4 20 = 140 bytes = 1120 bits = 1.12 ms at 1 Mbit/s. */
    struct segment s = make_seg(SEG_ACK, 100);
    link_offer(&l, &s, 0, 0, 0, &v[0]);
    CHECK_EQ_INT(v[0].depart, 1120000);
    CHECK_EQ_INT(v[0].copy[0].arrive, 1120000 + sim_ms(10));
    /* Back to back: the second waits for the first. */
    link_offer(&l, &s, 0, 0, 0, &v[1]);
    CHECK_EQ_INT(v[1].depart, 2240000);
    /* An idle wire: starts at once. */
    link_offer(&l, &s, 0, 0, sim_ms(5), &v[2]);
    CHECK_EQ_INT(v[2].depart, sim_ms(5) + 1120000);
    /* A SYN with the MSS option: 24 + 20 = 44 bytes = 352 bits; at 3 Mbit/s 117333.3 ns,
     * rounded up to 117334 (a bit never leaves early). */
    p.rate_bps = 3000000;
    link_set_params(&l, &p);
    struct segment syn = make_seg(SEG_SYN, 0);
    syn.mss = 1460;
    link_offer(&l, &syn, 0, 0, sim_ms(20), &v[3]);
    CHECK_EQ_INT(v[3].depart, sim_ms(20) + 117334);
    /* 10 Gbit/s: 140 bytes in 112 ns. */
    p.rate_bps = 10000000000u;
    link_set_params(&l, &p);
    link_offer(&l, &s, 0, 0, sim_ms(30), &v[0]);
    CHECK_EQ_INT(v[0].depart, sim_ms(30) + 112);
    link_finish(&l);
}

TEST(test_queue_tail_drop_exact)
{
    struct link l;
    struct link_params p = params();
    p.rate_bps = 1000000; /* 1.12 ms per 140-byte packet */
    p.queue_limit = 100;
    link_init(&l, 0, 8, &p);
    struct link_verdict *v = verdicts();
    /* A burst of 1000 at time 0: one goes on the wire, 100 wait, 899 are refused. */
    offer_stream(&l, 1000, 0, v);
    CHECK_EQ_INT(count_fate(v, 1000, FATE_DELIVERED), 101);
    CHECK_EQ_INT(count_fate(v, 1000, FATE_DROPPED), 899);
    for (size_t i = 0; i < 1000; i++) {
        if (i <= 100)
            CHECK_EQ_INT(v[i].depart, (sim_time)(i + 1) * 1120000);
        else
            CHECK_STR(v[i].note, "queue full 100/100");
    }
    CHECK_EQ_INT(link_queue_len(&l, 0), 100);
    /* Segment k (1-based) of the waiting ones starts at k * 1.12 ms. */
    CHECK_EQ_INT(link_queue_len(&l, 1120000 - 1), 100);
    CHECK_EQ_INT(link_queue_len(&l, 1120000), 99);
    CHECK_EQ_INT(link_queue_len(&l, 50 * 1120000), 50);
    CHECK_EQ_INT(link_queue_len(&l, 100 * 1120000), 0);
    link_finish(&l);

    /* Steady overload: one segment every 0.56 ms, twice what the wire carries. The backlog
     * reaches 100 at arrival 201; from then on every odd-numbered arrival finds it full. With
     * 10,001 arrivals (0..10000) that is the odd numbers 201..9999: 4900 drops. */
    link_init(&l, 0, 8, &p);
    offer_stream(&l, 10001, 560000, v);
    CHECK_EQ_INT(count_fate(v, 10001, FATE_DROPPED), 4900);
    for (size_t i = 0; i < 10001; i++)
        CHECK_EQ_INT(v[i].fate, i >= 201 && i % 2 ? FATE_DROPPED : FATE_DELIVERED);
    /* Departures stay back to back: accepted segment k leaves at (k + 1) * 1.12 ms. */
    size_t k = 0;
    for (size_t i = 0; i < 10001; i++)
        if (v[i].fate == FATE_DELIVERED)
            CHECK_EQ_INT(v[i].depart, (sim_time)(++k) * 1120000);
    /* Memory follows the limit, not the number of segments offered. */
    CHECK(l.q_cap <= 100);
    link_finish(&l);

    /* Unlimited: nothing is refused; lowering the limit mid-run refuses the next arrival. */
    p.queue_limit = 0;
    link_init(&l, 0, 8, &p);
    offer_stream(&l, 500, 0, v);
    CHECK_EQ_INT(count_fate(v, 500, FATE_DELIVERED), 500);
    CHECK_EQ_INT(link_queue_len(&l, 0), 499);
    p.queue_limit = 10;
    link_set_params(&l, &p);
    struct segment s = make_seg(SEG_ACK, 100);
    link_offer(&l, &s, 0, 0, 0, &v[0]);
    CHECK_STR(v[0].note, "queue full 499/10");
    link_offer(&l, &s, 0, 0, 489 * 1120000, &v[0]); /* 10 still waiting */
    CHECK_EQ_INT(v[0].fate, FATE_DROPPED);
    link_offer(&l, &s, 0, 0, 490 * 1120000, &v[0]); /* 9 waiting: accepted */
    CHECK_EQ_INT(v[0].fate, FATE_DELIVERED);
    CHECK_EQ_INT(v[0].depart, 501 * 1120000);
    free(v);
    link_finish(&l);
}

TEST(test_mtu_drops)
{
    struct link l;
    struct link_params p = params();
    p.mtu = 576;
    link_init(&l, 0, 9, &p);
    struct link_verdict v;
    struct segment fits = make_seg(SEG_ACK, 536); /* 20 + 20 + 536 = 576 */
    struct segment big = make_seg(SEG_ACK, 537);
    struct segment syn = make_seg(SEG_SYN, 533); /* 20 + 24 + 533 = 577 */
    syn.mss = 536;
    link_offer(&l, &fits, 0, 0, 0, &v);
    CHECK_EQ_INT(v.fate, FATE_DELIVERED);
    link_offer(&l, &big, 0, 0, 0, &v);
    CHECK_EQ_INT(v.fate, FATE_DROPPED);
    CHECK_EQ_INT(v.ncopies, 0);
    CHECK_STR(v.note, "exceeds MTU 576");
    link_offer(&l, &syn, 0, 0, 0, &v);
    CHECK_STR(v.note, "exceeds MTU 576");
    p.mtu = 0;
    link_set_params(&l, &p);
    link_offer(&l, &big, 0, 0, 0, &v);
    CHECK_EQ_INT(v.fate, FATE_DELIVERED);
    link_finish(&l);
}

TEST(test_link_down_drops_everything)
{
    struct link l;
    struct link_params p = params();
    p.down = true;
    p.dup = (struct ratio){ 1, 1 };
    link_init(&l, 0, 10, &p);
    struct link_verdict *v = verdicts();
    offer_stream(&l, 1000, sim_ms(1), v);
    CHECK_EQ_INT(count_fate(v, 1000, FATE_DROPPED), 1000);
    for (size_t i = 0; i < 1000; i++) {
        CHECK_STR(v[i].note, "link down");
        CHECK_EQ_INT(v[i].ncopies, 0);
    }
    p.down = false;
    link_set_params(&l, &p);
    offer_stream(&l, 10, sim_ms(1), v);
    CHECK_EQ_INT(count_fate(v, 10, FATE_DUPLICATED), 10);
    free(v);
    link_finish(&l);
}

static struct fault fault(uint8_t flags, enum fault_action action, uint32_t nth, const char *label)
{
    struct fault f;
    memset(&f, 0, sizeof f);
    f.flags_set = flags;
    f.action = action;
    f.nth = nth;
    snprintf(f.label, sizeof f.label, "%s", label);
    return f;
}

TEST(test_fault_flags_and_nth)
{
    struct link l;
    struct link_params p = params();
    link_init(&l, 1, 11, &p);
    struct fault f = fault(SEG_SYN | SEG_ACK, FAULT_DROP, 1, "drop B>A SYN+ACK nth 1");
    CHECK(link_add_fault(&l, &f));
    struct segment syn = make_seg(SEG_SYN, 0), synack = make_seg(SEG_SYN | SEG_ACK, 0);
    struct link_verdict v;
    link_offer(&l, &syn, 0, 0, 0, &v);
    CHECK_EQ_INT(v.fate, FATE_DELIVERED);
    link_offer(&l, &synack, 0, 0, 0, &v);
    CHECK_EQ_INT(v.fate, FATE_DROPPED);
    CHECK_EQ_INT(v.ncopies, 0);
    CHECK_STR(v.note, "script: drop B>A SYN+ACK nth 1");
    link_offer(&l, &synack, 0, 0, 0, &v); /* the second one passes */
    CHECK_EQ_INT(v.fate, FATE_DELIVERED);
    link_finish(&l);

    /* flags_set is a subset test; flags_exact asks for exactly those flags. */
    link_init(&l, 0, 11, &p);
    f = fault(SEG_ACK, FAULT_DROP, 0, "drop every pure ACK");
    f.flags_exact = 1;
    CHECK(link_add_fault(&l, &f));
    f = fault(SEG_FIN, FAULT_DROP, 3, "drop 3rd FIN");
    CHECK(link_add_fault(&l, &f));
    struct segment ack = make_seg(SEG_ACK, 0), data = make_seg(SEG_ACK | SEG_PSH, 10);
    struct segment fin = make_seg(SEG_FIN | SEG_ACK, 0);
    link_offer(&l, &data, 0, 0, 0, &v);
    CHECK_EQ_INT(v.fate, FATE_DELIVERED);
    for (int i = 0; i < 3; i++) {
        link_offer(&l, &ack, 0, 0, 0, &v);
        CHECK_STR(v.note, "script: drop every pure ACK");
    }
    const enum seg_fate fin_fates[] = { FATE_DELIVERED, FATE_DELIVERED, FATE_DROPPED,
                                        FATE_DELIVERED };
    for (int i = 0; i < 4; i++) {
        link_offer(&l, &fin, 0, 0, 0, &v);
        CHECK_EQ_INT(v.fate, fin_fates[i]);
    }
    CHECK_EQ_INT(l.faults[1].seen, 4);
    link_finish(&l);

    /* Matches are counted even while the link is down: "nth" is the nth segment sent. */
    link_init(&l, 0, 11, &p);
    f = fault(SEG_SYN, FAULT_DROP, 2, "drop 2nd SYN");
    CHECK(link_add_fault(&l, &f));
    p.down = true;
    link_set_params(&l, &p);
    link_offer(&l, &syn, 0, 0, 0, &v);
    CHECK_STR(v.note, "link down");
    p.down = false;
    link_set_params(&l, &p);
    link_offer(&l, &syn, 0, 0, 0, &v);
    CHECK_STR(v.note, "script: drop 2nd SYN");
    link_finish(&l);

    /* At most LINK_MAX_FAULTS. */
    link_init(&l, 0, 11, &p);
    for (int i = 0; i < LINK_MAX_FAULTS; i++)
        CHECK(link_add_fault(&l, &f));
    CHECK(!link_add_fault(&l, &f));
    link_finish(&l);
}

TEST(test_fault_seq_ack_len)
{
    struct link l;
    struct link_params p = params();
    link_init(&l, 0, 12, &p);
    struct fault f = fault(0, FAULT_DROP, 0, "drop seq 101");
    f.match_seq = true;
    f.rel_seq = 101;
    CHECK(link_add_fault(&l, &f));
    f = fault(0, FAULT_DROP, 0, "drop ack 7");
    f.match_ack = true;
    f.rel_ack = 7;
    CHECK(link_add_fault(&l, &f));
    f = fault(SEG_ACK, FAULT_DROP, 0, "drop len 5 ack 9");
    f.match_len = true;
    f.len = 5;
    f.match_ack = true;
    f.rel_ack = 9;
    CHECK(link_add_fault(&l, &f));
    struct segment s5 = make_seg(SEG_ACK, 5), s6 = make_seg(SEG_ACK, 6);
    struct link_verdict v;
    link_offer(&l, &s6, 101, 1, 0, &v);
    CHECK_STR(v.note, "script: drop seq 101");
    link_offer(&l, &s6, 102, 1, 0, &v);
    CHECK_EQ_INT(v.fate, FATE_DELIVERED);
    link_offer(&l, &s6, 1, 7, 0, &v);
    CHECK_STR(v.note, "script: drop ack 7");
    link_offer(&l, &s6, 1, 9, 0, &v); /* len 6: no */
    CHECK_EQ_INT(v.fate, FATE_DELIVERED);
    link_offer(&l, &s5, 1, 8, 0, &v); /* ack 8: no */
    CHECK_EQ_INT(v.fate, FATE_DELIVERED);
    link_offer(&l, &s5, 1, 9, 0, &v);
    CHECK_STR(v.note, "script: drop len 5 ack 9");
    /* Two faults on one segment: both are named. */
    link_offer(&l, &s6, 101, 7, 0, &v);
    CHECK_STR(v.note, "script: drop seq 101; script: drop ack 7");
    link_finish(&l);
}

TEST(test_fault_actions)
{
    struct link l;
    struct link_params p = params();
    link_init(&l, 0, 13, &p);
    struct fault f = fault(SEG_SYN, FAULT_DELAY, 1, "delay SYN 200ms");
    f.extra_delay = sim_ms(200);
    CHECK(link_add_fault(&l, &f));
    f = fault(SEG_FIN, FAULT_DUPLICATE, 1, "duplicate FIN");
    CHECK(link_add_fault(&l, &f));
    f = fault(SEG_RST, FAULT_CORRUPT, 1, "corrupt RST");
    CHECK(link_add_fault(&l, &f));
    struct segment syn = make_seg(SEG_SYN, 0), fin = make_seg(SEG_FIN | SEG_ACK, 0);
    struct segment rst = make_seg(SEG_RST, 0);
    struct link_verdict v;
    link_offer(&l, &syn, 0, 0, sim_ms(1), &v);
    CHECK_EQ_INT(v.fate, FATE_DELIVERED);
    CHECK_STR(v.note, "script: delay SYN 200ms");
    CHECK_EQ_INT(v.copy[0].arrive, sim_ms(1) + sim_ms(10) + sim_ms(200));
    link_offer(&l, &fin, 0, 0, sim_ms(2), &v);
    CHECK_EQ_INT(v.fate, FATE_DUPLICATED);
    CHECK_EQ_INT(v.ncopies, 2);
    CHECK_STR(v.note, "script: duplicate FIN");
    CHECK_EQ_INT(v.copy[1].arrive, sim_ms(12));
    link_offer(&l, &rst, 0, 0, sim_ms(3), &v);
    CHECK_EQ_INT(v.fate, FATE_CORRUPTED);
    CHECK_EQ_INT(v.ncopies, 1);
    int32_t bit = v.copy[0].flipped_bit;
    CHECK(bit >= 0 && bit < 160);
    char want[80];
    snprintf(want, sizeof want, "script: corrupt RST (bit %ld flipped)", (long)bit);
    CHECK_STR(v.note, want);
    /* nth 1: the second ones pass untouched. */
    link_offer(&l, &syn, 0, 0, sim_ms(4), &v);
    CHECK_EQ_INT(v.copy[0].arrive, sim_ms(14));
    link_offer(&l, &rst, 0, 0, sim_ms(4), &v);
    CHECK_EQ_INT(v.fate, FATE_DELIVERED);
    link_finish(&l);
}

TEST(test_precedence_and_combined_notes)
{
    struct link l;
    struct link_params p = params();
    p.corrupt = (struct ratio){ 1, 1 };
    p.dup = (struct ratio){ 1, 1 };
    p.reorder = (struct ratio){ 1, 1 };
    p.reorder_delay = sim_ms(30);
    link_init(&l, 0, 14, &p);
    struct segment s = make_seg(SEG_ACK, 10);
    struct link_verdict v;
    link_offer(&l, &s, 0, 0, 0, &v);
    CHECK_EQ_INT(v.fate, FATE_CORRUPTED);
    CHECK_EQ_INT(v.ncopies, 2);
    char want[TRACE_NOTE_MAX];
    snprintf(want, sizeof want, "corrupt: bit %ld flipped; duplicate: 100%%; reorder: held 30ms",
             (long)v.copy[0].flipped_bit);
    CHECK_STR(v.note, want);
    /* Both copies carry the flipped bit and are both held back. */
    CHECK_EQ_INT(v.copy[1].flipped_bit, v.copy[0].flipped_bit);
    CHECK_EQ_INT(v.copy[0].arrive, sim_ms(40));
    CHECK_EQ_INT(v.copy[1].arrive, sim_ms(40));
    p.corrupt = (struct ratio){ 0, 0 };
    link_set_params(&l, &p);
    link_offer(&l, &s, 0, 0, 0, &v);
    CHECK_EQ_INT(v.fate, FATE_DUPLICATED);
    CHECK_STR(v.note, "duplicate: 100%; reorder: held 30ms");
    p.dup = (struct ratio){ 0, 0 };
    link_set_params(&l, &p);
    link_offer(&l, &s, 0, 0, 0, &v);
    CHECK_EQ_INT(v.fate, FATE_REORDERED);
    /* A drop stops the walk: nothing after it is applied or named. */
    p.loss = (struct ratio){ 1, 1 };
    p.dup = (struct ratio){ 1, 1 };
    link_set_params(&l, &p);
    link_offer(&l, &s, 0, 0, 0, &v);
    CHECK_EQ_INT(v.fate, FATE_DROPPED);
    CHECK_STR(v.note, "loss: bernoulli 100%");
    CHECK_EQ_INT(v.ncopies, 0);
    /* Scripted drop comes before the queue, MTU before the script, down before everything. */
    struct fault f = fault(SEG_ACK, FAULT_DROP, 0, "drop ACKs");
    CHECK(link_add_fault(&l, &f));
    link_offer(&l, &s, 0, 0, 0, &v);
    CHECK_STR(v.note, "script: drop ACKs");
    p.mtu = 49; /* the segment is a 50-byte IPv4 packet */
    link_set_params(&l, &p);
    link_offer(&l, &s, 0, 0, 0, &v);
    CHECK_STR(v.note, "exceeds MTU 49");
    p.down = true;
    link_set_params(&l, &p);
    link_offer(&l, &s, 0, 0, 0, &v);
    CHECK_STR(v.note, "link down");
    link_finish(&l);
}

TEST(test_jitter)
{
    struct link l;
    struct link_params p = params();
    p.jitter_kind = JITTER_UNIFORM;
    p.jitter = sim_ms(5);
    p.dup = (struct ratio){ 1, 2 };
    link_init(&l, 0, 15, &p);
    struct link_verdict *v = verdicts();
    offer_stream(&l, N, sim_us(100), v);
    double sum = 0;
    size_t differ = 0, dups = 0;
    for (size_t i = 0; i < N; i++) {
        sim_time j = v[i].copy[0].arrive - v[i].depart - sim_ms(10);
        CHECK(j >= 0 && j <= sim_ms(5));
        sum += (double)j;
        if (v[i].ncopies == 2) {
            dups++;
            differ += v[i].copy[1].arrive != v[i].copy[0].arrive;
        }
    }
    CHECK_NEAR(sum / N, 2.5e6, 0.01);
    CHECK(differ > dups * 99 / 100); /* each copy draws its own jitter */

    /* Normal: mean delay unchanged, standard deviation as given. */
    p.jitter_kind = JITTER_NORMAL;
    p.jitter = sim_ms(2);
    p.delay = sim_ms(20);
    p.dup = (struct ratio){ 0, 0 };
    link_set_params(&l, &p);
    offer_stream(&l, N, sim_us(100), v);
    double s1 = 0, s2 = 0;
    for (size_t i = 0; i < N; i++) {
        double d = (double)(v[i].copy[0].arrive - v[i].depart);
        s1 += d;
        s2 += d * d;
    }
    double mean = s1 / N, sd2 = s2 / N - mean * mean;
    CHECK_NEAR(mean, 20e6, 0.002);
    CHECK_NEAR(sd2, 4e12, 0.03);
    /* Jitter larger than the delay never makes a copy arrive before it left. */
    p.delay = sim_ms(1);
    p.jitter = sim_ms(5);
    link_set_params(&l, &p);
    offer_stream(&l, 10000, sim_us(100), v);
    size_t clamped = 0;
    for (size_t i = 0; i < 10000; i++) {
        CHECK(v[i].copy[0].arrive >= v[i].depart);
        clamped += v[i].copy[0].arrive == v[i].depart;
    }
    CHECK(clamped > 3000); /* P(N(1, 5) < 0) is about 42% */
    free(v);
    link_finish(&l);
}

/* The ordinals a run dropped for a given reason, as a 0/1 array. */
static void dropped_by(const struct link_verdict *v, size_t n, const char *why, uint8_t *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = v[i].fate == FATE_DROPPED && note_has(&v[i], why);
}

/* What one random impairment did to the segment: a value to compare between runs. */
enum imp { IMP_LOSS, IMP_DUP, IMP_CORRUPT, IMP_REORDER, IMP_JITTER, IMP_COUNT };

static int64_t effect(const struct link_verdict *v, enum imp which)
{
    switch (which) {
    case IMP_LOSS: return v->fate == FATE_DROPPED;
    case IMP_DUP: return v->ncopies == 2;
    case IMP_CORRUPT: return v->copy[0].flipped_bit;
    case IMP_REORDER: return note_has(v, "reorder:");
    case IMP_JITTER:
        return v->copy[0].arrive - v->depart - sim_ms(10) - (note_has(v, "reorder:") ? sim_ms(3) : 0);
    case IMP_COUNT: break;
    }
    return 0;
}

/* The effect of an impairment that did nothing. */
static int64_t no_effect(enum imp which)
{
    return which == IMP_CORRUPT ? -1 : 0;
}

static void impairment_on(struct link_params *p, enum imp which)
{
    switch (which) {
    case IMP_LOSS: p->loss = (struct ratio){ 1, 10 }; break;
    case IMP_DUP: p->dup = (struct ratio){ 1, 5 }; break;
    case IMP_CORRUPT: p->corrupt = (struct ratio){ 1, 20 }; break;
    case IMP_REORDER:
        p->reorder = (struct ratio){ 1, 10 };
        p->reorder_delay = sim_ms(3);
        break;
    case IMP_JITTER:
        p->jitter_kind = JITTER_NORMAL;
        p->jitter = sim_ms(1);
        break;
    case IMP_COUNT: break;
    }
}

TEST(test_impairments_are_independent)
{
    /* Each random impairment alone, then all of them together (with a rate, but no queue: a
     * queue drop would hide the later decisions): on every ordinal that survived both runs,
     * each impairment made the same decision (the same bit, the same jitter). */
    struct link_verdict *alone = verdicts(), *all = verdicts();
    struct link_params every = params();
    for (int k = 0; k < IMP_COUNT; k++)
        impairment_on(&every, (enum imp)k);
    every.rate_bps = 100000000;
    struct link l;
    link_init(&l, 0, 16, &every);
    offer_stream(&l, N, sim_ms(1), all);
    link_finish(&l);
    for (int k = 0; k < IMP_COUNT; k++) {
        struct link_params p = params();
        impairment_on(&p, (enum imp)k);
        p.rate_bps = every.rate_bps;
        link_init(&l, 0, 16, &p);
        offer_stream(&l, N, sim_ms(1), alone);
        link_finish(&l);
        size_t compared = 0, differ = 0, acted = 0;
        for (size_t i = 0; i < N; i++) {
            if (k != IMP_LOSS && (alone[i].fate == FATE_DROPPED || all[i].fate == FATE_DROPPED))
                continue;
            compared++;
            differ += effect(&alone[i], (enum imp)k) != effect(&all[i], (enum imp)k);
            acted += effect(&alone[i], (enum imp)k) != no_effect((enum imp)k);
        }
        CHECK(compared > N * 8 / 10);
        CHECK(acted > N / 50); /* the impairment did something to compare */
        if (differ)
            fprintf(stderr, "impairment %d: %zu of %zu ordinals differ\n", k, differ, compared);
        CHECK_EQ_INT(differ, 0);
    }
    /* And their decisions are uncorrelated: pairs coincide as often as chance says. */
    const struct {
        enum imp a, b;
        double pa, pb;
    } pairs[] = { { IMP_DUP, IMP_CORRUPT, 0.2, 0.05 }, { IMP_DUP, IMP_REORDER, 0.2, 0.1 },
                  { IMP_CORRUPT, IMP_REORDER, 0.05, 0.1 } };
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        size_t survivors = 0, both = 0;
        for (size_t i = 0; i < N; i++) {
            if (all[i].fate == FATE_DROPPED)
                continue;
            survivors++;
            both += effect(&all[i], pairs[k].a) != no_effect(pairs[k].a) &&
                    effect(&all[i], pairs[k].b) != no_effect(pairs[k].b);
        }
        CHECK_NEAR(both, (double)survivors * pairs[k].pa * pairs[k].pb, 0.15);
    }
    free(alone);
    free(all);
}

TEST(test_gilbert_pattern_is_independent)
{
    /* The chain advances on every segment, so segments dropped before the loss stage (every
     * third one by a script, the first thousand by a down link) do not shift which other
     * ordinals fall in a burst. */
    struct link_verdict *v = verdicts();
    uint8_t *base = calloc(N, 1), *other = calloc(N, 1);
    CHECK(base && other);
    if (!base || !other) {
        free(v);
        free(base);
        free(other);
        return;
    }
    struct link_params g = params();
    g.loss = (struct ratio){ 1, 10 };
    g.ge_burst = (struct ratio){ 3, 1 };
    struct segment plain = make_seg(SEG_ACK, 100), marked = make_seg(SEG_ACK | SEG_URG, 100);
    for (int run = 0; run < 2; run++) {
        struct link l;
        link_init(&l, 1, 17, &g);
        struct fault f = fault(SEG_URG, FAULT_DROP, 0, "drop URG");
        CHECK(link_add_fault(&l, &f));
        struct link_params down = g;
        down.down = run == 1;
        link_set_params(&l, &down);
        for (size_t i = 0; i < N; i++) {
            if (i == 1000)
                link_set_params(&l, &g);
            const struct segment *s = run == 1 && i % 3 == 0 ? &marked : &plain;
            link_offer(&l, s, 0, 0, (sim_time)i * sim_ms(1), &v[i]);
        }
        link_finish(&l);
        dropped_by(v, N, "gilbert", run == 0 ? base : other);
    }
    size_t compared = 0, differ = 0, lost = 0;
    for (size_t i = 1000; i < N; i++) {
        if (i % 3 == 0)
            continue;
        compared++;
        lost += base[i];
        differ += base[i] != other[i];
    }
    CHECK(lost > compared / 20);
    CHECK_EQ_INT(differ, 0);
    free(base);
    free(other);
    free(v);
}

static bool same_verdict(const struct link_verdict *a, const struct link_verdict *b)
{
    if (a->fate != b->fate || strcmp(a->note, b->note) != 0 || a->ncopies != b->ncopies ||
        a->depart != b->depart)
        return false;
    for (size_t c = 0; c < a->ncopies; c++)
        if (a->copy[c].arrive != b->copy[c].arrive ||
            a->copy[c].flipped_bit != b->copy[c].flipped_bit)
            return false;
    return true;
}

/* Times go up to 2^63 - 1 ns: a huge delay, reorder hold or scripted delay saturates just below
 * SIM_NEVER instead of wrapping into the past (it arrived at once before). */
TEST(test_huge_delays_saturate)
{
    struct link l;
    struct link_params p = params();
    p.delay = INT64_C(9223372036000000000);
    p.jitter_kind = JITTER_UNIFORM;
    p.jitter = INT64_MAX;
    p.reorder = (struct ratio){ 1, 1 };
    p.reorder_delay = INT64_MAX;
    link_init(&l, 0, 1, &p);
    struct fault f = { .nth = 0, .action = FAULT_DELAY, .extra_delay = INT64_MAX };
    snprintf(f.label, sizeof f.label, "delay any");
    CHECK(link_add_fault(&l, &f));
    CHECK(link_add_fault(&l, &f));
    struct segment s = make_seg(SEG_ACK, 10);
    struct link_verdict v;
    link_offer(&l, &s, 1, 1, sim_s(1), &v);
    CHECK_EQ_INT(v.ncopies, 1);
    CHECK(v.copy[0].arrive == SIM_NEVER - 1);
    link_finish(&l);
    p = params();
    p.delay = INT64_C(9223372036000000000);
    link_init(&l, 0, 1, &p);
    link_offer(&l, &s, 1, 1, sim_s(1), &v);
    CHECK(v.copy[0].arrive == SIM_NEVER - 1);
    link_offer(&l, &s, 1, 1, sim_s(2), &v);
    CHECK(v.copy[0].arrive == SIM_NEVER - 1);
    link_finish(&l);
}

/* At 1 bit/s a full-size packet takes 20 hours on the wire; 140,000 of them queued would end
 * after 2^63 ns. The backlog saturates below SIM_NEVER and departures never go back. */
TEST(test_huge_backlog_saturates)
{
    struct link l;
    struct link_params p = params();
    p.rate_bps = 1;
    link_init(&l, 0, 1, &p);
    struct segment s = make_seg(SEG_ACK, SEG_MAX_PAYLOAD);
    struct link_verdict v;
    sim_time last = 0;
    bool monotonic = true;
    for (int i = 0; i < 140000; i++) {
        link_offer(&l, &s, 1, 1, 0, &v);
        monotonic = monotonic && v.depart >= last && v.copy[0].arrive >= v.depart;
        last = v.depart;
    }
    CHECK(monotonic);
    CHECK(v.depart == SIM_NEVER - 1);
    link_finish(&l);
}

TEST(test_determinism)
{
    enum { M = 20000 };
    struct link_params p = params();
    p.loss = (struct ratio){ 1, 20 };
    p.dup = (struct ratio){ 1, 20 };
    p.corrupt = (struct ratio){ 1, 20 };
    p.reorder = (struct ratio){ 1, 20 };
    p.reorder_delay = sim_ms(5);
    p.jitter_kind = JITTER_UNIFORM;
    p.jitter = sim_ms(2);
    p.rate_bps = 2000000;
    p.queue_limit = 20;
    struct link_verdict *a = verdicts(), *b = verdicts();
    struct link la, lb;
    link_init(&la, 0, 99, &p);
    link_init(&lb, 0, 99, &p);
    offer_stream(&la, M, sim_us(500), a);
    offer_stream(&lb, M, sim_us(500), b);
    size_t same = 0;
    for (size_t i = 0; i < M; i++)
        same += same_verdict(&a[i], &b[i]);
    CHECK_EQ_INT(same, M);
    /* Every kind of fate happened, so the comparison covered them. */
    for (int f = FATE_DELIVERED; f <= FATE_REORDERED; f++)
        CHECK(count_fate(a, M, (enum seg_fate)f) > 0);
    link_finish(&la);
    link_finish(&lb);
    /* Another seed, or the other direction, gives another sequence. */
    const struct {
        int dir;
        uint64_t seed;
    } others[] = { { 0, 100 }, { 1, 99 } };
    for (size_t o = 0; o < 2; o++) {
        link_init(&lb, others[o].dir, others[o].seed, &p);
        offer_stream(&lb, M, sim_us(500), b);
        same = 0;
        for (size_t i = 0; i < M; i++)
            same += same_verdict(&a[i], &b[i]);
        CHECK(same < M * 95 / 100);
        link_finish(&lb);
    }
    free(a);
    free(b);
}

int main(void)
{
    struct test_ctx ctx = { 0 };
    RUN_TEST(&ctx, test_clean_link_delivers_after_delay);
    RUN_TEST(&ctx, test_bernoulli_loss_rate);
    RUN_TEST(&ctx, test_gilbert_elliott_bursts);
    RUN_TEST(&ctx, test_duplicate_rate);
    RUN_TEST(&ctx, test_corruption_flips_one_wire_bit);
    RUN_TEST(&ctx, test_reordered_segments_are_overtaken);
    RUN_TEST(&ctx, test_serialisation_times_exact);
    RUN_TEST(&ctx, test_queue_tail_drop_exact);
    RUN_TEST(&ctx, test_mtu_drops);
    RUN_TEST(&ctx, test_link_down_drops_everything);
    RUN_TEST(&ctx, test_fault_flags_and_nth);
    RUN_TEST(&ctx, test_fault_seq_ack_len);
    RUN_TEST(&ctx, test_fault_actions);
    RUN_TEST(&ctx, test_precedence_and_combined_notes);
    RUN_TEST(&ctx, test_jitter);
    RUN_TEST(&ctx, test_impairments_are_independent);
    RUN_TEST(&ctx, test_gilbert_pattern_is_independent);
    RUN_TEST(&ctx, test_huge_delays_saturate);
    RUN_TEST(&ctx, test_huge_backlog_saturates);
    RUN_TEST(&ctx, test_determinism);
    return test_finish(&ctx);
}
