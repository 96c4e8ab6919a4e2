/* sweep_csv.c: a sweep's CSV files (RFC 4180: comma separated, fields with a comma, quote or
 * line end quoted): one row per run and the summary, one row per combination.
 * Called by cli_sweep.c and the tests. */
#include "sweep.h"

#include <inttypes.h>
#include <string.h>

static void field(FILE *f, const char *s, bool comma)
{
    if (comma)
        fputc(',', f);
    if (!s[strcspn(s, ",\"\r\n")]) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (const char *c = s; *c; c++) {
        if (*c == '"')
            fputc('"', f);
        fputc(*c, f);
    }
    fputc('"', f);
}

/* The range columns' header, or the values of one combination (k) or summary row. */
static void range_columns(FILE *f, const struct sweep_plan *p, const uint64_t *k,
                          const struct sweep_summary *s, size_t row)
{
    for (size_t i = 0; i < p->nranges; i++) {
        const struct sweep_set *st = &p->sets[p->range[i]];
        char v[SWEEP_VALUE_MAX];
        if (k)
            sweep_set_value(st, k[i], v, sizeof v);
        else if (s)
            sweep_summary_value(s, row, i, v, sizeof v);
        field(f, k || s ? v : st->key, i > 0);
    }
    if (p->nranges)
        fputc(',', f);
}

static void time_or_empty(FILE *f, sim_time t, bool present)
{
    if (present)
        fprintf(f, ",%" PRId64, t);
    else
        fputc(',', f);
}

size_t sweep_outcome_text(const struct sweep_result *r, char *buf, size_t size)
{
    int n = 0;
    switch (r->outcome) {
    case SWEEP_COMPLETED: n = snprintf(buf, size, "completed"); break;
    case SWEEP_FAILED: n = snprintf(buf, size, "failed: %s", r->why); break;
    case SWEEP_LIMIT: n = snprintf(buf, size, "limit: %s", r->why); break;
    }
    return n < 0 ? 0 : (size_t)n;
}

void sweep_csv_header(FILE *f, const struct sweep_plan *p)
{
    range_columns(f, p, NULL, NULL, 0);
    fputs("seed,outcome,expect,handshake_ns,total_ns,retransmits,segments,delivered_bytes\n", f);
}

void sweep_csv_row(FILE *f, const struct sweep_plan *p, const struct sweep_result *r)
{
    uint64_t k[SWEEP_MAX_SETS];
    sweep_plan_values(p, r->run / p->seeds, k);
    range_columns(f, p, k, NULL, 0);
    char outcome[SWEEP_WHY_MAX + 16], expect[48] = "";
    sweep_outcome_text(r, outcome, sizeof outcome);
    if (r->expects && r->expects_failed)
        snprintf(expect, sizeof expect, "failed %" PRIu32 "/%" PRIu32, r->expects_failed,
                 r->expects);
    else if (r->expects)
        snprintf(expect, sizeof expect, "passed");
    fprintf(f, "%" PRIu64, r->seed);
    field(f, outcome, true);
    field(f, expect, true);
    time_or_empty(f, r->handshake, r->handshake >= 0);
    time_or_empty(f, r->total, true);
    fprintf(f, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", r->retransmits, r->segments, r->delivered);
}

void sweep_csv_summary(FILE *f, const struct sweep_summary *s)
{
    const struct sweep_plan *p = s->plan;
    range_columns(f, p, NULL, NULL, 0);
    fputs("runs,failures,handshake_runs,handshake_mean_ns,handshake_median_ns,handshake_p90_ns,"
          "total_mean_ns,total_median_ns,total_p90_ns\n", f);
    for (size_t i = 0; i < s->nrows; i++) {
        const struct sweep_summary_row *row = &s->rows[i];
        range_columns(f, p, NULL, s, i);
        const struct sweep_stat *h = &row->handshake, *t = &row->total;
        fprintf(f, "%" PRIu64 ",%" PRIu64 ",%" PRIu64, row->runs, row->failures, h->n);
        time_or_empty(f, h->mean, h->n > 0);
        time_or_empty(f, h->median, h->n > 0);
        time_or_empty(f, h->p90, h->n > 0);
        time_or_empty(f, t->mean, t->n > 0);
        time_or_empty(f, t->median, t->n > 0);
        time_or_empty(f, t->p90, t->n > 0);
        fputc('\n', f);
    }
}
