/* sweep_summary.c: statistics of a sweep in integer nanoseconds (mean, nearest-rank median and
 * 90th percentile) and the summary, one row per combination, built as results arrive in order.
 * Called by cli_sweep.c and the tests; a chart draws from struct sweep_summary. */
#include "sweep.h"

#include <stdlib.h>
#include <string.h>

static int cmp_time(const void *a, const void *b)
{
    sim_time x = *(const sim_time *)a, y = *(const sim_time *)b;
    return (x > y) - (x < y);
}

void sweep_stat_compute(sim_time *v, size_t n, struct sweep_stat *out)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    if (n == 0)
        return;
    qsort(v, n, sizeof *v, cmp_time);
    /* floor(sum / n) without the sum: quotients and remainders add up separately */
    uint64_t q = 0, r = 0, un = n;
    for (size_t i = 0; i < n; i++) {
        uint64_t x = (uint64_t)v[i]; /* times are never negative */
        q += x / un;
        r += x % un;
        if (r >= un) {
            q++;
            r -= un;
        }
    }
    if (2 * r >= un)
        q++;
    out->mean = (sim_time)q;
    out->median = v[(n + 1) / 2 - 1];
    out->p90 = v[(9 * un + 9) / 10 - 1];
}

bool sweep_summary_init(struct sweep_summary *s, const struct sweep_plan *p)
{
    memset(s, 0, sizeof *s);
    s->plan = p;
    s->hs = malloc(p->seeds * sizeof *s->hs);
    s->tot = malloc(p->seeds * sizeof *s->tot);
    if (!s->hs || !s->tot) {
        sweep_summary_finish(s);
        return false;
    }
    return true;
}

bool sweep_summary_add(struct sweep_summary *s, const struct sweep_result *r)
{
    const struct sweep_plan *p = s->plan;
    if (s->ntot >= p->seeds) /* not in run order */
        return false;
    if (r->handshake >= 0)
        s->hs[s->nhs++] = r->handshake;
    s->tot[s->ntot++] = r->total;
    s->failures += r->outcome != SWEEP_COMPLETED;
    if (r->seed != p->seeds) /* a combination's row closes with its last seed */
        return true;
    if (s->nrows == s->caprows) {
        size_t cap = s->caprows ? 2 * s->caprows : 64;
        if (cap > p->combos)
            cap = (size_t)p->combos;
        struct sweep_summary_row *rows = realloc(s->rows, cap * sizeof *rows);
        if (!rows)
            return false;
        s->rows = rows;
        s->caprows = cap;
    }
    struct sweep_summary_row *row = &s->rows[s->nrows++];
    row->combo = r->run / p->seeds;
    row->runs = s->ntot;
    row->failures = s->failures;
    sweep_stat_compute(s->hs, s->nhs, &row->handshake);
    sweep_stat_compute(s->tot, s->ntot, &row->total);
    s->nhs = s->ntot = 0;
    s->failures = 0;
    return true;
}

uint64_t sweep_summary_value(const struct sweep_summary *s, size_t row, size_t range, char *buf,
                             size_t size)
{
    const struct sweep_plan *p = s->plan;
    uint64_t k[SWEEP_MAX_SETS];
    sweep_plan_values(p, s->rows[row].combo, k);
    sweep_set_value(&p->sets[p->range[range]], k[range], buf, size);
    return k[range];
}

void sweep_summary_finish(struct sweep_summary *s)
{
    free(s->rows);
    free(s->hs);
    free(s->tot);
    memset(s, 0, sizeof *s);
}
