/* cli_run.c: `tcpsim run`: runs one scenario headless and prints its trace as text or JSONL,
 * optionally writing a pcapng capture. Called by main.c. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pcapng.h"
#include "tracefmt.h"

static void usage(FILE *f)
{
    fputs("usage: tcpsim run FILE.scn [--seed N] [--format text|jsonl] [--pcap OUT.pcapng]\n"
          "                  [--until T] [--set KEY=VALUE]...\n"
          "Runs the scenario without a window and prints its trace, one record a line.\n"
          "  --seed N          seed of the random generator (overrides the file's seed)\n"
          "  --format F        text (default, for reading) or jsonl (one JSON object a line)\n"
          "  --pcap OUT        also write every segment to a pcapng file for Wireshark\n"
          "  --until T         stop at simulated time T (e.g. 500ms, 2s)\n"
          "  --set KEY=VALUE   override a scenario setting (see scenarios/README.md)\n",
          f);
}

int cli_run(int argc, char **argv)
{
    struct cli_common c = { 0 };
    struct tracefmt_sink out = { .out = stdout, .kind = TRACEFMT_TEXT };
    const char *pcap_path = NULL, *until_arg = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int common = cli_common_option(&c, argc, argv, &i);
        if (common < 0)
            return EXIT_USAGE;
        if (common > 0)
            continue;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return EXIT_OK;
        }
        if ((strcmp(a, "--format") == 0 || strcmp(a, "--pcap") == 0 || strcmp(a, "--until") == 0) &&
            i + 1 >= argc) {
            fprintf(stderr, "tcpsim run: error: %s needs a value\n", a);
            return EXIT_USAGE;
        }
        if (strcmp(a, "--format") == 0) {
            const char *f = argv[++i];
            if (strcmp(f, "text") == 0) {
                out.kind = TRACEFMT_TEXT;
            } else if (strcmp(f, "jsonl") == 0) {
                out.kind = TRACEFMT_JSONL;
            } else {
                fprintf(stderr, "tcpsim run: error: unknown format '%s' (text or jsonl)\n", f);
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--pcap") == 0) {
            pcap_path = argv[++i];
        } else if (strcmp(a, "--until") == 0) {
            until_arg = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "tcpsim run: error: unknown option '%s'\n", a);
            usage(stderr);
            return EXIT_USAGE;
        } else if (c.scenario) {
            fprintf(stderr, "tcpsim run: error: one scenario at a time ('%s' and '%s')\n", c.scenario, a);
            return EXIT_USAGE;
        } else {
            c.scenario = a;
        }
    }
    if (!c.scenario) {
        fputs("tcpsim run: error: no scenario file given\n", stderr);
        usage(stderr);
        return EXIT_USAGE;
    }
    sim_time until = SIM_NEVER;
    if (until_arg && !scn_parse_time(until_arg, &until)) {
        fprintf(stderr, "tcpsim run: error: bad time '%s' for --until (e.g. 500ms, 2s)\n", until_arg);
        return EXIT_USAGE;
    }
    struct scn *s = cli_load(&c);
    if (!s)
        return EXIT_USAGE;

    int rc = EXIT_OK;
    FILE *pf = NULL;
    struct pcapng *pcap = NULL;
    struct scn_error err;
    struct trace_sink sink = { .emit = tracefmt_emit, .ctx = &out };
    struct sim *sim = scn_build(s, &sink, &err);
    if (!sim) {
        fprintf(stderr, "%s\n", err.text);
        scn_free(s);
        return EXIT_USAGE;
    }
    if (pcap_path) {
        pf = fopen(pcap_path, "wb");
        if (!pf) {
            perror(pcap_path);
            rc = EXIT_USAGE;
            goto done;
        }
        const struct sim_config *cfg = sim_config(sim);
        struct pcapng_host hosts[SIM_HOSTS];
        for (int h = 0; h < SIM_HOSTS; h++)
            hosts[h] = (struct pcapng_host){ .name = cfg->host[h].name, .addr = cfg->host[h].addr };
        pcap = pcapng_create(pf, hosts);
        if (!pcap) {
            fputs("tcpsim run: error: out of memory\n", stderr);
            rc = EXIT_USAGE;
            goto done;
        }
        sim_set_tap(sim, pcapng_tap, pcap);
    }
    enum sim_stop why = until == SIM_NEVER ? sim_run(sim) : sim_run_until(sim, until);
    if (why != SIM_DONE && why != SIM_RUNNING) {
        fprintf(stderr, "tcpsim run: %s: %s\n", c.scenario, sim_stop_message(why));
        rc = EXIT_USAGE;
    }
    if (pcap && !pcapng_finish(pcap)) {
        fprintf(stderr, "tcpsim run: error: could not write %s\n", pcap_path);
        rc = EXIT_USAGE;
    }
done:
    pcapng_destroy(pcap);
    if (pf && fclose(pf) != 0 && rc == EXIT_OK) {
        perror(pcap_path);
        rc = EXIT_USAGE;
    }
    sim_destroy(sim);
    scn_free(s);
    int werr = fflush(stdout) != 0 ? errno : ferror(stdout) ? EIO : 0;
    if (werr) {
        /* A full disk or a closed pipe: the trace is incomplete, and the user must know. */
        fprintf(stderr, "tcpsim run: error: could not write the trace: %s\n", strerror(werr));
        rc = EXIT_USAGE;
    }
    return rc;
}

int cli_headless(const struct cli_common *c, const char *why)
{
    fprintf(stderr, "tcpsim: %s; printing the trace instead (tcpsim --help for more)\n", why);
    struct scn *s = cli_load(c);
    if (!s)
        return EXIT_USAGE;
    struct tracefmt_sink out = { .out = stdout, .kind = TRACEFMT_TEXT };
    struct trace_sink sink = { .emit = tracefmt_emit, .ctx = &out };
    struct scn_error err;
    struct sim *sim = scn_build(s, &sink, &err);
    int rc = EXIT_OK;
    if (!sim) {
        fprintf(stderr, "%s\n", err.text);
        rc = EXIT_USAGE;
    } else if (sim_run(sim) != SIM_DONE) {
        rc = EXIT_USAGE;
    }
    sim_destroy(sim);
    scn_free(s);
    return rc;
}
