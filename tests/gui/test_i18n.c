/* test_i18n.c: the .po reader (strings, escapes, continuation lines, fuzzy/msgctxt/plural
 * entries, errors with line numbers), language choice, {name} templates, and the shipped Korean
 * catalog against the .pot. Run by meson (tests/gui); argv[1] = tcpsim.pot, argv[2] = ko.po. */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "testlib.h"

static const char *pot_path, *ko_path;

static bool parse(struct i18n *cat, const char *text, char *err, size_t n)
{
    return i18n_parse(cat, text, strlen(text), "test.po", err, n);
}

TEST(reads_entries_and_escapes)
{
    const char *po = "# comment\n"
                     "msgid \"\"\n"
                     "msgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n"
                     "\n"
                     "msgid \"hello\"\n"
                     "msgstr \"안녕\"\n"
                     "\n"
                     "msgid \"\"\n"
                     "\"two \"\n"
                     "\"lines\"\n"
                     "msgstr \"\"\n"
                     "\"둘 \"\n"
                     "\"줄\"\n"
                     "\n"
                     "msgid \"esc \\\"q\\\" \\\\ \\n \\t\"\n"
                     "msgstr \"ok \\\"q\\\"\"\n";
    struct i18n cat;
    char err[256] = "";
    CHECK(parse(&cat, po, err, sizeof err));
    CHECK_EQ_INT(cat.count, 3);
    CHECK_STR(i18n_get(&cat, "hello"), "안녕");
    CHECK_STR(i18n_get(&cat, "two lines"), "둘 줄");
    CHECK_STR(i18n_get(&cat, "esc \"q\" \\ \n \t"), "ok \"q\"");
    CHECK_STR(i18n_get(&cat, "not there"), "not there");
    CHECK_STR(i18n_get(NULL, "hello"), "hello");
    i18n_finish(&cat);
}

TEST(skips_fuzzy_context_empty_and_extra_plurals)
{
    const char *po = "#, fuzzy\n"
                     "msgid \"fuzzy one\"\n"
                     "msgstr \"흐릿함\"\n"
                     "\n"
                     "msgctxt \"menu\"\n"
                     "msgid \"open\"\n"
                     "msgstr \"열기\"\n"
                     "\n"
                     "msgid \"untranslated\"\n"
                     "msgstr \"\"\n"
                     "\n"
                     "msgid \"file\"\n"
                     "msgid_plural \"files\"\n"
                     "msgstr[0] \"파일\"\n"
                     "msgstr[1] \"파일들\"\n"
                     "\n"
                     "#, c-format\n"
                     "msgid \"kept\"\n"
                     "msgstr \"유지\"\n";
    struct i18n cat;
    char err[256] = "";
    CHECK(parse(&cat, po, err, sizeof err));
    CHECK_STR(i18n_get(&cat, "fuzzy one"), "fuzzy one");
    CHECK_STR(i18n_get(&cat, "open"), "open");
    CHECK_STR(i18n_get(&cat, "untranslated"), "untranslated");
    CHECK_STR(i18n_get(&cat, "file"), "파일");
    CHECK_STR(i18n_get(&cat, "kept"), "유지");
    CHECK_EQ_INT(cat.count, 2);
    i18n_finish(&cat);
}

TEST(reports_errors_with_line)
{
    struct i18n cat;
    char err[256] = "";
    CHECK(!parse(&cat, "msgid \"a\"\nmsgstr \"b\n", err, sizeof err));
    CHECK_STR(err, "test.po:2: missing closing quote");
    CHECK(!parse(&cat, "msgid \"a\"\nmsgstr \"b\"\nbogus \"c\"\n", err, sizeof err));
    CHECK_STR(err, "test.po:3: unknown keyword");
    CHECK(!parse(&cat, "\"orphan\"\n", err, sizeof err));
    CHECK_STR(err, "test.po:1: a string continues no keyword");
    CHECK(!parse(&cat, "msgid \"a\\q\"\n", err, sizeof err));
    CHECK_STR(err, "test.po:1: unknown escape sequence");
    CHECK(!i18n_load(&cat, "/nonexistent/ko.po", err, sizeof err));
    CHECK_STR(err, "/nonexistent/ko.po: cannot open the catalog");
    CHECK(cat.entries == NULL && cat.count == 0);
}

TEST(chooses_language)
{
    char lang[8];
    i18n_choose_lang("ko", "en", "en_US.UTF-8", NULL, NULL, lang, sizeof lang);
    CHECK_STR(lang, "ko");
    i18n_choose_lang(NULL, "ko:en", "en_US.UTF-8", NULL, NULL, lang, sizeof lang);
    CHECK_STR(lang, "ko");
    i18n_choose_lang(NULL, NULL, "ko_KR.UTF-8", "en_US.UTF-8", "en_US.UTF-8", lang, sizeof lang);
    CHECK_STR(lang, "ko");
    i18n_choose_lang(NULL, NULL, NULL, "ko_KR.UTF-8", "en_US.UTF-8", lang, sizeof lang);
    CHECK_STR(lang, "ko");
    i18n_choose_lang(NULL, NULL, NULL, NULL, "ko_KR.UTF-8", lang, sizeof lang);
    CHECK_STR(lang, "ko");
    i18n_choose_lang(NULL, NULL, "C", NULL, "ko_KR.UTF-8", lang, sizeof lang);
    CHECK_STR(lang, "en"); /* LC_ALL=C overrides LANG */
    i18n_choose_lang(NULL, NULL, NULL, NULL, NULL, lang, sizeof lang);
    CHECK_STR(lang, "en");
    i18n_choose_lang("", NULL, NULL, NULL, "KO", lang, sizeof lang);
    CHECK_STR(lang, "ko");
    CHECK(!i18n_lang_of("POSIX", lang, sizeof lang));
    CHECK(!i18n_lang_of("x", lang, sizeof lang));
    CHECK(i18n_lang_of("ko@euro", lang, sizeof lang));
    CHECK_STR(lang, "ko");
}

TEST(fills_templates)
{
    char buf[64];
    struct i18n_arg args[] = { { "host", "B" }, { "to", "SYN_RECEIVED" } };
    size_t n = i18n_format(buf, sizeof buf, "{host} moves to {to}; {{x}} {unknown}", args, 2);
    CHECK_STR(buf, "B moves to SYN_RECEIVED; {x}} {unknown}");
    CHECK_EQ_INT(n, strlen(buf));
    char small[8];
    n = i18n_format(small, sizeof small, "{host} moves to {to}", args, 2);
    CHECK_STR(small, "B moves");
    CHECK_EQ_INT(n, strlen("B moves to SYN_RECEIVED"));
}

/* The {name} placeholders of a template, sorted, joined by spaces. */
static void placeholders(const char *s, char *out, size_t size)
{
    const char *names[32];
    size_t lens[32], n = 0;
    for (const char *p = strchr(s, '{'); p && n < 32; p = strchr(p + 1, '{')) {
        const char *q = strchr(p, '}');
        if (!q)
            break;
        names[n] = p + 1;
        lens[n] = (size_t)(q - p - 1);
        n++;
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0; j--) {
            size_t m = lens[j] < lens[j - 1] ? lens[j] : lens[j - 1];
            int c = strncmp(names[j], names[j - 1], m);
            if (c > 0 || (c == 0 && lens[j] >= lens[j - 1]))
                break;
            const char *tn = names[j];
            size_t tl = lens[j];
            names[j] = names[j - 1];
            lens[j] = lens[j - 1];
            names[j - 1] = tn;
            lens[j - 1] = tl;
        }
    out[0] = '\0';
    size_t len = 0;
    for (size_t i = 0; i < n && len + lens[i] + 2 < size; i++) {
        memcpy(out + len, names[i], lens[i]);
        len += lens[i];
        out[len++] = ' ';
        out[len] = '\0';
    }
}

TEST(korean_catalog_translates_every_msgid)
{
    struct i18n pot, ko;
    char err[256] = "";
    /* The .pot has empty msgstrs, so read its msgids by making each msgstr its msgid. */
    FILE *f = fopen(pot_path, "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    char *text = calloc(1, 1 << 20);
    size_t n = fread(text, 1, (1 << 20) - 1, f);
    fclose(f);
    char *filled = calloc(1, 2u << 20);
    size_t out = 0;
    const char *last_id = NULL;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "msgid ", 6) == 0)
            last_id = line + 6;
        if (strncmp(line, "msgstr \"\"", 9) == 0 && last_id && strcmp(last_id, "\"\"") != 0)
            out += (size_t)sprintf(filled + out, "msgstr %s\n", last_id);
        else
            out += (size_t)sprintf(filled + out, "%s\n", line);
    }
    (void)n;
    CHECK(i18n_parse(&pot, filled, out, pot_path, err, sizeof err));
    CHECK(i18n_load(&ko, ko_path, err, sizeof err));
    CHECK(pot.count > 100);
    size_t missing = 0;
    for (size_t i = 0; i < pot.count; i++) {
        const char *id = pot.entries[i].id;
        const char *tr = i18n_get(&ko, id);
        if (tr == id) {
            fprintf(stderr, "ko.po: no translation for \"%s\"\n", id);
            missing++;
            continue;
        }
        char a[256], b[256];
        placeholders(id, a, sizeof a);
        placeholders(tr, b, sizeof b);
        if (strcmp(a, b) != 0) {
            fprintf(stderr, "ko.po: placeholders differ for \"%s\": {%s} vs {%s}\n", id, a, b);
            missing++;
        }
    }
    CHECK_EQ_INT(missing, 0);
    CHECK_EQ_INT(ko.count, pot.count);
    i18n_finish(&pot);
    i18n_finish(&ko);
    free(text);
    free(filled);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_i18n tcpsim.pot ko.po\n");
        return 2;
    }
    pot_path = argv[1];
    ko_path = argv[2];
    struct test_ctx t = { 0 };
    RUN_TEST(&t, reads_entries_and_escapes);
    RUN_TEST(&t, skips_fuzzy_context_empty_and_extra_plurals);
    RUN_TEST(&t, reports_errors_with_line);
    RUN_TEST(&t, chooses_language);
    RUN_TEST(&t, fills_templates);
    RUN_TEST(&t, korean_catalog_translates_every_msgid);
    return test_finish(&t);
}
