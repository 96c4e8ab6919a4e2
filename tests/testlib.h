/* testlib.h: the project's tiny unit-test harness: TEST cases, CHECK assertions that report
 * file:line and keep going, and a summary line "N passed, N failed". Used by every tests/ program. */
#ifndef TCPSIM_TESTLIB_H
#define TCPSIM_TESTLIB_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct test_ctx {
    const char *name;
    int failures;   /* failed checks in the current case */
    int passed, failed; /* cases */
};

#define TEST(fn) static void fn(struct test_ctx *t)

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            t->failures++;                                                                   \
            fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__, t->name,    \
                    #cond);                                                                  \
        }                                                                                    \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                                   \
    do {                                                                                     \
        long long va_ = (long long)(a), vb_ = (long long)(b);                                \
        if (va_ != vb_) {                                                                    \
            t->failures++;                                                                   \
            fprintf(stderr, "%s:%d: %s: %s == %s failed: %lld != %lld\n", __FILE__, __LINE__, \
                    t->name, #a, #b, va_, vb_);                                              \
        }                                                                                    \
    } while (0)

#define CHECK_EQ_U64(a, b)                                                                   \
    do {                                                                                     \
        uint64_t va_ = (uint64_t)(a), vb_ = (uint64_t)(b);                                   \
        if (va_ != vb_) {                                                                    \
            t->failures++;                                                                   \
            fprintf(stderr, "%s:%d: %s: %s == %s failed: %" PRIu64 " != %" PRIu64 "\n",      \
                    __FILE__, __LINE__, t->name, #a, #b, va_, vb_);                          \
        }                                                                                    \
    } while (0)

#define CHECK_STR(a, b)                                                                      \
    do {                                                                                     \
        const char *sa_ = (a), *sb_ = (b);                                                   \
        if (!sa_ || !sb_ || strcmp(sa_, sb_) != 0) {                                         \
            t->failures++;                                                                   \
            fprintf(stderr, "%s:%d: %s: %s == %s failed:\n  got:      %s\n  expected: %s\n", \
                    __FILE__, __LINE__, t->name, #a, #b, sa_ ? sa_ : "(null)",               \
                    sb_ ? sb_ : "(null)");                                                   \
        }                                                                                    \
    } while (0)

/* A ratio observed/expected within a relative tolerance, e.g. CHECK_NEAR(rate, 0.1, 0.05). */
#define CHECK_NEAR(got, want, rel_tol)                                                       \
    do {                                                                                     \
        double g_ = (double)(got), w_ = (double)(want), tol_ = (double)(rel_tol);            \
        double d_ = g_ > w_ ? g_ - w_ : w_ - g_;                                             \
        if (d_ > tol_ * (w_ < 0 ? -w_ : w_)) {                                               \
            t->failures++;                                                                   \
            fprintf(stderr, "%s:%d: %s: %s = %g, expected %g within %g%%\n", __FILE__,       \
                    __LINE__, t->name, #got, g_, w_, tol_ * 100.0);                          \
        }                                                                                    \
    } while (0)

#define RUN_TEST(ctx, fn)                                                                    \
    do {                                                                                     \
        (ctx)->name = #fn;                                                                   \
        (ctx)->failures = 0;                                                                 \
        fn(ctx);                                                                             \
        if ((ctx)->failures) {                                                               \
            (ctx)->failed++;                                                                 \
            fprintf(stderr, "FAIL %s\n", #fn);                                               \
        } else {                                                                             \
            (ctx)->passed++;                                                                 \
        }                                                                                    \
    } while (0)

/* Prints the summary and returns the process exit status. */
static inline int test_finish(const struct test_ctx *ctx)
{
    printf("%d passed, %d failed\n", ctx->passed, ctx->failed);
    return ctx->failed ? 1 : 0;
}

#endif
