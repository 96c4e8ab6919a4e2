/* test_sweep_cli.c: `tcpsim sweep` as a user runs it: the CSV read back (N rows per value, in
 * order), byte-identical files for 1, 2 and 3 jobs, the summary, and exact errors with exit
 * status 2. Run by meson (suite sweep) with the tcpsim binary, the scenario folders and a
 * scratch folder. */
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "testlib.h"

static const char *tcpsim, *scenarios_dir, *tests_dir, *scratch;

/* Runs tcpsim with args (NULL-terminated, after the program name), stdout and stderr to files
 * in the scratch folder named after tag; returns the exit status, -1 if it did not exit. */
static int run(const char *tag, const char *const *args)
{
    char *argv[64];
    size_t n = 0;
    argv[n++] = (char *)tcpsim;
    for (; args[n - 1] && n < 63; n++)
        argv[n] = (char *)args[n - 1];
    argv[n] = NULL;
    char out[1024], err[1024];
    snprintf(out, sizeof out, "%s/%s.stdout", scratch, tag);
    snprintf(err, sizeof err, "%s/%s.stderr", scratch, tag);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    extern char **environ;
    int rc = posix_spawn(&pid, tcpsim, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    int status = 0;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

/* A scratch file's bytes, NUL-terminated (the caller frees them); NULL if missing. */
static char *slurp(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", scratch, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1u << 22);
    size_t n = buf ? fread(buf, 1, (1u << 22) - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static const char *path(char *buf, size_t size, const char *dir, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
    return buf;
}

/* Splits the next CSV line (no quoted commas expected in these columns) into fields. */
static size_t fields(char **line, char **f, size_t max)
{
    char *p = *line, *end = strchr(p, '\n');
    if (!end)
        return 0;
    *end = '\0';
    *line = end + 1;
    size_t n = 0;
    for (char *q = p; n < max; n++) {
        f[n] = q;
        char *c = strchr(q, ',');
        if (!c) {
            n++;
            break;
        }
        *c = '\0';
        q = c + 1;
    }
    return n;
}

TEST(rows_per_value_in_order)
{
    char scn[1024], out[1024];
    snprintf(out, sizeof out, "%s/rows.csv", scratch);
    const char *args[] = {"sweep", path(scn, sizeof scn, tests_dir, "small.scn"), "--seeds", "4",
                          "--set", "link.loss=0%..50%/10%", "--set", "time_wait=1s",
                          "--out", out, NULL};
    CHECK_EQ_INT(run("rows", args), 0);
    char *csv = slurp("rows.csv"), *p = csv;
    CHECK(csv != NULL);
    if (!csv)
        return;
    char *f[16];
    CHECK_EQ_INT(fields(&p, f, 16), 9);
    CHECK_STR(f[0], "link.loss");
    CHECK_STR(f[1], "seed");
    CHECK_STR(f[8], "delivered_bytes");
    static const char *const want[] = {"0%", "10%", "20%", "30%", "40%", "50%"};
    size_t rows = 0;
    for (size_t v = 0; v < 6; v++)
        for (int seed = 1; seed <= 4; seed++) {
            size_t n = fields(&p, f, 16);
            CHECK_EQ_INT(n, 9);
            if (n != 9)
                continue;
            rows++;
            CHECK_STR(f[0], want[v]);
            CHECK_EQ_INT(atoi(f[1]), seed);
            if (v == 0) { /* no loss: every run is the same lifecycle */
                CHECK_STR(f[2], "completed");
                CHECK_STR(f[3], "passed");
                CHECK_STR(f[4], "40000000");
                CHECK_STR(f[5], "1040000000");
                CHECK_STR(f[6], "0");
                CHECK_STR(f[8], "200");
            }
        }
    CHECK_EQ_U64(rows, 24);
    CHECK_STR(p, ""); /* nothing after the last run */
    free(csv);
}

TEST(jobs_give_identical_files)
{
    char scn[1024], out[1024], sum[1024], tag[32];
    char *first_rows = NULL, *first_sum = NULL;
    for (int j = 1; j <= 3; j++) {
        char jobs[8];
        snprintf(jobs, sizeof jobs, "%d", j);
        snprintf(out, sizeof out, "%s/jobs%d.csv", scratch, j);
        snprintf(sum, sizeof sum, "%s/jobs%d-summary.csv", scratch, j);
        snprintf(tag, sizeof tag, "jobs%d", j);
        const char *args[] = {"sweep", path(scn, sizeof scn, tests_dir, "lossy-small.scn"),
                              "--seeds", "25", "--set", "A>B.delay=10ms..30ms/10ms",
                              "--set", "link.loss=0%..40%/20%", "--jobs", jobs, "--out", out,
                              "--summary", sum, NULL};
        CHECK_EQ_INT(run(tag, args), 0);
        snprintf(out, sizeof out, "jobs%d.csv", j);
        snprintf(sum, sizeof sum, "jobs%d-summary.csv", j);
        char *rows = slurp(out), *s = slurp(sum);
        CHECK(rows && s);
        if (j == 1) {
            first_rows = rows;
            first_sum = s;
            continue;
        }
        CHECK(rows && first_rows && strcmp(rows, first_rows) == 0);
        CHECK(s && first_sum && strcmp(s, first_sum) == 0);
        free(rows);
        free(s);
    }
    /* the runs differ from each other: the comparison was not of constant rows */
    CHECK(first_rows && strstr(first_rows, "failed: ") && strstr(first_rows, ",completed,"));
    /* the summary: a header and one row per combination (3 x 3), 25 runs each */
    char *p = first_sum, *f[16];
    size_t nrows = 0;
    CHECK(p && fields(&p, f, 16) == 11);
    CHECK(p && strcmp(f[2], "runs") == 0 && strcmp(f[10], "total_p90_ns") == 0);
    while (p && *p && nrows < 20) {
        CHECK_EQ_INT(fields(&p, f, 16), 11);
        CHECK_STR(f[2], "25");
        nrows++;
    }
    CHECK_EQ_U64(nrows, 9);
    free(first_rows);
    free(first_sum);
}

TEST(summary_of_a_known_scenario)
{
    char scn[1024], sum[1024];
    snprintf(sum, sizeof sum, "%s/known-summary.csv", scratch);
    const char *args[] = {"sweep", path(scn, sizeof scn, scenarios_dir, "04-full-lifecycle.scn"),
                          "--seeds", "3", "--set", "link.delay=10ms..20ms/10ms", "--summary",
                          sum, NULL};
    CHECK_EQ_INT(run("known", args), 0);
    char *s = slurp("known-summary.csv");
    CHECK_STR(s, "link.delay,runs,failures,handshake_runs,handshake_mean_ns,handshake_median_ns,"
                 "handshake_p90_ns,total_mean_ns,total_median_ns,total_p90_ns\n"
                 "10ms,3,0,3,20000000,20000000,20000000,420000000,420000000,420000000\n"
                 "20ms,3,0,3,40000000,40000000,40000000,440000000,440000000,440000000\n");
    free(s);
    char *rows = slurp("known.stdout"); /* without --out the rows go to standard output */
    CHECK(rows && strncmp(rows, "link.delay,seed,outcome,", 24) == 0);
    CHECK(rows && strstr(rows, "\n20ms,3,completed,failed 7/20,40000000,440000000,0,11,10\n"));
    free(rows);
}

static void fails(struct test_ctx *t, const char *tag, const char *const *args, const char *want)
{
    CHECK_EQ_INT(run(tag, args), 2);
    char name[64];
    snprintf(name, sizeof name, "%s.stderr", tag);
    char *err = slurp(name);
    CHECK(err && strncmp(err, want, strlen(want)) == 0);
    if (err && strncmp(err, want, strlen(want)) != 0)
        fprintf(stderr, "  got:      %s  expected: %s\n", err, want);
    free(err);
    snprintf(name, sizeof name, "%s.stdout", tag);
    char *out = slurp(name);
    CHECK_STR(out, ""); /* no CSV at all when the sweep cannot start */
    free(out);
}

TEST(bad_input_exits_2_with_a_clear_message)
{
    char scn[1024];
    path(scn, sizeof scn, tests_dir, "small.scn");
    const char *backwards[] = {"sweep", scn, "--seeds", "2", "--set", "link.loss=50%..0%/5%", NULL};
    fails(t, "backwards", backwards,
          "--set:1:16: error: the range runs backwards: TO is below FROM near '0%'\n");
    const char *zero[] = {"sweep", scn, "--seeds", "2", "--set", "A>B.delay=10ms..20ms/0s", NULL};
    fails(t, "zero", zero, "--set:1:22: error: the step must be above zero near '0s'\n");
    const char *units[] = {"sweep", scn, "--seeds", "2", "--set", "rto_min=200ms..1s/5%", NULL};
    fails(t, "units", units,
          "--set:1:19: error: unit mismatch: 200ms is a time but 5% is a percentage near '5%'\n");
    const char *range_value[] = {"sweep", scn, "--seeds", "2", "--set", "mss=0..1000/500", NULL};
    fails(t, "value", range_value, "--set:1:5: error: value out of range for 'mss' near '0'\n");
    const char *cap[] = {"sweep", scn, "--seeds", "1000000", "--set", "link.loss=0%..1%/1%", NULL};
    fails(t, "cap", cap, "tcpsim sweep: error: more than 1000000 runs: 1000000 seeds x 2 values "
                         "of link.loss (use fewer seeds or values)\n");
    const char *no_seeds[] = {"sweep", scn, NULL};
    fails(t, "noseeds", no_seeds, "tcpsim sweep: error: --seeds N is required\n");
    const char *zero_seeds[] = {"sweep", scn, "--seeds", "0", NULL};
    fails(t, "zeroseeds", zero_seeds,
          "tcpsim sweep: error: --seeds must be a whole number from 1 to 1000000 near '0'\n");
    const char *jobs[] = {"sweep", scn, "--seeds", "1", "--jobs", "999", NULL};
    fails(t, "jobs", jobs,
          "tcpsim sweep: error: --jobs must be a whole number from 1 to 256 near '999'\n");
    const char *missing[] = {"sweep", "no-such-file.scn", "--seeds", "1", NULL};
    fails(t, "missing", missing, "no-such-file.scn: error: cannot open: ");
    const char *unknown[] = {"sweep", scn, "--seeds", "1", "--graph", "x.png", NULL};
    fails(t, "unknown", unknown, "tcpsim sweep: error: unknown option '--graph'\n");
}

TEST(help_lists_the_columns)
{
    const char *args[] = {"sweep", "--help", NULL};
    CHECK_EQ_INT(run("help", args), 0);
    char *h = slurp("help.stdout");
    CHECK(h && strstr(h, "usage: tcpsim sweep FILE.scn --seeds N"));
    CHECK(h && strstr(h, "seed, outcome, expect, handshake_ns, total_ns,"));
    CHECK(h && strstr(h, "retransmits, segments, delivered_bytes"));
    free(h);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: test_sweep_cli TCPSIM SCENARIOS_DIR TESTS_SWEEP_DIR SCRATCH_DIR\n");
        return 2;
    }
    tcpsim = argv[1];
    scenarios_dir = argv[2];
    tests_dir = argv[3];
    scratch = argv[4];
    struct test_ctx ctx = {0};
    RUN_TEST(&ctx, rows_per_value_in_order);
    RUN_TEST(&ctx, jobs_give_identical_files);
    RUN_TEST(&ctx, summary_of_a_known_scenario);
    RUN_TEST(&ctx, bad_input_exits_2_with_a_clear_message);
    RUN_TEST(&ctx, help_lists_the_columns);
    return test_finish(&ctx);
}
