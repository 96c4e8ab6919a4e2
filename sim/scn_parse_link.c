/* scn_parse_link.c: link parameters in scenario files ("delay 10ms loss 5% ..."), for link
 * lines, timed link changes and --set link.PARAM, and applying such a patch to link_params.
 * Called by scn_parse_stmt.c, scn_parse_act.c and scn_build.c. */
#include "scn_int.h"

#include <string.h>

static const char *const params[SCN_NLINK_FIELDS] = {
    "delay", "jitter", "loss", "burst", "duplicate", "corrupt", "reorder", "rate", "queue", "mtu",
    "down",
};

void scn_link_patch_apply(struct link_params *p, const struct scn_link_patch *patch)
{
    const struct link_params *v = &patch->v;
    uint32_t m = patch->mask;
    if (m & SCN_LP_DELAY)
        p->delay = v->delay;
    if (m & SCN_LP_JITTER) {
        p->jitter_kind = v->jitter_kind;
        p->jitter = v->jitter;
    }
    if (m & SCN_LP_LOSS)
        p->loss = v->loss;
    if (m & SCN_LP_BURST)
        p->ge_burst = v->ge_burst;
    if (m & SCN_LP_DUP)
        p->dup = v->dup;
    if (m & SCN_LP_CORRUPT)
        p->corrupt = v->corrupt;
    if (m & SCN_LP_REORDER) {
        p->reorder = v->reorder;
        p->reorder_delay = v->reorder_delay;
    }
    if (m & SCN_LP_RATE)
        p->rate_bps = v->rate_bps;
    if (m & SCN_LP_QUEUE)
        p->queue_limit = v->queue_limit;
    if (m & SCN_LP_MTU)
        p->mtu = v->mtu;
    if (m & SCN_LP_DOWN)
        p->down = v->down;
}

static bool read_percent(struct scn_parser *p, struct ratio *out)
{
    struct scn_msg m;
    const struct scn_tok *t = scn_p_word(p, "percentage");
    if (!t)
        return false;
    if (!scn_read_percent(t->str, out, &m))
        return scn_p_fail(p, t, "%s", m.text);
    return true;
}

/* One parameter's value, after its name (field idx) has been read. */
static bool read_param(struct scn_parser *p, size_t idx, const struct scn_tok *name,
                       struct link_params *v)
{
    struct scn_msg m;
    const struct scn_tok *t;
    uint64_t n;
    switch (idx) {
    case 0:
        return scn_p_read_time(p, "delay", &v->delay);
    case 1:
        t = scn_p_peek(p);
        v->jitter_kind = JITTER_UNIFORM;
        if (scn_p_is(t, "none")) {
            scn_p_next(p);
            v->jitter_kind = JITTER_NONE;
            v->jitter = 0;
            return true;
        }
        if (scn_p_is(t, "uniform") || scn_p_is(t, "normal")) {
            scn_p_next(p);
            v->jitter_kind = t->str[0] == 'u' ? JITTER_UNIFORM : JITTER_NORMAL;
        }
        t = scn_p_peek(p);
        if (!scn_p_read_time(p, "jitter", &v->jitter))
            return false;
        if (v->jitter_kind == JITTER_NORMAL && v->jitter >= ((sim_time)1 << 32))
            return scn_p_fail(p, t, "normal jitter must be below 4.294967296s");
        if (v->jitter == 0)
            v->jitter_kind = JITTER_NONE;
        return true;
    case 2:
        return read_percent(p, &v->loss);
    case 3:
        t = scn_p_word(p, "mean burst length");
        if (!t)
            return false;
        if (!scn_read_burst(t->str, &v->ge_burst, &m))
            return scn_p_fail(p, t, "%s", m.text);
        return true;
    case 4:
        return read_percent(p, &v->dup);
    case 5:
        return read_percent(p, &v->corrupt);
    case 6:
        if (!read_percent(p, &v->reorder))
            return false;
        v->reorder_delay = 0;
        if (!scn_p_is(scn_p_peek(p), "by")) {
            if (v->reorder.num == 0)
                return true;
            return scn_p_fail_eol(p, "missing 'by TIME' after the reorder percentage");
        }
        scn_p_next(p);
        return scn_p_read_time(p, "reorder delay", &v->reorder_delay);
    case 7:
        t = scn_p_word(p, "rate");
        if (!t)
            return false;
        if (scn_p_is(t, "unlimited")) {
            v->rate_bps = 0;
            return true;
        }
        if (!scn_read_rate(t->str, &v->rate_bps, &m))
            return scn_p_fail(p, t, "%s", m.text);
        if (v->rate_bps == 0)
            return scn_p_fail(p, t, "rate must be above 0 (write 'rate unlimited')");
        return true;
    case 8:
        t = scn_p_word(p, "queue limit");
        if (!t)
            return false;
        if (scn_p_is(t, "unlimited")) {
            v->queue_limit = 0;
            return true;
        }
        if (!scn_read_uint(t->str, 1, 1000000, "queue limit", &n, &m))
            return scn_p_fail(p, t, "%s", m.text);
        v->queue_limit = (uint32_t)n;
        return true;
    case 9:
        t = scn_p_word(p, "MTU");
        if (!t)
            return false;
        if (scn_p_is(t, "none")) {
            v->mtu = 0;
            return true;
        }
        if (!scn_read_uint(t->str, 68, 65535, "mtu", &n, &m))
            return scn_p_fail(p, t, "%s", m.text);
        v->mtu = (uint32_t)n;
        return true;
    default:
        v->down = name->str[0] == 'd';
        return true;
    }
}

bool scn_p_link_params(struct scn_parser *p, int dir, struct scn_link_patch *patch)
{
    struct scn_link_patch local = {0};
    uint32_t field_line[SCN_NLINK_FIELDS] = {0};
    const struct scn_tok *field_tok[SCN_NLINK_FIELDS] = {0};
    const struct scn_tok *name;
    if (!scn_p_peek(p))
        return scn_p_fail_eol(p, "missing link parameters (such as delay 10ms or loss 5%%)");
    while ((name = scn_p_next(p)) != NULL) { /* bounded by the line's words */
        size_t idx = 0;
        if (name->kind == SCN_TOK_WORD && strcmp(name->str, "up") == 0)
            idx = SCN_NLINK_FIELDS - 1;
        else
            while (idx < SCN_NLINK_FIELDS &&
                   (name->kind != SCN_TOK_WORD || strcmp(name->str, params[idx]) != 0))
                idx++;
        if (idx == SCN_NLINK_FIELDS) {
            const char *hint = name->kind == SCN_TOK_WORD
                                   ? scn_suggest(name->str, params, SCN_NLINK_FIELDS)
                                   : NULL;
            if (hint)
                return scn_p_fail(p, name, "unknown link parameter (did you mean '%s'?)", hint);
            return scn_p_fail(p, name,
                              "unknown link parameter (parameters are delay, jitter, loss, "
                              "burst, duplicate, corrupt, reorder, rate, queue, mtu, down, up)");
        }
        if (field_line[idx])
            return scn_p_fail(p, name, "duplicate link parameter '%s'", name->str);
        field_line[idx] = p->ln->lineno;
        field_tok[idx] = name;
        if (!read_param(p, idx, name, &local.v))
            return false;
        local.mask |= 1u << idx;
    }
    if (patch) {
        *patch = local;
        return true;
    }
    for (int d = 0; d < SIM_HOSTS; d++) {
        if (dir >= 0 && d != dir)
            continue;
        for (size_t i = 0; i < SCN_NLINK_FIELDS && !p->override; i++) {
            uint32_t first = p->link_field_line[d][i];
            if (field_line[i] && first) {
                return scn_p_fail(p, field_tok[i], "duplicate link parameter '%s' for %s (first at line %u)",
                                  i == SCN_NLINK_FIELDS - 1 ? "down/up" : params[i], d == 0 ? "A>B" : "B>A", first);
            }
        }
        for (size_t i = 0; i < SCN_NLINK_FIELDS; i++)
            if (field_line[i])
                p->link_field_line[d][i] = field_line[i];
        scn_link_patch_apply(&p->s->link[d].v, &local);
        p->s->link[d].mask |= local.mask;
    }
    return true;
}
