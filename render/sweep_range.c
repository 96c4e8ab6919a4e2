/* sweep_range.c: one --set argument of a sweep: finds a FROM..TO/STEP word in its value and
 * expands it with integer arithmetic only, writing each value exactly in FROM's unit.
 * Called by sweep_plan.c, sweep_csv.c and the tests. */
#include "sweep.h"

#include <stdarg.h>
#include <string.h>

struct unit {
    const char *name;
    enum sweep_kind kind;
    uint64_t factor; /* in the kind's base unit: ns, percent, byte, bit/s */
};

static const struct unit units[] = {
    {"", SWEEP_NUMBER, 1},
    {"ns", SWEEP_TIME, 1},
    {"us", SWEEP_TIME, 1000},
    {"\xC2\xB5s", SWEEP_TIME, 1000}, /* µs */
    {"ms", SWEEP_TIME, 1000000},
    {"s", SWEEP_TIME, 1000000000},
    {"min", SWEEP_TIME, 60000000000},
    {"%", SWEEP_PERCENT, 1},
    {"B", SWEEP_SIZE, 1},
    {"kB", SWEEP_SIZE, 1000},
    {"KB", SWEEP_SIZE, 1000},
    {"KiB", SWEEP_SIZE, 1024},
    {"MB", SWEEP_SIZE, 1000000},
    {"MiB", SWEEP_SIZE, 1048576},
    {"GB", SWEEP_SIZE, 1000000000},
    {"GiB", SWEEP_SIZE, 1073741824},
    {"bps", SWEEP_RATE, 1},
    {"kbps", SWEEP_RATE, 1000},
    {"Kbps", SWEEP_RATE, 1000},
    {"Mbps", SWEEP_RATE, 1000000},
    {"Gbps", SWEEP_RATE, 1000000000},
};

static const char *kind_name(enum sweep_kind k)
{
    switch (k) {
    case SWEEP_NUMBER: return "a plain number";
    case SWEEP_TIME: return "a time";
    case SWEEP_PERCENT: return "a percentage";
    case SWEEP_SIZE: return "a size";
    case SWEEP_RATE: return "a rate";
    }
    return "?";
}

static uint32_t utf8_chars(const char *s, size_t n)
{
    uint32_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0u) != 0x80u;
    return c;
}

/* The length of the valid UTF-8 character at s (1 to 4), 0 if none starts there. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    size_t k = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
             : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (k == 0 || k > n)
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return k;
}

/* "--set:1:COL: error: MESSAGE near 'TEXT'" with COL the character column of byte `at`. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 6, 7)))
#endif
static bool fail(struct sweep_error *err, const char *arg, size_t at, const char *near,
                 size_t near_len, const char *fmt, ...)
{
    char msg[300], q[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t n = 0, chars = 0;
    for (size_t i = 0; i < near_len && n + 8 < sizeof q; chars++) {
        if (chars == 40) {
            memcpy(q + n, "...", 3);
            n += 3;
            break;
        }
        size_t k = utf8_seq((const unsigned char *)near + i, near_len - i);
        unsigned char c = (unsigned char)near[i];
        if (k == 0 || (k == 1 && (c < 0x20 || c == 0x7F))) {
            n += (size_t)snprintf(q + n, sizeof q - n, "\\x%02X", c);
            k = 1;
        } else {
            memcpy(q + n, near + i, k);
            n += k;
        }
        i += k;
    }
    q[n] = '\0';
    snprintf(err->text, sizeof err->text, "--set:1:%u: error: %s near '%s'",
             utf8_chars(arg, at) + 1, msg, q);
    return false;
}

static bool mul_ok(uint64_t a, uint64_t b, uint64_t *out)
{
    if (b && a > UINT64_MAX / b)
        return false;
    *out = a * b;
    return true;
}

/* *m = *m * 10 + the digit c, unless that overflows. */
static bool add_digit(uint64_t *m, char c)
{
    uint64_t d = (uint64_t)(c - '0');
    if (!mul_ok(*m, 10, m) || *m > UINT64_MAX - d)
        return false;
    *m += d;
    return true;
}

static uint64_t pow10u(unsigned n)
{
    uint64_t v = 1;
    for (unsigned i = 0; i < n; i++)
        v *= 10;
    return v;
}

/* One part of a range: the number's digits as an integer, its decimals and its unit. */
struct part {
    const char *text;
    size_t len, at;           /* at: byte offset in the whole argument */
    uint64_t mant;            /* whole * 10^digits + fraction */
    unsigned digits;          /* decimals, trailing zeros dropped */
    const struct unit *unit;
};

static bool read_part(struct part *p, const char *name, const char *arg, size_t word_at,
                      const char *word, size_t wlen, struct sweep_error *err)
{
    const char *s = p->text, *end = p->text + p->len;
    if (p->len == 0)
        return fail(err, arg, word_at, word, wlen, "missing %s in the range FROM..TO/STEP", name);
    if (*s == '-')
        return fail(err, arg, p->at, p->text, p->len, "a range cannot hold negative values");
    if (*s < '0' || *s > '9')
        return fail(err, arg, p->at, p->text, p->len,
                    "expected a number with an optional unit, such as 10ms, 5%% or 1000");
    uint64_t mant = 0;
    for (; s < end && *s >= '0' && *s <= '9'; s++)
        if (!add_digit(&mant, *s))
            return fail(err, arg, p->at, p->text, p->len, "number does not fit in 64 bits");
    unsigned digits = 0;
    if (s + 1 < end && *s == '.' && s[1] >= '0' && s[1] <= '9') {
        const char *f = ++s;
        while (s < end && *s >= '0' && *s <= '9')
            s++;
        const char *last = s; /* trailing zeros change nothing */
        while (last > f && last[-1] == '0')
            last--;
        if (last - f > 18)
            return fail(err, arg, p->at, p->text, p->len, "number has more than 18 decimals");
        for (const char *q = f; q < last; q++, digits++)
            if (!add_digit(&mant, *q))
                return fail(err, arg, p->at, p->text, p->len, "number does not fit in 64 bits");
    }
    size_t ulen = (size_t)(end - s);
    p->unit = NULL;
    for (size_t i = 0; i < sizeof units / sizeof units[0] && !p->unit; i++)
        if (strlen(units[i].name) == ulen && memcmp(units[i].name, s, ulen) == 0)
            p->unit = &units[i];
    if (!p->unit)
        return fail(err, arg, p->at, p->text, p->len,
                    "unknown unit '%.*s' in a range (use a time, %%, a size or a rate unit)",
                    (int)(ulen > 24 ? 24 : ulen), s);
    p->mant = mant;
    p->digits = digits;
    return true;
}

/* The part's value in 10^-scale base units. */
static bool part_value(const struct part *p, unsigned scale, uint64_t *out)
{
    uint64_t v;
    return mul_ok(p->mant, p->unit->factor, &v) && mul_ok(v, pow10u(scale - p->digits), out);
}

/* Splits word (at byte `at` of arg) into FROM, TO and STEP and expands them into r. */
static bool parse_range(struct sweep_range *r, const char *arg, size_t at, const char *word,
                        size_t len, struct sweep_error *err)
{
    const char *dots = strstr(word, "..");
    const char *slash = strchr(dots + 2, '/');
    if (!slash)
        return fail(err, arg, at, word, len, "a range needs a step: FROM..TO/STEP");
    struct part part[3] = {
        {.text = word, .len = (size_t)(dots - word), .at = at},
        {.text = dots + 2, .len = (size_t)(slash - dots - 2), .at = at + (size_t)(dots + 2 - word)},
        {.text = slash + 1, .len = len - (size_t)(slash + 1 - word),
         .at = at + (size_t)(slash + 1 - word)},
    };
    static const char *const names[3] = {"FROM", "TO", "STEP"};
    unsigned scale = 0;
    for (int i = 0; i < 3; i++) {
        if (!read_part(&part[i], names[i], arg, at, word, len, err))
            return false;
        if (part[i].digits > scale)
            scale = part[i].digits;
    }
    enum sweep_kind kind = part[0].unit->kind;
    for (int i = 1; i < 3; i++) {
        enum sweep_kind k = part[i].unit->kind;
        if (k == kind)
            continue;
        if ((kind == SWEEP_NUMBER && k == SWEEP_SIZE) || (kind == SWEEP_SIZE && k == SWEEP_NUMBER)) {
            kind = SWEEP_SIZE;
            continue;
        }
        return fail(err, arg, part[i].at, part[i].text, part[i].len,
                    "unit mismatch: %.*s is %s but %.*s is %s", (int)part[0].len, part[0].text,
                    kind_name(part[0].unit->kind), (int)part[i].len, part[i].text, kind_name(k));
    }
    uint64_t v[3];
    for (int i = 0; i < 3; i++)
        if (!part_value(&part[i], scale, &v[i]))
            return fail(err, arg, at, word, len,
                        "the range's numbers are too large to expand exactly");
    if (v[2] == 0)
        return fail(err, arg, part[2].at, part[2].text, part[2].len, "the step must be above zero");
    if (v[1] < v[0])
        return fail(err, arg, part[1].at, part[1].text, part[1].len,
                    "the range runs backwards: TO is below FROM");
    uint64_t steps = (v[1] - v[0]) / v[2];
    if (steps >= SWEEP_MAX_RUNS)
        return fail(err, arg, at, word, len, "the range has more than %u values", SWEEP_MAX_RUNS);
    *r = (struct sweep_range){
        .kind = kind, .scale = scale, .from = v[0], .step = v[2],
        .count = steps + 1, .unit = part[0].unit->factor,
    };
    snprintf(r->unit_name, sizeof r->unit_name, "%s", part[0].unit->name);
    if (kind == SWEEP_TIME && part[0].unit->factor % 60 == 0) { /* min has a factor 3: use s */
        r->unit = 1000000000;
        snprintf(r->unit_name, sizeof r->unit_name, "s");
    }
    if ((v[1] - v[0]) % v[2] != 0) {
        char last[SWEEP_VALUE_MAX];
        struct sweep_set tmp = {.is_range = true, .range = *r};
        sweep_set_value(&tmp, r->count - 1, last, sizeof last);
        return fail(err, arg, part[1].at, part[1].text, part[1].len,
                    "TO is not FROM plus a whole number of steps (the last value would be %s)",
                    last);
    }
    return true;
}

bool sweep_set_parse(struct sweep_set *out, const char *arg, struct sweep_error *err)
{
    memset(out, 0, sizeof *out);
    out->arg = arg;
    const char *eq = strchr(arg, '=');
    size_t klen = eq ? (size_t)(eq - arg) : strlen(arg);
    if (klen >= sizeof out->key)
        return fail(err, arg, 0, arg, klen, "key longer than %u bytes", SWEEP_KEY_MAX - 1);
    memcpy(out->key, arg, klen);
    out->key[klen] = '\0';
    if (!eq)
        return true; /* scn_set reports the missing '=' */
    const char *p = eq + 1;
    for (size_t guard = 0; *p && guard < SCN_MAX_LINE_BYTES; guard++) {
        size_t sp = strspn(p, " \t");
        p += sp;
        size_t wl = strcspn(p, " \t");
        if (wl == 0)
            break;
        const char *dots = strstr(p, "..");
        if (dots && dots < p + wl) {
            size_t at = (size_t)(p - arg);
            if (out->is_range)
                return fail(err, arg, at, p, wl, "only one range per --set");
            char word[SCN_MAX_LINE_BYTES + 1];
            if (wl >= sizeof word)
                return fail(err, arg, at, p, 24, "range longer than %u bytes", SCN_MAX_LINE_BYTES);
            memcpy(word, p, wl);
            word[wl] = '\0';
            if (!parse_range(&out->range, arg, at, word, wl, err))
                return false;
            out->is_range = true;
            out->word_start = at;
            out->word_end = at + wl;
        }
        p += wl;
    }
    return true;
}

/* Writes value / 10^scale / unit as an exact decimal. unit is 2^a * 5^b (a, b <= 30), so the
 * fraction ends within 30 digits; scale <= 18 leaves room for every digit. */
static size_t write_decimal(char *buf, size_t size, uint64_t value, unsigned scale, uint64_t unit)
{
    uint64_t r = value % unit;
    char digits[48], frac[64];
    int nd = snprintf(digits, sizeof digits, "%0*llu", (int)scale + 1,
                      (unsigned long long)(value / unit));
    size_t whole = (size_t)nd - scale, fl = scale;
    memcpy(frac, digits + whole, scale);
    for (int i = 0; i < 40 && r != 0 && fl < sizeof frac; i++) {
        r *= 10;
        frac[fl++] = (char)('0' + r / unit);
        r %= unit;
    }
    while (fl > 0 && frac[fl - 1] == '0')
        fl--;
    return (size_t)snprintf(buf, size, "%.*s%s%.*s", (int)whole, digits, fl ? "." : "", (int)fl,
                            frac);
}

size_t sweep_set_value(const struct sweep_set *s, uint64_t k, char *buf, size_t size)
{
    if (!s->is_range) {
        const char *eq = strchr(s->arg, '=');
        return (size_t)snprintf(buf, size, "%s", eq ? eq + 1 : "");
    }
    const struct sweep_range *r = &s->range;
    uint64_t v = r->from + k * r->step;
    size_t n = write_decimal(buf, size, v, r->scale, r->unit);
    size_t u = strlen(r->unit_name);
    if (n < size)
        snprintf(buf + n, size - n, "%s", r->unit_name);
    return n + u;
}

bool sweep_set_arg(const struct sweep_set *s, uint64_t k, char *buf, size_t size)
{
    if (!s->is_range)
        return (size_t)snprintf(buf, size, "%s", s->arg) < size;
    char v[SWEEP_VALUE_MAX];
    if (sweep_set_value(s, k, v, sizeof v) >= sizeof v)
        return false;
    size_t n = (size_t)snprintf(buf, size, "%.*s%s%s", (int)s->word_start, s->arg, v,
                                s->arg + s->word_end);
    return n < size;
}

void sweep_set_error(const struct sweep_set *s, uint64_t k, const struct scn_error *e,
                     struct sweep_error *err)
{
    if (!s->is_range || e->line != 1) {
        snprintf(err->text, sizeof err->text, "%s", e->text);
        return;
    }
    char v[SWEEP_VALUE_MAX];
    sweep_set_value(s, k, v, sizeof v);
    uint32_t before = utf8_chars(s->arg, s->word_start), vc = utf8_chars(v, strlen(v));
    uint32_t wc = utf8_chars(s->arg + s->word_start, s->word_end - s->word_start);
    uint32_t col = e->col <= before ? e->col : e->col <= before + vc ? before + 1 : e->col - vc + wc;
    if (e->near[0])
        snprintf(err->text, sizeof err->text, "--set:1:%u: error: %s near '%s'", col, e->message,
                 e->near);
    else
        snprintf(err->text, sizeof err->text, "--set:1:%u: error: %s", col, e->message);
}
