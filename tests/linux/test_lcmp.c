/* test_lcmp.c: the capture comparison itself (each deliberate alteration caught or tolerated as
 * README.md says, the trace reader's vantage point). Run by meson test (suite 'linux'). */
#include <stdlib.h>
#include <string.h>

#include "lcmp.h"
#include "testlib.h"

/* LCMP_CAPTURE_DIR (set by meson): the tests/linux directory. */
static char *read_capture(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", LCMP_CAPTURE_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16;
    char *buf = malloc(cap);
    size_t n = buf ? fread(buf, 1, cap - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static bool load(const char *name, struct lseg_list *out)
{
    char *text = read_capture(name);
    char err[256] = "";
    bool ok = text && lcmp_parse_expected(text, out, err, sizeof err);
    if (!ok)
        fprintf(stderr, "cannot load %s: %s\n", name, err);
    free(text);
    return ok;
}

static bool copy_list(const struct lseg_list *from, struct lseg_list *to)
{
    to->n = to->cap = from->n;
    to->v = malloc(from->n * sizeof *to->v);
    if (!to->v)
        return false;
    memcpy(to->v, from->v, from->n * sizeof *to->v);
    return true;
}

/* Compares a capture with an altered copy of itself; returns the number of mismatched rows
 * and leaves the report's verdict for `row` in *out. */
static size_t compare_rows(const struct lseg_list *exp, const struct lseg_list *sim, size_t row,
                           struct lcmp_row *out)
{
    struct lcmp_report rep;
    if (!lcmp_compare(exp, sim, LCMP_TIME_FLOOR_NS, &rep))
        return (size_t)-1;
    if (out && row < rep.nrows)
        *out = rep.rows[row];
    size_t m = rep.mismatches;
    lcmp_report_free(&rep);
    return m;
}

TEST(test_every_capture_matches_itself)
{
    static const struct {
        const char *file;
        size_t segments;
    } caps[] = {{"refused.expected", 2},       {"lost_syn.expected", 8},
                {"lost_synack.expected", 11},  {"lost_final_ack.expected", 11},
                {"abort.expected", 8},         {"unread_close.expected", 6},
                {"half_close.expected", 11},   {"variants/lost_synack.expected", 9}};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        struct lseg_list l;
        if (!load(caps[i].file, &l)) {
            CHECK(false);
            continue;
        }
        CHECK_EQ_U64(l.n, caps[i].segments);
        CHECK_EQ_INT(l.v[0].t, 0);
        CHECK_EQ_U64(compare_rows(&l, &l, 0, NULL), 0);
        lseg_list_free(&l);
    }
    /* a few fields as parsed */
    struct lseg_list l;
    if (load("lost_final_ack.expected", &l)) {
        const struct lseg *s = &l.v[3];
        CHECK_EQ_INT(s->t, 121395000);
        CHECK(s->dir == 'A' && strcmp(s->flags, "P.") == 0);
        CHECK(s->seq == 1 && s->len == 100 && s->has_ack && s->ack == 1 && s->win == 64240);
        CHECK(l.v[0].mss == 1460 && !l.v[0].has_ack && s->mss == 0);
        CHECK(l.v[8].dropped && !l.v[9].dropped);
        lseg_list_free(&l);
    }
}

/* Each alteration of lost_final_ack and whether the comparison must reject it. */
enum alter { FLAG, SEQ, ACK, LEN, MSS, DROP_MARK, MISSING, WIN_FAR, WIN_NEAR,
             STEP_LATE, STEP_NEAR, RTX_12PC, RTX_8PC, ALTER_COUNT };

static void apply(struct lseg_list *l, enum alter a)
{
    switch (a) {
    case FLAG: snprintf(l->v[5].flags, sizeof l->v[5].flags, "."); break;
    case SEQ: l->v[3].seq += 1; break;
    case ACK: l->v[4].ack += 1; break;
    case LEN: l->v[3].len -= 1; break;
    case MSS: l->v[1].mss = 0; break;
    case DROP_MARK: l->v[8].dropped = false; break;
    case MISSING: l->n -= 1; break;
    case WIN_FAR: l->v[4].win -= 2000; break;
    case WIN_NEAR: l->v[4].win -= 1; break;
    case STEP_LATE: l->v[5].t += 20000000; break; /* A's FIN 20 ms late */
    case STEP_NEAR: l->v[5].t += 4000000; break;  /* 4 ms: inside the 5 ms floor */
    case RTX_12PC:
    case RTX_8PC: {
        /* B's FIN retransmission (row 10) and A's reply, the gap stretched by 12% / 8% */
        int64_t gap = l->v[9].t - l->v[7].t;
        int64_t d = gap * (a == RTX_12PC ? 12 : 8) / 100;
        l->v[9].t += d;
        l->v[10].t += d;
        break;
    }
    case ALTER_COUNT: break;
    }
}

TEST(test_alterations_are_caught)
{
    struct lseg_list exp;
    if (!load("lost_final_ack.expected", &exp)) {
        CHECK(false);
        return;
    }
    static const bool must_fail[ALTER_COUNT] = {
        [FLAG] = true, [SEQ] = true, [ACK] = true, [LEN] = true, [MSS] = true,
        [DROP_MARK] = true, [MISSING] = true, [WIN_FAR] = true,
        [WIN_NEAR] = false, [STEP_LATE] = true, [STEP_NEAR] = false, [RTX_12PC] = true,
        [RTX_8PC] = false};
    for (int a = 0; a < ALTER_COUNT; a++) {
        struct lseg_list alt;
        if (!copy_list(&exp, &alt)) {
            CHECK(false);
            continue;
        }
        apply(&alt, (enum alter)a);
        struct lcmp_row row;
        size_t m = compare_rows(&exp, &alt, 9, &row);
        if (must_fail[a] != (m > 0))
            fprintf(stderr, "alteration %d: %zu mismatches\n", a, m);
        CHECK(must_fail[a] == (m > 0));
        if (a == RTX_12PC || a == RTX_8PC) {
            CHECK(row.retrans && row.orig == 7 && row.prev == 7);
            CHECK(row.retrans_ok == (a == RTX_8PC));
        }
        lseg_list_free(&alt);
    }
    /* the simulator sent one segment more than the capture shows */
    struct lseg_list shorter;
    if (copy_list(&exp, &shorter)) {
        shorter.n--;
        CHECK(compare_rows(&shorter, &exp, 0, NULL) > 0);
        lseg_list_free(&shorter);
    }
    /* one wrong row is one mismatch: the rows after a late segment are judged on their own */
    struct lseg_list alt;
    if (copy_list(&exp, &alt)) {
        apply(&alt, STEP_LATE);
        CHECK_EQ_U64(compare_rows(&exp, &alt, 0, NULL), 1);
        lseg_list_free(&alt);
    }
    lseg_list_free(&exp);
}

TEST(test_synack_pair_spacing_is_checked)
{
    /* Exact timers would send B's two SYN+ACKs together: the second's gap from the first copy
     * is still ~1 s, but its gap from the previous copy is 0 instead of 10 ms. */
    struct lseg_list exp, alt;
    if (!load("lost_synack.expected", &exp) || !copy_list(&exp, &alt)) {
        CHECK(false);
        return;
    }
    alt.v[5].t = alt.v[3].t;
    alt.v[6].t = alt.v[4].t;
    struct lcmp_row row;
    CHECK(compare_rows(&exp, &alt, 5, &row) > 0);
    CHECK(row.retrans && row.orig == 1 && row.prev == 3 && !row.retrans_ok);
    lseg_list_free(&alt);
    lseg_list_free(&exp);
}

TEST(test_trace_seen_from_a)
{
    /* A's SYN (dropped), again, B's SYN+ACK dropped then delivered, a state record, B's RST
     * to a port without a TCB: B's delivered segments count when A receives them. */
    const char *jsonl =
        "{\"t_ns\":5,\"ev\":\"state\",\"host\":\"A\",\"from\":\"CLOSED\",\"to\":\"SYN_SENT\"}\n"
        "{\"t_ns\":5,\"ev\":\"tx\",\"id\":1,\"from\":\"A\",\"to\":\"B\",\"flags\":[\"SYN\"],"
        "\"seq\":4294967290,\"ack\":0,\"len\":0,\"wnd\":64240,\"mss\":1460,\"fate\":\"dropped\","
        "\"note\":\"say \\\"seq\\\":1\"}\n"
        "{\"t_ns\":1005,\"ev\":\"tx\",\"id\":2,\"from\":\"A\",\"to\":\"B\",\"flags\":[\"SYN\"],"
        "\"seq\":4294967290,\"ack\":0,\"len\":0,\"wnd\":64240,\"mss\":1460,"
        "\"fate\":\"delivered\"}\n"
        "{\"t_ns\":1015,\"ev\":\"rx\",\"id\":2,\"host\":\"B\",\"flags\":[\"SYN\"],"
        "\"seq\":4294967290,\"ack\":0,\"len\":0,\"wnd\":64240,\"mss\":1460}\n"
        "{\"t_ns\":1015,\"ev\":\"tx\",\"id\":3,\"from\":\"B\",\"to\":\"A\",\"flags\":[\"ACK\","
        "\"SYN\"],\"seq\":700,\"ack\":4294967291,\"len\":0,\"wnd\":64240,\"mss\":1460,"
        "\"fate\":\"delivered\"}\n"
        "{\"t_ns\":1025,\"ev\":\"rx\",\"id\":3,\"host\":\"A\",\"flags\":[\"ACK\",\"SYN\"],"
        "\"seq\":700,\"ack\":4294967291,\"len\":0,\"wnd\":64240,\"mss\":1460}\n"
        "{\"t_ns\":2000,\"ev\":\"tx\",\"id\":4,\"from\":\"B\",\"to\":\"A\",\"flags\":[\"ACK\","
        "\"PSH\"],\"seq\":701,\"ack\":4294967291,\"len\":5,\"wnd\":64240,\"mss\":0,"
        "\"fate\":\"dropped\"}\n";
    struct lseg_list l;
    char err[256] = "";
    CHECK(lcmp_parse_trace(jsonl, &l, err, sizeof err));
    CHECK_EQ_U64(l.n, 4);
    if (l.n == 4) {
        CHECK(l.v[0].t == 0 && l.v[0].dir == 'A' && l.v[0].dropped && l.v[0].seq == 0);
        CHECK(l.v[1].t == 1000 && strcmp(l.v[1].flags, "S") == 0 && !l.v[1].dropped);
        /* B's SYN+ACK at A's receive time, relative numbers on both sides */
        CHECK(l.v[2].t == 1020 && l.v[2].dir == 'B' && strcmp(l.v[2].flags, "S.") == 0);
        CHECK(l.v[2].seq == 0 && l.v[2].has_ack && l.v[2].ack == 1 && l.v[2].mss == 1460);
        /* B's dropped data at B's send time */
        CHECK(l.v[3].t == 1995 && l.v[3].dropped && strcmp(l.v[3].flags, "P.") == 0);
        CHECK(l.v[3].seq == 1 && l.v[3].len == 5);
        lseg_list_free(&l);
    }
    /* a RST from a port that never sent a SYN keeps its raw sequence number */
    const char *refused =
        "{\"t_ns\":0,\"ev\":\"tx\",\"id\":1,\"from\":\"A\",\"to\":\"B\",\"flags\":[\"SYN\"],"
        "\"seq\":77,\"ack\":0,\"len\":0,\"wnd\":64240,\"mss\":1460,\"fate\":\"delivered\"}\n"
        "{\"t_ns\":20,\"ev\":\"rx\",\"id\":2,\"host\":\"A\",\"flags\":[\"ACK\",\"RST\"],"
        "\"seq\":0,\"ack\":78,\"len\":0,\"wnd\":0,\"mss\":0}\n";
    CHECK(lcmp_parse_trace(refused, &l, err, sizeof err));
    if (l.n == 2) {
        CHECK(strcmp(l.v[1].flags, "R.") == 0 && l.v[1].seq == 0 && l.v[1].ack == 1);
        lseg_list_free(&l);
    }
}

TEST(test_malformed_captures_are_refused)
{
    static const char *bad[] = {
        "0.0 A>C S 0:0(0) win 1\n",                 /* direction */
        "0.0 A>B .S 0:0(0) ack 1 win 1\n",          /* flag order */
        "0.0 A>B P. 1:100(100) ack 1 win 1\n",      /* range and length disagree */
        "0.0 A>B S 0:0(0) ack 1 win 1\n",           /* ack without the ACK flag */
        "0.0 A>B . 1:1(0) win 1\n",                 /* ACK flag without ack */
        "x A>B S 0:0(0) win 1\n",                   /* time */
        "0.0 A>B S 0:0(0) win 1 bogus\n",           /* unknown word */
        "# only a comment\n",                       /* no segments */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct lseg_list l;
        char err[256] = "";
        bool ok = lcmp_parse_expected(bad[i], &l, err, sizeof err);
        CHECK(!ok && err[0]);
        if (ok)
            lseg_list_free(&l);
    }
}

int main(void)
{
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, test_every_capture_matches_itself);
    RUN_TEST(&ctx, test_alterations_are_caught);
    RUN_TEST(&ctx, test_synack_pair_spacing_is_checked);
    RUN_TEST(&ctx, test_trace_seen_from_a);
    RUN_TEST(&ctx, test_malformed_captures_are_refused);
    return test_finish(&ctx);
}
