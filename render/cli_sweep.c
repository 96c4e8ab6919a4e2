/* cli_sweep.c: `tcpsim sweep`: reads its options and the scenario, plans the runs, spreads them
 * over worker processes and writes the per-run CSV, the summary CSV and (in builds with the SDL2
 * front end) the summary as a chart. Called by main.c. */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"

#ifdef TCPSIM_HAVE_GUI
#include "gui_plot.h"
#endif

#if defined(__GLIBC__)
#include <malloc.h>
#endif

static void usage(FILE *f)
{
    fputs("usage: tcpsim sweep FILE.scn --seeds N [--set KEY=FROM..TO/STEP]... [--set KEY=VALUE]...\n"
          "                    [--jobs J] [--out FILE.csv] [--summary FILE.csv]\n"
          "                    [--plot FILE.png [--plot-size WxH]]\n"
          "Runs the scenario with seeds 1..N for every combination of the ranged settings and\n"
          "writes one CSV row per run.\n"
          "  --seeds N                 seeds 1 to N for each combination\n"
          "  --set KEY=FROM..TO/STEP   sweep a setting over FROM, FROM+STEP, ... up to exactly TO,\n"
          "                            in one kind of unit: link.loss=0%..50%/5%,\n"
          "                            A>B.delay=10ms..100ms/10ms, rto_min=200ms..1s/200ms,\n"
          "                            window=1000..8000/1000; values are written in FROM's unit\n"
          "  --set KEY=VALUE           override a setting in every run (scenarios/README.md)\n"
          "  --jobs J                  worker processes (1 to 256); the output is the same for any J\n"
          "  --out FILE                the per-run CSV (default: standard output)\n"
          "  --summary FILE            also a CSV with one row per combination\n"
          "  --plot FILE.png           also the summary as a chart: handshake time (median, 90th\n"
          "                            percentile) and failed runs against the first range, one\n"
          "                            line per value of the other ranges (at most 10 lines);\n"
          "                            needs a build with the SDL2 front end\n"
          "  --plot-size WxH           the chart's size in pixels (default 1280x720)\n"
          "Runs: the first range varies slowest, the seed fastest; overrides apply in the order\n"
          "given, the seed last. At most 1000000 runs.\n"
          "Per-run columns: one per range (its KEY), seed, outcome, expect, handshake_ns, total_ns,\n"
          "retransmits, segments, delivered_bytes.\n"
          "  outcome      completed: the first connect reached ESTABLISHED, every byte an\n"
          "               application sent was delivered, no error was reported and every\n"
          "               connection ended CLOSED or in TIME_WAIT; otherwise 'failed: ' and the\n"
          "               first of: the error reported ('A: connection refused'), no connect,\n"
          "               not established, 'B got N of M bytes', 'not closed: B in LAST_ACK';\n"
          "               'limit: max_events' (or another limit) when the run hit one\n"
          "  expect       the scenario's expect lines: passed, 'failed N/M' (N of its M failed),\n"
          "               or empty when it has none\n"
          "  handshake_ns from the first connect call to that socket's ESTABLISHED (empty if never)\n"
          "  total_ns     the simulated time (from 0) of the last segment sent or received, state\n"
          "               change or application event, leaving out the TIME_WAIT expiry (and\n"
          "               timers and captions): when the connection's work was done\n"
          "  retransmits  segments carrying data, SYN or FIN that start below the highest sequence\n"
          "               number their socket had sent\n"
          "  segments     segments sent, whatever the link did to them; delivered_bytes: bytes\n"
          "               handed to both applications\n"
          "Summary columns: one per range, runs, failures (outcome not completed), handshake_runs,\n"
          "handshake_mean_ns, handshake_median_ns, handshake_p90_ns (over the runs with a\n"
          "handshake), total_mean_ns, total_median_ns, total_p90_ns (over every run). Means are\n"
          "rounded to the nearest ns; median and p90 are nearest-rank (ranks ceil(n/2), ceil(9n/10)).\n"
          "Exit status: 0 every run was made (failed runs are data), 2 bad usage, input or output.\n",
          f);
}

/* A whole number from lo to hi, digits only. */
static bool read_count(const char *opt, const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    uint64_t v = 0;
    size_t n = strlen(s);
    bool ok = n > 0 && n <= 19 && strspn(s, "0123456789") == n;
    for (size_t i = 0; ok && i < n; i++)
        v = v * 10 + (uint64_t)(s[i] - '0');
    if (!ok || v < lo || v > hi) {
        fprintf(stderr, "tcpsim sweep: error: %s must be a whole number from %" PRIu64 " to %" PRIu64
                " near '%.40s'\n", opt, lo, hi, s);
        return false;
    }
    *out = v;
    return true;
}

/* The scenario file's bytes (at most one more than the limit, so the parser reports it). */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: error: cannot open: %s\n", path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(SCN_MAX_FILE_BYTES + 1);
    size_t n = buf ? fread(buf, 1, SCN_MAX_FILE_BYTES + 1, f) : 0;
    bool bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: error: %s\n", path, buf ? "cannot read the file" : "out of memory");
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

struct output {
    const struct sweep_plan *plan;
    FILE *rows;
    const char *rows_path;         /* NULL for standard output */
    struct sweep_summary *summary; /* NULL without --summary */
    struct sweep_error err;        /* why emit stopped the sweep */
};

static bool emit(void *ctx, const struct sweep_result *r)
{
    struct output *o = ctx;
    sweep_csv_row(o->rows, o->plan, r);
    if (o->summary && !sweep_summary_add(o->summary, r)) {
        snprintf(o->err.text, sizeof o->err.text, "tcpsim sweep: error: out of memory");
        return false;
    }
    if (ferror(o->rows)) {
        snprintf(o->err.text, sizeof o->err.text, "tcpsim sweep: error: could not write %s",
                 o->rows_path ? o->rows_path : "the output");
        return false;
    }
    return true;
}

static bool close_output(FILE *f, const char *path, bool ok)
{
    if (!f)
        return ok;
    bool bad = ferror(f) != 0;
    bad |= (f == stdout ? fflush(f) : fclose(f)) != 0;
    if (bad && ok)
        fprintf(stderr, "tcpsim sweep: error: could not write %s\n", path ? path : "the output");
    return ok && !bad;
}

/* The options as read from the command line. */
struct options {
    const char *scenario, *out, *summary, *plot;
    const char *sets[SWEEP_MAX_SETS];
    size_t nsets;
    uint64_t seeds, jobs;
    int plot_w, plot_h;            /* 0: the chart's default */
};

/* Returns -1 to go on, else the exit status. */
static int read_options(struct options *o, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return EXIT_OK;
        }
        bool takes = strcmp(a, "--seeds") == 0 || strcmp(a, "--set") == 0 ||
                     strcmp(a, "--jobs") == 0 || strcmp(a, "--out") == 0 ||
                     strcmp(a, "--summary") == 0 || strcmp(a, "--plot") == 0 ||
                     strcmp(a, "--plot-size") == 0;
        if (takes && i + 1 >= argc) {
            fprintf(stderr, "tcpsim sweep: error: %s needs a value\n", a);
            return EXIT_USAGE;
        }
        if (strcmp(a, "--seeds") == 0) {
            if (!read_count(a, argv[++i], 1, SWEEP_MAX_RUNS, &o->seeds))
                return EXIT_USAGE;
        } else if (strcmp(a, "--jobs") == 0) {
            if (!read_count(a, argv[++i], 1, SWEEP_MAX_JOBS, &o->jobs))
                return EXIT_USAGE;
        } else if (strcmp(a, "--set") == 0) {
            if (o->nsets == SWEEP_MAX_SETS) {
                fprintf(stderr, "tcpsim sweep: error: more than %u --set options\n", SWEEP_MAX_SETS);
                return EXIT_USAGE;
            }
            o->sets[o->nsets++] = argv[++i];
        } else if (strcmp(a, "--out") == 0) {
            o->out = argv[++i];
        } else if (strcmp(a, "--summary") == 0) {
            o->summary = argv[++i];
        } else if (strcmp(a, "--plot") == 0) {
            o->plot = argv[++i];
        } else if (strcmp(a, "--plot-size") == 0) {
            if (!cli_parse_size(argv[++i], &o->plot_w, &o->plot_h)) {
                fprintf(stderr, "tcpsim sweep: error: bad --plot-size '%s' (WxH, from 320x240 to 7680x4320)\n",
                        argv[i]);
                return EXIT_USAGE;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "tcpsim sweep: error: unknown option '%s'\n", a);
            usage(stderr);
            return EXIT_USAGE;
        } else if (o->scenario) {
            fprintf(stderr, "tcpsim sweep: error: one scenario at a time ('%s' and '%s')\n",
                    o->scenario, a);
            return EXIT_USAGE;
        } else {
            o->scenario = a;
        }
    }
    if (!o->scenario || !o->seeds) {
        fprintf(stderr, "tcpsim sweep: error: %s\n",
                o->scenario ? "--seeds N is required" : "no scenario file given");
        usage(stderr);
        return EXIT_USAGE;
    }
    if (o->plot_w && !o->plot) {
        fputs("tcpsim sweep: error: --plot-size needs --plot FILE.png\n", stderr);
        return EXIT_USAGE;
    }
#ifndef TCPSIM_HAVE_GUI
    if (o->plot) {
        fputs("tcpsim sweep: error: --plot needs the SDL2 front end, which this build of tcpsim leaves out "
              "(configure with -Dgui=enabled); the sweep itself runs without --plot\n",
              stderr);
        return EXIT_USAGE;
    }
#endif
    return -1;
}

#ifdef TCPSIM_HAVE_GUI
/* Draws the chart of a finished sweep; its title is the scenario's. */
static bool plot(const struct options *o, const struct sweep_plan *plan, const struct sweep_summary *s)
{
    struct sweep_error err;
    struct scn *first = sweep_plan_load(plan, 0, &err);
    struct gui_plot_options po = { .width = o->plot_w, .height = o->plot_h,
                                   .title = first ? first->title.en : NULL };
    char msg[600];
    bool ok = gui_plot_png(s, &po, o->plot, msg, sizeof msg);
    if (!ok)
        fprintf(stderr, "tcpsim sweep: error: %s\n", msg);
    scn_free(first);
    return ok;
}
#endif

static FILE *open_output(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "tcpsim sweep: error: cannot write %s: %s\n", path, strerror(errno));
    return f;
}

int cli_sweep(int argc, char **argv)
{
    struct options o = {.jobs = 1};
    int rc = read_options(&o, argc, argv);
    if (rc >= 0)
        return rc;
#if defined(__GLIBC__)
    /* Each run allocates and frees about 130 KiB at the top of the heap; by default glibc gives
     * it back to the kernel and asks for it again every run, which cost 6x the runs themselves. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
    size_t len = 0;
    char *text = read_file(o.scenario, &len);
    if (!text)
        return EXIT_USAGE;
    struct sweep_plan *plan = malloc(sizeof *plan);
    struct sweep_summary summary;
    struct sweep_error err;
    struct output out = {.plan = plan, .rows_path = o.out, .err = {""}};
    FILE *sf = NULL;
    bool ok = plan != NULL;
    if (!ok)
        fputs("tcpsim sweep: error: out of memory\n", stderr);
    if (ok && !sweep_plan_init(plan, o.scenario, text, len, o.sets, o.nsets, o.seeds, &err)) {
        fprintf(stderr, "%s\n", err.text);
        ok = false;
    }
#ifdef TCPSIM_HAVE_GUI
    char why[600];
    if (ok && o.plot && !gui_plot_check(plan, why, sizeof why)) {
        fprintf(stderr, "tcpsim sweep: error: %s\n", why);
        ok = false;
    }
#endif
    if (ok && (o.summary || o.plot)) {
        ok = sweep_summary_init(&summary, plan);
        if (ok)
            out.summary = &summary;
        else
            fputs("tcpsim sweep: error: out of memory\n", stderr);
        ok = ok && (!o.summary || (sf = open_output(o.summary)) != NULL);
    }
    if (ok)
        ok = (out.rows = o.out ? open_output(o.out) : stdout) != NULL;
    if (ok) {
        sweep_csv_header(out.rows, plan);
        ok = sweep_jobs_run(plan, (unsigned)o.jobs, emit, &out, &err);
        if (!ok)
            fprintf(stderr, "%s\n", out.err.text[0] ? out.err.text : err.text);
    }
    if (ok && sf)
        sweep_csv_summary(sf, &summary);
#ifdef TCPSIM_HAVE_GUI
    if (ok && o.plot)
        ok = plot(&o, plan, &summary);
#endif
    ok = close_output(out.rows, o.out, ok);
    ok = close_output(sf, o.summary, ok);
    if (out.summary)
        sweep_summary_finish(&summary);
    free(plan);
    free(text);
    return ok ? EXIT_OK : EXIT_USAGE;
}
