/* scn_parse.c: the scenario parser's driver: reading a file or string line by line, the token
 * cursor and vectors the statement files share, the checks made once the file has ended, --set
 * overrides, and scn_free. Called by the CLI, the front end and the tests. */
#include "scn_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct scn_tok *scn_p_peek(const struct scn_parser *p)
{
    return p->ti < p->ln->ntok ? &p->ln->tok[p->ti] : NULL;
}

const struct scn_tok *scn_p_next(struct scn_parser *p)
{
    const struct scn_tok *t = scn_p_peek(p);
    if (t)
        p->ti++;
    return t;
}

bool scn_p_is(const struct scn_tok *t, const char *word)
{
    return t && t->kind == SCN_TOK_WORD && strcmp(t->str, word) == 0;
}

bool scn_p_fail(struct scn_parser *p, const struct scn_tok *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    scn_vfail(&p->diag, p->ln->lineno, t->col, t->raw, t->raw_len, fmt, ap);
    va_end(ap);
    return false;
}

bool scn_p_fail_eol(struct scn_parser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    scn_vfail(&p->diag, p->ln->lineno, p->ln->end_col, NULL, 0, fmt, ap);
    va_end(ap);
    return false;
}

const struct scn_tok *scn_p_word(struct scn_parser *p, const char *what)
{
    const struct scn_tok *t = scn_p_next(p);
    if (!t) {
        scn_p_fail_eol(p, "missing %s", what);
        return NULL;
    }
    if (t->kind != SCN_TOK_WORD) {
        scn_p_fail(p, t, "expected %s, not a quoted string", what);
        return NULL;
    }
    return t;
}

const struct scn_tok *scn_p_string(struct scn_parser *p, const char *what)
{
    const struct scn_tok *t = scn_p_next(p);
    if (!t) {
        scn_p_fail_eol(p, "missing %s", what);
        return NULL;
    }
    if (t->kind != SCN_TOK_STRING) {
        scn_p_fail(p, t, "expected %s in double quotes", what);
        return NULL;
    }
    return t;
}

bool scn_p_end(struct scn_parser *p)
{
    const struct scn_tok *t = scn_p_peek(p);
    if (t)
        return scn_p_fail(p, t, "unexpected %s at the end of the statement",
                          t->kind == SCN_TOK_STRING ? "string" : "word");
    return true;
}

bool scn_p_read_time(struct scn_parser *p, const char *what, sim_time *out)
{
    struct scn_msg m;
    const struct scn_tok *t = scn_p_word(p, what);
    if (!t)
        return false;
    if (!scn_read_time(t->str, out, &m))
        return scn_p_fail(p, t, "%s", m.text);
    return true;
}

bool scn_p_read_uint(struct scn_parser *p, const char *what, uint64_t lo, uint64_t hi,
                     uint64_t *out)
{
    struct scn_msg m;
    const struct scn_tok *t = scn_p_word(p, what);
    if (!t)
        return false;
    if (!scn_read_uint(t->str, lo, hi, what, out, &m))
        return scn_p_fail(p, t, "%s", m.text);
    return true;
}

bool scn_p_read_host(struct scn_parser *p, int *out)
{
    struct scn_msg m;
    const struct scn_tok *t = scn_p_word(p, "host (A or B)");
    if (!t)
        return false;
    if (!scn_read_host(t->str, out, &m))
        return scn_p_fail(p, t, "%s", m.text);
    return true;
}

bool scn_p_read_dir(struct scn_parser *p, int *out)
{
    struct scn_msg m;
    const struct scn_tok *t = scn_p_word(p, "direction (A>B or B>A)");
    if (!t)
        return false;
    if (!scn_read_dir(t->str, out, &m))
        return scn_p_fail(p, t, "%s", m.text);
    return true;
}

bool scn_p_read_state(struct scn_parser *p, enum tcp_state *out)
{
    struct scn_msg m;
    const struct scn_tok *t = scn_p_word(p, "state name");
    if (!t)
        return false;
    if (!scn_read_state(t->str, out, &m))
        return scn_p_fail(p, t, "%s", m.text);
    return true;
}

bool scn_p_read_flagspec(struct scn_parser *p, bool allow_any, enum scn_flag_match *match,
                         uint8_t *flags)
{
    struct scn_msg m;
    const struct scn_tok *t = scn_p_word(p, "flags");
    if (!t)
        return false;
    *match = SCN_FLAGS_EXACT;
    *flags = 0;
    if (allow_any && scn_p_is(t, "any")) {
        *match = SCN_FLAGS_ANY;
        return true;
    }
    if (scn_p_is(t, "has")) {
        *match = SCN_FLAGS_HAS;
        t = scn_p_word(p, "flags after 'has'");
        if (!t)
            return false;
    }
    if (!scn_read_flags(t->str, flags, &m))
        return scn_p_fail(p, t, "%s", m.text);
    if (*match == SCN_FLAGS_HAS && *flags == 0)
        return scn_p_fail(p, t, "'has none' matches every segment; write 'any'");
    return true;
}

const char *scn_p_text(struct scn_parser *p, const struct scn_tok *t)
{
    char *s = scn_mem_strndup(p->s->mem, t->str, t->len);
    if (!s)
        scn_p_fail(p, t, "out of memory");
    return s;
}

/* Makes room for one more element of a vector, up to max elements. */
static void *grow(struct scn_parser *p, void **vec, size_t n, size_t *cap, size_t elem, size_t max,
                  const char *what)
{
    if (n >= max) {
        scn_fail(&p->diag, p->ln->lineno, 1, NULL, 0, "too many %s (at most %zu)", what, max);
        return NULL;
    }
    if (n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        if (ncap > max)
            ncap = max;
        void *nv = realloc(*vec, ncap * elem);
        if (!nv) {
            scn_fail(&p->diag, p->ln->lineno, 1, NULL, 0, "out of memory");
            return NULL;
        }
        *vec = nv;
        *cap = ncap;
    }
    char *e = (char *)*vec + n * elem;
    memset(e, 0, elem);
    return e;
}

struct scn_action *scn_p_new_action(struct scn_parser *p)
{
    struct scn *s = p->s;
    struct scn_action *a = grow(p, (void **)&s->actions, s->nactions, &p->cap_actions,
                                sizeof *a, SCN_MAX_ACTIONS, "actions");
    if (a) {
        a->line = p->ln->lineno;
        s->nactions++;
    }
    return a;
}

struct scn_trigger *scn_p_new_trigger(struct scn_parser *p)
{
    struct scn *s = p->s;
    struct scn_trigger *t = grow(p, (void **)&s->triggers, s->ntriggers, &p->cap_triggers,
                                 sizeof *t, SCN_MAX_TRIGGERS, "when lines");
    if (t) {
        t->line = p->ln->lineno;
        s->ntriggers++;
    }
    return t;
}

struct scn_fault *scn_p_new_fault(struct scn_parser *p)
{
    struct scn *s = p->s;
    struct scn_fault *f = grow(p, (void **)&s->faults, s->nfaults, &p->cap_faults, sizeof *f,
                               2 * LINK_MAX_FAULTS, "faults");
    if (f) {
        f->line = p->ln->lineno;
        s->nfaults++;
    }
    return f;
}

struct scn_expect *scn_p_new_expect(struct scn_parser *p)
{
    struct scn *s = p->s;
    struct scn_expect *e = grow(p, (void **)&s->expects, s->nexpects, &p->cap_expects, sizeof *e,
                                SCN_MAX_EXPECTS, "expectations");
    if (e) {
        e->line = p->ln->lineno;
        e->host = -1;
        e->dir = -1;
        s->nexpects++;
    }
    return e;
}

struct scn_setting *scn_p_new_setting(struct scn_parser *p)
{
    struct scn *s = p->s;
    struct scn_setting *st = grow(p, (void **)&s->settings, s->nsettings, &p->cap_settings,
                                  sizeof *st, SCN_MAX_SETTINGS, "settings");
    if (st) {
        st->line = p->override ? 0 : p->ln->lineno;
        s->nsettings++;
    }
    return st;
}

static struct scn *scn_alloc(const char *name)
{
    struct scn *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->mem = scn_mem_create();
    if (!s->mem) {
        free(s);
        return NULL;
    }
    s->name = scn_mem_strndup(s->mem, name, strlen(name));
    if (!s->name) {
        scn_mem_destroy(s->mem);
        free(s);
        return NULL;
    }
    s->profile = PROFILE_RFC9293;
    for (int i = 0; i < SIM_HOSTS; i++) {
        s->host[i].isn_policy = ISN_RANDOM;
        s->host[i].profile = PROFILE_RFC9293;
        s->host[i].autoread = true;
    }
    return s;
}

void scn_free(struct scn *s)
{
    if (!s)
        return;
    free(s->settings);
    free(s->actions);
    free(s->triggers);
    free(s->faults);
    free(s->expects);
    scn_mem_destroy(s->mem);
    free(s);
}

/* Checks that need the whole file: the inject ports and the host addresses. */
static bool finish_checks(struct scn_parser *p)
{
    struct scn *s = p->s;
    const struct scn_action *connect = NULL;
    for (size_t i = 0; i < s->nactions && !connect; i++)
        if (s->actions[i].act.kind == ACT_CONNECT)
            connect = &s->actions[i];
    for (size_t i = 0; i < s->nactions; i++) {
        struct scn_action *a = &s->actions[i];
        if (a->act.kind != ACT_INJECT || a->act.seg.src_port)
            continue;
        if (!connect)
            return scn_fail(&p->diag, a->line, 1, NULL, 0,
                            "inject needs ports: no connect to take them from (add 'ports "
                            "40000 -> 80')");
        bool same = (a->act.dir == 0) == (connect->act.host == 0);
        a->act.seg.src_port = same ? connect->act.port : connect->act.rport;
        a->act.seg.dst_port = same ? connect->act.rport : connect->act.port;
    }
    if (s->host[0].has_addr && s->host[1].has_addr && s->host[0].addr == s->host[1].addr) {
        uint32_t line = s->host[0].line > s->host[1].line ? s->host[0].line : s->host[1].line;
        return scn_fail(&p->diag, line, 1, NULL, 0, "hosts A and B have the same address");
    }
    return true;
}

static const char *next_line(const char *p, const char *end, size_t *len, const char **after)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *stop = nl ? nl : end;
    *after = nl ? nl + 1 : end;
    if (stop > p && stop[-1] == '\r')
        stop--;
    *len = (size_t)(stop - p);
    return p;
}

bool scn_parse_string(const char *name, const char *text, size_t len, struct scn **out,
                      struct scn_error *err)
{
    struct scn_diag diag = {name, err};
    *out = NULL;
    if (len > SCN_MAX_FILE_BYTES)
        return scn_fail(&diag, 1, 1, NULL, 0, "file is larger than %u bytes", SCN_MAX_FILE_BYTES);
    struct scn_parser *p = calloc(1, sizeof *p);
    struct scn_line *ln = calloc(1, sizeof *ln);
    struct scn *s = scn_alloc(name);
    bool ok = p && ln && s;
    if (!ok)
        scn_fail(&diag, 0, 0, NULL, 0, "out of memory");
    const char *cur = text, *end = text + len;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        cur += 3;
    uint32_t lineno = 0;
    if (ok) {
        p->s = s;
        p->diag.file = s->name;
        p->diag.err = err;
        p->ln = ln;
    }
    while (ok && cur < end) { /* bounded: each pass consumes at least one byte */
        size_t llen;
        const char *after;
        const char *line = next_line(cur, end, &llen, &after);
        lineno++;
        ln->lineno = lineno;
        if (llen > SCN_MAX_LINE_BYTES) {
            ok = scn_fail(&p->diag, lineno, 1, NULL, 0, "line longer than %u bytes",
                          SCN_MAX_LINE_BYTES);
            break;
        }
        ok = scn_lex_check(&p->diag, lineno, line, llen, 0) &&
             scn_lex_line(&p->diag, ln, lineno, line, llen, 0);
        p->ti = 0;
        if (ok && ln->ntok)
            ok = p->in_block ? scn_stmt_segline(p) : scn_stmt(p);
        cur = after;
    }
    if (ok && p->in_block)
        ok = scn_fail(&p->diag, lineno ? lineno : 1, 1, NULL, 0,
                      "missing 'end' for the expect segments block at line %u",
                      s->expects[p->block_expect].line);
    if (ok && s->nactions == 0)
        ok = scn_fail(&p->diag, lineno ? lineno : 1, 1, NULL, 0,
                      "the scenario has no actions (add a line such as 'at 0s B listen 80')");
    if (ok)
        ok = finish_checks(p);
    if (p)
        free(p->segbuf);
    free(p);
    free(ln);
    if (!ok) {
        scn_free(s);
        return false;
    }
    *out = s;
    return true;
}

bool scn_parse_file(const char *path, struct scn **out, struct scn_error *err)
{
    struct scn_diag diag = {path, err};
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return scn_fail(&diag, 0, 0, NULL, 0, "cannot open: %s", strerror(errno));
    char *buf = malloc(SCN_MAX_FILE_BYTES + 1);
    if (!buf) {
        fclose(f);
        return scn_fail(&diag, 0, 0, NULL, 0, "out of memory");
    }
    size_t n = fread(buf, 1, SCN_MAX_FILE_BYTES + 1, f);
    bool read_error = ferror(f) != 0;
    fclose(f);
    bool ok;
    if (read_error)
        ok = scn_fail(&diag, 0, 0, NULL, 0, "cannot read the file");
    else
        ok = scn_parse_string(path, buf, n, out, err);
    free(buf);
    return ok;
}

/* Appends a word the --set key stands for; raw and col point into the argument. */
static void synth(struct scn_line *ln, const char *word, size_t len, const char *raw,
                  size_t raw_len, uint32_t col)
{
    struct scn_tok *t = &ln->tok[ln->ntok++];
    t->kind = SCN_TOK_WORD;
    t->raw = raw;
    t->raw_len = raw_len;
    t->col = col;
    t->str = memcpy(ln->buf + ln->used, word, len);
    t->len = len;
    ln->used += len;
    ln->buf[ln->used++] = '\0';
}

/* --set KEY=VALUE: the key chooses the statement the value completes. */
static bool set_key_words(struct scn_parser *p, const char *arg, size_t klen)
{
    static const char usage[] = "unknown --set key (use seed, profile, a profile key, A.OPTION, "
                                "B.OPTION, A>B.PARAM, B>A.PARAM, link.PARAM or limit.NAME)";
    struct scn_line *ln = p->ln;
    char key[64];
    if (klen == 0)
        return scn_fail(&p->diag, 1, 1, arg, strlen(arg), "missing key before '='");
    if (klen >= sizeof key)
        return scn_fail(&p->diag, 1, 1, arg, klen, "%s", usage);
    memcpy(key, arg, klen);
    key[klen] = '\0';
    const char *dot = strchr(key, '.');
    if (!dot) {
        if (strcmp(key, "seed") != 0 && strcmp(key, "profile") != 0) {
            if (!scn_p_is_setting_key(key))
                return scn_fail(&p->diag, 1, 1, arg, klen, "%s", usage);
            synth(ln, "set", 3, arg, klen, 1);
        }
        synth(ln, key, klen, arg, klen, 1);
        return true;
    }
    size_t hl = (size_t)(dot - key), rest = klen - hl - 1;
    if (hl == 1 && (key[0] == 'A' || key[0] == 'B')) {
        synth(ln, "host", 4, arg, klen, 1);
        synth(ln, key, 1, arg, 1, 1);
    } else if (hl == 3 && (strncmp(key, "A>B", 3) == 0 || strncmp(key, "B>A", 3) == 0)) {
        synth(ln, "link", 4, arg, klen, 1);
        synth(ln, key, 3, arg, 3, 1);
    } else if (hl == 4 && strncmp(key, "link", 4) == 0) {
        synth(ln, "link", 4, arg, klen, 1);
        synth(ln, "both", 4, arg, 4, 1);
    } else if (hl == 5 && strncmp(key, "limit", 5) == 0) {
        synth(ln, "limit", 5, arg, 5, 1);
    } else {
        return scn_fail(&p->diag, 1, 1, arg, klen, "%s", usage);
    }
    if (rest == 0)
        return scn_fail(&p->diag, 1, 1, arg, klen, "%s", usage);
    synth(ln, dot + 1, rest, arg + hl + 1, rest, scn_utf8_chars(arg, hl + 1) + 1);
    return true;
}

bool scn_set(struct scn *s, const char *arg, struct scn_error *err)
{
    struct scn_diag diag = {"--set", err};
    size_t alen = strlen(arg);
    if (alen > SCN_MAX_LINE_BYTES)
        return scn_fail(&diag, 1, 1, NULL, 0, "--set value longer than %u bytes",
                        SCN_MAX_LINE_BYTES);
    if (!scn_lex_check(&diag, 1, arg, alen, 0))
        return false;
    const char *eq = strchr(arg, '=');
    if (!eq)
        return scn_fail(&diag, 1, 1, arg, alen, "expected KEY=VALUE");
    struct scn_parser *p = calloc(1, sizeof *p);
    struct scn_line *ln = calloc(1, sizeof *ln);
    bool ok = p && ln;
    if (!ok) {
        free(p);
        free(ln);
        return scn_fail(&diag, 0, 0, NULL, 0, "out of memory");
    }
    p->s = s;
    p->diag = diag;
    p->ln = ln;
    p->override = true;
    /* The settings vector's capacity is not kept in the scn: claiming it is full makes the next
     * setting grow it (realloc to twice the count) instead of writing past its end. */
    p->cap_settings = s->nsettings;
    const struct scn before = *s;
    size_t klen = (size_t)(eq - arg);
    uint32_t vcol = scn_utf8_chars(arg, klen + 1);
    /* lex the value first (it fills the start of the buffer), then put the key words before it */
    struct scn_line *val = calloc(1, sizeof *val);
    ok = val ? scn_lex_line(&diag, val, 1, eq + 1, alen - klen - 1, vcol)
             : scn_fail(&diag, 0, 0, NULL, 0, "out of memory");
    if (ok && val->ntok == 0)
        ok = scn_fail(&diag, 1, vcol + 1, NULL, 0, "missing value after '='");
    if (ok) {
        ln->lineno = 1;
        ln->text = arg;
        ln->len = alen;
        ok = set_key_words(p, arg, klen);
    }
    if (ok && ln->ntok + val->ntok > SCN_MAX_WORDS)
        ok = scn_fail(&diag, 1, vcol + 1, NULL, 0, "too many words in the value");
    if (ok) {
        for (size_t i = 0; i < val->ntok; i++) {
            struct scn_tok *t = &ln->tok[ln->ntok++];
            *t = val->tok[i];
            /* re-home the decoded text into ln's buffer */
            t->str = memcpy(ln->buf + ln->used, val->tok[i].str, val->tok[i].len + 1);
            ln->used += val->tok[i].len + 1;
        }
        ln->end_col = val->end_col;
        p->ti = 0;
        ok = scn_stmt(p);
    }
    if (ok)
        ok = finish_checks(p);
    if (!ok) { /* undo a partial change; only the settings vector may have moved */
        struct scn_setting *settings = s->settings;
        *s = before;
        s->settings = settings;
    }
    free(val);
    free(p->segbuf);
    free(p);
    free(ln);
    return ok;
}
