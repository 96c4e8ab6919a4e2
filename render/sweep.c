/* sweep.c: one sweep run: the combination's scenario (kept parsed while its seeds run), the
 * seed, the simulation with a trace sink that measures it and checks its expectations.
 * Called by sweep_jobs.c (in this process or in each worker) and the tests. */
#include "sweep.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct sweep_runner {
    const struct sweep_plan *plan;
    struct scn *s;            /* the scenario of combination `combo`, NULL before the first run */
    uint64_t combo;
};

/* What the trace sink feeds: the measurements and, when the scenario has expectations, the
 * checker. */
struct run_sink {
    struct sweep_metrics m;
    struct scn_check *chk;
};

static void on_record(void *ctx, const struct trace_rec *rec)
{
    struct run_sink *rs = ctx;
    sweep_metrics_record(&rs->m, rec);
    if (rs->chk)
        scn_check_record(rs->chk, rec);
}

static void on_deliver(void *ctx, char host, int32_t sock, const uint8_t *data, size_t len)
{
    (void)sock;
    scn_check_deliver(ctx, host, data, len);
}

struct sweep_runner *sweep_runner_create(const struct sweep_plan *p)
{
    struct sweep_runner *r = calloc(1, sizeof *r);
    if (r)
        r->plan = p;
    return r;
}

void sweep_runner_destroy(struct sweep_runner *r)
{
    if (!r)
        return;
    scn_free(r->s);
    free(r);
}

static bool no_memory(struct sweep_error *err)
{
    snprintf(err->text, sizeof err->text, "tcpsim sweep: error: out of memory");
    return false;
}

bool sweep_runner_run(struct sweep_runner *r, uint64_t run, struct sweep_result *out,
                      struct sweep_error *err)
{
    const struct sweep_plan *p = r->plan;
    uint64_t combo = run / p->seeds, seed = run % p->seeds + 1;
    if (!r->s || r->combo != combo) {
        scn_free(r->s);
        r->s = sweep_plan_load(p, combo, err);
        r->combo = combo;
        if (!r->s)
            return false;
    }
    char arg[32];
    struct scn_error e;
    snprintf(arg, sizeof arg, "seed=%" PRIu64, seed);
    if (!scn_set(r->s, arg, &e)) {
        snprintf(err->text, sizeof err->text, "%s", e.text);
        return false;
    }
    struct run_sink rs;
    sweep_metrics_init(&rs.m);
    rs.chk = NULL;
    if (r->s->nexpects > 0 && !(rs.chk = scn_check_begin(r->s)))
        return no_memory(err);
    struct trace_sink sink = {.emit = on_record, .ctx = &rs};
    struct sim *sim = scn_build(r->s, &sink, &e);
    if (!sim) {
        snprintf(err->text, sizeof err->text, "%s", e.text);
        scn_check_destroy(rs.chk);
        return false;
    }
    if (rs.chk)
        sim_set_deliver(sim, on_deliver, rs.chk);
    enum sim_stop why = sim_run(sim);
    sim_destroy(sim);
    bool ok = why != SIM_NO_MEMORY;
    if (ok) {
        memset(out, 0, sizeof *out); /* padding included: workers send it whole */
        out->run = run;
        out->seed = seed;
        sweep_metrics_finish(&rs.m, why, out);
        if (rs.chk) {
            out->expects = (uint32_t)scn_check_expect_count(rs.chk);
            out->expects_failed = (uint32_t)scn_check_end(rs.chk);
        }
    }
    scn_check_destroy(rs.chk);
    return ok || no_memory(err);
}
