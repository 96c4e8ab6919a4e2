/* gui_png.c: the offscreen canvas and gui_render_png: the same picture as the window, drawn with
 * SDL's software renderer into a surface and saved with SDL_image; no animation phase, so the
 * same inputs give the same bytes. Called by the CLI (`tcpsim render`), tests and the benchmark. */
#include "gui_png.h"

#include <SDL2/SDL_image.h>
#include <stdio.h>
#include <string.h>

#include "gui.h"
#include "gui_files.h"

void gui_options_defaults(struct gui_options *opt)
{
    *opt = (struct gui_options){ .width = 1280, .height = 720 };
}

bool gui_canvas_init(struct gui_canvas *c, int w, int h, const char *assets_dir, const char *lang, char *err,
                     size_t errsize)
{
    memset(c, 0, sizeof *c);
    if (w < 64 || h < 64 || w > 16384 || h > 16384) {
        snprintf(err, errsize, "picture size %dx%d is out of range (64..16384)", w, h);
        return false;
    }
    if (!gui_assets_find(assets_dir, &c->assets, err, errsize) ||
        !gui_assets_language(&c->assets, lang, c->lang, sizeof c->lang, &c->cat, err, errsize))
        return false;
    c->surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    c->r = c->surface ? SDL_CreateSoftwareRenderer(c->surface) : NULL;
    if (!c->r) {
        snprintf(err, errsize, "cannot create a software renderer: %s", SDL_GetError());
        gui_canvas_finish(c);
        return false;
    }
    c->text = gui_text_create(c->r, c->assets.font_regular, c->assets.font_bold, err, errsize);
    if (!c->text) {
        gui_canvas_finish(c);
        return false;
    }
    gfx_init(&c->gfx, c->r, c->text);
    gfx_direct(&c->gfx, c->surface);
    return true;
}

void gui_canvas_finish(struct gui_canvas *c)
{
    gfx_finish(&c->gfx);
    gui_text_destroy(c->text);
    if (c->r)
        SDL_DestroyRenderer(c->r);
    if (c->surface)
        SDL_FreeSurface(c->surface);
    i18n_finish(&c->cat);
    memset(c, 0, sizeof *c);
}

void gui_canvas_look(const struct gui_canvas *c, struct gui_look *k)
{
    k->cat = c->cat.count ? &c->cat : NULL;
    k->korean = strcmp(c->lang, "ko") == 0;
}

bool gui_canvas_draw(struct gui_canvas *c, struct gui_model *m, sim_time t, const struct gui_look *k)
{
    if (!gui_model_goto(m, gui_model_steps_until(m, t)))
        return false;
    struct gui_view *v = SDL_malloc(sizeof *v);
    if (!v)
        return false;
    gui_model_view(m, t, v);
    struct gui_layout l;
    gui_layout_compute(&l, c->surface->w, c->surface->h, k->presenter);
    gui_text_frame(c->text);
    gui_scene_draw(&c->gfx, &l, v, k);
    SDL_RenderFlush(c->r);
    SDL_free(v);
    return true;
}

bool gui_png_save(SDL_Surface *s, const char *path, char *err, size_t errsize)
{
    if (IMG_SavePNG(s, path) != 0) {
        snprintf(err, errsize, "%s: cannot write the PNG: %s", path, IMG_GetError());
        return false;
    }
    return true;
}

int gui_render_png(const struct gui_source *src, sim_time at, const char *out_png, const struct gui_options *opt)
{
    struct gui_options d;
    gui_options_defaults(&d);
    if (!opt)
        opt = &d;
    char err[512];
    struct gui_canvas c;
    int w = opt->width > 0 ? opt->width : 1280, h = opt->height > 0 ? opt->height : 720;
    if (!gui_canvas_init(&c, w, h, opt->assets_dir, opt->lang, err, sizeof err)) {
        fprintf(stderr, "tcpsim: %s\n", err);
        return GUI_ERR_INPUT;
    }
    struct gui_model *m = gui_model_create(src, err, sizeof err);
    if (!m) {
        fprintf(stderr, "tcpsim: %s\n", err);
        gui_canvas_finish(&c);
        return GUI_ERR_INPUT;
    }
    struct gui_look k;
    gui_look_defaults(&k);
    gui_canvas_look(&c, &k);
    k.presenter = opt->presenter;
    k.absolute = opt->absolute;
    k.still = true;
    const char *title = gui_files_title(src->title, src->title_ko, src->path, k.korean);
    k.title = title ? title : "";
    int rc = GUI_OK;
    if (!gui_canvas_draw(&c, m, at, &k)) {
        fprintf(stderr, "tcpsim: %s\n", m->err[0] ? m->err : "cannot replay the scenario");
        rc = GUI_ERR_INPUT;
    } else if (!gui_png_save(c.surface, out_png, err, sizeof err)) {
        fprintf(stderr, "tcpsim: %s\n", err);
        rc = GUI_ERR_INPUT;
    }
    gui_model_destroy(m);
    gui_canvas_finish(&c);
    return rc;
}
