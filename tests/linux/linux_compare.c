/* linux_compare.c: runs one tests/linux scenario with tcpsim and compares its segments at host
 * A's interface with the real kernel's capture (.expected). Run by meson test (suite 'linux'). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lcmp.h"

#define MAX_INPUT (8u << 20)

static char *read_stream(FILE *f)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    for (;;) {
        if (n + 1 >= cap) {
            if (cap >= MAX_INPUT) {
                free(buf);
                return NULL;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - 1 - n, f);
        if (got == 0)
            break;
        n += got;
    }
    buf[n] = '\0';
    return buf;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = read_stream(f);
    fclose(f);
    return text;
}

#define MAX_SETS 16

/* A --set value goes into a shell command between single quotes. */
static bool shell_safe(const char *s)
{
    return strchr(s, '\'') == NULL && strlen(s) < 256;
}

/* The JSONL trace of `tcpsim run SCN --format jsonl [--set KEY=VALUE]...`. */
static char *run_tcpsim(const char *tcpsim, const char *scn, const char *const *sets, int nsets)
{
    char cmd[8192];
    if (!shell_safe(tcpsim) || !shell_safe(scn))
        return NULL;
    int len = snprintf(cmd, sizeof cmd, "'%s' run '%s' --format jsonl", tcpsim, scn);
    for (int i = 0; i < nsets && len > 0 && (size_t)len < sizeof cmd; i++) {
        if (!shell_safe(sets[i]))
            return NULL;
        len += snprintf(cmd + len, sizeof cmd - (size_t)len, " --set '%s'", sets[i]);
    }
    if (len <= 0 || (size_t)len >= sizeof cmd)
        return NULL;
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    char *text = read_stream(p);
    int rc = pclose(p);
    if (rc != 0) {
        fprintf(stderr, "linux_compare: '%s' exited with status %d\n", cmd, rc);
        free(text);
        return NULL;
    }
    return text;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: linux_compare [--expect-mismatch] [-v] [--floor-ms N] [--set KEY=VALUE]...\n"
            "                     TCPSIM FILE.scn FILE.expected\n"
            "Runs the scenario and compares its segments at host A with the capture. Exit 0 when\n"
            "they match (with --expect-mismatch: when they do not), 1 otherwise, 2 on bad input.\n"
            "  --floor-ms N     least time tolerance (default 5 ms)\n"
            "  --set KEY=VALUE  passed on to tcpsim run\n");
    return 2;
}

int main(int argc, char **argv)
{
    bool expect_mismatch = false, verbose = false;
    int64_t floor_ns = LCMP_TIME_FLOOR_NS;
    const char *sets[MAX_SETS];
    int nsets = 0;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--expect-mismatch") == 0) {
            expect_mismatch = true;
        } else if (strcmp(argv[i], "-v") == 0) {
            verbose = true;
        } else if (strcmp(argv[i], "--floor-ms") == 0 && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 0 || v > 1000)
                return usage();
            floor_ns = (int64_t)v * 1000000;
        } else if (strcmp(argv[i], "--set") == 0 && i + 1 < argc && nsets < MAX_SETS) {
            sets[nsets++] = argv[++i];
        } else {
            return usage();
        }
    }
    if (argc - i != 3)
        return usage();
    const char *tcpsim = argv[i], *scn = argv[i + 1], *expected = argv[i + 2];

    char *exp_text = read_file(expected);
    char *trace = run_tcpsim(tcpsim, scn, sets, nsets);
    if (!exp_text || !trace) {
        fprintf(stderr, "linux_compare: cannot read %s\n", !exp_text ? expected : "the trace");
        free(exp_text);
        free(trace);
        return 2;
    }
    struct lseg_list exp, sim;
    char err[256];
    int status = 2;
    if (!lcmp_parse_expected(exp_text, &exp, err, sizeof err)) {
        fprintf(stderr, "%s: %s\n", expected, err);
    } else if (!lcmp_parse_trace(trace, &sim, err, sizeof err)) {
        fprintf(stderr, "%s: %s\n", scn, err);
        lseg_list_free(&exp);
    } else {
        struct lcmp_report rep;
        if (lcmp_compare(&exp, &sim, floor_ns, &rep)) {
            bool match = rep.mismatches == 0;
            if (!match || verbose)
                lcmp_print_table(match ? stdout : stderr, &rep);
            printf("%s: %s: %zu segments, %zu mismatched; max |dt| %.3f ms; worst time check "
                   "%.0f%% of its tolerance; worst retransmission gap error %.1f%%\n",
                   expected, match ? "MATCH" : "DIFFERS", exp.n, rep.mismatches,
                   (double)rep.max_dev_abs / 1e6, (double)rep.max_tol_permille / 10.0,
                   (double)rep.max_retrans_permille / 10.0);
            status = match != expect_mismatch ? 0 : 1;
            if (expect_mismatch)
                printf("%s\n", match ? "FAIL: expected a mismatch"
                                     : "ok: mismatch found, as expected");
            lcmp_report_free(&rep);
        }
        lseg_list_free(&exp);
        lseg_list_free(&sim);
    }
    free(exp_text);
    free(trace);
    return status;
}
