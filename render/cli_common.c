/* cli_common.c: what every scenario-running command shares: --seed/--set parsing, picture sizes
 * and loading a scenario file or the built-in default with its overrides. Called by the cli_*.c
 * commands. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool cli_parse_size(const char *arg, int *w, int *h)
{
    char *end;
    long x = strtol(arg, &end, 10);
    if (end == arg || *end != 'x')
        return false;
    const char *p = end + 1;
    long y = strtol(p, &end, 10);
    if (end == p || *end != '\0' || x < 320 || y < 240 || x > 7680 || y > 4320)
        return false;
    *w = (int)x;
    *h = (int)y;
    return true;
}

int cli_common_option(struct cli_common *c, int argc, char **argv, int *i)
{
    const char *opt = argv[*i];
    bool is_set = strcmp(opt, "--set") == 0, is_seed = strcmp(opt, "--seed") == 0;
    if (!is_set && !is_seed)
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "tcpsim: error: %s needs a value\n", opt);
        return -1;
    }
    const char *val = argv[++*i];
    if (is_seed) {
        c->seed = val;
        return 1;
    }
    if (c->nsets == CLI_MAX_SETS) {
        fprintf(stderr, "tcpsim: error: more than %d --set options\n", CLI_MAX_SETS);
        return -1;
    }
    c->sets[c->nsets++] = val;
    return 1;
}

static void print_error(const struct scn_error *err)
{
    fprintf(stderr, "%s\n", err->text);
}

struct scn *cli_load(const struct cli_common *c)
{
    struct scn *s = NULL;
    struct scn_error err;
    bool ok = c->scenario ? scn_parse_file(c->scenario, &s, &err)
                          : scn_parse_string(cli_default_scenario_name, cli_default_scenario,
                                             strlen(cli_default_scenario), &s, &err);
    if (!ok) {
        print_error(&err);
        return NULL;
    }
    if (c->seed) {
        /* As --set seed=N, but sized to the argument (a cut one would be another seed) and
         * reported as the option the user wrote. */
        size_t n = strlen(c->seed) + sizeof "seed=";
        char *assignment = malloc(n);
        if (assignment)
            snprintf(assignment, n, "seed=%s", c->seed);
        bool have = assignment != NULL;
        bool set = have && scn_set(s, assignment, &err);
        free(assignment);
        if (!set) {
            fprintf(stderr, "tcpsim: error: --seed %s: %s\n", c->seed,
                    have ? err.message : "out of memory");
            scn_free(s);
            return NULL;
        }
    }
    for (size_t k = 0; k < c->nsets; k++) {
        if (!scn_set(s, c->sets[k], &err)) {
            print_error(&err);
            scn_free(s);
            return NULL;
        }
    }
    return s;
}
