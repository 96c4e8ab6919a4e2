/* test_scn_set.c: --set KEY=VALUE overrides (every key form, later wins, errors positioned in
 * the argument), scn_config (defaults, profile, settings in order, links, hosts) and the
 * running set of lesson variants scn_build gives each variant switch.
 * Run by meson (suite scn). */
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

static void set_ok(struct test_ctx *t, struct scn *s, const char *arg)
{
    struct scn_error err;
    bool ok = scn_set(s, arg, &err);
    CHECK(ok);
    if (!ok)
        fprintf(stderr, "  --set %s: %s\n", arg, err.text);
}

static void set_fails(struct test_ctx *t, struct scn *s, const char *arg, const char *want)
{
    struct scn_error err;
    CHECK(!scn_set(s, arg, &err));
    CHECK_STR(err.text, want);
}

static const char base[] = "seed 1\nprofile rfc9293\nset time_wait 60s\n"
                           "host A time_wait 30s\nlink A>B loss 20%\nat 0s B listen 80\n";

TEST(set_replaces_seed_and_profile)
{
    struct scn *s = parse(t, base);
    if (!s)
        return;
    set_ok(t, s, "seed=42");
    CHECK_EQ_U64(s->seed, 42);
    set_ok(t, s, "seed=43");
    CHECK_EQ_U64(s->seed, 43);
    set_ok(t, s, "profile=linux");
    CHECK_EQ_INT(s->profile, PROFILE_LINUX);
    scn_free(s);
}

TEST(set_profile_keys_for_both_or_one_host)
{
    struct scn *s = parse(t, base);
    if (!s)
        return;
    size_t before = s->nsettings;
    set_ok(t, s, "time_wait=10s");
    set_ok(t, s, "B.window=1000");
    set_ok(t, s, "A.mss=536");
    CHECK_EQ_INT(s->nsettings, before + 3);
    const struct scn_setting *st = &s->settings[before];
    CHECK_EQ_INT(st[0].host, -1);
    CHECK_STR(st[0].key, "time_wait");
    CHECK_EQ_U64(st[0].value, sim_s(10));
    CHECK_EQ_INT(st[0].line, 0);
    CHECK_EQ_INT(st[1].host, 1);
    CHECK_STR(st[1].key, "rcv_wnd");
    CHECK_EQ_INT(st[2].host, 0);
    CHECK_STR(st[2].key, "mss");
    /* the same key twice is fine on the command line: the later one wins */
    set_ok(t, s, "time_wait=20s");
    scn_free(s);
}

TEST(set_host_options)
{
    struct scn *s = parse(t, base);
    if (!s)
        return;
    set_ok(t, s, "A.addr=10.1.2.3");
    set_ok(t, s, "A.isn=7");
    set_ok(t, s, "B.variant=isn-zero");
    set_ok(t, s, "B.autoread=off");
    set_ok(t, s, "B.profile=linux");
    CHECK(s->host[0].has_addr);
    CHECK_EQ_U64(s->host[0].addr, 0x0A010203u);
    CHECK_EQ_INT(s->host[0].isn_policy, ISN_FIXED);
    CHECK_EQ_U64(s->host[0].isn_fixed, 7);
    CHECK(s->host[1].variants.isn_zero);
    CHECK(s->host[1].has_autoread && !s->host[1].autoread);
    CHECK(s->host[1].has_profile);
    CHECK_EQ_INT(s->host[1].profile, PROFILE_LINUX);
    set_ok(t, s, "A.addr=10.1.2.4"); /* replaces, no duplicate error */
    CHECK_EQ_U64(s->host[0].addr, 0x0A010204u);
    scn_free(s);
}

TEST(set_link_parameters)
{
    struct scn *s = parse(t, base);
    if (!s)
        return;
    set_ok(t, s, "A>B.loss=5%");
    CHECK_EQ_U64(s->link[0].v.loss.num, 1);
    CHECK_EQ_U64(s->link[0].v.loss.den, 20);
    set_ok(t, s, "link.delay=20ms");
    CHECK_EQ_U64(s->link[0].v.delay, sim_ms(20));
    CHECK_EQ_U64(s->link[1].v.delay, sim_ms(20));
    CHECK(s->link[1].mask & SCN_LP_DELAY);
    set_ok(t, s, "B>A.jitter=normal 2ms");
    CHECK_EQ_INT(s->link[1].v.jitter_kind, JITTER_NORMAL);
    CHECK_EQ_U64(s->link[1].v.jitter, sim_ms(2));
    CHECK(!(s->link[0].mask & SCN_LP_JITTER));
    set_ok(t, s, "B>A.reorder=10% by 5ms");
    CHECK_EQ_U64(s->link[1].v.reorder_delay, sim_ms(5));
    scn_free(s);
}

TEST(set_errors_name_the_argument_and_column)
{
    struct scn *s = parse(t, base);
    if (!s)
        return;
    set_fails(t, s, "seed", "--set:1:1: error: expected KEY=VALUE near 'seed'");
    set_fails(t, s, "=5", "--set:1:1: error: missing key before '=' near '=5'");
    set_fails(t, s, "seed=", "--set:1:6: error: missing value after '='");
    set_fails(t, s, "bogus=1",
              "--set:1:1: error: unknown --set key (use seed, profile, a profile key, A.OPTION, "
              "B.OPTION, A>B.PARAM, B>A.PARAM, link.PARAM or limit.NAME) near 'bogus'");
    set_fails(t, s, "C.addr=1",
              "--set:1:1: error: unknown --set key (use seed, profile, a profile key, A.OPTION, "
              "B.OPTION, A>B.PARAM, B>A.PARAM, link.PARAM or limit.NAME) near 'C.addr'");
    set_fails(t, s, "A.=1",
              "--set:1:1: error: unknown --set key (use seed, profile, a profile key, A.OPTION, "
              "B.OPTION, A>B.PARAM, B>A.PARAM, link.PARAM or limit.NAME) near 'A.'");
    set_fails(t, s, "time_wait=10sx",
              "--set:1:11: error: unknown time unit 'sx' (use ns, us, ms, s or min) near '10sx'");
    set_fails(t, s, "seed=99999999999999999999",
              "--set:1:6: error: number does not fit in 64 bits near '99999999999999999999'");
    set_fails(t, s, "A.adr=1",
              "--set:1:3: error: unknown host option 'adr' (did you mean 'addr'?) near 'adr'");
    set_fails(t, s, "A>B.dealy=5ms",
              "--set:1:5: error: unknown link parameter (did you mean 'delay'?) near 'dealy'");
    set_fails(t, s, "A>B.loss=5% 6%",
              "--set:1:13: error: unknown link parameter (parameters are delay, jitter, loss, "
              "burst, duplicate, corrupt, reorder, rate, queue, mtu, down, up) near '6%'");
    set_fails(t, s, "A.addr=한국", "--set:1:8: error: expected an IPv4 address such as 10.0.0.1 "
                                  "near '한국'");
    set_fails(t, s, "profile=bsd",
              "--set:1:9: error: unknown profile 'bsd' (profiles are rfc9293 and linux) near "
              "'bsd'");
    set_fails(t, s, "title=\"x\"",
              "--set:1:1: error: unknown --set key (use seed, profile, a profile key, A.OPTION, "
              "B.OPTION, A>B.PARAM, B>A.PARAM, link.PARAM or limit.NAME) near 'title'");
    set_fails(t, s, "seed=\"1\"", "--set:1:6: error: expected seed number, not a quoted string "
                                  "near '\"1\"'");
    set_fails(t, s, "seed=1\x01", "--set:1:7: error: control character U+0001");
    size_t nsettings = s->nsettings;
    set_fails(t, s, "A.addr=10.0.0.9 time_wait 1s bogus",
              "--set:1:30: error: unknown host option 'bogus' (options are addr, isn, window, "
              "mss, variant, autoread, profile and profile keys) near 'bogus'");
    /* failed overrides changed nothing, not even the part before the error */
    CHECK_EQ_U64(s->seed, 1);
    CHECK_EQ_INT(s->profile, PROFILE_RFC9293);
    CHECK(!s->host[0].has_addr);
    CHECK_EQ_INT(s->nsettings, nsettings);
    scn_free(s);
}

TEST(set_checks_the_whole_scenario_again)
{
    struct scn *s = parse(t, "host A addr 10.0.0.1\nhost B addr 10.0.0.2\nat 0s B listen 80\n");
    if (!s)
        return;
    struct scn_error err;
    CHECK(!scn_set(s, "B.addr=10.0.0.1", &err));
    CHECK_STR(err.message, "hosts A and B have the same address");
    scn_free(s);
}

TEST(limits_are_lowered_by_file_and_override_never_raised)
{
    static const char text[] = "limit events 1000\nlimit bytes 1KB\nat 0s B listen 80\n";
    struct scn *s = parse(t, text);
    if (!s)
        return;
    struct sim_config def, cfg;
    struct scn_error err;
    sim_config_defaults(&def);
    set_ok(t, s, "limit.segments=200");
    set_ok(t, s, "limit.events=500"); /* an override replaces the file's line */
    set_ok(t, s, "limit.time=2s");
    set_fails(t, s, "limit.segments=1000001",
              "--set:1:16: error: the segment limit must be between 1 and 1000000 near '1000001'");
    CHECK(scn_config(s, &cfg, &err));
    CHECK_EQ_U64(cfg.limits.max_events, 500);
    CHECK_EQ_U64(cfg.limits.max_bytes, 1000);
    CHECK_EQ_U64(cfg.limits.max_segments, 200);
    CHECK_EQ_INT(cfg.limits.max_time, sim_s(2));
    scn_free(s);
    s = parse(t, "at 0s B listen 80\n");
    if (!s)
        return;
    CHECK(scn_config(s, &cfg, &err));
    CHECK(memcmp(&cfg.limits, &def.limits, sizeof def.limits) == 0);
    scn_free(s);
}

TEST(config_applies_defaults_profile_settings_and_links)
{
    struct scn *s = parse(t, "seed 77\n"
                             "profile linux\n"
                             "set time_wait 60s\n"
                             "host A time_wait 30s window 1000 addr 10.9.9.1 isn 5 "
                             "variant two-way-handshake\n"
                             "host B profile rfc9293 mss 536\n"
                             "link A>B loss 20% mtu 576\n"
                             "at 0s B listen 80\n");
    if (!s)
        return;
    struct sim_config def, cfg;
    struct scn_error err;
    sim_config_defaults(&def);
    CHECK(scn_config(s, &cfg, &err));
    CHECK_EQ_U64(cfg.seed, 77);
    CHECK_EQ_INT(cfg.host[0].name, 'A');
    CHECK_EQ_INT(cfg.host[1].name, 'B');
    CHECK_EQ_U64(cfg.host[0].addr, 0x0A090901u);
    CHECK_EQ_U64(cfg.host[1].addr, def.host[1].addr);
    CHECK_EQ_INT(cfg.host[0].isn_policy, ISN_FIXED);
    CHECK_EQ_U64(cfg.host[0].isn_fixed, 5);
    CHECK_EQ_INT(cfg.host[1].isn_policy, def.host[1].isn_policy);
    CHECK(cfg.host[0].variants.two_way_handshake);
    CHECK(!cfg.host[1].variants.two_way_handshake);
    CHECK_EQ_INT(cfg.host[0].profile.id, PROFILE_LINUX);
    CHECK_EQ_INT(cfg.host[1].profile.id, PROFILE_RFC9293);
    /* the host's own line comes after the global set, so it wins for A */
    CHECK_EQ_U64(cfg.host[0].profile.time_wait, sim_s(30));
    CHECK_EQ_U64(cfg.host[1].profile.time_wait, sim_s(60));
    CHECK_EQ_U64(cfg.host[0].profile.rcv_wnd, 1000);
    CHECK_EQ_U64(cfg.host[1].profile.mss, 536);
    struct tcp_profile linux_defaults;
    profile_defaults(&linux_defaults, PROFILE_LINUX);
    CHECK_EQ_U64(cfg.host[0].profile.rto_min, linux_defaults.rto_min);
    CHECK_EQ_U64(cfg.link[0].loss.num, 1);
    CHECK_EQ_U64(cfg.link[0].loss.den, 5);
    CHECK_EQ_U64(cfg.link[0].mtu, 576);
    CHECK_EQ_U64(cfg.link[0].delay, def.link[0].delay);
    CHECK_EQ_U64(cfg.link[1].loss.num, def.link[1].loss.num);
    CHECK_EQ_U64(cfg.link[1].mtu, def.link[1].mtu);

    /* a command-line override comes last and wins for both hosts */
    struct scn_error e2;
    CHECK(scn_set(s, "time_wait=10s", &e2));
    CHECK(scn_set(s, "link.delay=40ms", &e2));
    CHECK(scn_set(s, "seed=3", &e2));
    CHECK(scn_config(s, &cfg, &err));
    CHECK_EQ_U64(cfg.host[0].profile.time_wait, sim_s(10));
    CHECK_EQ_U64(cfg.host[1].profile.time_wait, sim_s(10));
    CHECK_EQ_U64(cfg.link[0].delay, sim_ms(40));
    CHECK_EQ_U64(cfg.link[1].delay, sim_ms(40));
    CHECK_EQ_U64(cfg.link[0].mtu, 576);
    CHECK_EQ_U64(cfg.seed, 3);
    scn_free(s);
}

TEST(config_without_seed_or_profile_keeps_defaults)
{
    struct scn *s = parse(t, "at 0s B listen 80\n");
    if (!s)
        return;
    struct sim_config def, cfg;
    struct scn_error err;
    sim_config_defaults(&def);
    CHECK(scn_config(s, &cfg, &err));
    CHECK_EQ_U64(cfg.seed, def.seed);
    CHECK_EQ_INT(cfg.host[0].profile.id, def.host[0].profile.id);
    CHECK_EQ_U64(cfg.host[0].profile.time_wait, def.host[0].profile.time_wait);
    CHECK_EQ_U64(cfg.host[0].addr, def.host[0].addr);
    CHECK_EQ_U64(cfg.link[0].delay, def.link[0].delay);
    CHECK_EQ_U64(cfg.link[1].delay, def.link[1].delay);
    scn_free(s);
}

/* The notes of the variant records a run emits, one line each: "B: lesson variants now: ...". */
struct variant_log {
    char text[1024];
};

static void log_variant(void *ctx, const struct trace_rec *r)
{
    struct variant_log *log = ctx;
    if (r->ev != TR_APP || r->u.app.action != APP_VARIANT)
        return;
    size_t n = strlen(log->text);
    snprintf(log->text + n, sizeof log->text - n, "%c%s: %s\n", r->host, r->nonstandard ? "!" : "",
             r->note);
}

TEST(build_tracks_each_hosts_variants)
{
    struct scn *s = parse(t, "host B variant time-wait-zero\n"
                             "at 0s B listen 80\n"
                             "at 1s B variant two-way-handshake on\n"
                             "at 2s A variant isn-zero on\n"
                             "at 3s B variant time-wait-zero off\n"
                             "at 4s B variant two-way-handshake off\n"
                             "at 5s B variant two-way-handshake off\n");
    if (!s)
        return;
    struct variant_log log = {{0}};
    struct trace_sink sink = {.emit = log_variant, .ctx = &log};
    struct scn_error err;
    struct sim *sim = scn_build(s, &sink, &err);
    CHECK(sim != NULL);
    if (sim) {
        CHECK_EQ_INT(sim_run(sim), SIM_DONE);
        sim_destroy(sim);
    }
    CHECK_STR(log.text,
              "B!: lesson variants now: two-way-handshake on, isn-zero off, time-wait-zero on\n"
              "A!: lesson variants now: two-way-handshake off, isn-zero on, time-wait-zero off\n"
              "B!: lesson variants now: two-way-handshake on, isn-zero off, time-wait-zero off\n"
              "B: lesson variants now: two-way-handshake off, isn-zero off, time-wait-zero off\n"
              "B: lesson variants now: two-way-handshake off, isn-zero off, time-wait-zero off\n");

    /* an override of the host line is where the running set starts */
    struct variant_log log2 = {{0}};
    sink.ctx = &log2;
    set_ok(t, s, "B.variant=isn-zero");
    sim = scn_build(s, &sink, &err);
    CHECK(sim != NULL);
    if (sim) {
        sim_run(sim);
        sim_destroy(sim);
    }
    CHECK(strstr(log2.text, "B!: lesson variants now: two-way-handshake on, isn-zero on, "
                            "time-wait-zero on\n") == log2.text);
    scn_free(s);
}

int main(void)
{
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, set_replaces_seed_and_profile);
    RUN_TEST(&ctx, set_profile_keys_for_both_or_one_host);
    RUN_TEST(&ctx, set_host_options);
    RUN_TEST(&ctx, set_link_parameters);
    RUN_TEST(&ctx, set_errors_name_the_argument_and_column);
    RUN_TEST(&ctx, set_checks_the_whole_scenario_again);
    RUN_TEST(&ctx, limits_are_lowered_by_file_and_override_never_raised);
    RUN_TEST(&ctx, config_applies_defaults_profile_settings_and_links);
    RUN_TEST(&ctx, config_without_seed_or_profile_keeps_defaults);
    RUN_TEST(&ctx, build_tracks_each_hosts_variants);
    return test_finish(&ctx);
}
