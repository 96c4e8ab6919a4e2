/* gui_assets.c: locating assets/ and loading a language's catalog (assets/locale/<lang>.po).
 * Called once at start-up and on a language switch by gui.c and gui_canvas.c. */
#include "gui_assets.h"

#include <SDL2/SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef TCPSIM_ASSETS_DIR
#define TCPSIM_ASSETS_DIR "assets"
#endif

static bool file_exists(const char *path)
{
    SDL_RWops *rw = SDL_RWFromFile(path, "rb");
    if (!rw)
        return false;
    SDL_RWclose(rw);
    return true;
}

static bool try_dir(const char *dir, struct gui_assets *out)
{
    if (!dir || !*dir || strlen(dir) >= GUI_PATH_MAX)
        return false;
    snprintf(out->dir, sizeof out->dir, "%s", dir);
    snprintf(out->font_regular, sizeof out->font_regular, "%s/fonts/NanumGothic.ttf", dir);
    snprintf(out->font_bold, sizeof out->font_bold, "%s/fonts/NanumGothicBold.ttf", dir);
    return file_exists(out->font_regular) && file_exists(out->font_bold);
}

bool gui_assets_find(const char *explicit_dir, struct gui_assets *out, char *err, size_t errsize)
{
    if (explicit_dir) {
        if (try_dir(explicit_dir, out))
            return true;
        snprintf(err, errsize, "%s: no fonts/NanumGothic.ttf and fonts/NanumGothicBold.ttf there", explicit_dir);
        return false;
    }
    if (try_dir(getenv("TCPSIM_ASSETS"), out))
        return true;
    char *base = SDL_GetBasePath();
    if (base) {
        char dir[GUI_PATH_MAX];
        const char *rel[] = { "assets", "../assets", "../share/tcpsim/assets" };
        for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            snprintf(dir, sizeof dir, "%s%s", base, rel[i]);
            if (try_dir(dir, out)) {
                SDL_free(base);
                return true;
            }
        }
        SDL_free(base);
    }
    if (try_dir(TCPSIM_ASSETS_DIR, out))
        return true;
    snprintf(err, errsize, "cannot find the fonts (assets/fonts/NanumGothic.ttf); set TCPSIM_ASSETS to the assets "
                           "directory");
    return false;
}

bool gui_assets_language(const struct gui_assets *a, const char *explicit_lang, char *lang, size_t langsize,
                         struct i18n *cat, char *err, size_t errsize)
{
    i18n_choose_lang(explicit_lang, getenv("LANGUAGE"), getenv("LC_ALL"), getenv("LC_MESSAGES"), getenv("LANG"), lang,
                     langsize);
    *cat = (struct i18n){ 0 };
    if (strcmp(lang, "en") == 0)
        return true;
    char path[GUI_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/locale/%s.po", a->dir, lang);
    if (!file_exists(path)) {
        snprintf(lang, langsize, "en");
        return true;
    }
    return i18n_load(cat, path, err, errsize);
}
