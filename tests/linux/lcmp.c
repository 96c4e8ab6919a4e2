/* lcmp.c: A's-interface segments from a capture's .expected or a tcpsim JSONL trace, and their
 * comparison field by field and in time. Used by linux_compare.c and test_lcmp.c. */
#include "lcmp.h"

#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 4096
#define MAX_FIELDS 32

void lseg_list_free(struct lseg_list *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static bool list_push(struct lseg_list *l, const struct lseg *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct lseg *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return false;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = *s;
    return true;
}

/* Copies the next line (without its end) into buf; returns the text after it, NULL at the end. */
static const char *next_line(const char *p, char *buf, size_t size, bool *too_long)
{
    if (!*p)
        return NULL;
    size_t n = 0;
    *too_long = false;
    for (; *p && *p != '\n'; p++) {
        if (n + 1 < size)
            buf[n++] = *p;
        else
            *too_long = true;
    }
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    return *p ? p + 1 : p;
}

/* ---- the .expected text -------------------------------------------------------------------- */

/* "1.004085" -> ns (at most 9 decimals, never negative). */
static bool parse_seconds(const char *s, int64_t *out)
{
    int64_t whole = 0, frac = 0;
    int digits = 0, fdigits = 0;
    for (; *s >= '0' && *s <= '9' && digits < 12; s++, digits++)
        whole = whole * 10 + (*s - '0');
    if (digits == 0)
        return false;
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9' && fdigits < 9; s++, fdigits++)
            frac = frac * 10 + (*s - '0');
        if (fdigits == 0)
            return false;
    }
    if (*s)
        return false;
    for (int i = fdigits; i < 9; i++)
        frac *= 10;
    *out = whole * 1000000000 + frac;
    return true;
}

static bool parse_u32(const char *s, uint32_t *out)
{
    uint64_t v = 0;
    int digits = 0;
    for (; *s >= '0' && *s <= '9' && digits < 11; s++, digits++)
        v = v * 10 + (uint64_t)(*s - '0');
    if (digits == 0 || *s || v > UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* "1:101(100)" */
static bool parse_range(const char *s, uint32_t *seq, uint32_t *len)
{
    char a[16], b[16], c[16];
    size_t i = 0, j = 0, k = 0;
    for (; *s && *s != ':' && i + 1 < sizeof a; s++)
        a[i++] = *s;
    if (*s++ != ':')
        return false;
    for (; *s && *s != '(' && j + 1 < sizeof b; s++)
        b[j++] = *s;
    if (*s++ != '(')
        return false;
    for (; *s && *s != ')' && k + 1 < sizeof c; s++)
        c[k++] = *s;
    if (*s++ != ')' || *s)
        return false;
    a[i] = b[j] = c[k] = '\0';
    uint32_t end;
    return parse_u32(a, seq) && parse_u32(b, &end) && parse_u32(c, len) && end - *seq == *len;
}

static bool valid_flags(const char *s)
{
    static const char order[] = "FSRPUEW.";
    size_t at = 0, n = strlen(s);
    if (n == 0 || n >= sizeof ((struct lseg *)0)->flags)
        return false;
    for (size_t i = 0; i < n; i++) {
        const char *c = strchr(order + at, s[i]);
        if (!c)
            return false;
        at = (size_t)(c - order) + 1;
    }
    return true;
}

static bool parse_expected_line(char *line, int lineno, struct lseg *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->line = lineno;
    char *comment = strchr(line, '#');
    if (comment) {
        s->dropped = strstr(comment, "dropped") != NULL;
        *comment = '\0';
    }
    char *tok[16];
    int n = 0;
    for (char *p = strtok(line, " \t"); p && n < 16; p = strtok(NULL, " \t"))
        tok[n++] = p;
    if (n < 4) {
        snprintf(err, errlen, "line %d: too few words", lineno);
        return false;
    }
    if (!parse_seconds(tok[0], &s->t)) {
        snprintf(err, errlen, "line %d: bad time '%s'", lineno, tok[0]);
        return false;
    }
    if (strcmp(tok[1], "A>B") == 0) {
        s->dir = 'A';
    } else if (strcmp(tok[1], "B>A") == 0) {
        s->dir = 'B';
    } else {
        snprintf(err, errlen, "line %d: bad direction '%s'", lineno, tok[1]);
        return false;
    }
    if (!valid_flags(tok[2])) {
        snprintf(err, errlen, "line %d: bad flags '%s'", lineno, tok[2]);
        return false;
    }
    snprintf(s->flags, sizeof s->flags, "%s", tok[2]);
    if (!parse_range(tok[3], &s->seq, &s->len)) {
        snprintf(err, errlen, "line %d: bad range '%s'", lineno, tok[3]);
        return false;
    }
    for (int i = 4; i < n; i++) {
        if (strcmp(tok[i], "ack") == 0 && i + 1 < n && parse_u32(tok[i + 1], &s->ack)) {
            s->has_ack = true;
            i++;
        } else if (strcmp(tok[i], "win") == 0 && i + 1 < n && parse_u32(tok[i + 1], &s->win)) {
            i++;
        } else if (strcmp(tok[i], "<mss") == 0 && i + 1 < n) {
            char num[16];
            size_t len = strlen(tok[i + 1]);
            if (len < 2 || len >= sizeof num || tok[i + 1][len - 1] != '>')
                break;
            memcpy(num, tok[i + 1], len - 1);
            num[len - 1] = '\0';
            if (!parse_u32(num, &s->mss))
                break;
            i++;
        } else {
            snprintf(err, errlen, "line %d: unexpected '%s'", lineno, tok[i]);
            return false;
        }
    }
    if (s->has_ack != (strchr(s->flags, '.') != NULL)) {
        snprintf(err, errlen, "line %d: 'ack' must appear exactly with the ACK flag", lineno);
        return false;
    }
    return true;
}

bool lcmp_parse_expected(const char *text, struct lseg_list *out, char *err, size_t errlen)
{
    char line[LINE_MAX_LEN];
    bool too_long;
    int lineno = 0;
    memset(out, 0, sizeof *out);
    for (const char *p = next_line(text, line, sizeof line, &too_long); p;
         p = next_line(p, line, sizeof line, &too_long)) {
        lineno++;
        if (too_long) {
            snprintf(err, errlen, "line %d: too long", lineno);
            lseg_list_free(out);
            return false;
        }
        const char *q = line + strspn(line, " \t");
        if (*q == '\0' || *q == '#')
            continue;
        struct lseg s;
        if (!parse_expected_line(line, lineno, &s, err, errlen)) {
            lseg_list_free(out);
            return false;
        }
        if (!list_push(out, &s)) {
            snprintf(err, errlen, "out of memory");
            lseg_list_free(out);
            return false;
        }
    }
    if (out->n == 0) {
        snprintf(err, errlen, "no segments");
        return false;
    }
    int64_t t0 = out->v[0].t;
    for (size_t i = 0; i < out->n; i++)
        out->v[i].t -= t0;
    return true;
}

/* ---- the JSONL trace ----------------------------------------------------------------------- */

struct jfield {
    const char *key, *val;
    size_t klen, vlen;
};

static const char *skip_string(const char *p)
{
    for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && p[1])
            p++;
    return *p == '"' ? p + 1 : NULL;
}

static const char *skip_value(const char *p)
{
    if (*p == '"')
        return skip_string(p);
    if (*p == '[') {
        for (p++; *p && *p != ']';) {
            if (*p == '"') {
                p = skip_string(p);
                if (!p)
                    return NULL;
            } else {
                p++;
            }
        }
        return *p == ']' ? p + 1 : NULL;
    }
    const char *start = p;
    while (*p && *p != ',' && *p != '}')
        p++;
    return p > start ? p : NULL;
}

/* The top-level fields of one flat JSON object. */
static size_t json_fields(const char *p, struct jfield *f, size_t max)
{
    size_t n = 0;
    if (*p++ != '{')
        return 0;
    while (*p == '"' && n < max) {
        const char *k = p + 1;
        const char *ke = skip_string(p);
        if (!ke || *ke != ':')
            return 0;
        const char *v = ke + 1;
        const char *ve = skip_value(v);
        if (!ve)
            return 0;
        f[n++] = (struct jfield){k, v, (size_t)(ke - 1 - k), (size_t)(ve - v)};
        p = ve;
        if (*p == ',')
            p++;
    }
    return n;
}

static const struct jfield *jget(const struct jfield *f, size_t n, const char *key)
{
    size_t len = strlen(key);
    for (size_t i = 0; i < n; i++)
        if (f[i].klen == len && memcmp(f[i].key, key, len) == 0)
            return &f[i];
    return NULL;
}

static bool jint(const struct jfield *f, size_t n, const char *key, int64_t *out)
{
    const struct jfield *x = jget(f, n, key);
    char buf[32];
    if (!x || x->vlen == 0 || x->vlen >= sizeof buf)
        return false;
    memcpy(buf, x->val, x->vlen);
    buf[x->vlen] = '\0';
    char *end;
    long long v = strtoll(buf, &end, 10);
    if (*end)
        return false;
    *out = v;
    return true;
}

static bool jstr_is(const struct jfield *f, size_t n, const char *key, const char *want)
{
    const struct jfield *x = jget(f, n, key);
    size_t len = strlen(want);
    return x && x->vlen == len + 2 && memcmp(x->val + 1, want, len) == 0;
}

/* ["ACK","SYN"] -> "S." */
static bool flags_from_json(const struct jfield *x, char *out, size_t size)
{
    static const struct {
        const char *name;
        char letter;
    } names[] = {{"FIN", 'F'}, {"SYN", 'S'}, {"RST", 'R'}, {"PSH", 'P'},
                 {"URG", 'U'}, {"ECE", 'E'}, {"CWR", 'W'}, {"ACK", '.'}};
    bool have[8] = {false};
    if (!x || x->vlen < 2 || x->val[0] != '[')
        return false;
    for (size_t i = 0; i < 8; i++) {
        char quoted[8];
        snprintf(quoted, sizeof quoted, "\"%s\"", names[i].name);
        size_t ql = strlen(quoted);
        for (size_t j = 0; j + ql <= x->vlen; j++)
            if (memcmp(x->val + j, quoted, ql) == 0)
                have[i] = true;
    }
    size_t n = 0;
    for (size_t i = 0; i < 8 && n + 1 < size; i++)
        if (have[i])
            out[n++] = names[i].letter;
    out[n] = '\0';
    return n > 0;
}

static bool read_trace_lines(const char *jsonl, char *line, size_t size, struct lseg_list *out,
                             char *err, size_t errlen);

bool lcmp_parse_trace(const char *jsonl, struct lseg_list *out, char *err, size_t errlen)
{
    enum { TRACE_LINE_MAX = 16384 };
    char *line = malloc(TRACE_LINE_MAX);
    memset(out, 0, sizeof *out);
    if (!line) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    bool ok = read_trace_lines(jsonl, line, TRACE_LINE_MAX, out, err, errlen);
    free(line);
    return ok;
}

/* lcmp_parse_trace's loop, with its line buffer. */
static bool read_trace_lines(const char *jsonl, char *line, size_t size, struct lseg_list *out,
                             char *err, size_t errlen)
{
    bool too_long;
    int lineno = 0;
    bool isn_known[2] = {false, false}; /* each side's ISN, from its first SYN */
    uint32_t isn[2] = {0, 0};
    for (const char *p = next_line(jsonl, line, size, &too_long); p;
         p = next_line(p, line, size, &too_long)) {
        lineno++;
        if (too_long || line[0] == '\0')
            continue;
        struct jfield f[MAX_FIELDS];
        size_t n = json_fields(line, f, MAX_FIELDS);
        if (n == 0) {
            snprintf(err, errlen, "trace line %d: not a JSON object", lineno);
            lseg_list_free(out);
            return false;
        }
        bool tx = jstr_is(f, n, "ev", "tx"), rx = jstr_is(f, n, "ev", "rx");
        if (!tx && !rx)
            continue;
        /* A's view: A's own segments when sent; B's when they reach A, or, dropped, when
         * they left B. Delivered B segments are taken from A's rx record. */
        bool from_a = tx ? jstr_is(f, n, "from", "A") : jstr_is(f, n, "host", "B");
        bool dropped = tx && jstr_is(f, n, "fate", "dropped");
        bool keep = tx ? (from_a || dropped) : jstr_is(f, n, "host", "A");
        if (!keep)
            continue;
        struct lseg s;
        memset(&s, 0, sizeof s);
        int64_t t, seq, ack, len, wnd, mss;
        if (!jint(f, n, "t_ns", &t) || !jint(f, n, "seq", &seq) || !jint(f, n, "ack", &ack) ||
            !jint(f, n, "len", &len) || !jint(f, n, "wnd", &wnd) || !jint(f, n, "mss", &mss) ||
            !flags_from_json(jget(f, n, "flags"), s.flags, sizeof s.flags)) {
            snprintf(err, errlen, "trace line %d: a segment record lacks a field", lineno);
            lseg_list_free(out);
            return false;
        }
        int me = from_a ? 0 : 1;
        if (strchr(s.flags, 'S') && !isn_known[me]) {
            isn[me] = (uint32_t)seq;
            isn_known[me] = true;
        }
        s.t = t;
        s.dir = from_a ? 'A' : 'B';
        s.seq = (uint32_t)seq - (isn_known[me] ? isn[me] : 0);
        s.has_ack = strchr(s.flags, '.') != NULL;
        s.ack = s.has_ack ? (uint32_t)ack - (isn_known[1 - me] ? isn[1 - me] : 0) : 0;
        s.len = (uint32_t)len;
        s.win = (uint32_t)wnd;
        s.mss = (uint32_t)mss;
        s.dropped = dropped;
        s.line = lineno;
        if (!list_push(out, &s)) {
            snprintf(err, errlen, "out of memory");
            lseg_list_free(out);
            return false;
        }
    }
    if (out->n == 0) {
        snprintf(err, errlen, "the trace has no segments");
        return false;
    }
    int64_t t0 = out->v[0].t;
    for (size_t i = 0; i < out->n; i++)
        out->v[i].t -= t0;
    return true;
}

/* ---- comparison ---------------------------------------------------------------------------- */

static int64_t abs64(int64_t v)
{
    return v < 0 ? -v : v;
}

static bool carries_seq(const struct lseg *s)
{
    return s->len > 0 || strchr(s->flags, 'S') || strchr(s->flags, 'F');
}

static bool same_segment(const struct lseg *a, const struct lseg *b)
{
    return a->dir == b->dir && strcmp(a->flags, b->flags) == 0 && a->seq == b->seq &&
           a->len == b->len;
}

static bool fields_equal(const struct lseg *a, const struct lseg *b)
{
    return same_segment(a, b) && a->has_ack == b->has_ack && (!a->has_ack || a->ack == b->ack) &&
           a->mss == b->mss && a->dropped == b->dropped;
}

/* |sim - exp| within LCMP_TIME_PERCENT of exp. */
static bool within_percent(int64_t sim, int64_t exp)
{
    return abs64(sim - exp) * 100 <= abs64(exp) * LCMP_TIME_PERCENT;
}

bool lcmp_compare(const struct lseg_list *exp, const struct lseg_list *sim, int64_t time_floor,
                  struct lcmp_report *rep)
{
    memset(rep, 0, sizeof *rep);
    size_t n = exp->n > sim->n ? exp->n : sim->n;
    rep->rows = calloc(n ? n : 1, sizeof *rep->rows);
    if (!rep->rows)
        return false;
    rep->nrows = n;
    for (size_t i = 0; i < n; i++) {
        struct lcmp_row *r = &rep->rows[i];
        r->exp = i < exp->n ? &exp->v[i] : NULL;
        r->sim = i < sim->n ? &sim->v[i] : NULL;
        if (!r->exp || !r->sim) {
            rep->mismatches++;
            continue;
        }
        const struct lseg *e = r->exp, *s = r->sim;
        r->fields_ok = fields_equal(e, s);
        uint32_t dw = e->win > s->win ? e->win - s->win : s->win - e->win;
        r->win_exact = dw == 0;
        r->win_ok = dw <= LCMP_WIN_SLACK;

        /* Time: the segment is on time if it matches the capture either on the common clock
         * (application steps are replayed at their captured times) or measured from the
         * segment before it (a reply, or a timer started by it), within 10% of the captured
         * gap from the segment before, or the floor (5 ms), whichever is larger. */
        r->dev_abs = s->t - e->t;
        if (i == 0) {
            r->time_ok = true;
        } else {
            int64_t gap = e->t - exp->v[i - 1].t;
            r->dev_step = (s->t - sim->v[i - 1].t) - gap;
            r->tol = abs64(gap) * LCMP_TIME_PERCENT / 100;
            if (r->tol < time_floor)
                r->tol = time_floor;
            r->time_ok = abs64(r->dev_abs) <= r->tol || abs64(r->dev_step) <= r->tol;
        }
        if (abs64(r->dev_abs) > rep->max_dev_abs)
            rep->max_dev_abs = abs64(r->dev_abs);
        if (i > 0) {
            int64_t judged = abs64(r->dev_abs) < abs64(r->dev_step) ? abs64(r->dev_abs)
                                                                    : abs64(r->dev_step);
            int64_t pm = judged * 1000 / r->tol;
            if (pm > rep->max_tol_permille)
                rep->max_tol_permille = (int)(pm > 1000000 ? 1000000 : pm);
        }

        /* A retransmission: its gap from the first copy and from the latest copy, each
         * within 10% of the capture's (the same rows match, so the same copies). */
        r->retrans_ok = true;
        if (r->fields_ok && carries_seq(e)) {
            for (size_t j = 0; j < i; j++) {
                if (!same_segment(&exp->v[j], e))
                    continue;
                if (!r->retrans)
                    r->orig = j;
                r->retrans = true;
                r->prev = j;
            }
        }
        if (r->retrans) {
            r->gap_orig_exp = e->t - exp->v[r->orig].t;
            r->gap_orig_sim = s->t - sim->v[r->orig].t;
            r->gap_prev_exp = e->t - exp->v[r->prev].t;
            r->gap_prev_sim = s->t - sim->v[r->prev].t;
            bool same_copies = same_segment(&sim->v[r->orig], s) &&
                               same_segment(&sim->v[r->prev], s);
            r->retrans_ok = same_copies && within_percent(r->gap_orig_sim, r->gap_orig_exp) &&
                            within_percent(r->gap_prev_sim, r->gap_prev_exp);
            int64_t worst = 0;
            if (r->gap_orig_exp != 0)
                worst = abs64(r->gap_orig_sim - r->gap_orig_exp) * 1000 / abs64(r->gap_orig_exp);
            if (r->gap_prev_exp != 0) {
                int64_t pm =
                    abs64(r->gap_prev_sim - r->gap_prev_exp) * 1000 / abs64(r->gap_prev_exp);
                if (pm > worst)
                    worst = pm;
            }
            if (worst > rep->max_retrans_permille)
                rep->max_retrans_permille = (int)(worst > 1000000 ? 1000000 : worst);
        }
        if (!r->fields_ok || !r->win_ok || !r->time_ok || !r->retrans_ok)
            rep->mismatches++;
    }
    return true;
}

void lcmp_report_free(struct lcmp_report *rep)
{
    free(rep->rows);
    rep->rows = NULL;
    rep->nrows = 0;
}

void lcmp_format(const struct lseg *s, char *buf, size_t size)
{
    char ack[24] = "", mss[24] = "";
    if (s->has_ack)
        snprintf(ack, sizeof ack, " ack %u", s->ack);
    if (s->mss)
        snprintf(mss, sizeof mss, " <mss %u>", s->mss);
    snprintf(buf, size, "%s %s %u:%u(%u)%s win %u%s%s", s->dir == 'A' ? "A>B" : "B>A", s->flags,
             s->seq, s->seq + s->len, s->len, ack, s->win, mss, s->dropped ? " dropped" : "");
}

static void print_time(FILE *f, const struct lseg *s)
{
    if (s)
        fprintf(f, "%4lld.%06lld", (long long)(s->t / 1000000000),
                (long long)(s->t % 1000000000 / 1000));
    else
        fprintf(f, "%11s", "");
}

void lcmp_print_table(FILE *f, const struct lcmp_report *rep)
{
    fprintf(f, "  # %-11s %-52s %-11s %-52s %9s  %s\n", "capture", "(host A's interface)", "tcpsim",
            "", "dt ms", "checks");
    for (size_t i = 0; i < rep->nrows; i++) {
        const struct lcmp_row *r = &rep->rows[i];
        char e[96] = "(none)", s[96] = "(none)";
        if (r->exp)
            lcmp_format(r->exp, e, sizeof e);
        if (r->sim)
            lcmp_format(r->sim, s, sizeof s);
        fprintf(f, "%3zu ", i + 1);
        print_time(f, r->exp);
        fprintf(f, " %-52s ", e);
        print_time(f, r->sim);
        fprintf(f, " %-52s ", s);
        if (r->exp && r->sim) {
            int64_t d = r->dev_abs;
            fprintf(f, "%+9.3f  ", (double)d / 1e6);
            fprintf(f, "%s", r->fields_ok ? "" : "SEGMENT ");
            fprintf(f, "%s", r->win_ok ? (r->win_exact ? "" : "win~ ") : "WINDOW ");
            if (!r->time_ok)
                fprintf(f, "TIME(|dt| and |step| %+.3f ms > %.3f ms) ",
                        (double)r->dev_step / 1e6, (double)r->tol / 1e6);
            if (r->retrans)
                fprintf(f,
                        "%sretransmission of #%zu: gap %.1f vs %.1f ms, from #%zu %.1f vs %.1f ms",
                        r->retrans_ok ? "" : "RETRANSMISSION ", r->orig + 1,
                        (double)r->gap_orig_sim / 1e6, (double)r->gap_orig_exp / 1e6,
                        r->prev + 1, (double)r->gap_prev_sim / 1e6,
                        (double)r->gap_prev_exp / 1e6);
            if (r->fields_ok && r->win_ok && r->time_ok && r->retrans_ok && !r->retrans)
                fprintf(f, "ok");
        } else {
            fprintf(f, "%9s  %s", "", r->exp ? "MISSING in tcpsim" : "EXTRA in tcpsim");
        }
        fprintf(f, "\n");
    }
}
