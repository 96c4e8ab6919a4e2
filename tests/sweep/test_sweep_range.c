/* test_sweep_range.c: --set ranges of a sweep: exact expansion in every unit kind, the override
 * text of each value, and the exact error of each bad range. Run by meson (suite sweep). */
#include "sweep.h"
#include "testlib.h"

/* The values of a range joined by spaces. */
static void values(struct test_ctx *t, const char *arg, uint64_t count, const char *want)
{
    struct sweep_set s;
    struct sweep_error err;
    bool ok = sweep_set_parse(&s, arg, &err);
    CHECK(ok);
    if (!ok) {
        fprintf(stderr, "  %s: %s\n", arg, err.text);
        return;
    }
    CHECK(s.is_range);
    CHECK_EQ_U64(s.range.count, count);
    char all[2048] = "";
    size_t n = 0;
    for (uint64_t k = 0; k < s.range.count && n + SWEEP_VALUE_MAX + 1 < sizeof all; k++) {
        char v[SWEEP_VALUE_MAX];
        sweep_set_value(&s, k, v, sizeof v);
        n += (size_t)snprintf(all + n, sizeof all - n, "%s%s", k ? " " : "", v);
    }
    CHECK_STR(all, want);
}

static void fails(struct test_ctx *t, const char *arg, const char *want)
{
    struct sweep_set s;
    struct sweep_error err;
    CHECK(!sweep_set_parse(&s, arg, &err));
    CHECK_STR(err.text, want);
}

TEST(percentages_expand_exactly)
{
    values(t, "link.loss=0%..50%/10%", 6, "0% 10% 20% 30% 40% 50%");
    values(t, "link.loss=0%..50%/5%", 11, "0% 5% 10% 15% 20% 25% 30% 35% 40% 45% 50%");
    /* 0.1 is not a binary fraction: ten steps of it must land on 1% exactly */
    values(t, "A>B.loss=0%..1%/0.1%", 11, "0% 0.1% 0.2% 0.3% 0.4% 0.5% 0.6% 0.7% 0.8% 0.9% 1%");
    values(t, "link.loss=0.5%..2%/0.25%", 7, "0.5% 0.75% 1% 1.25% 1.5% 1.75% 2%");
}

TEST(times_expand_in_from_unit)
{
    values(t, "rto_min=1s..2s/250ms", 5, "1s 1.25s 1.5s 1.75s 2s");
    values(t, "A>B.delay=10ms..100ms/10ms", 10,
           "10ms 20ms 30ms 40ms 50ms 60ms 70ms 80ms 90ms 100ms");
    values(t, "rto_min=200ms..1s/200ms", 5, "200ms 400ms 600ms 800ms 1000ms");
    values(t, "link.delay=0ns..3us/1500ns", 3, "0ns 1500ns 3000ns");
    values(t, "link.jitter=0\xC2\xB5s..2\xC2\xB5s/0.5\xC2\xB5s", 5,
           "0\xC2\xB5s 0.5\xC2\xB5s 1\xC2\xB5s 1.5\xC2\xB5s 2\xC2\xB5s");
    /* minutes have a factor 3, so they are written in seconds */
    values(t, "time_wait=1min..2min/30s", 3, "60s 90s 120s");
}

TEST(numbers_sizes_and_rates)
{
    values(t, "mss=536..1460/462", 3, "536 998 1460");
    values(t, "A>B.burst=1..3/0.5", 5, "1 1.5 2 2.5 3");
    values(t, "A>B.queue=10..10/1", 1, "10");
    values(t, "x=1KiB..2KiB/256B", 5, "1KiB 1.25KiB 1.5KiB 1.75KiB 2KiB");
    values(t, "x=512..1KiB/256", 3, "512 768 1024"); /* a bare number goes with sizes */
    values(t, "A>B.rate=500kbps..2Mbps/500kbps", 4, "500kbps 1000kbps 1500kbps 2000kbps");
}

TEST(the_range_word_is_replaced_in_place)
{
    struct sweep_set s;
    struct sweep_error err;
    CHECK(sweep_set_parse(&s, "A>B.reorder=0%..10%/5% by 30ms", &err));
    CHECK(s.is_range);
    CHECK_STR(s.key, "A>B.reorder");
    char arg[SWEEP_ARG_MAX];
    CHECK(sweep_set_arg(&s, 1, arg, sizeof arg));
    CHECK_STR(arg, "A>B.reorder=5% by 30ms");
    CHECK(sweep_set_parse(&s, "link.jitter=normal 0ms..4ms/2ms", &err));
    CHECK(sweep_set_arg(&s, 2, arg, sizeof arg));
    CHECK_STR(arg, "link.jitter=normal 4ms");
    /* a plain set is no range and passes through */
    CHECK(sweep_set_parse(&s, "link.loss=5%", &err));
    CHECK(!s.is_range);
    CHECK(sweep_set_arg(&s, 0, arg, sizeof arg));
    CHECK_STR(arg, "link.loss=5%");
    char v[SWEEP_VALUE_MAX];
    sweep_set_value(&s, 0, v, sizeof v);
    CHECK_STR(v, "5%");
}

TEST(bad_ranges_say_where)
{
    fails(t, "link.loss=50%..0%/5%",
          "--set:1:16: error: the range runs backwards: TO is below FROM near '0%'");
    fails(t, "link.loss=0%..50%/0%", "--set:1:19: error: the step must be above zero near '0%'");
    fails(t, "link.loss=0%..50%/0.0%", "--set:1:19: error: the step must be above zero near '0.0%'");
    fails(t, "link.loss=0%..50ms/5%",
          "--set:1:15: error: unit mismatch: 0% is a percentage but 50ms is a time near '50ms'");
    fails(t, "rto_min=1s..2s/1%",
          "--set:1:16: error: unit mismatch: 1s is a time but 1% is a percentage near '1%'");
    fails(t, "mss=536..1460/1ms",
          "--set:1:15: error: unit mismatch: 536 is a plain number but 1ms is a time near '1ms'");
    fails(t, "link.loss=0%..50%",
          "--set:1:11: error: a range needs a step: FROM..TO/STEP near '0%..50%'");
    fails(t, "link.loss=0%..50%/7%",
          "--set:1:15: error: TO is not FROM plus a whole number of steps (the last value would "
          "be 49%) near '50%'");
    fails(t, "link.loss=..5%/1%",
          "--set:1:11: error: missing FROM in the range FROM..TO/STEP near '..5%/1%'");
    fails(t, "link.loss=1%../1%",
          "--set:1:11: error: missing TO in the range FROM..TO/STEP near '1%../1%'");
    fails(t, "link.loss=1x..5%/1%",
          "--set:1:11: error: unknown unit 'x' in a range (use a time, %, a size or a rate unit) "
          "near '1x'");
    fails(t, "link.loss=-1%..5%/1%",
          "--set:1:11: error: a range cannot hold negative values near '-1%'");
    fails(t, "link.loss=0%..100%/0.00001%",
          "--set:1:11: error: the range has more than 1000000 values near '0%..100%/0.00001%'");
    fails(t, "x=0..18446744073709551615/1",
          "--set:1:3: error: the range has more than 1000000 values near "
          "'0..18446744073709551615/1'");
    values(t, "x=0..1000000/1000000", 2, "0 1000000");
    fails(t, "link.loss=0%..1%/1% 0%..1%/1%",
          "--set:1:21: error: only one range per --set near '0%..1%/1%'");
    fails(t, "x=99999999999999999999..1/1",
          "--set:1:3: error: number does not fit in 64 bits near '99999999999999999999'");
    fails(t, "x=18446744073709551615min..1min/1min",
          "--set:1:3: error: the range's numbers are too large to expand exactly near "
          "'18446744073709551615min..1min/1min'");
    /* columns count UTF-8 characters, as scenario errors do */
    fails(t, "link.delay=1\xC2\xB5s..0\xC2\xB5s/1\xC2\xB5s",
          "--set:1:17: error: the range runs backwards: TO is below FROM near '0\xC2\xB5s'");
}

int main(void)
{
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, percentages_expand_exactly);
    RUN_TEST(&ctx, times_expand_in_from_unit);
    RUN_TEST(&ctx, numbers_sizes_and_rates);
    RUN_TEST(&ctx, the_range_word_is_replaced_in_place);
    RUN_TEST(&ctx, bad_ranges_say_where);
    return test_finish(&ctx);
}
