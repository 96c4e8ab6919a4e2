/* scn_config.c: the simulation configuration a scenario describes: sim defaults and lowered
 * limits, the profile, the settings in file order (--set last), host options and link parameters.
 * Called by scn_build and by anything that wants the configuration without a simulation. */
#include "scn_int.h"

#include <string.h>

bool scn_config(const struct scn *s, struct sim_config *cfg, struct scn_error *err)
{
    struct scn_diag d = {s->name, err};
    sim_config_defaults(cfg);
    if (s->has_seed)
        cfg->seed = s->seed;
    /* limit lines only lower the simulator's bounds (the parser refuses more) */
    if (s->limits.max_events)
        cfg->limits.max_events = s->limits.max_events;
    if (s->limits.max_time)
        cfg->limits.max_time = s->limits.max_time;
    if (s->limits.max_segments)
        cfg->limits.max_segments = s->limits.max_segments;
    if (s->limits.max_bytes)
        cfg->limits.max_bytes = s->limits.max_bytes;
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
            if (!profile_set(&h->profile, st->key, st->value))
                return scn_fail(&d, st->line, 1, st->key, strlen(st->key),
                                "the profile does not accept '%s'", st->key);
        }
        scn_link_patch_apply(&cfg->link[i], &s->link[i]);
    }
    return true;
}
