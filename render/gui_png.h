/* gui_png.h: an offscreen canvas (a software renderer on an SDL_Surface, no window or display)
 * that draws the front end's picture of a model at a sim time, and saves it as PNG. Used by
 * gui_render_png (gui.h), the window's screenshot, the tests and the benchmark. */
#ifndef TCPSIM_GUI_PNG_H
#define TCPSIM_GUI_PNG_H

#include <SDL2/SDL.h>
#include <stdbool.h>

#include "gui_assets.h"
#include "gui_gfx.h"
#include "gui_model.h"
#include "gui_scene.h"
#include "gui_text.h"

struct gui_canvas {
    SDL_Surface *surface;        /* ARGB8888, w x h */
    SDL_Renderer *r;
    struct gui_text *text;
    struct gui_gfx gfx;
    struct gui_assets assets;
    struct i18n cat;
    char lang[8];
};

bool gui_canvas_init(struct gui_canvas *c, int w, int h, const char *assets_dir, const char *lang, char *err,
                     size_t errsize);
void gui_canvas_finish(struct gui_canvas *c);

/* Fills the language fields of a look from the canvas (catalog, Korean captions). */
void gui_canvas_look(const struct gui_canvas *c, struct gui_look *k);
/* Draws the still picture of model m at time t (positioning m there) with look k. */
bool gui_canvas_draw(struct gui_canvas *c, struct gui_model *m, sim_time t, const struct gui_look *k);
/* Writes an SDL surface as PNG; false with a message on failure. */
bool gui_png_save(SDL_Surface *s, const char *path, char *err, size_t errsize);

#endif
