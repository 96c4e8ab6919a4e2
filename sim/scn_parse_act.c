/* scn_parse_act.c: what a scenario makes happen: timed actions (at TIME ...), state triggers
 * (when HOST enters STATE ...) and scripted link faults (fault DIR ...).
 * Called by scn_parse_stmt.c's dispatcher. */
#include "scn_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Appends to a label, truncating quietly (the label is for people). */
SCN_PRINTF(3, 4) static void label_add(char *buf, size_t size, const char *fmt, ...)
{
    size_t n = strlen(buf);
    if (n + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, size - n, fmt, ap);
    va_end(ap);
}

static bool read_port(struct scn_parser *p, const char *what, uint16_t *out)
{
    uint64_t v;
    if (!scn_p_read_uint(p, what, 1, 65535, &v))
        return false;
    *out = (uint16_t)v;
    return true;
}

/* "LPORT -> RPORT" */
static bool read_ports(struct scn_parser *p, uint16_t *lport, uint16_t *rport)
{
    if (!read_port(p, "local port", lport))
        return false;
    const struct scn_tok *arrow = scn_p_word(p, "'->' and the remote port");
    if (!arrow)
        return false;
    if (!scn_p_is(arrow, "->"))
        return scn_p_fail(p, arrow, "expected '->' between the local and the remote port");
    return read_port(p, "remote port", rport);
}

/* caption "text" [ko "text"] */
static bool read_caption(struct scn_parser *p, struct sim_action *a)
{
    const struct scn_tok *t = scn_p_string(p, "caption text");
    if (!t)
        return false;
    if (t->len > SCN_MAX_TEXT_BYTES)
        return scn_p_fail(p, t, "text longer than %u bytes", SCN_MAX_TEXT_BYTES);
    a->kind = ACT_CAPTION;
    a->text = scn_p_text(p, t);
    if (!a->text)
        return false;
    const struct scn_tok *ko = scn_p_peek(p);
    if (ko) {
        if (!scn_p_is(ko, "ko"))
            return scn_p_fail(p, ko, "expected 'ko' and the Korean text after the caption");
        scn_p_next(p);
        t = scn_p_string(p, "Korean caption text");
        if (!t)
            return false;
        if (t->len > SCN_MAX_TEXT_BYTES)
            return scn_p_fail(p, t, "text longer than %u bytes", SCN_MAX_TEXT_BYTES);
        a->text_ko = scn_p_text(p, t);
        if (!a->text_ko)
            return false;
    }
    return scn_p_end(p);
}

/* A host's action; for "variant NAME on|off" *which gets the variant named. */
static bool host_verb(struct scn_parser *p, int host, struct sim_action *a,
                      struct lesson_variants *which)
{
    static const char *const verbs[] = {"listen", "connect", "send",   "shutdown", "close",
                                        "abort",  "crash",   "reboot", "autoread", "variant"};
    static const enum sim_action_kind plain[] = {ACT_SHUTDOWN, ACT_CLOSE, ACT_ABORT, ACT_CRASH,
                                                 ACT_REBOOT};
    struct scn_msg m;
    const struct scn_tok *v = scn_p_word(p, "what the host does (listen, connect, send, ...)");
    if (!v)
        return false;
    size_t idx = 0;
    while (idx < sizeof verbs / sizeof verbs[0] && strcmp(v->str, verbs[idx]) != 0)
        idx++;
    a->host = host;
    switch (idx) {
    case 0:
        a->kind = ACT_LISTEN;
        return read_port(p, "port", &a->port) && scn_p_end(p);
    case 1:
        a->kind = ACT_CONNECT;
        return read_ports(p, &a->port, &a->rport) && scn_p_end(p);
    case 2: {
        a->kind = ACT_SEND;
        const struct scn_tok *t = scn_p_next(p);
        if (!t)
            return scn_p_fail_eol(p, "missing what to send (a quoted string or a size)");
        if (t->kind == SCN_TOK_STRING) {
            if (t->len == 0)
                return scn_p_fail(p, t, "nothing to send in an empty string");
            a->data = (const uint8_t *)scn_p_text(p, t);
            a->len = t->len;
            if (!a->data)
                return false;
        } else {
            uint64_t n;
            if (!scn_read_size(t->str, &n, &m))
                return scn_p_fail(p, t, "%s", m.text);
            if (n == 0 || n > SCN_MAX_SEND_BYTES)
                return scn_p_fail(p, t, "send size must be between 1 and %u bytes",
                                  SCN_MAX_SEND_BYTES);
            a->len = (size_t)n;
        }
        return scn_p_end(p);
    }
    case 3: case 4: case 5: case 6: case 7:
        a->kind = plain[idx - 3];
        return scn_p_end(p);
    case 8: {
        a->kind = ACT_AUTOREAD;
        const struct scn_tok *t = scn_p_word(p, "on or off");
        if (!t)
            return false;
        if (!scn_read_bool(t->str, &a->flag, &m))
            return scn_p_fail(p, t, "%s", m.text);
        return scn_p_end(p);
    }
    case 9: {
        a->kind = ACT_VARIANT;
        const struct scn_tok *t = scn_p_word(p, "variant name");
        if (!t || !scn_p_variant(p, t, which))
            return false;
        t = scn_p_word(p, "on or off");
        if (!t)
            return false;
        if (!scn_read_bool(t->str, &a->flag, &m))
            return scn_p_fail(p, t, "%s", m.text);
        return scn_p_end(p);
    }
    default: {
        const char *hint = scn_suggest(v->str, verbs, sizeof verbs / sizeof verbs[0]);
        if (hint)
            return scn_p_fail(p, v, "unknown host action '%.32s' (did you mean '%s'?)", v->str,
                              hint);
        return scn_p_fail(p, v,
                          "unknown host action '%.32s' (actions are listen, connect, send, "
                          "shutdown, close, abort, crash, reboot, autoread, variant)",
                          v->str);
    }
    }
}

/* inject DIR FLAGS seq N [ack N] [len SIZE | data "text"] [win N] [mss N] [ports L -> R] */
static bool inject(struct scn_parser *p, struct sim_action *a)
{
    static const char *const opts[] = {"seq", "ack", "len", "data", "win", "mss", "ports"};
    struct scn_msg m;
    enum scn_flag_match match;
    uint8_t flags;
    if (!scn_p_read_dir(p, &a->dir))
        return false;
    const struct scn_tok *ft = scn_p_peek(p);
    if (!scn_p_read_flagspec(p, false, &match, &flags))
        return false;
    if (match != SCN_FLAGS_EXACT)
        return scn_p_fail(p, ft, "an injected segment needs its exact flags, not 'has'");
    a->kind = ACT_INJECT;
    a->host = a->dir;
    a->seg.flags = flags;
    a->seg.wnd = 65535;
    a->seg.flipped_bit = -1;
    unsigned seen = 0;
    const struct scn_tok *o;
    while ((o = scn_p_next(p)) != NULL) { /* bounded by the line's words */
        size_t idx = 0;
        while (idx < sizeof opts / sizeof opts[0] && !scn_p_is(o, opts[idx]))
            idx++;
        if (idx == sizeof opts / sizeof opts[0])
            return scn_p_fail(p, o,
                              "unknown inject option (options are seq, ack, len, data, win, mss, "
                              "ports)");
        if ((seen & (1u << idx)) || ((idx == 2 || idx == 3) && (seen & 12u)))
            return scn_p_fail(p, o, "duplicate option '%s'", o->str);
        seen |= 1u << idx;
        uint64_t v;
        switch (idx) {
        case 0:
        case 1:
            if (!scn_p_read_uint(p, o->str, 0, UINT32_MAX, &v))
                return false;
            *(idx ? &a->seg.ack : &a->seg.seq) = (uint32_t)v;
            break;
        case 2: {
            const struct scn_tok *t = scn_p_word(p, "payload length");
            if (!t)
                return false;
            if (!scn_read_size(t->str, &v, &m))
                return scn_p_fail(p, t, "%s", m.text);
            if (v > SEG_MAX_PAYLOAD)
                return scn_p_fail(p, t, "payload longer than %u bytes", SEG_MAX_PAYLOAD);
            if (v) {
                uint8_t *d = scn_mem_alloc(p->s->mem, (size_t)v);
                if (!d)
                    return scn_p_fail(p, t, "out of memory");
                for (size_t i = 0; i < v; i++)
                    d[i] = (uint8_t)('a' + i % 26);
                a->seg.data = d;
            }
            a->seg.len = (uint16_t)v;
            break;
        }
        case 3: {
            const struct scn_tok *t = scn_p_string(p, "payload text");
            if (!t)
                return false;
            if (t->len > SEG_MAX_PAYLOAD)
                return scn_p_fail(p, t, "payload longer than %u bytes", SEG_MAX_PAYLOAD);
            a->seg.data = (uint8_t *)scn_mem_strndup(p->s->mem, t->str, t->len);
            if (!a->seg.data)
                return scn_p_fail(p, t, "out of memory");
            a->seg.len = (uint16_t)t->len;
            break;
        }
        case 4:
        case 5:
            if (!scn_p_read_uint(p, o->str, idx == 4 ? 0 : 1, 65535, &v))
                return false;
            *(idx == 4 ? &a->seg.wnd : &a->seg.mss) = (uint16_t)v;
            break;
        default:
            if (!read_ports(p, &a->seg.src_port, &a->seg.dst_port))
                return false;
            break;
        }
    }
    if (!(seen & 1u))
        return scn_p_fail_eol(p, "missing 'seq N' for the injected segment");
    return true;
}

bool scn_stmt_at(struct scn_parser *p)
{
    static const char *const heads[] = {"A", "B", "link", "inject", "caption", "pause"};
    const struct scn_tok *tt = scn_p_peek(p);
    sim_time at;
    if (!scn_p_read_time(p, "time", &at))
        return false;
    if (at < p->last_at) {
        char a[40], b[40];
        scn_format_time(a, sizeof a, at);
        scn_format_time(b, sizeof b, p->last_at);
        return scn_p_fail(p, tt,
                          "time %s is before %s of the action at line %u (actions must be in "
                          "time order)",
                          a, b, p->last_at_line);
    }
    p->last_at = at;
    p->last_at_line = p->ln->lineno;
    struct sim_action act = {0};
    struct lesson_variants which = {0};
    act.seg.flipped_bit = -1;
    const struct scn_tok *h = scn_p_word(p, "host or action after the time");
    if (!h)
        return false;
    if (scn_p_is(h, "A") || scn_p_is(h, "B")) {
        if (!host_verb(p, h->str[0] - 'A', &act, &which))
            return false;
    } else if (scn_p_is(h, "caption")) {
        if (!read_caption(p, &act))
            return false;
    } else if (scn_p_is(h, "pause")) {
        act.kind = ACT_PAUSE;
        if (!scn_p_end(p))
            return false;
    } else if (scn_p_is(h, "inject")) {
        if (!inject(p, &act))
            return false;
    } else if (scn_p_is(h, "link")) {
        int dir = -1;
        struct scn_link_patch patch;
        if (scn_p_is(scn_p_peek(p), "both"))
            scn_p_next(p);
        else if (!scn_p_read_dir(p, &dir))
            return false;
        if (!scn_p_link_params(p, dir, &patch))
            return false;
        for (int d = 0; d < SIM_HOSTS; d++) {
            if (dir >= 0 && d != dir)
                continue;
            struct scn_action *a = scn_p_new_action(p);
            if (!a)
                return false;
            a->at = at;
            a->act.kind = ACT_LINK;
            a->act.dir = d;
            a->act.seg.flipped_bit = -1;
            a->patch = patch;
        }
        return true;
    } else {
        const char *hint = scn_suggest(h->str, heads, sizeof heads / sizeof heads[0]);
        if (hint)
            return scn_p_fail(p, h, "unknown action '%.32s' (did you mean '%s'?)", h->str, hint);
        return scn_p_fail(p, h,
                          "unknown action '%.32s' (after the time comes A, B, link, inject, "
                          "caption or pause)",
                          h->str);
    }
    struct scn_action *a = scn_p_new_action(p);
    if (!a)
        return false;
    a->at = at;
    a->act = act;
    a->variant = which;
    return true;
}

bool scn_stmt_when(struct scn_parser *p)
{
    struct scn_trigger tr = {0};
    if (!scn_p_read_host(p, &tr.trig.host))
        return false;
    const struct scn_tok *e = scn_p_word(p, "'enters'");
    if (!e)
        return false;
    if (!scn_p_is(e, "enters"))
        return scn_p_fail(p, e, "expected 'enters' (when HOST enters STATE ...)");
    if (!scn_p_read_state(p, &tr.trig.state))
        return false;
    const struct scn_tok *what = scn_p_word(p, "caption or pause");
    if (!what)
        return false;
    tr.trig.action.seg.flipped_bit = -1;
    if (scn_p_is(what, "caption")) {
        if (!read_caption(p, &tr.trig.action))
            return false;
    } else if (scn_p_is(what, "pause")) {
        tr.trig.action.kind = ACT_PAUSE;
        if (!scn_p_end(p))
            return false;
    } else {
        return scn_p_fail(p, what, "expected caption or pause after the state");
    }
    tr.trig.action.host = tr.trig.host;
    struct scn_trigger *slot = scn_p_new_trigger(p);
    if (!slot)
        return false;
    tr.line = slot->line;
    *slot = tr;
    return true;
}

static const char *const fault_actions[] = {"drop", "delay", "duplicate", "corrupt"};

static bool is_fault_option(const struct scn_tok *t)
{
    return scn_p_is(t, "nth") || scn_p_is(t, "seq") || scn_p_is(t, "ack") || scn_p_is(t, "len");
}

bool scn_stmt_fault(struct scn_parser *p)
{
    struct scn_fault sf = {0};
    struct fault *f = &sf.f;
    if (!scn_p_read_dir(p, &sf.dir))
        return false;
    const struct scn_tok *act = scn_p_word(p, "fault action (drop, delay, duplicate, corrupt)");
    if (!act)
        return false;
    size_t idx = 0;
    while (idx < 4 && strcmp(act->str, fault_actions[idx]) != 0)
        idx++;
    if (idx == 4)
        return scn_p_fail(p, act, "unknown fault action (actions are drop, delay TIME, duplicate, "
                                  "corrupt)");
    static const enum fault_action kinds[] = {FAULT_DROP, FAULT_DELAY, FAULT_DUPLICATE,
                                              FAULT_CORRUPT};
    f->action = kinds[idx];
    char label[sizeof f->label] = "";
    label_add(label, sizeof label, "%s", fault_actions[idx]);
    if (f->action == FAULT_DELAY) {
        char tb[40];
        if (!scn_p_read_time(p, "delay", &f->extra_delay))
            return false;
        scn_format_time(tb, sizeof tb, f->extra_delay);
        label_add(label, sizeof label, " %s", tb);
    }
    label_add(label, sizeof label, " %s", sf.dir == 0 ? "A>B" : "B>A");
    enum scn_flag_match match = SCN_FLAGS_ANY;
    uint8_t flags = 0;
    if (scn_p_peek(p) && !is_fault_option(scn_p_peek(p)) &&
        !scn_p_read_flagspec(p, true, &match, &flags))
        return false;
    if (match != SCN_FLAGS_ANY) {
        const struct scn_tok *ft = &p->ln->tok[p->ti - 1]; /* the flags as written */
        f->flags_set = flags;
        f->flags_exact = match == SCN_FLAGS_EXACT ? 0xFF : 0;
        label_add(label, sizeof label, " %s%s", match == SCN_FLAGS_HAS ? "has " : "", ft->str);
    }
    unsigned seen = 0;
    const struct scn_tok *o;
    while ((o = scn_p_next(p)) != NULL) { /* bounded by the line's words */
        static const char *const opts[] = {"nth", "seq", "ack", "len"};
        size_t k = 0;
        while (k < 4 && !scn_p_is(o, opts[k]))
            k++;
        if (k == 4)
            return scn_p_fail(p, o, "unknown fault option (options are nth, seq, ack, len)");
        if (seen & (1u << k))
            return scn_p_fail(p, o, "duplicate option '%s'", o->str);
        seen |= 1u << k;
        uint64_t v;
        if (!scn_p_read_uint(p, o->str, k == 0 ? 1 : 0, k == 3 ? 65535 : UINT32_MAX, &v))
            return false;
        if (k == 0) {
            f->nth = (uint32_t)v;
        } else if (k == 1) {
            f->match_seq = true;
            f->rel_seq = (uint32_t)v;
        } else if (k == 2) {
            f->match_ack = true;
            f->rel_ack = (uint32_t)v;
        } else {
            f->match_len = true;
            f->len = (uint16_t)v;
        }
        label_add(label, sizeof label, " %s %llu", opts[k], (unsigned long long)v);
    }
    if (p->faults_per_dir[sf.dir] == LINK_MAX_FAULTS)
        return scn_p_fail(p, p->ln->tok, "too many faults for %s (at most %d)",
                          sf.dir == 0 ? "A>B" : "B>A", LINK_MAX_FAULTS);
    memcpy(f->label, label, sizeof f->label);
    struct scn_fault *slot = scn_p_new_fault(p);
    if (!slot)
        return false;
    p->faults_per_dir[sf.dir]++;
    sf.line = slot->line;
    *slot = sf;
    return true;
}
