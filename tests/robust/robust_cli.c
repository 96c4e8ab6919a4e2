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
#define TIMEOUT_S 300 /* wall-clock bound on any single run: only a hang reaches it */

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
    double seconds;      /* wall time */
    double cpu;          /* user + system time of the child */
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

/* Where a run's standard output goes. */
enum out_to { OUT_NULL, OUT_CAPTURE, OUT_FULL };

/* Runs tcpsim with args (NULL-terminated, without argv[0]); stdout kept when capture is set. */
static void run_tcpsim_to(const struct paths *p, const char *const *args, enum out_to to,
                          struct run *r)
{
    bool capture = to == OUT_CAPTURE;
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
        int full = to == OUT_FULL ? open("/dev/full", O_WRONLY) : -1;
        dup2(devnull, 0);
        dup2(capture ? op[1] : full >= 0 ? full : devnull, 1);
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
    r->cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
             (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (out) {
        out[nout] = '\0';
        r->out = out;
        r->nout = nout;
    }
}

static void run_tcpsim(const struct paths *p, const char *const *args, bool capture, struct run *r)
{
    run_tcpsim_to(p, args, capture ? OUT_CAPTURE : OUT_NULL, r);
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
        fprintf(stderr, "%s: %s: status %d after %.1f s%s, stderr:\n%s", t->name, what,
                r->status, r->seconds, r->timed_out ? " (timed out)" : "", r->err);
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

/* ---- hostile files: the malformed corpus at the command line --------------------------------- */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

CLI_TEST(every_bad_file_fails_with_its_message_and_status_2)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/scn/bad", P->src);
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    if (!d)
        return;
    char *names[512];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 512) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".scn") == 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    CHECK(n >= 40);
    for (size_t i = 0; i < n; i++) {
        char path[1400], want[2048], first[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "rb");
        bool got = f && fgets(first, sizeof first, f);
        if (f)
            fclose(f);
        CHECK(got);
        /* "# expect: bad/NAME.scn:L:C: error: ..." names the file as the CLI will. */
        char prefix[600];
        snprintf(prefix, sizeof prefix, "# expect: bad/%s", names[i]);
        bool has = got && strncmp(first, prefix, strlen(prefix)) == 0;
        CHECK(has);
        if (has) {
            size_t len = strcspn(first, "\r\n");
            first[len] = '\0';
            snprintf(want, sizeof want, "%s%s\n", path, first + strlen(prefix));
            expect_cmd(t, P, "run", path, NULL, NULL, 2, want);
            expect_cmd(t, P, "check", path, NULL, NULL, 2, want);
        }
        free(names[i]);
    }
}

/* ---- line ends, byte-order mark, final newline: all the same scenario ------------------------ */

static const char *const handshake[] = {
    "# the three-way handshake",
    "at 0s B listen 80",
    "at 0s A connect 40000 -> 80",
    "at 100ms A send \"hello\"",
    "expect segments",
    "  A>B S 0:0(0)",
    "  B>A S. 0:0(0) ack 1",
    "end",
    "expect delivered B \"hello\"",
    "expect final A ESTABLISHED",
};

static char *join(const char *bom, const char *eol, bool final_eol)
{
    size_t n = sizeof handshake / sizeof handshake[0], len = strlen(bom) + 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(handshake[i]) + strlen(eol);
    char *s = malloc(len);
    if (!s)
        return NULL;
    strcpy(s, bom);
    for (size_t i = 0; i < n; i++) {
        strcat(s, handshake[i]);
        if (i + 1 < n || final_eol)
            strcat(s, eol);
    }
    return s;
}

CLI_TEST(crlf_bom_and_missing_final_newline_run_the_same)
{
    static const struct { const char *name, *bom, *eol; bool final; } v[] = {
        { "lf.scn", "", "\n", true },
        { "crlf.scn", "", "\r\n", true },
        { "lf_nofinal.scn", "", "\n", false },
        { "crlf_nofinal.scn", "", "\r\n", false },
        { "bom_lf.scn", "\xef\xbb\xbf", "\n", true },
        { "bom_crlf_nofinal.scn", "\xef\xbb\xbf", "\r\n", false },
    };
    char *reference = NULL;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char *text = join(v[i].bom, v[i].eol, v[i].final);
        char *path = text ? write_text(P, v[i].name, text) : NULL;
        free(text);
        CHECK(path != NULL);
        if (!path)
            continue;
        const char *check[] = { "check", path, NULL };
        struct run r;
        run_tcpsim(P, check, true, &r);
        expect_run(t, &r, 0, "", v[i].name);
        CHECK(r.out && strcmp(r.out, "1 passed, 0 failed\n") == 0);
        run_free(&r);
        const char *run[] = { "run", path, NULL };
        run_tcpsim(P, run, true, &r);
        expect_run(t, &r, 0, "", v[i].name);
        CHECK(r.out && r.nout > 0);
        if (r.out && !reference) {
            reference = r.out;
            r.out = NULL;
        } else if (r.out && reference) {
            CHECK(strcmp(r.out, reference) == 0);
        }
        run_free(&r);
        free(path);
    }
    free(reference);
}

/* ---- long lines and big files ---------------------------------------------------------------- */

CLI_TEST(a_line_of_4096_bytes_is_accepted_and_a_huge_one_refused)
{
    size_t n = 4096;
    char *text = malloc(n + 64);
    CHECK(text != NULL);
    if (!text)
        return;
    memset(text, 'x', n);
    text[0] = '#';
    strcpy(text + n, "\nat 0s B listen 80\n");
    char *path = write_text(P, "line4096.scn", text);
    if (path)
        expect_cmd(t, P, "run", path, NULL, NULL, 0, "");
    free(path);
    free(text);
    /* One line of 3 MB without any line end: the file size limit speaks first. */
    size_t big = 3u << 20;
    text = malloc(big);
    CHECK(text != NULL);
    if (!text)
        return;
    memset(text, 'y', big);
    text[0] = '#';
    path = write_file(P, "oneline3mb.scn", text, big);
    char want[1200];
    snprintf(want, sizeof want, "%s:1:1: error: file is larger than 1048576 bytes\n", path);
    if (path)
        expect_cmd(t, P, "run", path, NULL, NULL, 2, want);
    free(path);
    free(text);
}

CLI_TEST(million_line_files_are_read_quickly_or_refused_with_a_message)
{
    /* 1,000,000 empty lines fit in 1 MiB: accepted, and quick. */
    size_t lines = 1000000;
    const char *tail = "at 0s B listen 80\n";
    char *text = malloc(lines * 2 + 64);
    CHECK(text != NULL);
    if (!text)
        return;
    memset(text, '\n', lines);
    strcpy(text + lines, tail);
    char *path = write_text(P, "million_empty.scn", text);
    struct run r;
    if (path) {
        const char *args[] = { "run", path, NULL };
        run_tcpsim(P, args, false, &r);
        expect_run(t, &r, 0, "", "a million empty lines");
        CHECK(r.cpu < 20.0);
    }
    free(path);
    /* 1,000,000 comment lines are 2 MB: refused by size. */
    for (size_t i = 0; i < lines; i++) {
        text[2 * i] = '#';
        text[2 * i + 1] = '\n';
    }
    strcpy(text + 2 * lines, tail);
    path = write_text(P, "million_comments.scn", text);
    char want[1200];
    if (path) {
        snprintf(want, sizeof want, "%s:1:1: error: file is larger than 1048576 bytes\n", path);
        expect_cmd(t, P, "check", path, NULL, NULL, 2, want);
    }
    free(path);
    /* As many at lines as fit in 1 MiB: the action limit, at the line that passes it. */
    size_t n = 0, len = strlen(tail);
    for (; (n + 1) * len < (1u << 20); n++)
        memcpy(text + n * len, tail, len);
    text[n * len] = '\0';
    path = write_text(P, "many_actions.scn", text);
    if (path) {
        snprintf(want, sizeof want, "%s:10001:1: error: too many actions (at most 10000)\n", path);
        expect_cmd(t, P, "run", path, NULL, NULL, 2, want);
    }
    free(path);
    free(text);
}

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

CLI_TEST(a_full_disk_is_reported_with_status_2)
{
    char *path = write_text(P, "full.scn", "at 0s B listen 80\nat 0s A connect 40000 -> 80\n");
    if (!path) {
        CHECK(path != NULL);
        return;
    }
    const char *run[] = { "run", path, NULL }, *check[] = { "check", path, NULL };
    struct run r;
    run_tcpsim_to(P, run, OUT_FULL, &r);
    expect_run(t, &r, 2, "tcpsim run: error: could not write the trace: No space left on device\n",
               "run > /dev/full");
    run_tcpsim_to(P, check, OUT_FULL, &r);
    expect_run(t, &r, 2,
               "tcpsim check: error: could not write the report: No space left on device\n",
               "check > /dev/full");
    free(path);
}

CLI_TEST(unreadable_and_empty_inputs_are_refused_with_status_2)
{
    char missing[1200], want[2600];
    snprintf(missing, sizeof missing, "%s/no-such-file.scn", P->scratch);
    snprintf(want, sizeof want, "%s: error: cannot open: No such file or directory\n", missing);
    expect_cmd(t, P, "run", missing, NULL, NULL, 2, want);
    snprintf(want, sizeof want, "%s: error: cannot read the file\n", P->scratch);
    expect_cmd(t, P, "run", P->scratch, NULL, NULL, 2, want);
    static const struct { const char *name, *text; } empty[] = {
        { "empty.scn", "" }, { "bom_only.scn", "\xef\xbb\xbf" }, { "comments.scn", "# nothing\r\n" },
    };
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
        char *path = write_text(P, empty[i].name, empty[i].text);
        if (!path)
            continue;
        snprintf(want, sizeof want, "%s:1:1: error: the scenario has no actions (add a line such "
                 "as 'at 0s B listen 80')\n", path);
        expect_cmd(t, P, "run", path, NULL, NULL, 2, want);
        free(path);
    }
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
    if (r.cpu > max_seconds || r.maxrss_kb > max_kb) {
        t->failures++;
        fprintf(stderr, "%s: %s took %.1f s of CPU and %ld kB (at most %.0f s, %ld kB)\n", t->name,
                name, r.cpu, r.maxrss_kb, max_seconds, max_kb);
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
    /* A delay of 292 years must not wrap around to none: nothing arrives within the day. */
    expect_limit(t, P, "huge_delay.scn",
                 "link both delay 9223372036s reorder 50% by 9223372036s\n"
                 "at 1s B listen 80\nat 1s A connect 40000 -> 80\n",
                 NULL, "simulated time", "time", 10, 200000);
    /* Zero delays and a 1 ms RTO probing a closed window: the segment limit (1,000,000). */
    expect_limit(t, P, "forever_probing.scn", prober, NULL, "segment", "segments", 60, 400000);
    /* 6.4 GB of sends in a 2 kB file: refused at 16 MiB, without ever holding the rest. */
    char text[4096] = "at 0s B listen 80\nat 0s A connect 40000 -> 80\n";
    for (int i = 0; i < 100; i++)
        strcat(text, "at 1s A send 64MiB\n");
    expect_limit(t, P, "enormous_sends.scn", text, NULL, "application byte", "bytes", 20, 300000);
}

/* ---- expensive expectations ------------------------------------------------------------------ */

CLI_TEST(a_thousand_content_expectations_over_16_mib_check_quickly)
{
    size_t cap = 64u << 10;
    char *text = malloc(cap);
    CHECK(text != NULL);
    if (!text)
        return;
    snprintf(text, cap, "set mss 8960\nat 0s B listen 80\nat 0s A connect 40000 -> 80\n"
                        "at 1s A send 16MiB\n");
    for (int i = 0; i < 1000; i++)
        strcat(text, "expect delivered B \"abc\"\n");
    char *path = write_text(P, "many_delivered.scn", text);
    free(text);
    if (!path)
        return;
    const char *args[] = { "check", path, NULL };
    struct run r;
    run_tcpsim(P, args, true, &r);
    expect_run(t, &r, 1, "", "1000 x expect delivered");
    CHECK(r.out && strstr(r.out, "0 passed, 1 failed\n"));
    if (r.cpu > 20.0) { /* CPU time: a busy machine does not make it fail */
        t->failures++;
        fprintf(stderr, "%s: took %.1f s of CPU time\n", t->name, r.cpu);
    }
    run_free(&r);
    free(path);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: robust_cli TCPSIM SOURCE_ROOT SCRATCH_DIR\n");
        return 2;
    }
    const struct paths paths = { argv[1], argv[2], argv[3] };
    struct test_ctx ctx = { 0 };
    RUN_CLI_TEST(&ctx, every_bad_file_fails_with_its_message_and_status_2, &paths);
    RUN_CLI_TEST(&ctx, crlf_bom_and_missing_final_newline_run_the_same, &paths);
    RUN_CLI_TEST(&ctx, a_line_of_4096_bytes_is_accepted_and_a_huge_one_refused, &paths);
    RUN_CLI_TEST(&ctx, million_line_files_are_read_quickly_or_refused_with_a_message, &paths);
    RUN_CLI_TEST(&ctx, numbers_beyond_64_bits_and_negative_values_are_refused_with_status_2, &paths);
    RUN_CLI_TEST(&ctx, unreadable_and_empty_inputs_are_refused_with_status_2, &paths);
    RUN_CLI_TEST(&ctx, a_full_disk_is_reported_with_status_2, &paths);
    RUN_CLI_TEST(&ctx, each_lowered_limit_stops_the_run_with_its_message, &paths);
    RUN_CLI_TEST(&ctx, the_built_in_limits_bound_hostile_scenarios, &paths);
    RUN_CLI_TEST(&ctx, a_thousand_content_expectations_over_16_mib_check_quickly, &paths);
    return test_finish(&ctx);
}
