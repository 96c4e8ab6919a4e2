/* test_glyphs.c: the bundled fonts cover every character the front end can show: each msgstr
 * and msgid of assets/locale/ko.po, and every string literal of the front end's sources (so no
 * missing-glyph boxes in either language). Run by meson (tests/gui):
 * argv[1] = the assets directory, argv[2] = ko.po, argv[3..] = source files. */
#define SDL_MAIN_HANDLED
#include <SDL2/SDL_ttf.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "testlib.h"

static TTF_Font *fonts[2];
static const char *ko_path;
static char **sources;
static int nsources;

/* Decodes one UTF-8 character; returns its length (1 for a stray byte). */
static size_t utf8_next(const unsigned char *p, uint32_t *cp)
{
    size_t n = p[0] < 0x80 ? 1 : (p[0] >> 5) == 6 ? 2 : (p[0] >> 4) == 14 ? 3 : (p[0] >> 3) == 30 ? 4 : 1;
    uint32_t c = n == 1 ? p[0] : n == 2 ? (p[0] & 0x1Fu) : n == 3 ? (p[0] & 0x0Fu) : (p[0] & 0x07u);
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80)
            return k;
        c = (c << 6) | (p[k] & 0x3Fu);
    }
    *cp = c;
    return n;
}

/* Counts the characters of s that a font lacks, naming each. */
static int uncovered(const char *s, const char *where)
{
    int bad = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        uint32_t cp = *p;
        p += utf8_next(p, &cp);
        if (cp < 0x20)
            continue;
        for (int f = 0; f < 2; f++)
            if (!TTF_GlyphIsProvided32(fonts[f], cp)) {
                fprintf(stderr, "%s: U+%04X has no glyph in the %s font: \"%s\"\n", where, (unsigned)cp,
                        f ? "bold" : "regular", s);
                bad++;
            }
    }
    return bad;
}

TEST(korean_catalog_is_covered)
{
    struct i18n ko;
    char err[256];
    CHECK(i18n_load(&ko, ko_path, err, sizeof err));
    CHECK(ko.count > 100);
    int bad = 0;
    for (size_t i = 0; i < ko.count; i++) {
        bad += uncovered(ko.entries[i].str, "ko.po msgstr");
        bad += uncovered(ko.entries[i].id, "ko.po msgid");
    }
    CHECK_EQ_INT(bad, 0);
    i18n_finish(&ko);
}

TEST(source_literals_are_covered)
{
    int bad = 0, literals = 0, hangul = 0;
    for (int i = 0; i < nsources; i++) {
        FILE *f = fopen(sources[i], "rb");
        CHECK(f != NULL);
        if (!f)
            continue;
        char *text = calloc(1, 1 << 20);
        size_t n = fread(text, 1, (1 << 20) - 1, f);
        fclose(f);
        /* Every "..." outside comments and character constants. */
        char lit[2048];
        for (size_t k = 0; k < n; k++) {
            if (text[k] == '/' && text[k + 1] == '*') {
                char *end = strstr(text + k + 2, "*/");
                k = end ? (size_t)(end - text) + 1 : n;
                continue;
            }
            if (text[k] == '/' && text[k + 1] == '/') {
                while (k < n && text[k] != '\n')
                    k++;
                continue;
            }
            if (text[k] == '\'') {
                k += text[k + 1] == '\\' ? 3 : 2;
                continue;
            }
            if (text[k] != '"')
                continue;
            size_t len = 0;
            for (k++; k < n && text[k] != '"' && len < sizeof lit - 1; k++) {
                if (text[k] == '\\' && k + 1 < n)
                    k++;
                lit[len++] = text[k];
            }
            lit[len] = '\0';
            literals++;
            hangul += strstr(lit, "한") != NULL;
            bad += uncovered(lit, sources[i]);
        }
        free(text);
    }
    CHECK(literals > 200);
    CHECK(hangul >= 1); /* the language name in the title bar */
    CHECK_EQ_INT(bad, 0);
}

TEST(fonts_lack_what_they_should)
{
    /* The check itself must be able to fail: a character outside NanumGothic's repertoire. */
    CHECK(!TTF_GlyphIsProvided32(fonts[0], 0x26A1)); /* HIGH VOLTAGE SIGN */
    CHECK(TTF_GlyphIsProvided32(fonts[0], 0xD55C));  /* HANGUL SYLLABLE HAN */
}

int main(int argc, char **argv)
{
    if (argc < 4 || TTF_Init() != 0) {
        fprintf(stderr, "usage: test_glyphs ASSETS_DIR ko.po SOURCE...\n");
        return 2;
    }
    char path[1024];
    const char *names[2] = { "NanumGothic.ttf", "NanumGothicBold.ttf" };
    for (int f = 0; f < 2; f++) {
        snprintf(path, sizeof path, "%s/fonts/%s", argv[1], names[f]);
        fonts[f] = TTF_OpenFont(path, 16);
        if (!fonts[f]) {
            fprintf(stderr, "%s: %s\n", path, TTF_GetError());
            return 1;
        }
    }
    ko_path = argv[2];
    sources = argv + 3;
    nsources = argc - 3;
    struct test_ctx t = { 0 };
    RUN_TEST(&t, korean_catalog_is_covered);
    RUN_TEST(&t, source_literals_are_covered);
    RUN_TEST(&t, fonts_lack_what_they_should);
    TTF_CloseFont(fonts[0]);
    TTF_CloseFont(fonts[1]);
    TTF_Quit();
    return test_finish(&t);
}
