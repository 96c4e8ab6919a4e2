/* sweep_plan.c: the plan of a sweep: its --set options read and tried on the scenario, the
 * number of combinations and runs (capped), and the scenario of one combination.
 * Called by cli_sweep.c, sweep.c (each runner loads its combinations) and the tests. */
#include "sweep.h"

#include <inttypes.h>
#include <string.h>

/* Overrides tried on one parsed scenario before it is parsed afresh (each adds a setting). */
#define TRIES_PER_PARSE 64u

static bool parse(const struct sweep_plan *p, struct scn **s, struct sweep_error *err)
{
    struct scn_error e;
    if (scn_parse_string(p->name, p->text, p->len, s, &e))
        return true;
    snprintf(err->text, sizeof err->text, "%s", e.text);
    return false;
}

static bool apply(struct scn *s, const struct sweep_set *set, uint64_t k, struct sweep_error *err)
{
    char arg[SWEEP_ARG_MAX];
    if (!sweep_set_arg(set, k, arg, sizeof arg)) {
        snprintf(err->text, sizeof err->text, "--set:1:1: error: --set value longer than %u bytes",
                 SCN_MAX_LINE_BYTES);
        return false;
    }
    struct scn_error e;
    if (scn_set(s, arg, &e))
        return true;
    sweep_set_error(set, k, &e, err);
    return false;
}

/* Multiplies the run count by the ranges' value counts, failing past SWEEP_MAX_RUNS. */
static bool count_runs(struct sweep_plan *p, struct sweep_error *err)
{
    uint64_t combos = 1;
    bool over = false;
    for (size_t i = 0; i < p->nranges && !over; i++) {
        uint64_t c = p->sets[p->range[i]].range.count;
        over = combos > SWEEP_MAX_RUNS / c;
        combos *= over ? 1 : c;
    }
    if (!over && combos <= SWEEP_MAX_RUNS / p->seeds) {
        p->combos = combos;
        p->runs = combos * p->seeds;
        return true;
    }
    int n = snprintf(err->text, sizeof err->text, "tcpsim sweep: error: more than %u runs: %" PRIu64
                     " seeds", SWEEP_MAX_RUNS, p->seeds);
    for (size_t i = 0; i < p->nranges && n > 0 && (size_t)n < sizeof err->text; i++)
        n += snprintf(err->text + n, sizeof err->text - (size_t)n, " x %" PRIu64 " values of %s",
                      p->sets[p->range[i]].range.count, p->sets[p->range[i]].key);
    if (n > 0 && (size_t)n < sizeof err->text)
        snprintf(err->text + n, sizeof err->text - (size_t)n, " (use fewer seeds or values)");
    return false;
}

bool sweep_plan_init(struct sweep_plan *p, const char *name, const char *text, size_t len,
                     const char *const *sets, size_t nsets, uint64_t seeds,
                     struct sweep_error *err)
{
    memset(p, 0, sizeof *p);
    p->name = name;
    p->text = text;
    p->len = len;
    p->seeds = seeds;
    if (seeds == 0 || seeds > SWEEP_MAX_RUNS) {
        snprintf(err->text, sizeof err->text,
                 "tcpsim sweep: error: --seeds must be between 1 and %u", SWEEP_MAX_RUNS);
        return false;
    }
    if (nsets > SWEEP_MAX_SETS) {
        snprintf(err->text, sizeof err->text, "tcpsim sweep: error: more than %u --set options",
                 SWEEP_MAX_SETS);
        return false;
    }
    for (size_t i = 0; i < nsets; i++) {
        struct sweep_set *st = &p->sets[i];
        if (!sweep_set_parse(st, sets[i], err))
            return false;
        if (strcmp(st->key, "seed") == 0) {
            snprintf(err->text, sizeof err->text,
                     "--set:1:1: error: a sweep runs seeds 1..N (--seeds N), not --set seed "
                     "near '%.40s'", sets[i]);
            return false;
        }
        if (st->is_range)
            p->range[p->nranges++] = i;
    }
    p->nsets = nsets;
    if (!count_runs(p, err))
        return false;
    /* Try every override, every value of every range, so that no run can fail to set up. */
    struct scn *s = NULL;
    unsigned tries = 0;
    bool ok = parse(p, &s, err);
    for (size_t i = 0; i < nsets && ok; i++) {
        uint64_t n = p->sets[i].is_range ? p->sets[i].range.count : 1;
        for (uint64_t k = 0; k < n && ok; k++) {
            if (tries++ == TRIES_PER_PARSE) {
                scn_free(s);
                s = NULL;
                tries = 1;
                ok = parse(p, &s, err);
            }
            ok = ok && apply(s, &p->sets[i], k, err);
        }
    }
    scn_free(s);
    return ok;
}

void sweep_plan_values(const struct sweep_plan *p, uint64_t combo, uint64_t *k)
{
    for (size_t i = p->nranges; i-- > 0;) {
        uint64_t c = p->sets[p->range[i]].range.count;
        k[i] = combo % c;
        combo /= c;
    }
}

struct scn *sweep_plan_load(const struct sweep_plan *p, uint64_t combo, struct sweep_error *err)
{
    uint64_t k[SWEEP_MAX_SETS];
    sweep_plan_values(p, combo, k);
    struct scn *s = NULL;
    if (!parse(p, &s, err))
        return NULL;
    for (size_t i = 0, r = 0; i < p->nsets; i++) {
        bool ranged = p->sets[i].is_range;
        if (!apply(s, &p->sets[i], ranged ? k[r] : 0, err)) {
            scn_free(s);
            return NULL;
        }
        r += ranged;
    }
    return s;
}
