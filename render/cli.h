/* cli.h: the tcpsim command line (design.md "Command-line contract"): shared option parsing
 * and scenario loading, and one entry point per command. Called by main.c only. */
#ifndef TCPSIM_CLI_H
#define TCPSIM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scn.h"

/* Exit codes of every command. */
enum { EXIT_OK = 0, EXIT_CHECK_FAILED = 1, EXIT_USAGE = 2 };

#define CLI_MAX_SETS 64

/* Options shared by the commands that run one scenario. */
struct cli_common {
    const char *scenario;        /* path, or NULL for the built-in default */
    const char *sets[CLI_MAX_SETS];
    size_t nsets;
    const char *seed;            /* --seed N, applied as --set seed=N */
};

/* Reads the common options: returns 1 if argv[*i] was one (advancing *i past its value), 0 if
 * not, and -1 after printing a usage error. */
int cli_common_option(struct cli_common *c, int argc, char **argv, int *i);

/* A picture size "WxH" from 320x240 to 7680x4320 (--size, --plot-size); false if not. */
bool cli_parse_size(const char *arg, int *w, int *h);

/* Loads the scenario (file or built-in) and applies --seed and --set overrides in order.
 * Prints "file:line:col: error: ..." to stderr and returns NULL on failure. */
struct scn *cli_load(const struct cli_common *c);

/* The built-in default scenario (scenarios/04-full-lifecycle.scn, embedded at build time). */
extern const char cli_default_scenario[];
extern const char cli_default_scenario_name[];

/* Runs a scenario (c->scenario, or the built-in default) headless, printing its text trace, after
 * telling stderr why there is no window. */
int cli_headless(const struct cli_common *c, const char *why);

int cli_run(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_gui(int argc, char **argv, bool show); /* `tcpsim` (show=false: default) and `tcpsim show` */
int cli_render(int argc, char **argv);
int cli_sweep(int argc, char **argv);

#endif
