/* scn_value.c: readers of one scenario word: numbers, exact decimal times, percentages, sizes,
 * rates, hosts, directions, addresses, flags, states and fates, with integer arithmetic only.
 * Called by the scenario parser files. */
#include "scn_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

SCN_PRINTF(2, 3) static bool fail(struct scn_msg *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->text, sizeof m->text, fmt, ap);
    va_end(ap);
    return false;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool eq_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (lower(*a) != lower(*b))
            return false;
    return *a == *b;
}

/* A decimal "digits[.digits]" at the start of w: whole part, the fraction digits as written
 * (without trailing zeros) and how many there are, and where the rest (the unit) starts. */
struct decimal {
    uint64_t whole;
    uint64_t frac;       /* the fraction's significant digits as an integer */
    unsigned frac_digits;
    const char *rest;
};

enum dec_status { DEC_OK, DEC_NONE, DEC_OVERFLOW, DEC_TOO_PRECISE };

static enum dec_status read_decimal(const char *w, struct decimal *d)
{
    const char *p = w;
    memset(d, 0, sizeof *d);
    if (!is_digit(*p))
        return DEC_NONE;
    for (; is_digit(*p); p++) {
        unsigned dig = (unsigned)(*p - '0');
        if (d->whole > (UINT64_MAX - dig) / 10)
            return DEC_OVERFLOW;
        d->whole = d->whole * 10 + dig;
    }
    if (*p == '.' && is_digit(p[1])) {
        p++;
        const char *f = p;
        while (is_digit(*p))
            p++;
        const char *last = p; /* drop trailing zeros */
        while (last > f && last[-1] == '0')
            last--;
        if (last - f > 18)
            return DEC_TOO_PRECISE;
        for (const char *q = f; q < last; q++) {
            d->frac = d->frac * 10 + (uint64_t)(*q - '0');
            d->frac_digits++;
        }
    }
    d->rest = p;
    return DEC_OK;
}

static uint64_t pow10u(unsigned n)
{
    uint64_t v = 1;
    for (unsigned i = 0; i < n; i++)
        v *= 10;
    return v;
}

/* whole*unit + frac*unit/10^digits when that is an integer not above max. 0 ok, 1 too large,
 * 2 not a whole number of the base unit. */
static int scale(const struct decimal *d, uint64_t unit, uint64_t max, uint64_t *out)
{
    if (d->whole > max / unit)
        return 1;
    uint64_t v = d->whole * unit;
    if (d->frac_digits) {
        uint64_t den = pow10u(d->frac_digits);
        /* frac < den <= 10^18 and unit <= 10^12 would overflow; reduce first */
        uint64_t g = unit, r = den;
        while (r) {
            uint64_t tmp = g % r;
            g = r;
            r = tmp;
        }
        uint64_t u = unit / g, dd = den / g;
        if (d->frac % dd != 0)
            return 2;
        uint64_t part = d->frac / dd;
        if (part > max / u)
            return 1;
        part *= u;
        if (v > max - part)
            return 1;
        v += part;
    }
    *out = v;
    return 0;
}

bool scn_read_u64(const char *w, uint64_t *out, struct scn_msg *m)
{
    if (w[0] == '-' && is_digit(w[1]))
        return fail(m, "negative numbers are not allowed");
    if (!is_digit(w[0]))
        return fail(m, "expected a number");
    uint64_t v = 0;
    for (const char *p = w; *p; p++) {
        if (!is_digit(*p))
            return fail(m, "expected a whole number");
        unsigned dig = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - dig) / 10)
            return fail(m, "number does not fit in 64 bits");
        v = v * 10 + dig;
    }
    *out = v;
    return true;
}

bool scn_read_uint(const char *w, uint64_t lo, uint64_t hi, const char *what, uint64_t *out,
                   struct scn_msg *m)
{
    uint64_t v;
    if (!scn_read_u64(w, &v, m))
        return false;
    if (v < lo || v > hi) {
        snprintf(m->text, sizeof m->text, "%s must be between %llu and %llu", what,
                 (unsigned long long)lo, (unsigned long long)hi);
        return false;
    }
    *out = v;
    return true;
}

struct unit {
    const char *name;
    uint64_t factor;
};

static const struct unit *find_unit(const struct unit *units, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(units[i].name, name) == 0)
            return &units[i];
    return NULL;
}

bool scn_read_time(const char *w, sim_time *out, struct scn_msg *m)
{
    static const struct unit units[] = {
        {"ns", 1},
        {"us", 1000},
        {"\xC2\xB5s", 1000}, /* µs */
        {"ms", 1000000},
        {"s", 1000000000},
        {"min", 60000000000},
    };
    struct decimal d;
    if (w[0] == '-')
        return fail(m, "times cannot be negative");
    switch (read_decimal(w, &d)) {
    case DEC_OK: break;
    case DEC_NONE: return fail(m, "expected a time such as 250ms or 1.5s");
    case DEC_OVERFLOW: return fail(m, "number does not fit in 64 bits");
    case DEC_TOO_PRECISE: return fail(m, "time is finer than 1 ns");
    }
    if (!*d.rest)
        return fail(m, "time needs a unit (ns, us, ms, s or min)");
    const struct unit *u = find_unit(units, sizeof units / sizeof units[0], d.rest);
    if (!u)
        return fail(m, "unknown time unit '%.24s' (use ns, us, ms, s or min)", d.rest);
    uint64_t v;
    switch (scale(&d, u->factor, (uint64_t)INT64_MAX, &v)) {
    case 0: break;
    case 1: return fail(m, "time is too large (at most 9223372036854775807ns)");
    default: return fail(m, "time is finer than 1 ns");
    }
    *out = (sim_time)v;
    return true;
}

static void ratio_reduce(struct ratio *r)
{
    uint64_t a = r->num, b = r->den;
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    if (a > 1) {
        r->num /= a;
        r->den /= a;
    }
    if (r->num == 0)
        r->den = 0;
}

bool scn_read_percent(const char *w, struct ratio *out, struct scn_msg *m)
{
    struct decimal d;
    if (w[0] == '-')
        return fail(m, "percentages cannot be negative");
    switch (read_decimal(w, &d)) {
    case DEC_OK: break;
    case DEC_NONE: return fail(m, "expected a percentage such as 20%% or 0.5%%");
    case DEC_OVERFLOW: return fail(m, "number does not fit in 64 bits");
    case DEC_TOO_PRECISE: return fail(m, "percentage has more than 16 decimals");
    }
    if (strcmp(d.rest, "%") != 0)
        return *d.rest ? fail(m, "unknown percentage unit '%.24s' (write 20%%)", d.rest)
                       : fail(m, "percentage needs a %% sign");
    if (d.frac_digits > 16)
        return fail(m, "percentage has more than 16 decimals");
    if (d.whole > 100 || (d.whole == 100 && d.frac))
        return fail(m, "percentage above 100%%");
    uint64_t den = pow10u(d.frac_digits);
    out->num = d.whole * den + d.frac;
    out->den = 100 * den;
    ratio_reduce(out);
    return true;
}

bool scn_read_size(const char *w, uint64_t *out, struct scn_msg *m)
{
    static const struct unit units[] = {
        {"", 1}, {"B", 1}, {"kB", 1000}, {"KB", 1000}, {"KiB", 1024},
        {"MB", 1000000}, {"MiB", 1048576}, {"GB", 1000000000}, {"GiB", 1073741824},
    };
    struct decimal d;
    if (w[0] == '-')
        return fail(m, "sizes cannot be negative");
    switch (read_decimal(w, &d)) {
    case DEC_OK: break;
    case DEC_NONE: return fail(m, "expected a size such as 1000 or 64KiB");
    case DEC_OVERFLOW: return fail(m, "number does not fit in 64 bits");
    case DEC_TOO_PRECISE: return fail(m, "size is not a whole number of bytes");
    }
    const struct unit *u = find_unit(units, sizeof units / sizeof units[0], d.rest);
    if (!u)
        return fail(m, "unknown size unit '%.24s' (use B, kB, KiB, MB, MiB, GB or GiB)", d.rest);
    switch (scale(&d, u->factor, UINT64_MAX, out)) {
    case 0: return true;
    case 1: return fail(m, "number does not fit in 64 bits");
    default: return fail(m, "size is not a whole number of bytes");
    }
}

bool scn_read_rate(const char *w, uint64_t *out, struct scn_msg *m)
{
    static const struct unit units[] = {
        {"bps", 1}, {"kbps", 1000}, {"Kbps", 1000}, {"Mbps", 1000000}, {"Gbps", 1000000000},
    };
    struct decimal d;
    if (w[0] == '-')
        return fail(m, "rates cannot be negative");
    switch (read_decimal(w, &d)) {
    case DEC_OK: break;
    case DEC_NONE: return fail(m, "expected a rate such as 10Mbps");
    case DEC_OVERFLOW: return fail(m, "number does not fit in 64 bits");
    case DEC_TOO_PRECISE: return fail(m, "rate is not a whole number of bit/s");
    }
    if (!*d.rest)
        return fail(m, "rate needs a unit (bps, kbps, Mbps or Gbps)");
    const struct unit *u = find_unit(units, sizeof units / sizeof units[0], d.rest);
    if (!u)
        return fail(m, "unknown rate unit '%.24s' (use bps, kbps, Mbps or Gbps)", d.rest);
    switch (scale(&d, u->factor, UINT64_MAX, out)) {
    case 0: return true;
    case 1: return fail(m, "number does not fit in 64 bits");
    default: return fail(m, "rate is not a whole number of bit/s");
    }
}

bool scn_read_burst(const char *w, struct ratio *out, struct scn_msg *m)
{
    struct decimal d;
    switch (read_decimal(w, &d)) {
    case DEC_OK: break;
    case DEC_NONE: return fail(m, "expected a mean burst length such as 3 or 2.5");
    case DEC_OVERFLOW: return fail(m, "number does not fit in 64 bits");
    case DEC_TOO_PRECISE: return fail(m, "burst length has more than 18 decimals");
    }
    if (*d.rest)
        return fail(m, "expected a mean burst length such as 3 or 2.5");
    if (d.whole == 0)
        return fail(m, "mean burst length must be at least 1");
    uint64_t den = pow10u(d.frac_digits);
    if (d.whole > (UINT64_MAX - d.frac) / den)
        return fail(m, "number does not fit in 64 bits");
    out->num = d.whole * den + d.frac;
    out->den = den;
    ratio_reduce(out);
    return true;
}

bool scn_read_bool(const char *w, bool *out, struct scn_msg *m)
{
    if (strcmp(w, "on") == 0 || strcmp(w, "true") == 0 || strcmp(w, "yes") == 0) {
        *out = true;
        return true;
    }
    if (strcmp(w, "off") == 0 || strcmp(w, "false") == 0 || strcmp(w, "no") == 0) {
        *out = false;
        return true;
    }
    return fail(m, "expected on or off");
}

bool scn_read_host(const char *w, int *out, struct scn_msg *m)
{
    if (strcmp(w, "A") == 0 || strcmp(w, "B") == 0) {
        *out = w[0] - 'A';
        return true;
    }
    return fail(m, "unknown host '%.24s' (the hosts are A and B)", w);
}

bool scn_read_dir(const char *w, int *out, struct scn_msg *m)
{
    if (strcmp(w, "A>B") == 0) {
        *out = 0;
        return true;
    }
    if (strcmp(w, "B>A") == 0) {
        *out = 1;
        return true;
    }
    return fail(m, "expected a direction, A>B or B>A");
}

bool scn_read_addr(const char *w, uint32_t *out, struct scn_msg *m)
{
    uint32_t a = 0;
    const char *p = w;
    for (int part = 0; part < 4; part++) {
        if (!is_digit(*p))
            return fail(m, "expected an IPv4 address such as 10.0.0.1");
        unsigned v = 0;
        int digits = 0;
        while (is_digit(*p) && digits < 4) {
            v = v * 10 + (unsigned)(*p - '0');
            p++;
            digits++;
        }
        if (v > 255 || digits > 3)
            return fail(m, "IPv4 address part above 255");
        a = a << 8 | v;
        if (part < 3) {
            if (*p != '.')
                return fail(m, "expected an IPv4 address such as 10.0.0.1");
            p++;
        }
    }
    if (*p)
        return fail(m, "expected an IPv4 address such as 10.0.0.1");
    *out = a;
    return true;
}

static const char *const flag_names[8] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};

bool scn_read_flags(const char *w, uint8_t *out, struct scn_msg *m)
{
    static const char letters[] = "FSRP.UEW"; /* same bit order as flag_names */
    if (eq_nocase(w, "none")) {
        *out = 0;
        return true;
    }
    if (strspn(w, letters) == strlen(w)) {
        uint8_t f = 0;
        for (const char *p = w; *p; p++) {
            uint8_t bit = (uint8_t)(1u << (strchr(letters, *p) - letters));
            if (f & bit)
                return fail(m, "flag letter repeated in '%.24s'", w);
            f |= bit;
        }
        *out = f;
        return true;
    }
    uint8_t f = 0;
    const char *p = w;
    for (int n = 0; n < 9; n++) {
        const char *plus = strchr(p, '+');
        size_t len = plus ? (size_t)(plus - p) : strlen(p);
        int found = -1;
        for (int i = 0; i < 8; i++) {
            if (len == 3 && lower(p[0]) == lower(flag_names[i][0]) &&
                lower(p[1]) == lower(flag_names[i][1]) && lower(p[2]) == lower(flag_names[i][2]))
                found = i;
        }
        if (found < 0) {
            char name[32];
            snprintf(name, sizeof name, "%.*s", (int)(len < 20 ? len : 20), p);
            return fail(m,
                        "unknown flag '%s' (flags are FIN SYN RST PSH ACK URG ECE CWR, joined "
                        "by +, or tcpdump letters such as S.)",
                        name);
        }
        if (f & (1u << found))
            return fail(m, "flag repeated in '%.24s'", w);
        f |= (uint8_t)(1u << found);
        if (!plus) {
            *out = f;
            return true;
        }
        p = plus + 1;
    }
    return fail(m, "flag repeated in '%.24s'", w);
}

bool scn_read_state(const char *w, enum tcp_state *out, struct scn_msg *m)
{
    char norm[24];
    size_t n = strlen(w);
    if (n >= sizeof norm)
        return fail(m, "unknown state '%.24s'", w);
    for (size_t i = 0; i <= n; i++) {
        char c = w[i];
        norm[i] = c == '-' ? '_' : (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    }
    if (strcmp(norm, "SYN_RCVD") == 0 || strcmp(norm, "SYN_RCV") == 0) {
        *out = TCP_SYN_RECEIVED;
        return true;
    }
    if (trace_state_parse(norm, out))
        return true;
    snprintf(m->text, sizeof m->text,
             "unknown state '%.40s' (states are CLOSED LISTEN SYN_SENT SYN_RECEIVED ESTABLISHED "
             "FIN_WAIT_1 FIN_WAIT_2 CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT)",
             w);
    return false;
}

bool scn_read_fate(const char *w, enum seg_fate *out, struct scn_msg *m)
{
    static const enum seg_fate fates[] = {FATE_DELIVERED, FATE_DROPPED, FATE_DUPLICATED,
                                          FATE_CORRUPTED, FATE_REORDERED};
    for (size_t i = 0; i < sizeof fates / sizeof fates[0]; i++) {
        if (strcmp(w, trace_fate_name(fates[i])) == 0) {
            *out = fates[i];
            return true;
        }
    }
    return fail(m, "unknown fate '%.24s' (delivered, dropped, duplicated, corrupted, reordered)", w);
}

/* Levenshtein distance, case-insensitive, of two short words (longer ones count as far). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 31 || lb > 31)
        return 99;
    size_t row[32];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (lower(a[i - 1]) != lower(b[j - 1]));
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *scn_suggest(const char *w, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(w, cands[i]);
        if (d < best_d && d < strlen(cands[i])) {
            best_d = d;
            best = cands[i];
        }
    }
    return best;
}

bool scn_parse_time(const char *text, sim_time *out)
{
    struct scn_msg m;
    return scn_read_time(text, out, &m);
}
