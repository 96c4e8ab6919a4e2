/* scn_lex.c: the scenario tokenizer: checks a line's bytes (UTF-8, no NUL, no control
 * characters), splits it into words and quoted strings, and formats positioned errors.
 * Called by scn_parse.c for every line and by scn_set for a --set value. */
#include "scn_int.h"

#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (n bytes available), 0 if it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0;
        if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < need || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < need; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return need;
}

uint32_t scn_utf8_chars(const char *s, size_t n)
{
    uint32_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

/* Copies up to 40 characters of near into out, escaping what a terminal should not see. */
static void escape_near(char *out, size_t size, const char *near, size_t len)
{
    size_t o = 0, chars = 0;
    const unsigned char *s = (const unsigned char *)near;
    for (size_t i = 0; i < len && o + 8 < size;) {
        if (chars == 40) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        size_t k = utf8_seq(s + i, len - i);
        if (k == 1 && s[i] >= 0x20 && s[i] != 0x7F) {
            out[o++] = (char)s[i];
        } else if (k > 1) {
            memcpy(out + o, s + i, k);
            o += k;
        } else {
            o += (size_t)snprintf(out + o, size - o, "\\x%02X", s[i]);
            k = 1;
        }
        i += k;
        chars++;
    }
    out[o] = '\0';
}

bool scn_vfail(const struct scn_diag *d, uint32_t line, uint32_t col, const char *near,
               size_t near_len, const char *fmt, va_list ap)
{
    struct scn_error *e = d->err;
    if (!e)
        return false;
    memset(e, 0, sizeof *e);
    e->line = line;
    e->col = col;
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    if (near && near_len)
        escape_near(e->near, sizeof e->near, near, near_len);
    if (line == 0)
        snprintf(e->text, sizeof e->text, "%s: error: %s", d->file, e->message);
    else if (e->near[0])
        snprintf(e->text, sizeof e->text, "%s:%u:%u: error: %s near '%s'", d->file, line, col,
                 e->message, e->near);
    else
        snprintf(e->text, sizeof e->text, "%s:%u:%u: error: %s", d->file, line, col, e->message);
    return false;
}

bool scn_fail(const struct scn_diag *d, uint32_t line, uint32_t col, const char *near,
              size_t near_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    scn_vfail(d, line, col, near, near_len, fmt, ap);
    va_end(ap);
    return false;
}

bool scn_lex_check(const struct scn_diag *d, uint32_t lineno, const char *text, size_t len,
                   uint32_t col0)
{
    const unsigned char *s = (const unsigned char *)text;
    uint32_t col = col0 + 1;
    for (size_t i = 0; i < len;) {
        size_t k = utf8_seq(s + i, len - i);
        if (k == 0)
            return scn_fail(d, lineno, col, text + i, 1, "invalid UTF-8 byte 0x%02X", s[i]);
        if (s[i] == 0)
            return scn_fail(d, lineno, col, NULL, 0, "NUL byte in the file");
        if (s[i] == '\r')
            return scn_fail(d, lineno, col, NULL, 0, "carriage return in the middle of a line");
        if ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7F)
            return scn_fail(d, lineno, col, NULL, 0, "control character U+%04X", s[i]);
        if (k == 2 && s[i] == 0xC2 && s[i + 1] < 0xA0)
            return scn_fail(d, lineno, col, NULL, 0, "control character U+%04X",
                            (unsigned)s[i + 1]);
        i += k;
        col++;
    }
    return true;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Appends the UTF-8 encoding of code point cp to ln->buf. */
static void put_utf8(struct scn_line *ln, uint32_t cp)
{
    char *o = ln->buf + ln->used;
    if (cp < 0x80) {
        o[0] = (char)cp;
        ln->used += 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        ln->used += 2;
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        ln->used += 3;
    } else {
        o[0] = (char)(0xF0 | (cp >> 18));
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (char)(0x80 | (cp & 0x3F));
        ln->used += 4;
    }
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes the string starting at text[*ip] (the opening quote) into ln->buf. */
static bool lex_string(const struct scn_diag *d, struct scn_line *ln, size_t *ip, uint32_t *colp,
                       struct scn_tok *t)
{
    const char *text = ln->text;
    size_t len = ln->len, i = *ip + 1;
    uint32_t col = *colp + 1;
    t->str = ln->buf + ln->used;
    for (;;) { /* bounded: i grows every pass and the loop ends at len */
        if (i >= len)
            return scn_fail(d, ln->lineno, *colp, text + *ip, len - *ip, "unterminated string");
        char c = text[i];
        if (c == '"')
            break;
        if (c == '\\') {
            char e = i + 1 < len ? text[i + 1] : '\0';
            if (e == '"' || e == '\\') {
                ln->buf[ln->used++] = e;
            } else if (e == 'n') {
                ln->buf[ln->used++] = '\n';
            } else if (e == 't') {
                ln->buf[ln->used++] = '\t';
            } else if (e == 'u' && i + 2 < len && text[i + 2] == '{') {
                size_t j = i + 3;
                uint32_t cp = 0;
                int digits = 0;
                while (j < len && digits < 7 && hex_value(text[j]) >= 0) {
                    cp = cp * 16 + (uint32_t)hex_value(text[j]);
                    j++;
                    digits++;
                }
                if (digits == 0 || digits > 6 || j >= len || text[j] != '}')
                    return scn_fail(d, ln->lineno, col, text + i, j - i + (j < len),
                                    "\\u{...} needs 1 to 6 hexadecimal digits and a closing }");
                if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0xD800 && cp < 0xE000) ||
                    cp > 0x10FFFF)
                    return scn_fail(d, ln->lineno, col, text + i, j + 1 - i,
                                    "\\u{%X} is not a printable character", cp);
                put_utf8(ln, cp);
                col += (uint32_t)(j + 1 - i);
                i = j + 1;
                continue;
            } else {
                size_t k = i + 1 < len ? utf8_seq((const unsigned char *)text + i + 1, len - i - 1) : 0;
                return scn_fail(d, ln->lineno, col, text + i, 1 + k,
                                "unknown escape in string (use \\\" \\\\ \\n \\t or \\u{hex})");
            }
            i += 2;
            col += 2;
            continue;
        }
        ln->buf[ln->used++] = c;
        if (((unsigned char)c & 0xC0) != 0x80)
            col++;
        i++;
    }
    t->len = (size_t)(ln->buf + ln->used - t->str);
    ln->buf[ln->used++] = '\0';
    i++; /* the closing quote */
    col++;
    if (i < len && !is_space(text[i]) && text[i] != '#')
        return scn_fail(d, ln->lineno, col, text + i, len - i,
                        "missing space after the closing quote");
    t->raw_len = i - *ip;
    *ip = i;
    *colp = col;
    return true;
}

bool scn_lex_line(const struct scn_diag *d, struct scn_line *ln, uint32_t lineno, const char *text,
                  size_t len, uint32_t col0)
{
    ln->lineno = lineno;
    ln->text = text;
    ln->len = len;
    ln->ntok = 0;
    ln->used = 0;
    uint32_t col = col0 + 1;
    ln->end_col = col;
    size_t i = 0;
    while (i < len) { /* bounded: every branch advances i */
        char c = text[i];
        if (is_space(c)) {
            i++;
            col++;
            continue;
        }
        if (c == '#')
            break;
        if (ln->ntok == SCN_MAX_WORDS)
            return scn_fail(d, lineno, col, text + i, len - i,
                            "too many words on one line (at most %u)", SCN_MAX_WORDS);
        struct scn_tok *t = &ln->tok[ln->ntok];
        t->raw = text + i;
        t->col = col;
        if (c == '"') {
            t->kind = SCN_TOK_STRING;
            if (!lex_string(d, ln, &i, &col, t))
                return false;
        } else {
            t->kind = SCN_TOK_WORD;
            size_t start = i;
            while (i < len && !is_space(text[i])) {
                if (text[i] == '"')
                    return scn_fail(d, lineno, col, text + start, len - start,
                                    "quote inside a word (put a space before the string)");
                if (((unsigned char)text[i] & 0xC0) != 0x80)
                    col++;
                i++;
            }
            t->raw_len = i - start;
            t->str = ln->buf + ln->used;
            t->len = t->raw_len;
            memcpy(ln->buf + ln->used, text + start, t->len);
            ln->used += t->len;
            ln->buf[ln->used++] = '\0';
        }
        ln->ntok++;
        ln->end_col = col;
    }
    return true;
}
