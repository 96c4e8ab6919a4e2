/* robust_cli.c: hostile inputs and limits against the real `tcpsim` binary: every malformed file
 * of tests/scn/bad through `run` and `check`, line ends, byte-order marks, long lines, huge and
 * million-line files, numbers beyond 64 bits, negative times, unreadable paths, and every run
 * limit reached with its message and exit status 2, quickly and in little memory.
 * Run by meson (suite 'robust') as: robust_cli TCPSIM SOURCE_ROOT SCRATCH_DIR. */
#define _DEFAULT_SOURCE /* wait4: the memory one child used */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#define ERR_MAX 16384
#define OUT_MAX (8u << 20)
#define TIMEOUT_S 60 /* a generous bound on any single run, sanitizer builds included */

struct paths {
    const char *tcpsim, *src, *scratch;
};

/* What one run of tcpsim did. */
struct run {
    int status;          /* exit status; 128 + signal if killed */
    bool timed_out;
    char err[ERR_MAX];   /* stderr, cut at ERR_MAX - 1 bytes */
    char *out;           /* stdout if captured (NUL-terminated), else NULL */
    size_t nout;
    long maxrss_kb;
    double seconds;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads what is ready on fd into buf (cap bytes, then discards); false at end of file. */
static bool drain(int fd, char *buf, size_t *len, size_t cap)
{
    char tmp[65536];
    ssize_t n = read(fd, tmp, sizeof tmp);
    if (n < 0 && errno == EINTR)
        return true;
    if (n <= 0)
        return false;
    size_t take = *len + (size_t)n < cap ? (size_t)n : cap - *len;
    memcpy(buf + *len, tmp, take);
    *len += take;
    return true;
}

/* Runs tcpsim with args (NULL-terminated, without argv[0]); stdout kept when capture is set. */
static void run_tcpsim(const struct paths *p, const char *const *args, bool capture, struct run *r)
{
    r->status = -1;
    r->timed_out = false;
    r->err[0] = '\0';
    r->out = NULL;
    r->nout = 0;
    const char *argv[32];
    size_t n = 0;
    argv[n++] = p->tcpsim;
    for (size_t i = 0; args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    int ep[2], op[2] = { -1, -1 };
    if (pipe(ep) != 0 || (capture && pipe(op) != 0)) {
        perror("pipe");
        return;
    }
    double start = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 0);
        dup2(capture ? op[1] : devnull, 1);
        dup2(ep[1], 2);
        execv(argv[0], (char *const *)argv);
        perror(argv[0]);
        _exit(127);
    }
    close(ep[1]);
    if (capture)
        close(op[1]);
    char *out = capture ? malloc(OUT_MAX + 1) : NULL;
    size_t nerr = 0, nout = 0;
    bool err_open = true, out_open = capture;
    /* Bounded by the deadline: the child is killed when it passes. */
    while (err_open || out_open) {
        double left = start + TIMEOUT_S - now_s();
        if (left <= 0) {
            kill(pid, SIGKILL);
            r->timed_out = true;
            break;
        }
        struct pollfd pf[2] = { { ep[0], POLLIN, 0 }, { capture ? op[0] : -1, POLLIN, 0 } };
        if (poll(pf, 2, (int)(left * 1000) + 1) < 0 && errno != EINTR)
            break;
        if (err_open && (pf[0].revents & (POLLIN | POLLHUP)))
            err_open = drain(ep[0], r->err, &nerr, ERR_MAX - 1);
        if (out_open && (pf[1].revents & (POLLIN | POLLHUP)))
            out_open = drain(op[0], out, &nout, OUT_MAX);
    }
    r->err[nerr] = '\0';
    close(ep[0]);
    if (capture)
        close(op[0]);
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    r->seconds = now_s() - start;
    r->maxrss_kb = ru.ru_maxrss;
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (out) {
        out[nout] = '\0';
        r->out = out;
        r->nout = nout;
    }
}

static void run_free(struct run *r)
{
    free(r->out);
    r->out = NULL;
}

static char *scratch_path(const struct paths *p, const char *name)
{
    size_t n = strlen(p->scratch) + strlen(name) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", p->scratch, name);
    return s;
}

/* Writes len bytes to SCRATCH/name; returns the path (to free) or NULL. */
static char *write_file(const struct paths *p, const char *name, const void *data, size_t len)
{
    char *path = scratch_path(p, name);
    FILE *f = path ? fopen(path, "wb") : NULL;
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path ? path : name);
        free(path);
        return NULL;
    }
    return path;
}

static char *write_text(const struct paths *p, const char *name, const char *text)
{
    return write_file(p, name, text, strlen(text));
}

/* The run ended with status want and its stderr is exactly want_err (NULL: not checked). */
static bool expect_run(struct test_ctx *t, const struct run *r, int want, const char *want_err,
                       const char *what)
{
    bool ok = !r->timed_out && r->status == want && (!want_err || strcmp(r->err, want_err) == 0);
    if (!ok) {
        t->failures++;
        fprintf(stderr, "%s: %s: status %d%s, stderr:\n%s", t->name, what, r->status,
                r->timed_out ? " (timed out)" : "", r->err);
        if (want_err)
            fprintf(stderr, "  expected status %d, stderr:\n%s", want, want_err);
    }
    return ok;
}

/* Runs `tcpsim CMD FILE [extra...]` and expects status want and stderr want_err. */
static void expect_cmd(struct test_ctx *t, const struct paths *p, const char *cmd, const char *file,
                       const char *extra1, const char *extra2, int want, const char *want_err)
{
    const char *args[] = { cmd, file, extra1, extra2, NULL };
    struct run r;
    run_tcpsim(p, args, false, &r);
    char what[512];
    snprintf(what, sizeof what, "tcpsim %s %s %s %s", cmd, file, extra1 ? extra1 : "",
             extra2 ? extra2 : "");
    expect_run(t, &r, want, want_err, what);
}

/* A test case of this file: the harness context and where things are. */
#define CLI_TEST(fn) static void fn(struct test_ctx *t, const struct paths *P)
#define RUN_CLI_TEST(ctx, fn, paths)                                                         \
    do {                                                                                     \
        (ctx)->name = #fn;                                                                   \
        (ctx)->failures = 0;                                                                 \
        fn(ctx, paths);                                                                      \
        if ((ctx)->failures) {                                                               \
            (ctx)->failed++;                                                                 \
            fprintf(stderr, "FAIL %s\n", #fn);                                               \
        } else {                                                                             \
            (ctx)->passed++;                                                                 \
        }                                                                                    \
    } while (0)

/* ---- numbers beyond 64 bits, negative values, bad paths --------------------------------------- */

CLI_TEST(numbers_beyond_64_bits_and_negative_values_are_refused_with_status_2)
{
    char *path = write_text(P, "ok.scn", "at 0s B listen 80\nat 0s A connect 40000 -> 80\n");
    if (!path) {
        CHECK(path != NULL);
        return;
    }
    expect_cmd(t, P, "run", path, "--seed", "18446744073709551616", 2,
               "tcpsim: error: --seed 18446744073709551616: number does not fit in 64 bits\n");
    expect_cmd(t, P, "run", path, "--seed", "-1", 2,
               "tcpsim: error: --seed -1: negative numbers are not allowed\n");
    expect_cmd(t, P, "run", path, "--until", "18446744073709551616s", 2,
               "tcpsim run: error: bad time '18446744073709551616s' for --until (e.g. 500ms, 2s)\n");
    expect_cmd(t, P, "run", path, "--until", "-1s", 2,
               "tcpsim run: error: bad time '-1s' for --until (e.g. 500ms, 2s)\n");
    expect_cmd(t, P, "check", path, "--set", "A>B.delay=99999999999999999999s", 2,
               "--set:1:11: error: number does not fit in 64 bits near '99999999999999999999s'\n");
    expect_cmd(t, P, "run", path, "--set", "time_wait=-1s", 2,
               "--set:1:11: error: times cannot be negative near '-1s'\n");
    expect_cmd(t, P, "run", path, "--set", "limit.events=18446744073709551616", 2,
               "--set:1:14: error: number does not fit in 64 bits near '18446744073709551616'\n");
    /* A seed long enough to be cut by a fixed buffer must not become another seed. */
    char longseed[200];
    memset(longseed, '0', sizeof longseed - 2);
    longseed[sizeof longseed - 2] = '7';
    longseed[sizeof longseed - 1] = '\0';
    const char *a7[] = { "run", path, "--format", "jsonl", "--seed", longseed, NULL };
    const char *b7[] = { "run", path, "--format", "jsonl", "--seed", "7", NULL };
    struct run r1, r2;
    run_tcpsim(P, a7, true, &r1);
    run_tcpsim(P, b7, true, &r2);
    expect_run(t, &r1, 0, "", "--seed 000...007");
    CHECK(r1.out && r2.out && strcmp(r1.out, r2.out) == 0);
    run_free(&r1);
    run_free(&r2);
    free(path);
}

/* ---- run limits ------------------------------------------------------------------------------- */

/* A receiver whose application never reads: the sender probes its zero window for as long as
 * the run may last, every millisecond once the RTO is pinned at 1 ms. */
static const char prober[] = "host B window 100 autoread off\n"
                             "set rto_initial 1ms\nset rto_min 1ms\nset rto_max 1ms\n"
                             "link both delay 0s\n"
                             "at 0s B listen 80\nat 0s A connect 40000 -> 80\nat 1ms A send 1000\n";

static void expect_limit(struct test_ctx *t, const struct paths *P, const char *name,
                         const char *text, const char *set, const char *which, const char *key,
                         double max_seconds, long max_kb)
{
    char *path = write_text(P, name, text);
    if (!path) {
        CHECK(path != NULL);
        return;
    }
    char want[1400];
    snprintf(want, sizeof want, "tcpsim run: %s: stopped: the %s limit was reached (limit %s)\n",
             path, which, key);
    const char *args[] = { "run", path, set ? "--set" : NULL, set, NULL };
    struct run r;
    run_tcpsim(P, args, false, &r);
    expect_run(t, &r, 2, want, name);
    if (r.seconds > max_seconds || r.maxrss_kb > max_kb) {
        t->failures++;
        fprintf(stderr, "%s: %s took %.1f s and %ld kB (at most %.0f s, %ld kB)\n", t->name, name,
                r.seconds, r.maxrss_kb, max_seconds, max_kb);
    }
    free(path);
}

CLI_TEST(each_lowered_limit_stops_the_run_with_its_message)
{
    expect_limit(t, P, "limit_events.scn", prober, "limit.events=1000", "event", "events", 10,
                 200000);
    expect_limit(t, P, "limit_segments.scn", prober, "limit.segments=1000", "segment", "segments",
                 10, 200000);
    expect_limit(t, P, "limit_time.scn", prober, "limit.time=3s", "simulated time", "time", 10,
                 200000);
    /* check too: a run cut short is bad input there as well. */
    char *path = write_text(P, "limit_check.scn", prober);
    if (path) {
        char want[1400];
        snprintf(want, sizeof want, "tcpsim check: %s: stopped: the event limit was reached "
                 "(limit events)\n", path);
        expect_cmd(t, P, "check", path, "--set", "limit.events=50", 2, want);
        free(path);
    }
    static const char sender[] = "limit bytes 1000\nat 0s B listen 80\n"
                                 "at 0s A connect 40000 -> 80\nat 1s A send 600\nat 2s A send 600\n";
    expect_limit(t, P, "limit_bytes.scn", sender, NULL, "application byte", "bytes", 10, 200000);
}

CLI_TEST(the_built_in_limits_bound_hostile_scenarios)
{
    /* 100 % loss, every retry allowed, the largest RTO: the day runs out first. */
    expect_limit(t, P, "forever_retrying.scn",
                 "link both loss 100%\nset syn_retries 255\nset rto_initial 86400s\n"
                 "set rto_max 86400s\nat 0s B listen 80\nat 0s A connect 40000 -> 80\n",
                 NULL, "simulated time", "time", 10, 200000);
    /* Zero delays and a 1 ms RTO probing a closed window: the segment limit (1,000,000). */
    expect_limit(t, P, "forever_probing.scn", prober, NULL, "segment", "segments", TIMEOUT_S,
                 400000);
    /* 6.4 GB of sends in a 2 kB file: refused at 16 MiB, without ever holding the rest. */
    char text[4096] = "at 0s B listen 80\nat 0s A connect 40000 -> 80\n";
    for (int i = 0; i < 100; i++)
        strcat(text, "at 1s A send 64MiB\n");
    expect_limit(t, P, "enormous_sends.scn", text, NULL, "application byte", "bytes", 20, 300000);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: robust_cli TCPSIM SOURCE_ROOT SCRATCH_DIR\n");
        return 2;
    }
    const struct paths paths = { argv[1], argv[2], argv[3] };
    struct test_ctx ctx = { 0 };
    RUN_CLI_TEST(&ctx, numbers_beyond_64_bits_and_negative_values_are_refused_with_status_2, &paths);
    RUN_CLI_TEST(&ctx, each_lowered_limit_stops_the_run_with_its_message, &paths);
    RUN_CLI_TEST(&ctx, the_built_in_limits_bound_hostile_scenarios, &paths);
    return test_finish(&ctx);
}
