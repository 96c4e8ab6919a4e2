/* test_scn_parse.c: the scenario parser on good input: every statement and value form lands in
 * struct scn as documented in scenarios/README.md, plus line ends, BOM, comments and escapes.
 * Run by meson (suite scn). */
#include <stdlib.h>

#include "rng.h"
#include "scn.h"
#include "testlib.h"

static struct scn *parse(struct test_ctx *t, const char *text)
{
    struct scn *s = NULL;
    struct scn_error err;
    bool ok = scn_parse_string("t.scn", text, strlen(text), &s, &err);
    CHECK(ok);
    if (!ok)
        fprintf(stderr, "  %s\n", err.text);
    return s;
}

/* The error text of a scenario that must not parse. */
static const char *parse_error(struct test_ctx *t, const char *text, struct scn_error *err)
{
    struct scn *s = NULL;
    bool ok = scn_parse_string("t.scn", text, strlen(text), &s, err);
    CHECK(!ok);
    CHECK(s == NULL);
    scn_free(s);
    return ok ? "" : err->text;
}

TEST(metadata_and_korean_text)
{
    struct scn *s = parse(t, "title \"Three-way handshake\"\n"
                             "title.ko \"3-way 핸드셰이크\"\n"
                             "description \"Line one.\"\n"
                             "description \"Line \\\"two\\\".\"\n"
                             "description.ko \"설명\"\n"
                             "at 0s B listen 80\n");
    if (!s)
        return;
    CHECK_STR(s->title.en, "Three-way handshake");
    CHECK_STR(s->title.ko, "3-way 핸드셰이크");
    CHECK_STR(s->description.en, "Line one.\nLine \"two\".");
    CHECK_STR(s->description.ko, "설명");
    CHECK_STR(s->name, "t.scn");
    scn_free(s);
}

TEST(string_escapes)
{
    struct scn *s = parse(t, "title \"a\\\\b\\tc\\nd \\u{D55C}\\u{1F600}\"\nat 0s B listen 80\n");
    if (!s)
        return;
    CHECK_STR(s->title.en, "a\\b\tc\nd 한\xF0\x9F\x98\x80");
    scn_free(s);
}

TEST(line_ends_bom_comments_and_tabs)
{
    const char text[] = "\xEF\xBB\xBF# a comment\r\n"
                        "seed 9   # trailing comment\r\n"
                        "\r\n"
                        "\tat\t0s  B listen 80\r\n"
                        "   # indented comment\n"
                        "at 1s A connect 40000 -> 80"; /* no final newline */
    struct scn *s = parse(t, text);
    if (!s)
        return;
    CHECK(s->has_seed);
    CHECK_EQ_U64(s->seed, 9);
    CHECK_EQ_INT(s->nactions, 2);
    CHECK_EQ_INT(s->actions[0].line, 4);
    CHECK_EQ_INT(s->actions[1].line, 6);
    CHECK_EQ_INT(s->actions[1].act.kind, ACT_CONNECT);
    scn_free(s);
}

TEST(bom_does_not_count_as_a_column)
{
    struct scn_error err;
    parse_error(t, "\xEF\xBB\xBFseed x\nat 0s B listen 80\n", &err);
    CHECK_EQ_INT(err.line, 1);
    CHECK_EQ_INT(err.col, 6);
    CHECK_STR(err.text, "t.scn:1:6: error: expected a number near 'x'");
}

TEST(error_fields_match_text)
{
    struct scn_error err;
    parse_error(t, "at 0s B listen 80\nat 1s A connect 1 -> 99999\n", &err);
    CHECK_EQ_INT(err.line, 2);
    CHECK_EQ_INT(err.col, 22);
    CHECK_STR(err.message, "remote port must be between 1 and 65535");
    CHECK_STR(err.near, "99999");
}

TEST(seed_profile_and_settings)
{
    struct scn *s = parse(t, "seed 18446744073709551615\n"
                             "profile linux\n"
                             "set time_wait 60s\n"
                             "set rto_min 200ms\n"
                             "set syn_retries 3\n"
                             "set window 1000\n"
                             "set mss 536\n"
                             "at 0s B listen 80\n");
    if (!s)
        return;
    CHECK_EQ_U64(s->seed, UINT64_MAX);
    CHECK(s->has_profile);
    CHECK_EQ_INT(s->profile, PROFILE_LINUX);
    CHECK_EQ_INT(s->nsettings, 5);
    CHECK_STR(s->settings[0].key, "time_wait");
    CHECK_EQ_INT(s->settings[0].host, -1);
    CHECK_EQ_U64(s->settings[0].value, sim_s(60));
    CHECK_EQ_U64(s->settings[1].value, sim_ms(200));
    CHECK_EQ_U64(s->settings[2].value, 3);
    CHECK_STR(s->settings[3].key, "rcv_wnd"); /* window is the receive window's other name */
    CHECK_EQ_U64(s->settings[3].value, 1000);
    CHECK_STR(s->settings[4].key, "mss");
    CHECK_EQ_U64(s->settings[4].value, 536);
    CHECK_EQ_INT(s->settings[4].line, 7);
    scn_free(s);
}

TEST(host_lines)
{
    struct scn *s = parse(t, "host A addr 192.168.1.10 isn 1000 window 8192 mss 1200 "
                             "variant isn-zero variant time-wait-zero autoread off profile linux "
                             "time_wait 30s\n"
                             "host B isn random variant two-way-handshake\n"
                             "at 0s B listen 80\n");
    if (!s)
        return;
    const struct scn_host *a = &s->host[0], *b = &s->host[1];
    CHECK_EQ_INT(a->line, 1);
    CHECK(a->has_addr);
    CHECK_EQ_U64(a->addr, 0xC0A8010Au);
    CHECK(a->has_isn);
    CHECK_EQ_INT(a->isn_policy, ISN_FIXED);
    CHECK_EQ_U64(a->isn_fixed, 1000);
    CHECK(a->variants.isn_zero && a->variants.time_wait_zero && !a->variants.two_way_handshake);
    CHECK(a->has_autoread && !a->autoread);
    CHECK(a->has_profile);
    CHECK_EQ_INT(a->profile, PROFILE_LINUX);
    CHECK_EQ_INT(s->nsettings, 3);
    CHECK_EQ_INT(s->settings[0].host, 0);
    CHECK_STR(s->settings[0].key, "rcv_wnd");
    CHECK_STR(s->settings[1].key, "mss");
    CHECK_STR(s->settings[2].key, "time_wait");
    CHECK_EQ_U64(s->settings[2].value, sim_s(30));
    CHECK_EQ_INT(b->line, 2);
    CHECK(!b->has_addr);
    CHECK(b->has_isn);
    CHECK_EQ_INT(b->isn_policy, ISN_RANDOM);
    CHECK(b->variants.two_way_handshake);
    CHECK(!b->has_autoread && !b->has_profile);
    scn_free(s);
}

TEST(link_lines_every_parameter)
{
    struct scn *s = parse(t, "link A>B delay 25ms jitter normal 2ms loss 0.5% burst 2.5 "
                             "duplicate 1% corrupt 0.01% reorder 5% by 30ms rate 1.5Mbps "
                             "queue 100 mtu 1500\n"
                             "link B>A jitter 3ms down\n"
                             "link B>A rate unlimited\n"
                             "at 0s B listen 80\n");
    if (!s)
        return;
    const struct scn_link_patch *ab = &s->link[0], *ba = &s->link[1];
    CHECK_EQ_U64(ab->v.delay, sim_ms(25));
    CHECK_EQ_INT(ab->v.jitter_kind, JITTER_NORMAL);
    CHECK_EQ_U64(ab->v.jitter, sim_ms(2));
    CHECK_EQ_U64(ab->v.loss.num, 1);
    CHECK_EQ_U64(ab->v.loss.den, 200);
    CHECK_EQ_U64(ab->v.ge_burst.num, 5);
    CHECK_EQ_U64(ab->v.ge_burst.den, 2);
    CHECK_EQ_U64(ab->v.dup.num, 1);
    CHECK_EQ_U64(ab->v.dup.den, 100);
    CHECK_EQ_U64(ab->v.corrupt.num, 1);
    CHECK_EQ_U64(ab->v.corrupt.den, 10000);
    CHECK_EQ_U64(ab->v.reorder.num, 1);
    CHECK_EQ_U64(ab->v.reorder.den, 20);
    CHECK_EQ_U64(ab->v.reorder_delay, sim_ms(30));
    CHECK_EQ_U64(ab->v.rate_bps, 1500000);
    CHECK_EQ_U64(ab->v.queue_limit, 100);
    CHECK_EQ_U64(ab->v.mtu, 1500);
    CHECK_EQ_U64(ab->mask, SCN_LP_DELAY | SCN_LP_JITTER | SCN_LP_LOSS | SCN_LP_BURST |
                               SCN_LP_DUP | SCN_LP_CORRUPT | SCN_LP_REORDER | SCN_LP_RATE |
                               SCN_LP_QUEUE | SCN_LP_MTU);
    CHECK_EQ_INT(ba->v.jitter_kind, JITTER_UNIFORM);
    CHECK_EQ_U64(ba->v.jitter, sim_ms(3));
    CHECK(ba->v.down);
    CHECK_EQ_U64(ba->mask, SCN_LP_JITTER | SCN_LP_DOWN | SCN_LP_RATE);
    scn_free(s);
}

TEST(link_patch_applies_only_masked_fields)
{
    struct link_params p = {.delay = sim_ms(10), .mtu = 1500, .queue_limit = 7};
    struct scn_link_patch patch = {.mask = SCN_LP_DELAY | SCN_LP_DOWN};
    patch.v.delay = sim_ms(99);
    patch.v.down = true;
    patch.v.mtu = 576; /* not in the mask */
    scn_link_patch_apply(&p, &patch);
    CHECK_EQ_U64(p.delay, sim_ms(99));
    CHECK(p.down);
    CHECK_EQ_U64(p.mtu, 1500);
    CHECK_EQ_U64(p.queue_limit, 7);
}

TEST(host_actions)
{
    struct scn *s = parse(t, "at 0s B listen 80\n"
                             "at 0s A connect 40000 -> 80\n"
                             "at 100ms A send \"hello\"\n"
                             "at 100ms B send 64KiB\n"
                             "at 1s A shutdown\n"
                             "at 1s A close\n"
                             "at 1.5s B abort\n"
                             "at 2s B crash\n"
                             "at 3s B reboot\n"
                             "at 3s B autoread off\n");
    if (!s)
        return;
    CHECK_EQ_INT(s->nactions, 10);
    const struct scn_action *a = s->actions;
    CHECK_EQ_INT(a[0].act.kind, ACT_LISTEN);
    CHECK_EQ_INT(a[0].act.host, 1);
    CHECK_EQ_INT(a[0].act.port, 80);
    CHECK_EQ_INT(a[1].act.kind, ACT_CONNECT);
    CHECK_EQ_INT(a[1].act.host, 0);
    CHECK_EQ_INT(a[1].act.port, 40000);
    CHECK_EQ_INT(a[1].act.rport, 80);
    CHECK_EQ_INT(a[2].act.kind, ACT_SEND);
    CHECK_EQ_U64(a[2].at, sim_ms(100));
    CHECK_EQ_INT(a[2].act.len, 5);
    CHECK(a[2].act.data && memcmp(a[2].act.data, "hello", 5) == 0);
    CHECK(a[3].act.data == NULL);
    CHECK_EQ_INT(a[3].act.len, 65536);
    CHECK_EQ_INT(a[4].act.kind, ACT_SHUTDOWN);
    CHECK_EQ_INT(a[5].act.kind, ACT_CLOSE);
    CHECK_EQ_INT(a[6].act.kind, ACT_ABORT);
    CHECK_EQ_U64(a[6].at, 1500000000);
    CHECK_EQ_INT(a[7].act.kind, ACT_CRASH);
    CHECK_EQ_INT(a[8].act.kind, ACT_REBOOT);
    CHECK_EQ_INT(a[9].act.kind, ACT_AUTOREAD);
    CHECK(!a[9].act.flag);
    CHECK_EQ_INT(a[9].line, 10);
    scn_free(s);
}

TEST(variant_switches)
{
    struct scn *s = parse(t, "host B variant time-wait-zero\n"
                             "at 0s B listen 80\n"
                             "at 1s B variant two-way-handshake on\n"
                             "at 2s A variant isn-zero yes\n"
                             "at 3s B variant time-wait-zero off\n");
    if (!s)
        return;
    CHECK_EQ_INT(s->nactions, 4);
    const struct scn_action *a = s->actions;
    CHECK_EQ_INT(a[1].act.kind, ACT_VARIANT);
    CHECK_EQ_INT(a[1].act.host, 1);
    CHECK(a[1].act.flag);
    CHECK(a[1].variant.two_way_handshake && !a[1].variant.isn_zero && !a[1].variant.time_wait_zero);
    CHECK_EQ_U64(a[1].at, sim_s(1));
    CHECK_EQ_INT(a[2].act.host, 0);
    CHECK(a[2].act.flag);
    CHECK(a[2].variant.isn_zero && !a[2].variant.two_way_handshake);
    CHECK(!a[3].act.flag);
    CHECK(a[3].variant.time_wait_zero && !a[3].variant.isn_zero);
    CHECK_EQ_INT(a[3].line, 5);
    /* the host line's variants are untouched: the switch happens during the run */
    CHECK(s->host[1].variants.time_wait_zero && !s->host[1].variants.two_way_handshake);
    scn_free(s);

    struct scn_error err;
    CHECK_STR(parse_error(t, "at 0s B variant isn-zero maybe\n", &err),
              "t.scn:1:26: error: expected on or off near 'maybe'");
    CHECK_STR(parse_error(t, "at 0s B variant isn-zero\n", &err),
              "t.scn:1:25: error: missing on or off");
    CHECK_STR(parse_error(t, "at 0s B variant isn-zero on now\n", &err),
              "t.scn:1:29: error: unexpected word at the end of the statement near 'now'");
}

TEST(timed_link_caption_pause)
{
    struct scn *s = parse(t, "at 0s B listen 80\n"
                             "at 1s link A>B loss 0% down\n"
                             "at 2s link both up delay 50ms\n"
                             "at 2s caption \"SYN lost\" ko \"SYN 손실\"\n"
                             "at 3s caption \"English only\"\n"
                             "at 3s pause\n");
    if (!s)
        return;
    CHECK_EQ_INT(s->nactions, 7);
    const struct scn_action *a = s->actions;
    CHECK_EQ_INT(a[1].act.kind, ACT_LINK);
    CHECK_EQ_INT(a[1].act.dir, 0);
    CHECK_EQ_U64(a[1].patch.mask, SCN_LP_LOSS | SCN_LP_DOWN);
    CHECK(a[1].patch.v.down);
    CHECK_EQ_U64(a[1].patch.v.loss.num, 0);
    CHECK_EQ_INT(a[2].act.dir, 0);
    CHECK_EQ_INT(a[3].act.dir, 1);
    CHECK(!a[3].patch.v.down);
    CHECK_EQ_U64(a[3].patch.v.delay, sim_ms(50));
    CHECK_EQ_INT(a[4].act.kind, ACT_CAPTION);
    CHECK_STR(a[4].act.text, "SYN lost");
    CHECK_STR(a[4].act.text_ko, "SYN 손실");
    CHECK_STR(a[5].act.text, "English only");
    CHECK(a[5].act.text_ko == NULL);
    CHECK_EQ_INT(a[6].act.kind, ACT_PAUSE);
    scn_free(s);
}

TEST(inject_explicit_and_default_ports)
{
    struct scn *s = parse(t, "at 0s B listen 80\n"
                             "at 1s inject B>A SYN seq 90\n"
                             "at 1s inject A>B S. seq 7 ack 91 len 3 win 1000 mss 536 "
                             "ports 5000 -> 6000\n"
                             "at 1s inject A>B P. seq 8 ack 1 data \"hi\"\n"
                             "at 2s A connect 40000 -> 80\n");
    if (!s)
        return;
    const struct sim_action *i1 = &s->actions[1].act, *i2 = &s->actions[2].act,
                            *i3 = &s->actions[3].act;
    CHECK_EQ_INT(i1->kind, ACT_INJECT);
    CHECK_EQ_INT(i1->dir, 1);
    CHECK_EQ_INT(i1->host, 1);
    CHECK_EQ_INT(i1->seg.flags, SEG_SYN);
    CHECK_EQ_U64(i1->seg.seq, 90);
    CHECK_EQ_U64(i1->seg.ack, 0);
    CHECK_EQ_INT(i1->seg.wnd, 65535);
    CHECK_EQ_INT(i1->seg.flipped_bit, -1);
    /* B sends, A is the connecting host: B's side of the first connect */
    CHECK_EQ_INT(i1->seg.src_port, 80);
    CHECK_EQ_INT(i1->seg.dst_port, 40000);
    CHECK_EQ_INT(i2->seg.flags, SEG_SYN | SEG_ACK);
    CHECK_EQ_U64(i2->seg.ack, 91);
    CHECK_EQ_INT(i2->seg.len, 3);
    CHECK(i2->seg.data && memcmp(i2->seg.data, "abc", 3) == 0);
    CHECK_EQ_INT(i2->seg.wnd, 1000);
    CHECK_EQ_INT(i2->seg.mss, 536);
    CHECK_EQ_INT(i2->seg.src_port, 5000);
    CHECK_EQ_INT(i2->seg.dst_port, 6000);
    CHECK_EQ_INT(i3->seg.flags, SEG_PSH | SEG_ACK);
    CHECK_EQ_INT(i3->seg.len, 2);
    CHECK(i3->seg.data && memcmp(i3->seg.data, "hi", 2) == 0);
    CHECK_EQ_INT(i3->seg.src_port, 40000);
    CHECK_EQ_INT(i3->seg.dst_port, 80);
    scn_free(s);
}

TEST(when_triggers)
{
    struct scn *s = parse(t, "at 0s B listen 80\n"
                             "when B enters SYN_RCVD caption \"half open\" ko \"반쯤 열림\"\n"
                             "when A enters time-wait pause\n");
    if (!s)
        return;
    CHECK_EQ_INT(s->ntriggers, 2);
    const struct sim_trigger *a = &s->triggers[0].trig, *b = &s->triggers[1].trig;
    CHECK_EQ_INT(a->host, 1);
    CHECK_EQ_INT(a->state, TCP_SYN_RECEIVED);
    CHECK_EQ_INT(a->action.kind, ACT_CAPTION);
    CHECK_STR(a->action.text, "half open");
    CHECK_STR(a->action.text_ko, "반쯤 열림");
    CHECK_EQ_INT(b->host, 0);
    CHECK_EQ_INT(b->state, TCP_TIME_WAIT);
    CHECK_EQ_INT(b->action.kind, ACT_PAUSE);
    CHECK_EQ_INT(s->triggers[1].line, 3);
    scn_free(s);
}

TEST(faults)
{
    struct scn *s = parse(t, "at 0s B listen 80\n"
                             "fault A>B drop SYN nth 1\n"
                             "fault B>A delay 300ms has FIN\n"
                             "fault A>B duplicate any seq 1 ack 1 len 5\n"
                             "fault B>A corrupt nth 2\n"
                             "fault B>A drop SYN+ACK\n"
                             "fault B>A drop S.\n");
    if (!s)
        return;
    CHECK_EQ_INT(s->nfaults, 6);
    const struct scn_fault *f = s->faults;
    CHECK_EQ_INT(f[0].dir, 0);
    CHECK_EQ_INT(f[0].f.action, FAULT_DROP);
    CHECK_EQ_INT(f[0].f.flags_set, SEG_SYN);
    CHECK(f[0].f.flags_exact != 0);
    CHECK_EQ_INT(f[0].f.nth, 1);
    CHECK_STR(f[0].f.label, "drop A>B SYN nth 1");
    CHECK_EQ_INT(f[1].dir, 1);
    CHECK_EQ_INT(f[1].f.action, FAULT_DELAY);
    CHECK_EQ_U64(f[1].f.extra_delay, sim_ms(300));
    CHECK_EQ_INT(f[1].f.flags_set, SEG_FIN);
    CHECK_EQ_INT(f[1].f.flags_exact, 0);
    CHECK_EQ_INT(f[1].f.nth, 0);
    CHECK_STR(f[1].f.label, "delay 300ms B>A has FIN");
    CHECK_EQ_INT(f[2].f.action, FAULT_DUPLICATE);
    CHECK_EQ_INT(f[2].f.flags_set, 0);
    CHECK_EQ_INT(f[2].f.flags_exact, 0);
    CHECK(f[2].f.match_seq && f[2].f.match_ack && f[2].f.match_len);
    CHECK_EQ_U64(f[2].f.rel_seq, 1);
    CHECK_EQ_U64(f[2].f.rel_ack, 1);
    CHECK_EQ_INT(f[2].f.len, 5);
    CHECK_STR(f[2].f.label, "duplicate A>B seq 1 ack 1 len 5");
    CHECK_EQ_INT(f[3].f.action, FAULT_CORRUPT);
    CHECK_EQ_INT(f[3].f.nth, 2);
    CHECK_EQ_INT(f[4].f.flags_set, SEG_SYN | SEG_ACK);
    CHECK_STR(f[4].f.label, "drop B>A SYN+ACK");
    CHECK_EQ_INT(f[5].f.flags_set, SEG_SYN | SEG_ACK);
    CHECK_STR(f[5].f.label, "drop B>A S.");
    scn_free(s);
}

TEST(state_expectations)
{
    struct scn *s = parse(t, "at 0s B listen 80\n"
                             "expect at 25ms B ESTABLISHED   # after the handshake\n"
                             "expect final A closed\n"
                             "expect ever A TIME_WAIT\n"
                             "expect never B SYN-RECEIVED\n"
                             "expect at 1s A state FIN_WAIT_2\n");
    if (!s)
        return;
    CHECK_EQ_INT(s->nexpects, 5);
    const struct scn_expect *e = s->expects;
    CHECK_EQ_INT(e[0].kind, SCN_EXP_STATE_AT);
    CHECK_EQ_U64(e[0].at, sim_ms(25));
    CHECK_EQ_INT(e[0].host, 1);
    CHECK_EQ_INT(e[0].state, TCP_ESTABLISHED);
    CHECK_STR(e[0].source, "expect at 25ms B ESTABLISHED");
    CHECK_EQ_INT(e[0].line, 2);
    CHECK_EQ_INT(e[1].kind, SCN_EXP_FINAL);
    CHECK_EQ_INT(e[1].state, TCP_CLOSED);
    CHECK_EQ_INT(e[2].kind, SCN_EXP_EVER);
    CHECK_EQ_INT(e[2].state, TCP_TIME_WAIT);
    CHECK_EQ_INT(e[3].kind, SCN_EXP_NEVER);
    CHECK_EQ_INT(e[3].state, TCP_SYN_RECEIVED);
    CHECK_EQ_INT(e[4].host, 0);
    CHECK_EQ_INT(e[4].state, TCP_FIN_WAIT_2);
    scn_free(s);
}

TEST(segments_block)
{
    struct scn *s = parse(t, "at 0s B listen 80\n"
                             "expect segments\n"
                             "  A>B S 0:0(0)\n"
                             "\n"
                             "  # comments and blank lines are fine inside\n"
                             "  B>A SYN+ACK 0:0(0) ack 1 win 65535\n"
                             "  A>B . 1:1(0) ack 1 dropped\n"
                             "  A>B FP. 4294967295:4(5)\n"
                             "  B>A R\n"
                             "end\n"
                             "expect segments from 1.5s\n"
                             "  A>B F.\n"
                             "end\n");
    if (!s)
        return;
    CHECK_EQ_INT(s->nexpects, 2);
    const struct scn_expect *e = &s->expects[0];
    CHECK_EQ_INT(e->kind, SCN_EXP_SEGMENTS);
    CHECK_EQ_U64(e->at, 0);
    CHECK_EQ_INT(e->nsegs, 5);
    const struct scn_segline *g = e->segs;
    CHECK_EQ_INT(g[0].dir, 0);
    CHECK_EQ_INT(g[0].flags, SEG_SYN);
    CHECK(g[0].has_seq && !g[0].has_ack && !g[0].has_win && !g[0].has_fate);
    CHECK_EQ_INT(g[0].line, 3);
    CHECK_EQ_INT(g[1].dir, 1);
    CHECK_EQ_INT(g[1].flags, SEG_SYN | SEG_ACK);
    CHECK(g[1].has_ack && g[1].has_win);
    CHECK_EQ_U64(g[1].ack, 1);
    CHECK_EQ_INT(g[1].win, 65535);
    CHECK_EQ_INT(g[1].line, 6);
    CHECK(g[2].has_fate);
    CHECK_EQ_INT(g[2].fate, FATE_DROPPED);
    CHECK_EQ_INT(g[3].flags, SEG_FIN | SEG_PSH | SEG_ACK);
    CHECK_EQ_U64(g[3].seq, 4294967295u);
    CHECK_EQ_INT(g[3].len, 5); /* the end wraps around 2^32 */
    CHECK_EQ_INT(g[4].flags, SEG_RST);
    CHECK(!g[4].has_seq);
    CHECK_EQ_U64(s->expects[1].at, sim_ms(1500));
    CHECK_EQ_INT(s->expects[1].nsegs, 1);
    CHECK_STR(s->expects[1].source, "expect segments from 1.5s");
    scn_free(s);
}

TEST(count_delivered_error_expectations)
{
    struct scn *s = parse(t, "at 0s B listen 80\n"
                             "expect count tx A>B SYN = 1\n"
                             "expect count retransmits >= 2\n"
                             "expect count drops B>A has FIN != 0\n"
                             "expect count rx any < 10\n"
                             "expect delivered B \"hello\"\n"
                             "expect delivered B 1000 bytes\n"
                             "expect delivered A 2KiB\n"
                             "expect error A \"connection refused\"\n"
                             "expect error B\n"
                             "expect no error\n"
                             "expect no error A\n");
    if (!s)
        return;
    CHECK_EQ_INT(s->nexpects, 11);
    const struct scn_expect *e = s->expects;
    CHECK_EQ_INT(e[0].kind, SCN_EXP_COUNT);
    CHECK_EQ_INT(e[0].what, SCN_COUNT_TX);
    CHECK_EQ_INT(e[0].dir, 0);
    CHECK_EQ_INT(e[0].flag_match, SCN_FLAGS_EXACT);
    CHECK_EQ_INT(e[0].flags, SEG_SYN);
    CHECK_EQ_INT(e[0].cmp, SCN_CMP_EQ);
    CHECK_EQ_U64(e[0].n, 1);
    CHECK_EQ_INT(e[1].what, SCN_COUNT_RETRANSMITS);
    CHECK_EQ_INT(e[1].dir, -1);
    CHECK_EQ_INT(e[1].flag_match, SCN_FLAGS_ANY);
    CHECK_EQ_INT(e[1].cmp, SCN_CMP_GE);
    CHECK_EQ_U64(e[1].n, 2);
    CHECK_EQ_INT(e[2].what, SCN_COUNT_DROPS);
    CHECK_EQ_INT(e[2].dir, 1);
    CHECK_EQ_INT(e[2].flag_match, SCN_FLAGS_HAS);
    CHECK_EQ_INT(e[2].flags, SEG_FIN);
    CHECK_EQ_INT(e[2].cmp, SCN_CMP_NE);
    CHECK_EQ_INT(e[3].what, SCN_COUNT_RX);
    CHECK_EQ_INT(e[3].flag_match, SCN_FLAGS_ANY);
    CHECK_EQ_INT(e[3].cmp, SCN_CMP_LT);
    CHECK_EQ_INT(e[4].kind, SCN_EXP_DELIVERED);
    CHECK_EQ_INT(e[4].host, 1);
    CHECK_STR(e[4].text, "hello");
    CHECK_EQ_U64(e[4].n, 5);
    CHECK(e[5].text == NULL);
    CHECK_EQ_U64(e[5].n, 1000);
    CHECK_EQ_U64(e[6].n, 2048);
    CHECK_EQ_INT(e[6].host, 0);
    CHECK_EQ_INT(e[7].kind, SCN_EXP_ERROR);
    CHECK_STR(e[7].text, "connection refused");
    CHECK(e[8].text == NULL);
    CHECK_EQ_INT(e[8].host, 1);
    CHECK_EQ_INT(e[9].kind, SCN_EXP_NO_ERROR);
    CHECK_EQ_INT(e[9].host, -1);
    CHECK_EQ_INT(e[10].host, 0);
    scn_free(s);
}

/* Times: every unit, decimals exact, trailing zeros, the largest time. */
TEST(time_values)
{
    static const struct {
        const char *text;
        sim_time ns;
    } cases[] = {
        {"0s", 0},
        {"250ms", 250000000},
        {"1.5s", 1500000000},
        {"0.001ms", 1000},
        {"7ns", 7},
        {"3us", 3000},
        {"3\xC2\xB5s", 3000},
        {"2min", 120000000000},
        {"1.250000000000s", 1250000000},
        {"9223372036.854775807s", INT64_MAX},
        {"0.000000001s", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "at %s B listen 80\n", cases[i].text);
        struct scn *s = parse(t, text);
        if (!s)
            continue;
        CHECK_EQ_U64(s->actions[0].at, cases[i].ns);
        scn_free(s);
    }
}

TEST(percentages_sizes_rates)
{
    struct scn *s = parse(t, "link A>B loss 100% duplicate 0% corrupt 12.5% rate 10kbps\n"
                             "link B>A loss 0.0001% rate 1Gbps\n"
                             "at 0s B send 1.5KB\n"
                             "at 0s A send 1MiB\n");
    if (!s)
        return;
    CHECK_EQ_U64(s->link[0].v.loss.num, 1);
    CHECK_EQ_U64(s->link[0].v.loss.den, 1);
    CHECK_EQ_U64(s->link[0].v.dup.num, 0);
    CHECK_EQ_U64(s->link[0].v.dup.den, 0);
    CHECK_EQ_U64(s->link[0].v.corrupt.num, 1);
    CHECK_EQ_U64(s->link[0].v.corrupt.den, 8);
    CHECK_EQ_U64(s->link[0].v.rate_bps, 10000);
    CHECK_EQ_U64(s->link[1].v.loss.num, 1);
    CHECK_EQ_U64(s->link[1].v.loss.den, 1000000);
    CHECK_EQ_U64(s->link[1].v.rate_bps, 1000000000);
    CHECK_EQ_INT(s->actions[0].act.len, 1500);
    CHECK_EQ_INT(s->actions[1].act.len, 1048576);
    scn_free(s);
}

TEST(equal_times_keep_file_order)
{
    struct scn *s = parse(t, "at 1s B listen 80\nat 1s A connect 1 -> 80\nat 1s A close\n");
    if (!s)
        return;
    CHECK_EQ_INT(s->actions[0].act.kind, ACT_LISTEN);
    CHECK_EQ_INT(s->actions[1].act.kind, ACT_CONNECT);
    CHECK_EQ_INT(s->actions[2].act.kind, ACT_CLOSE);
    scn_free(s);
}

TEST(format_time_round_trips)
{
    static const sim_time times[] = {0, 1, 999, 1000, 1500, 25000000, 1500000000, 10001000,
                                     240000000000, INT64_MAX};
    static const char *const want[] = {"0ns", "1ns", "999ns", "1us", "1.5us", "25ms", "1.5s",
                                       "10.001ms", "240s", "9223372036.854775807s"};
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        char buf[40], text[80];
        scn_format_time(buf, sizeof buf, times[i]);
        CHECK_STR(buf, want[i]);
        snprintf(text, sizeof text, "at %s B listen 80\n", buf);
        struct scn *s = parse(t, text);
        if (!s)
            continue;
        CHECK_EQ_U64(s->actions[0].at, times[i]);
        scn_free(s);
    }
}

TEST(format_flags_and_segline)
{
    char buf[80];
    scn_format_flags(buf, sizeof buf, SEG_SYN | SEG_ACK);
    CHECK_STR(buf, "S.");
    scn_format_flags(buf, sizeof buf, SEG_FIN | SEG_PSH | SEG_ACK);
    CHECK_STR(buf, "FP.");
    scn_format_flags(buf, sizeof buf, 0);
    CHECK_STR(buf, "none");
    scn_format_flags(buf, sizeof buf, 0xFF);
    CHECK_STR(buf, "FSRP.UEW");
    struct scn_segline sl = {.dir = 1, .flags = SEG_SYN | SEG_ACK, .has_seq = true, .seq = 0,
                             .len = 0, .has_ack = true, .ack = 1, .win = 100,
                             .fate = FATE_DROPPED};
    scn_format_segline(buf, sizeof buf, &sl, NULL);
    CHECK_STR(buf, "B>A S. 0:0(0) ack 1");
    struct scn_segline shape = {.has_seq = false, .has_win = true, .has_fate = true};
    scn_format_segline(buf, sizeof buf, &sl, &shape);
    CHECK_STR(buf, "B>A S. win 100 dropped");
    char small[6];
    CHECK_EQ_INT(scn_format_segline(small, sizeof small, &sl, NULL), 5);
    CHECK_STR(small, "B>A S");
}

TEST(parse_file_reads_and_reports_missing)
{
    const char *path = "test_scn_parse_tmp.scn";
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("title \"from a file\"\nat 0s B listen 80\n", f);
    fclose(f);
    struct scn *s = NULL;
    struct scn_error err;
    CHECK(scn_parse_file(path, &s, &err));
    if (s)
        CHECK_STR(s->title.en, "from a file");
    CHECK_STR(s ? s->name : NULL, path);
    scn_free(s);
    remove(path);
    s = NULL;
    CHECK(!scn_parse_file("no/such/file.scn", &s, &err));
    CHECK(s == NULL);
    CHECK_EQ_INT(err.line, 0);
    CHECK(strncmp(err.text, "no/such/file.scn: error: cannot open: ", 38) == 0);
}

TEST(limits_have_their_own_messages)
{
    struct scn_error err;
    size_t big = SCN_MAX_FILE_BYTES + 1;
    char *text = malloc(big + 1);
    CHECK(text != NULL);
    if (!text)
        return;
    memset(text, '\n', big);
    text[big] = '\0';
    struct scn *s = NULL;
    CHECK(!scn_parse_string("big.scn", text, big, &s, &err));
    CHECK_STR(err.text, "big.scn:1:1: error: file is larger than 1048576 bytes");
    free(text);

    /* 10001 actions */
    size_t n = SCN_MAX_ACTIONS + 1, len = 0;
    text = malloc(n * 20 + 1);
    CHECK(text != NULL);
    if (!text)
        return;
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "at 0s A close\n");
    CHECK(!scn_parse_string("many.scn", text, len, &s, &err));
    CHECK_STR(err.text, "many.scn:10001:1: error: too many actions (at most 10000)");
    free(text);

    /* 129 words on one line */
    char line[600] = "title";
    for (int i = 0; i < 128; i++)
        strcat(line, " x");
    parse_error(t, line, &err);
    CHECK_STR(err.message, "too many words on one line (at most 128)");
    CHECK_EQ_INT(err.col, 1 + 5 + 2 * 127 + 1);
}

TEST(never_crashes_on_prefixes_of_a_good_file)
{
    /* Every prefix of a file using every feature either parses or fails with a positioned
     * message; none crashes (the sanitizer build makes this meaningful). */
    const char *full = "title \"T\" \n title.ko \"한\"\nseed 1\nprofile linux\nset time_wait 1s\n"
                       "link both delay 1ms jitter normal 1ms loss 1% burst 2 reorder 1% by 1ms\n"
                       "host A addr 10.0.0.5 isn 3 variant isn-zero autoread off\n"
                       "at 0s B listen 80\nat 0s A connect 1 -> 80\nat 1s A send \"x\\u{41}\"\n"
                       "at 1s inject A>B S seq 1 len 2\nat 2s link A>B down\n"
                       "at 2s B variant isn-zero on\n"
                       "when B enters LISTEN caption \"c\" ko \"k\"\nfault A>B drop has SYN nth 2\n"
                       "expect segments from 1ms\n A>B S 0:0(0) win 5 delivered\nend\n"
                       "expect count tx A>B S = 1\nexpect delivered B \"x\"\nexpect no error\n";
    size_t n = strlen(full), parsed = 0;
    for (size_t i = 0; i <= n; i++) {
        struct scn *s = NULL;
        struct scn_error err = {0};
        if (scn_parse_string("p.scn", full, i, &s, &err)) {
            parsed++;
            scn_free(s);
        } else {
            CHECK(err.line >= 1 && err.col >= 1);
            CHECK(strncmp(err.text, "p.scn:", 6) == 0);
        }
    }
    CHECK(parsed > 0);
}

TEST(never_crashes_on_mutated_files)
{
    /* Seeded byte mutations (flips, insertions of tricky bytes, deletions) of a good file: each
     * either parses or fails with a positioned message. Run under the sanitizers to make sure
     * nothing reads out of bounds. */
    static const char good[] =
        "title \"T \\u{D55C}\"\nseed 1\nset time_wait 1s\nlink A>B delay 1ms loss 1.5%\n"
        "host B isn 9 window 100\nat 0s B listen 80\nat 0.5s A connect 1 -> 80\n"
        "at 1s A send 10KiB\nat 1s inject B>A R. seq 1 ack 2\nat 1s A variant time-wait-zero on\n"
        "when A enters ESTABLISHED caption \"x\" ko \"한\"\nfault B>A delay 5ms has ACK nth 3\n"
        "expect segments\n A>B S 0:0(0)\n B>A S. 0:0(0) ack 1\nend\nexpect count rx >= 1\n";
    static const char tricky[] = {'"', '\\', '#', ' ', '\n', '\r', '\0', '%', '.', ':', '(',
                                  ')', '9', '>', '\xC3', '\xA9', '\xFF', '\t', '-'};
    struct rng r;
    rng_seed(&r, 2024);
    char buf[sizeof good + 8];
    size_t parsed = 0, failed = 0;
    for (int round = 0; round < 20000; round++) {
        size_t n = sizeof good - 1;
        memcpy(buf, good, n);
        int edits = 1 + (int)rng_below(&r, 3);
        for (int e = 0; e < edits; e++) {
            size_t at = (size_t)rng_below(&r, n);
            uint64_t kind = rng_below(&r, 3);
            char c = tricky[rng_below(&r, sizeof tricky)];
            if (kind == 0) {
                buf[at] = c;
            } else if (kind == 1 && n < sizeof buf) {
                memmove(buf + at + 1, buf + at, n - at);
                buf[at] = c;
                n++;
            } else if (n > 1) {
                memmove(buf + at, buf + at + 1, n - at - 1);
                n--;
            }
        }
        struct scn *s = NULL;
        struct scn_error err = {0};
        if (scn_parse_string("m.scn", buf, n, &s, &err)) {
            parsed++;
            CHECK(s != NULL && s->nactions > 0);
            scn_free(s);
        } else {
            failed++;
            CHECK(s == NULL);
            CHECK(err.line >= 1 && err.col >= 1);
            CHECK(strncmp(err.text, "m.scn:", 6) == 0);
        }
    }
    CHECK(parsed > 0 && failed > 0);
}

int main(void)
{
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, metadata_and_korean_text);
    RUN_TEST(&ctx, string_escapes);
    RUN_TEST(&ctx, line_ends_bom_comments_and_tabs);
    RUN_TEST(&ctx, bom_does_not_count_as_a_column);
    RUN_TEST(&ctx, error_fields_match_text);
    RUN_TEST(&ctx, seed_profile_and_settings);
    RUN_TEST(&ctx, host_lines);
    RUN_TEST(&ctx, link_lines_every_parameter);
    RUN_TEST(&ctx, link_patch_applies_only_masked_fields);
    RUN_TEST(&ctx, host_actions);
    RUN_TEST(&ctx, variant_switches);
    RUN_TEST(&ctx, timed_link_caption_pause);
    RUN_TEST(&ctx, inject_explicit_and_default_ports);
    RUN_TEST(&ctx, when_triggers);
    RUN_TEST(&ctx, faults);
    RUN_TEST(&ctx, state_expectations);
    RUN_TEST(&ctx, segments_block);
    RUN_TEST(&ctx, count_delivered_error_expectations);
    RUN_TEST(&ctx, time_values);
    RUN_TEST(&ctx, percentages_sizes_rates);
    RUN_TEST(&ctx, equal_times_keep_file_order);
    RUN_TEST(&ctx, format_time_round_trips);
    RUN_TEST(&ctx, format_flags_and_segline);
    RUN_TEST(&ctx, parse_file_reads_and_reports_missing);
    RUN_TEST(&ctx, limits_have_their_own_messages);
    RUN_TEST(&ctx, never_crashes_on_prefixes_of_a_good_file);
    RUN_TEST(&ctx, never_crashes_on_mutated_files);
    return test_finish(&ctx);
}
