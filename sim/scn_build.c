/* scn_build.c: turns a parsed scenario into a simulation: the configuration (defaults, profile,
 * settings in order, links) and every scheduled action, trigger and fault, through sim.h only.
 * Called by the CLI, the front end and sweeps. */
#include "scn_int.h"

#include <string.h>

static bool apply_setting(struct tcp_profile *prof, const struct scn_setting *st)
{
    switch (st->kind) {
    case SCN_SET_WINDOW:
        prof->rcv_wnd = (uint32_t)st->value;
        return true;
    case SCN_SET_MSS:
        prof->mss = (uint16_t)st->value;
        return true;
    case SCN_SET_PROFILE_KEY:
        return profile_set(prof, st->key, st->value);
    }
    return false;
}

bool scn_config(const struct scn *s, struct sim_config *cfg, struct scn_error *err)
{
    struct scn_diag d = {s->name, err};
    sim_config_defaults(cfg);
    if (s->has_seed)
        cfg->seed = s->seed;
    for (int i = 0; i < SIM_HOSTS; i++) {
        const struct scn_host *sh = &s->host[i];
        struct host_config *h = &cfg->host[i];
        h->name = (char)('A' + i);
        if (sh->has_addr)
            h->addr = sh->addr;
        if (sh->has_isn) {
            h->isn_policy = sh->isn_policy;
            h->isn_fixed = sh->isn_fixed;
        }
        h->variants.two_way_handshake |= sh->variants.two_way_handshake;
        h->variants.isn_zero |= sh->variants.isn_zero;
        h->variants.time_wait_zero |= sh->variants.time_wait_zero;
        enum profile_id id = sh->has_profile ? sh->profile
                             : s->has_profile ? s->profile
                                              : h->profile.id;
        profile_defaults(&h->profile, id);
        for (size_t k = 0; k < s->nsettings; k++) {
            const struct scn_setting *st = &s->settings[k];
            if (st->host >= 0 && st->host != i)
                continue;
            if (!apply_setting(&h->profile, st))
                return scn_fail(&d, st->line, 1, st->key, strlen(st->key),
                                "the profile does not accept '%s'", st->key);
        }
        scn_link_patch_apply(&cfg->link[i], &s->link[i]);
    }
    return true;
}

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
    for (size_t i = 0; i < s->nactions && ok; i++) {
        const struct scn_action *sa = &s->actions[i];
        struct sim_action a = sa->act;
        if (a.kind == ACT_LINK) {
            scn_link_patch_apply(&cur[a.dir], &sa->patch);
            a.link = cur[a.dir];
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
