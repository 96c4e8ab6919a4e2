/* gui_assets.h: finds the bundled assets (fonts, translation catalogs) and loads the catalog of a
 * language. Searched in order: the explicit directory, $TCPSIM_ASSETS, next to the executable,
 * the source tree the program was built from. Used by gui.c, gui_canvas.c and the tests. */
#ifndef TCPSIM_GUI_ASSETS_H
#define TCPSIM_GUI_ASSETS_H

#include <stdbool.h>
#include <stddef.h>

#include "i18n.h"

#define GUI_PATH_MAX 1024

struct gui_assets {
    char dir[GUI_PATH_MAX];
    char font_regular[GUI_PATH_MAX + 64], font_bold[GUI_PATH_MAX + 64];
};

bool gui_assets_find(const char *explicit_dir, struct gui_assets *out, char *err, size_t errsize);

/* Resolves the language (explicit, else the environment) into lang ("en" or "ko"; a language
 * without a catalog falls back to "en") and loads its catalog into cat (left empty for English).
 * Returns false with a message if a catalog exists but cannot be read. */
bool gui_assets_language(const struct gui_assets *a, const char *explicit_lang, char *lang, size_t langsize,
                         struct i18n *cat, char *err, size_t errsize);

#endif
