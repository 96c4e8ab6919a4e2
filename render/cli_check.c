/* cli_check.c: `tcpsim check`: runs each scenario and verifies its expectations; one block per
 * failure, then "N passed, N failed" (scenarios). Called by main.c. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs("usage: tcpsim check FILE.scn... [--seed N] [--set KEY=VALUE]...\n"
          "Runs each scenario and checks its expect lines. Prints every failed expectation with\n"
          "the expected and the actual side by side, then \"N passed, N failed\".\n"
          "Exit status: 0 all passed, 1 an expectation failed, 2 a file could not be read or\n"
          "its run reached a limit (scenarios/README.md, \"Limits\").\n",
          f);
}

static void on_record(void *ctx, const struct trace_rec *r)
{
    scn_check_record(ctx, r);
}

static void on_deliver(void *ctx, char host, int32_t sock, const uint8_t *data, size_t len)
{
    (void)sock;
    scn_check_deliver(ctx, host, data, len);
}

/* Runs one scenario; returns EXIT_OK, EXIT_CHECK_FAILED or EXIT_USAGE. */
static int check_one(const struct cli_common *c)
{
    struct scn *s = cli_load(c);
    if (!s)
        return EXIT_USAGE;
    struct scn_error err;
    struct scn_check *chk = scn_check_begin(s);
    struct trace_sink sink = { .emit = on_record, .ctx = chk };
    struct sim *sim = chk ? scn_build(s, &sink, &err) : NULL;
    if (!sim) {
        fprintf(stderr, "%s\n", chk ? err.text : "tcpsim check: error: out of memory");
        scn_check_destroy(chk);
        scn_free(s);
        return EXIT_USAGE;
    }
    sim_set_deliver(sim, on_deliver, chk);
    enum sim_stop why = sim_run(sim);
    int rc = EXIT_OK;
    if (scn_check_end(chk) > 0)
        rc = EXIT_CHECK_FAILED;
    if (why != SIM_DONE) {
        /* A run cut short by a limit asked for more than the simulator allows: bad input, as
         * for `tcpsim run`. Its expectations are still shown, judged on what did run. */
        fprintf(stderr, "tcpsim check: %s: %s\n", c->scenario ? c->scenario : "(built-in)",
                sim_stop_message(why));
        rc = EXIT_USAGE;
    }
    for (size_t i = 0; i < scn_check_failure_count(chk); i++) {
        const struct scn_failure *f = scn_check_failure(chk, i);
        printf("%s\n%s", f->summary, f->detail ? f->detail : "");
    }
    sim_destroy(sim);
    scn_check_destroy(chk);
    scn_free(s);
    return rc;
}

int cli_check(int argc, char **argv)
{
    struct cli_common c = { 0 };
    const char *files[4096];
    size_t nfiles = 0;
    for (int i = 0; i < argc; i++) {
        int common = cli_common_option(&c, argc, argv, &i);
        if (common < 0)
            return EXIT_USAGE;
        if (common > 0)
            continue;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return EXIT_OK;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "tcpsim check: error: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return EXIT_USAGE;
        }
        if (nfiles == sizeof files / sizeof files[0]) {
            fprintf(stderr, "tcpsim check: error: more than %zu files\n", nfiles);
            return EXIT_USAGE;
        }
        files[nfiles++] = argv[i];
    }
    if (nfiles == 0) {
        fputs("tcpsim check: error: no scenario file given\n", stderr);
        usage(stderr);
        return EXIT_USAGE;
    }
    unsigned passed = 0, failed = 0;
    bool bad_input = false;
    for (size_t k = 0; k < nfiles; k++) {
        c.scenario = files[k];
        int rc = check_one(&c);
        if (rc == EXIT_OK)
            passed++;
        else
            failed++;
        bad_input |= rc == EXIT_USAGE;
        fflush(stdout);
    }
    printf("%u passed, %u failed\n", passed, failed);
    int werr = fflush(stdout) != 0 ? errno : ferror(stdout) ? EIO : 0;
    if (werr) {
        fprintf(stderr, "tcpsim check: error: could not write the report: %s\n", strerror(werr));
        return EXIT_USAGE;
    }
    return bad_input ? EXIT_USAGE : failed ? EXIT_CHECK_FAILED : EXIT_OK;
}
