/* i18n.c: a small reader of gettext .po catalogs, language choice and {name} templates.
 * Called by the front end at start-up and on a language switch, and by explain.c for lookups. */
#include "i18n.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- growable strings ---------------------------------------------------------------------- */

struct sbuf {
    char *p;
    size_t len, cap;
};

static bool sbuf_putc(struct sbuf *b, char c)
{
    if (b->len + 1 >= b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        char *p = realloc(b->p, cap);
        if (!p)
            return false;
        b->p = p;
        b->cap = cap;
    }
    b->p[b->len++] = c;
    b->p[b->len] = '\0';
    return true;
}

static char *sbuf_take(struct sbuf *b)
{
    char *p = b->p ? b->p : calloc(1, 1);
    *b = (struct sbuf){ 0 };
    return p;
}

/* ---- the parser ---------------------------------------------------------------------------- */

enum field { F_NONE, F_CTXT, F_ID, F_PLURAL, F_STR, F_STR_OTHER };

struct parser {
    struct i18n *cat;
    size_t cap;
    const char *name;
    size_t line;
    char *err;
    size_t errsize;
    /* the entry being read */
    struct sbuf id, str;
    bool has_id, has_ctxt, fuzzy, fuzzy_next;
    enum field field;
};

static bool fail(struct parser *p, const char *msg)
{
    snprintf(p->err, p->errsize, "%s:%zu: %s", p->name, p->line, msg);
    return false;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct i18n_entry *)a)->id, ((const struct i18n_entry *)b)->id);
}

/* Ends the entry being read, keeping it if it is a usable translation. */
static bool flush_entry(struct parser *p)
{
    bool keep = p->has_id && !p->has_ctxt && !p->fuzzy && p->id.len > 0 && p->str.len > 0;
    if (keep) {
        if (p->cat->count == p->cap) {
            size_t cap = p->cap ? p->cap * 2 : 64;
            struct i18n_entry *e = realloc(p->cat->entries, cap * sizeof *e);
            if (!e)
                return fail(p, "out of memory");
            p->cat->entries = e;
            p->cap = cap;
        }
        struct i18n_entry *e = &p->cat->entries[p->cat->count++];
        e->id = sbuf_take(&p->id);
        e->str = sbuf_take(&p->str);
        if (!e->id || !e->str)
            return fail(p, "out of memory");
    }
    free(p->id.p);
    free(p->str.p);
    p->id = p->str = (struct sbuf){ 0 };
    p->has_id = p->has_ctxt = false;
    p->fuzzy = false;
    p->field = F_NONE;
    return true;
}

/* Appends the C-style quoted string starting at s (which points at the opening quote). */
static bool read_quoted(struct parser *p, const char *s, const char *end, struct sbuf *into)
{
    if (s >= end || *s != '"')
        return fail(p, "expected a quoted string");
    s++;
    while (s < end && *s != '"') {
        char c = *s++;
        if (c == '\\') {
            if (s >= end)
                return fail(p, "unfinished escape");
            char e = *s++;
            switch (e) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'a': c = '\a'; break;
            case '"': c = '"'; break;
            case '\\': c = '\\'; break;
            default: return fail(p, "unknown escape sequence");
            }
        }
        if (into && !sbuf_putc(into, c))
            return fail(p, "out of memory");
    }
    if (s >= end)
        return fail(p, "missing closing quote");
    s++;
    while (s < end && isspace((unsigned char)*s))
        s++;
    if (s < end)
        return fail(p, "text after the closing quote");
    return true;
}

static struct sbuf *field_buf(struct parser *p, enum field f)
{
    switch (f) {
    case F_ID: return &p->id;
    case F_STR: return &p->str;
    case F_NONE:
    case F_CTXT:
    case F_PLURAL:
    case F_STR_OTHER: return NULL;
    }
    return NULL;
}

static bool starts(const char *s, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - s) > n && memcmp(s, word, n) == 0 && (s[n] == ' ' || s[n] == '\t' || s[n] == '[');
}

static const char *skip_keyword(const char *s, const char *end)
{
    while (s < end && !isspace((unsigned char)*s))
        s++;
    while (s < end && isspace((unsigned char)*s))
        s++;
    return s;
}

static bool parse_line(struct parser *p, const char *s, const char *end)
{
    while (s < end && isspace((unsigned char)*s))
        s++;
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    if (s == end)
        return true;
    if (*s == '#') {
        if (end - s >= 2 && s[1] == ',') {
            const char *f = s + 2;
            size_t n = (size_t)(end - f);
            for (size_t i = 0; i + 5 <= n; i++)
                if (memcmp(f + i, "fuzzy", 5) == 0)
                    p->fuzzy_next = true;
        }
        return true;
    }
    if (*s == '"') {
        if (p->field == F_NONE)
            return fail(p, "a string continues no keyword");
        return read_quoted(p, s, end, field_buf(p, p->field));
    }
    if (starts(s, end, "msgctxt")) {
        if (p->has_id && !flush_entry(p))
            return false;
        p->has_ctxt = true;
        p->field = F_CTXT;
        return read_quoted(p, skip_keyword(s, end), end, NULL);
    }
    if (starts(s, end, "msgid_plural")) {
        p->field = F_PLURAL;
        return read_quoted(p, skip_keyword(s, end), end, NULL);
    }
    if (starts(s, end, "msgid")) {
        bool ctxt = p->has_ctxt && !p->has_id;
        if (p->has_id && !flush_entry(p))
            return false;
        p->has_ctxt = ctxt;
        p->has_id = true;
        p->fuzzy = p->fuzzy_next;
        p->fuzzy_next = false;
        p->field = F_ID;
        return read_quoted(p, skip_keyword(s, end), end, &p->id);
    }
    if (starts(s, end, "msgstr")) {
        if (!p->has_id)
            return fail(p, "msgstr without msgid");
        /* msgstr or msgstr[0] is the translation; msgstr[1..] (other plural forms) are skipped. */
        bool first = end - s > 6 && (s[6] != '[' || (end - s > 8 && s[7] == '0' && s[8] == ']'));
        p->field = first ? F_STR : F_STR_OTHER;
        return read_quoted(p, skip_keyword(s, end), end, field_buf(p, p->field));
    }
    return fail(p, "unknown keyword");
}

bool i18n_parse(struct i18n *cat, const char *text, size_t len, const char *name, char *err, size_t errsize)
{
    *cat = (struct i18n){ 0 };
    struct parser p = { .cat = cat, .name = name, .err = err, .errsize = errsize };
    const char *s = text, *end = text + len;
    bool ok = true;
    while (ok && s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *eol = nl ? nl : end;
        p.line++;
        ok = parse_line(&p, s, eol);
        s = nl ? nl + 1 : end;
    }
    if (ok)
        ok = flush_entry(&p);
    free(p.id.p);
    free(p.str.p);
    if (!ok) {
        i18n_finish(cat);
        return false;
    }
    if (cat->count)
        qsort(cat->entries, cat->count, sizeof *cat->entries, cmp_entry);
    return true;
}

bool i18n_load(struct i18n *cat, const char *path, char *err, size_t errsize)
{
    *cat = (struct i18n){ 0 };
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsize, "%s: cannot open the catalog", path);
        return false;
    }
    struct sbuf b = { 0 };
    bool ok = true;
    for (int c = fgetc(f); ok && c != EOF; c = fgetc(f))
        ok = sbuf_putc(&b, (char)c);
    fclose(f);
    if (!ok) {
        free(b.p);
        snprintf(err, errsize, "%s: out of memory", path);
        return false;
    }
    ok = i18n_parse(cat, b.p ? b.p : "", b.len, path, err, errsize);
    free(b.p);
    return ok;
}

void i18n_finish(struct i18n *cat)
{
    if (!cat)
        return;
    for (size_t i = 0; i < cat->count; i++) {
        free(cat->entries[i].id);
        free(cat->entries[i].str);
    }
    free(cat->entries);
    *cat = (struct i18n){ 0 };
}

const char *i18n_get(const struct i18n *cat, const char *msgid)
{
    if (!cat || !cat->count || !msgid)
        return msgid;
    struct i18n_entry key = { .id = (char *)msgid };
    const struct i18n_entry *e = bsearch(&key, cat->entries, cat->count, sizeof key, cmp_entry);
    return e ? e->str : msgid;
}

/* ---- language choice ----------------------------------------------------------------------- */

bool i18n_lang_of(const char *v, char *out, size_t size)
{
    if (!v || !*v || strcmp(v, "C") == 0 || strcmp(v, "POSIX") == 0 || strncmp(v, "C.", 2) == 0)
        return false;
    size_t n = 0;
    while (v[n] && isalpha((unsigned char)v[n]) && n < 8)
        n++;
    if (n < 2 || n > 3 || (v[n] && v[n] != '_' && v[n] != '.' && v[n] != '@' && v[n] != '-'))
        return false;
    if (size <= n)
        return false;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)tolower((unsigned char)v[i]);
    out[n] = '\0';
    return true;
}

void i18n_choose_lang(const char *explicit_lang, const char *env_language, const char *env_lc_all,
                      const char *env_lc_messages, const char *env_lang, char *out, size_t size)
{
    if (i18n_lang_of(explicit_lang, out, size))
        return;
    if (env_language) {
        /* LANGUAGE is a priority list, "ko:en"; the first entry that names a language wins. */
        char item[32];
        const char *s = env_language;
        for (size_t guard = 0; *s && guard < 64; guard++) {
            size_t n = strcspn(s, ":");
            snprintf(item, sizeof item, "%.*s", (int)(n < sizeof item - 1 ? n : sizeof item - 1), s);
            if (i18n_lang_of(item, out, size))
                return;
            s += n;
            if (*s == ':')
                s++;
        }
    }
    const char *vals[] = { env_lc_all, env_lc_messages, env_lang };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        /* LC_ALL set to any value overrides the rest, as in setlocale(3). */
        if (vals[i] && *vals[i]) {
            if (!i18n_lang_of(vals[i], out, size))
                break;
            return;
        }
    }
    snprintf(out, size, "en");
}

/* ---- templates ----------------------------------------------------------------------------- */

size_t i18n_format(char *buf, size_t size, const char *tmpl, const struct i18n_arg *args, size_t nargs)
{
    size_t len = 0;
#define PUT(c)                                                                                   \
    do {                                                                                         \
        if (len + 1 < size)                                                                      \
            buf[len] = (c);                                                                      \
        len++;                                                                                   \
    } while (0)
    const char *s = tmpl ? tmpl : "";
    while (*s) {
        if (s[0] == '{' && s[1] == '{') {
            PUT('{');
            s += 2;
            continue;
        }
        const char *close = s[0] == '{' ? strchr(s, '}') : NULL;
        const char *value = NULL;
        if (close) {
            size_t n = (size_t)(close - s - 1);
            for (size_t i = 0; i < nargs && !value; i++)
                if (strlen(args[i].name) == n && memcmp(args[i].name, s + 1, n) == 0)
                    value = args[i].value ? args[i].value : "";
        }
        if (value) {
            for (const char *v = value; *v; v++)
                PUT(*v);
            s = close + 1;
        } else {
            PUT(*s);
            s++;
        }
    }
#undef PUT
    if (size)
        buf[len < size ? len : size - 1] = '\0';
    return len;
}
