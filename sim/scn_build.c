/* scn_build.c: turns a parsed scenario into a running simulation: creates it from scn_config
 * and schedules every action, trigger and fault, through sim.h only.
 * Called by the CLI, the front end and sweeps. */
#include "scn_int.h"

static bool schedule(struct sim *sim, const struct scn_diag *d, sim_time at,
                     const struct sim_action *a, uint32_t line)
{
    if (sim_schedule(sim, at, a))
        return true;
    return scn_fail(d, line, 1, NULL, 0, "the simulation refused this action (out of memory?)");
}

struct sim *scn_build(const struct scn *s, const struct trace_sink *sink, struct scn_error *err)
{
    struct scn_diag d = {s->name, err};
    struct sim_config cfg;
    if (!scn_config(s, &cfg, err))
        return NULL;
    struct sim *sim = sim_create(&cfg, sink);
    if (!sim) {
        scn_fail(&d, 0, 0, NULL, 0, "cannot create the simulation (out of memory)");
        return NULL;
    }
    bool ok = true;
    for (int i = 0; i < SIM_HOSTS && ok; i++) {
        if (!s->host[i].has_autoread)
            continue;
        struct sim_action a = {.kind = ACT_AUTOREAD, .host = i, .flag = s->host[i].autoread};
        a.seg.flipped_bit = -1;
        ok = schedule(sim, &d, 0, &a, s->host[i].line);
    }
    struct link_params cur[SIM_HOSTS] = {cfg.link[0], cfg.link[1]};
    /* Each host's lesson variants as the run goes: its host line's, then every switch so far. */
    struct lesson_variants vars[SIM_HOSTS] = {cfg.host[0].variants, cfg.host[1].variants};
    for (size_t i = 0; i < s->nactions && ok; i++) {
        const struct scn_action *sa = &s->actions[i];
        struct sim_action a = sa->act;
        if (a.kind == ACT_LINK) {
            scn_link_patch_apply(&cur[a.dir], &sa->patch);
            a.link = cur[a.dir];
        } else if (a.kind == ACT_VARIANT) {
            struct lesson_variants *v = &vars[a.host];
            if (sa->variant.two_way_handshake)
                v->two_way_handshake = a.flag;
            if (sa->variant.isn_zero)
                v->isn_zero = a.flag;
            if (sa->variant.time_wait_zero)
                v->time_wait_zero = a.flag;
            a.variants = *v;
        } else if (a.kind == ACT_INJECT) {
            a.seg.src_addr = cfg.host[a.dir].addr;
            a.seg.dst_addr = cfg.host[1 - a.dir].addr;
            seg_set_checksum(&a.seg);
        }
        ok = schedule(sim, &d, sa->at, &a, sa->line);
    }
    for (size_t i = 0; i < s->ntriggers && ok; i++) {
        ok = sim_add_trigger(sim, &s->triggers[i].trig);
        if (!ok)
            scn_fail(&d, s->triggers[i].line, 1, NULL, 0, "the simulation refused this trigger");
    }
    for (size_t i = 0; i < s->nfaults && ok; i++) {
        ok = sim_add_fault(sim, s->faults[i].dir, &s->faults[i].f);
        if (!ok)
            scn_fail(&d, s->faults[i].line, 1, NULL, 0, "the simulation refused this fault");
    }
    if (!ok) {
        sim_destroy(sim);
        return NULL;
    }
    return sim;
}
