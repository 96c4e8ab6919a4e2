/* i18n.h: translations at run time from a standard gettext .po catalog (no locale installation),
 * the choice of language from --lang or the environment, and {name} template filling.
 * Used by explain.c and the SDL front end (render/gui*.c); catalogs live in assets/locale/. */
#ifndef TCPSIM_I18N_H
#define TCPSIM_I18N_H

#include <stdbool.h>
#include <stddef.h>

struct i18n_entry {
    char *id, *str;
};

/* One loaded catalog; a zeroed struct (or NULL) is the identity catalog (English source text). */
struct i18n {
    struct i18n_entry *entries; /* sorted by id */
    size_t count;
};

/* Marks a string for translation where it is looked up (xgettext keyword TR:2). */
#define TR(cat, s) i18n_get((cat), (s))
/* Marks a string for extraction only; it is looked up later with i18n_get (keyword N_). */
#define N_(s) (s)

/* Reads a .po file. Fuzzy entries, entries with msgctxt, the header and empty msgstrs are left
 * out (so their msgid shows). On error returns false with "path:line: message" in err. */
bool i18n_load(struct i18n *cat, const char *path, char *err, size_t errsize);
/* Parses catalog text already in memory; name is used in error messages. */
bool i18n_parse(struct i18n *cat, const char *text, size_t len, const char *name, char *err, size_t errsize);
void i18n_finish(struct i18n *cat);

/* The translation of msgid, or msgid itself when cat is NULL or has none. */
const char *i18n_get(const struct i18n *cat, const char *msgid);

/* The language code ("ko", "en", ...) a locale value names: "ko_KR.UTF-8" -> "ko"; "C",
 * "POSIX" and empty values name none (returns false). */
bool i18n_lang_of(const char *locale_value, char *out, size_t size);
/* Picks the language: the explicit choice if given, else the first of LANGUAGE (a colon list),
 * LC_ALL, LC_MESSAGES, LANG that names one; "en" if none does. Values are passed in (NULL if
 * unset) so that callers and tests decide where they come from. */
void i18n_choose_lang(const char *explicit_lang, const char *env_language, const char *env_lc_all,
                      const char *env_lc_messages, const char *env_lang, char *out, size_t size);

/* Fills a template: each {name} is replaced by the value of the same name; "{{" writes "{".
 * An unknown name is written as is, braces included. Output is always NUL-terminated; returns
 * the length it needed, like snprintf. */
struct i18n_arg {
    const char *name, *value;
};
size_t i18n_format(char *buf, size_t size, const char *tmpl, const struct i18n_arg *args, size_t nargs);

#endif
