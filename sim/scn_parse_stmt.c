/* scn_parse_stmt.c: the scenario's top-level statements: the dispatcher, title and description,
 * seed, limit, profile, set and host lines. Called by scn_parse.c for each line outside a block. */
#include "scn_int.h"

#include <string.h>

static const char *const commands[] = {
    "title", "title.ko", "description", "description.ko", "seed", "profile", "set",
    "link",  "host",     "at",          "when",           "fault", "expect",  "limit",
};

static bool text_stmt(struct scn_parser *p, const struct scn_tok *kw, bool description, int ko)
{
    struct scn *s = p->s;
    const struct scn_tok *t = scn_p_string(p, "text");
    if (!t || !scn_p_end(p))
        return false;
    if (t->len > SCN_MAX_TEXT_BYTES)
        return scn_p_fail(p, t, "text longer than %u bytes", SCN_MAX_TEXT_BYTES);
    struct scn_text *dst = description ? &s->description : &s->title;
    const char **slot = ko ? &dst->ko : &dst->en;
    if (!description) {
        if (p->title_line[ko])
            return scn_p_fail(p, kw, "duplicate %s (first at line %u)", kw->str,
                              p->title_line[ko]);
        p->title_line[ko] = p->ln->lineno;
        *slot = scn_p_text(p, t);
        return *slot != NULL;
    }
    /* description lines add up, one line each */
    size_t old = p->desc_len[ko];
    size_t total = old + (old ? 1 : 0) + t->len;
    if (total > SCN_MAX_DESCRIPTION_BYTES)
        return scn_p_fail(p, t, "description longer than %u bytes", SCN_MAX_DESCRIPTION_BYTES);
    char *d = scn_mem_alloc(s->mem, total + 1);
    if (!d)
        return scn_p_fail(p, t, "out of memory");
    if (old) {
        memcpy(d, *slot, old);
        d[old] = '\n';
    }
    memcpy(d + total - t->len, t->str, t->len);
    *slot = d;
    p->desc_len[ko] = total;
    return true;
}

static bool seed_stmt(struct scn_parser *p, const struct scn_tok *kw)
{
    struct scn_msg m;
    const struct scn_tok *t = scn_p_word(p, "seed number");
    if (!t)
        return false;
    uint64_t v;
    if (!scn_read_u64(t->str, &v, &m))
        return scn_p_fail(p, t, "%s", m.text);
    if (!scn_p_end(p))
        return false;
    if (p->seed_line && !p->override)
        return scn_p_fail(p, kw, "duplicate seed (first at line %u)", p->seed_line);
    p->seed_line = p->ln->lineno;
    p->s->has_seed = true;
    p->s->seed = v;
    return true;
}

/* limit events|time|segments|bytes VALUE: lowers one of the simulator's bounds (struct
 * sim_limits), e.g. to stop a lesson early or keep a test quick. A scenario can never raise one:
 * they are what keeps any file from running for ever or exhausting memory. */
static bool limit_stmt(struct scn_parser *p, const struct scn_tok *kw)
{
    static const char *const names[] = {"events", "time", "segments", "bytes"};
    (void)kw;
    struct sim_config d;
    sim_config_defaults(&d);
    const struct scn_tok *t = scn_p_word(p, "limit name");
    if (!t)
        return false;
    size_t i = 0;
    while (i < 4 && strcmp(t->str, names[i]) != 0)
        i++;
    if (i == 4) {
        const char *hint = scn_suggest(t->str, names, 4);
        if (hint)
            return scn_p_fail(p, t, "unknown limit '%.32s' (did you mean '%s'?)", t->str, hint);
        return scn_p_fail(p, t, "unknown limit '%.32s' (limits are events, time, segments and "
                                "bytes)", t->str);
    }
    struct sim_limits *l = &p->s->limits;
    const struct scn_tok *v = scn_p_peek(p);
    uint64_t n = 0;
    sim_time tm = 0;
    struct scn_msg m;
    switch (i) {
    case 0:
        if (!scn_p_read_uint(p, "the event limit", 1, d.limits.max_events, &n))
            return false;
        break;
    case 1:
        if (!scn_p_read_time(p, "time limit", &tm))
            return false;
        if (tm <= 0 || tm > d.limits.max_time)
            return scn_p_fail(p, v, "the time limit must be above 0s and at most %llds",
                              (long long)(d.limits.max_time / 1000000000));
        break;
    case 2:
        if (!scn_p_read_uint(p, "the segment limit", 1, d.limits.max_segments, &n))
            return false;
        break;
    default:
        v = scn_p_word(p, "byte limit");
        if (!v)
            return false;
        if (!scn_read_size(v->str, &n, &m))
            return scn_p_fail(p, v, "%s", m.text);
        if (n < 1 || n > d.limits.max_bytes)
            return scn_p_fail(p, v, "the byte limit must be between 1 and %llu bytes",
                              (unsigned long long)d.limits.max_bytes);
        break;
    }
    if (!scn_p_end(p))
        return false;
    if (p->limit_line[i] && !p->override)
        return scn_p_fail(p, t, "duplicate limit %s (first at line %u)", names[i],
                          p->limit_line[i]);
    p->limit_line[i] = p->ln->lineno;
    if (i == 0)
        l->max_events = n;
    else if (i == 1)
        l->max_time = tm;
    else if (i == 2)
        l->max_segments = n;
    else
        l->max_bytes = n;
    return true;
}

static bool read_profile(struct scn_parser *p, enum profile_id *out)
{
    const struct scn_tok *t = scn_p_word(p, "profile name");
    if (!t)
        return false;
    if (!profile_parse(t->str, out))
        return scn_p_fail(p, t, "unknown profile '%.24s' (profiles are %s and %s)", t->str,
                          profile_name(PROFILE_RFC9293), profile_name(PROFILE_LINUX));
    return true;
}

static bool profile_stmt(struct scn_parser *p, const struct scn_tok *kw)
{
    enum profile_id id;
    if (!read_profile(p, &id) || !scn_p_end(p))
        return false;
    if (p->profile_line && !p->override)
        return scn_p_fail(p, kw, "duplicate profile (first at line %u)", p->profile_line);
    p->profile_line = p->ln->lineno;
    p->s->has_profile = true;
    p->s->profile = id;
    return true;
}

/* "window" is the scenario's friendlier name for the profile's receive window. */
static const char *profile_key(const char *key)
{
    return strcmp(key, "window") == 0 ? "rcv_wnd" : key;
}

bool scn_p_is_setting_key(const char *key)
{
    return profile_key_kind(profile_key(key)) != PKEY_UNKNOWN;
}

bool scn_p_setting(struct scn_parser *p, int host, const struct scn_tok *key)
{
    struct scn *s = p->s;
    struct scn_setting st = {.host = host};
    struct scn_msg m;
    const char *name = profile_key(key->str);
    if (strlen(name) >= sizeof st.key)
        return scn_p_fail(p, key, "unknown profile key '%.32s'", key->str);
    memcpy(st.key, name, strlen(name) + 1);
    const struct scn_tok *v = scn_p_word(p, "value");
    if (!v)
        return false;
    switch (profile_key_kind(name)) {
    case PKEY_UNKNOWN:
        return scn_p_fail(p, key, "unknown profile key '%.32s'", key->str);
    case PKEY_TIME: {
        sim_time t;
        if (!scn_read_time(v->str, &t, &m))
            return scn_p_fail(p, v, "%s", m.text);
        st.value = t;
        break;
    }
    case PKEY_COUNT: {
        uint64_t n;
        if (!scn_read_uint(v->str, 0, UINT32_MAX, key->str, &n, &m))
            return scn_p_fail(p, v, "%s", m.text);
        st.value = (int64_t)n;
        break;
    }
    case PKEY_BOOL: {
        bool b;
        if (!scn_read_bool(v->str, &b, &m))
            return scn_p_fail(p, v, "%s", m.text);
        st.value = b;
        break;
    }
    }
    /* the profile knows each key's range: try the value on a scratch profile */
    struct tcp_profile scratch;
    profile_defaults(&scratch, PROFILE_RFC9293);
    if (!profile_set(&scratch, name, st.value))
        return scn_p_fail(p, v, "value out of range for '%s'", key->str);
    if (!p->override) {
        for (size_t i = 0; i < s->nsettings; i++) {
            const struct scn_setting *o = &s->settings[i];
            if (o->line && o->host == host && strcmp(o->key, st.key) == 0)
                return scn_p_fail(p, key, "duplicate setting '%s' (first at line %u)", key->str,
                                  o->line);
        }
    }
    struct scn_setting *slot = scn_p_new_setting(p);
    if (!slot)
        return false;
    st.line = slot->line;
    *slot = st;
    return true;
}

static bool set_stmt(struct scn_parser *p)
{
    const struct scn_tok *key = scn_p_word(p, "profile key");
    if (!key)
        return false;
    if (!scn_p_is_setting_key(key->str))
        return scn_p_fail(p, key, "unknown profile key '%.32s'", key->str);
    return scn_p_setting(p, -1, key) && scn_p_end(p);
}

unsigned scn_p_variant(struct scn_parser *p, const struct scn_tok *t, struct lesson_variants *v)
{
    if (strcmp(t->str, "two-way-handshake") == 0) {
        v->two_way_handshake = true;
        return 1;
    }
    if (strcmp(t->str, "isn-zero") == 0) {
        v->isn_zero = true;
        return 2;
    }
    if (strcmp(t->str, "time-wait-zero") == 0) {
        v->time_wait_zero = true;
        return 4;
    }
    scn_p_fail(p, t,
               "unknown variant '%.32s' (variants are two-way-handshake, isn-zero and "
               "time-wait-zero)",
               t->str);
    return 0;
}

static bool variant_opt(struct scn_parser *p, struct scn_host *h, unsigned *seen)
{
    const struct scn_tok *t = scn_p_word(p, "variant name");
    if (!t)
        return false;
    unsigned bit = scn_p_variant(p, t, &h->variants);
    if (!bit)
        return false;
    if (*seen & bit)
        return scn_p_fail(p, t, "duplicate variant '%s'", t->str);
    *seen |= bit;
    return true;
}

static bool host_stmt(struct scn_parser *p, const struct scn_tok *kw)
{
    static const char *const opts[] = {"addr", "isn", "variant", "autoread", "profile",
                                       "window", "mss"}; /* the last two are profile keys */
    const size_t nopts = 5;
    struct scn_msg m;
    int hi;
    if (!scn_p_read_host(p, &hi))
        return false;
    struct scn_host *h = &p->s->host[hi];
    if (h->line && !p->override)
        return scn_p_fail(p, kw, "duplicate host %c (first at line %u)", 'A' + hi, h->line);
    if (!p->override)
        h->line = p->ln->lineno;
    unsigned seen = 0, variants = 0;
    const struct scn_tok *o;
    while ((o = scn_p_next(p)) != NULL) { /* bounded by the line's words */
        if (o->kind != SCN_TOK_WORD)
            return scn_p_fail(p, o, "expected a host option, not a quoted string");
        size_t idx = 0;
        while (idx < nopts && strcmp(o->str, opts[idx]) != 0)
            idx++;
        if (idx == nopts) {
            if (scn_p_is_setting_key(o->str)) {
                if (!scn_p_setting(p, hi, o))
                    return false;
                continue;
            }
            const char *hint = scn_suggest(o->str, opts, sizeof opts / sizeof opts[0]);
            if (hint)
                return scn_p_fail(p, o, "unknown host option '%.32s' (did you mean '%s'?)",
                                  o->str, hint);
            return scn_p_fail(p, o,
                              "unknown host option '%.32s' (options are addr, isn, window, mss, "
                              "variant, autoread, profile and profile keys)",
                              o->str);
        }
        if (idx != 2 && (seen & (1u << idx)))
            return scn_p_fail(p, o, "duplicate option '%s'", o->str);
        seen |= 1u << idx;
        switch (idx) {
        case 0: {
            const struct scn_tok *t = scn_p_word(p, "IPv4 address");
            if (!t)
                return false;
            if (!scn_read_addr(t->str, &h->addr, &m))
                return scn_p_fail(p, t, "%s", m.text);
            h->has_addr = true;
            break;
        }
        case 1: {
            const struct scn_tok *t = scn_p_word(p, "ISN (random or a number)");
            if (!t)
                return false;
            h->has_isn = true;
            if (scn_p_is(t, "random")) {
                h->isn_policy = ISN_RANDOM;
            } else {
                uint64_t v;
                if (!scn_read_uint(t->str, 0, UINT32_MAX, "isn", &v, &m))
                    return scn_p_fail(p, t, "%s", m.text);
                h->isn_policy = ISN_FIXED;
                h->isn_fixed = (uint32_t)v;
            }
            break;
        }
        case 2:
            if (!variant_opt(p, h, &variants))
                return false;
            break;
        case 3: {
            const struct scn_tok *t = scn_p_word(p, "on or off");
            if (!t)
                return false;
            if (!scn_read_bool(t->str, &h->autoread, &m))
                return scn_p_fail(p, t, "%s", m.text);
            h->has_autoread = true;
            break;
        }
        default:
            if (!read_profile(p, &h->profile))
                return false;
            h->has_profile = true;
            break;
        }
    }
    return true;
}

bool scn_stmt(struct scn_parser *p)
{
    const struct scn_tok *kw = scn_p_next(p);
    if (kw->kind != SCN_TOK_WORD)
        return scn_p_fail(p, kw, "a line must start with a command, not a quoted string");
    const char *w = kw->str;
    if (strcmp(w, "title") == 0)
        return text_stmt(p, kw, false, 0);
    if (strcmp(w, "title.ko") == 0)
        return text_stmt(p, kw, false, 1);
    if (strcmp(w, "description") == 0)
        return text_stmt(p, kw, true, 0);
    if (strcmp(w, "description.ko") == 0)
        return text_stmt(p, kw, true, 1);
    if (strcmp(w, "seed") == 0)
        return seed_stmt(p, kw);
    if (strcmp(w, "limit") == 0)
        return limit_stmt(p, kw);
    if (strcmp(w, "profile") == 0)
        return profile_stmt(p, kw);
    if (strcmp(w, "set") == 0)
        return set_stmt(p);
    if (strcmp(w, "host") == 0)
        return host_stmt(p, kw);
    if (strcmp(w, "link") == 0) {
        int dir = -1;
        const struct scn_tok *d = scn_p_peek(p);
        if (!scn_p_is(d, "both") && !scn_p_read_dir(p, &dir))
            return false;
        if (dir < 0)
            scn_p_next(p);
        return scn_p_link_params(p, dir, NULL);
    }
    if (strcmp(w, "at") == 0)
        return scn_stmt_at(p);
    if (strcmp(w, "when") == 0)
        return scn_stmt_when(p);
    if (strcmp(w, "fault") == 0)
        return scn_stmt_fault(p);
    if (strcmp(w, "expect") == 0)
        return scn_stmt_expect(p);
    if (strcmp(w, "end") == 0)
        return scn_p_fail(p, kw, "'end' without 'expect segments'");
    if (strcmp(w, "caption") == 0 || strcmp(w, "pause") == 0)
        return scn_p_fail(p, kw,
                          "unknown command '%s' (write 'at TIME %s ...' or 'when HOST enters "
                          "STATE %s ...')",
                          w, w, w);
    const char *hint = scn_suggest(w, commands, sizeof commands / sizeof commands[0]);
    if (hint)
        return scn_p_fail(p, kw, "unknown command '%.32s' (did you mean '%s'?)", w, hint);
    return scn_p_fail(p, kw, "unknown command '%.32s'", w);
}
