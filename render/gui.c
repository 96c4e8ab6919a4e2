/* gui.c: the window: start-up, the event loop (waits without spinning when nothing moves, 60 fps
 * while animating), keys and mouse (playback itself is gui_play.c), screenshots, saving drops and
 * the scenario picker. Called by the CLI through gui_show (gui.h). */
#include "gui.h"

#include <SDL2/SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui_files.h"
#include "gui_play.h"
#include "gui_png.h"
#include "gui_scn.h"

#define FRAME_MS 16
#define STATUS_MS 5000
#define ANIM_MS 700            /* a step's transition animation */

struct app {
    struct gui_options opt;
    struct gui_source src;
    bool src_owned;             /* made by opt.open: released when replaced */
    struct gui_model *m;
    SDL_Window *win;
    SDL_Renderer *r;
    bool software;              /* r is SDL's software renderer: triangles go straight to the window */
    struct gui_text *text;
    struct gui_gfx gfx;
    struct gui_assets assets;
    struct i18n cat;
    char lang[8];
    struct gui_look look;
    struct gui_hits hits;
    char title[256];

    struct gui_play play;       /* the moment shown, playing, speed */
    uint64_t last_ms, step_ms;
    bool running, dirty, dragging, want_shot;
    bool idle_work;             /* the model's spare simulation is not at its checkpoint yet */
    char status[GUI_PATH_MAX + 128];
    uint64_t status_ms;
    struct gui_pick *picks;     /* the picker's entries, read when it opens */
    size_t npicks;
};

static void set_status(struct app *a, const char *msg)
{
    snprintf(a->status, sizeof a->status, "%s", msg);
    a->status_ms = SDL_GetTicks64();
    a->dirty = true;
}

static void set_title(struct app *a)
{
    const char *t = gui_files_title(a->src.title, a->src.title_ko, a->src.path, a->look.korean);
    snprintf(a->title, sizeof a->title, "%s", t ? t : TR(a->look.cat, "built-in scenario"));
    char wt[300];
    snprintf(wt, sizeof wt, "tcpsim — %s", a->title);
    SDL_SetWindowTitle(a->win, wt);
}

static bool load_language(struct app *a, const char *lang)
{
    char err[512];
    struct i18n cat;
    char chosen[8];
    if (!gui_assets_language(&a->assets, lang, chosen, sizeof chosen, &cat, err, sizeof err)) {
        set_status(a, err);
        return false;
    }
    i18n_finish(&a->cat);
    a->cat = cat;
    snprintf(a->lang, sizeof a->lang, "%s", chosen);
    a->look.cat = a->cat.count ? &a->cat : NULL;
    a->look.korean = strcmp(a->lang, "ko") == 0;
    a->dirty = true;
    return true;
}

/* ---- moving through the run ---------------------------------------------------------------- */

/* After the position changed: restart the step animation, follow the log, prepare rewinds. */
static void moved(struct app *a)
{
    a->step_ms = SDL_GetTicks64();
    a->idle_work = true;
    a->look.log_scroll = 0;
    a->dirty = true;
}

static void jump(struct app *a, size_t k)
{
    if (!gui_play_jump(&a->play, k))
        set_status(a, a->m->err);
    moved(a);
}

static void animate_to(struct app *a, size_t k)
{
    if (!gui_play_animate_to(&a->play, k))
        set_status(a, TR(a->look.cat, "This is the end of the run."));
    moved(a);
}

/* Advances playback by dt_ms of wall time. */
static void advance(struct app *a, uint64_t dt_ms)
{
    if (!gui_play_moving(&a->play))
        return;
    a->play.presenter = a->look.presenter;
    int n = gui_play_advance(&a->play, dt_ms);
    if (n < 0)
        set_status(a, a->m->err);
    if (n != 0)
        moved(a);
    a->dirty = true;
}

/* ---- actions ------------------------------------------------------------------------------ */

static void screenshot(struct app *a, SDL_Surface *s)
{
    char path[GUI_PATH_MAX], err[512];
    if (!gui_files_screenshot_name(a->opt.output_dir, a->src.path, path, sizeof path)) {
        set_status(a, TR(a->look.cat, "No free screenshot name."));
        return;
    }
    if (!gui_png_save(s, path, err, sizeof err)) {
        set_status(a, err);
        return;
    }
    char msg[GUI_PATH_MAX + 64];
    struct i18n_arg args[] = { { "path", path } };
    i18n_format(msg, sizeof msg, TR(a->look.cat, "Screenshot saved: {path}"), args, 1);
    set_status(a, msg);
}

static void save_drops(struct app *a)
{
    char path[GUI_PATH_MAX], err[512], msg[GUI_PATH_MAX + 64];
    if (!gui_files_save_drops(a->m, a->opt.output_dir, path, sizeof path, err, sizeof err)) {
        set_status(a, err);
        return;
    }
    struct i18n_arg args[] = { { "path", path } };
    i18n_format(msg, sizeof msg, TR(a->look.cat, "Scenario with your drops saved: {path}"), args, 1);
    set_status(a, msg);
}

static void drop_card(struct app *a, size_t i)
{
    uint64_t id = a->hits.cards[i].id;
    int copy = a->hits.cards[i].copy;
    if (!gui_model_drop(a->m, id, copy, a->play.t)) {
        set_status(a, a->m->err[0] ? a->m->err : TR(a->look.cat, "That segment has already arrived."));
        return;
    }
    a->step_ms = SDL_GetTicks64();
    a->idle_work = true;
    char msg[256], ids[32];
    snprintf(ids, sizeof ids, "%llu", (unsigned long long)id);
    struct i18n_arg args[] = { { "id", ids } };
    i18n_format(msg, sizeof msg, TR(a->look.cat, "Segment #{id} dropped. Ctrl+S saves the scenario with this drop."),
                args, 1);
    set_status(a, msg);
}

static void open_picker(struct app *a)
{
    if (!a->opt.open) {
        set_status(a, TR(a->look.cat, "Opening other scenarios is not available here."));
        return;
    }
    /* Titles are read here, once per opening, so a file edited meanwhile shows its new title
     * and drawing the picker never reads the disk. */
    gui_files_picks_free(a->picks, a->npicks);
    a->npicks = gui_files_picks(a->opt.scenario_dir ? a->opt.scenario_dir : "scenarios", &a->picks);
    a->look.picker = a->picks;
    a->look.npicker = a->npicks;
    a->look.picker_sel = 0;
    a->look.picker_open = true;
    a->dirty = true;
}

static void release_source(struct app *a)
{
    if (a->src_owned && a->src.release)
        a->src.release(a->src.ctx);
    a->src_owned = false;
}

static void open_file(struct app *a, size_t i)
{
    if (i >= a->npicks)
        return;
    struct gui_source src = { 0 };
    char err[512];
    a->look.picker_open = false;
    a->dirty = true;
    if (!a->opt.open(a->opt.open_ctx, a->picks[i].path, &src, err, sizeof err)) {
        set_status(a, err);
        return;
    }
    struct gui_model *m = gui_model_create(&src, err, sizeof err);
    if (!m) {
        if (src.release)
            src.release(src.ctx);
        set_status(a, err);
        return;
    }
    gui_model_destroy(a->m);
    release_source(a);
    a->m = m;
    a->src = src;
    a->src_owned = true;
    gui_play_init(&a->play, m);
    a->look.ladder_scroll = 0;
    set_title(a);
    jump(a, 0);
}

/* ---- input -------------------------------------------------------------------------------- */

static void to_pixels(const struct app *a, int wx, int wy, float *px, float *py)
{
    int ww, wh;
    SDL_GetWindowSize(a->win, &ww, &wh);
    *px = ww > 0 ? (float)wx * (float)a->gfx.w / (float)ww : (float)wx;
    *py = wh > 0 ? (float)wy * (float)a->gfx.h / (float)wh : (float)wy;
}

static bool inside(SDL_FRect r, float x, float y)
{
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

static void scrub(struct app *a, float x)
{
    SDL_FRect b = a->hits.timeline;
    if (b.w <= 0)
        return;
    double f = (double)((x - b.x) / b.w);
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    double u = a->hits.timeline_u0 + f * (a->hits.timeline_u1 - a->hits.timeline_u0);
    sim_time t = gui_axis_t(&a->m->axis, u);
    jump(a, gui_model_steps_until(a->m, t));
    if (t > a->play.t)
        a->play.t = t;
}

static void on_click(struct app *a, float x, float y)
{
    if (a->look.picker_open) {
        for (size_t i = 0; i < a->hits.npicker; i++)
            if (inside(a->hits.picker[i].rc, x, y)) {
                open_file(a, a->hits.picker[i].index);
                return;
            }
        return;
    }
    if (a->look.help) {
        a->look.help = false;
        a->dirty = true;
        return;
    }
    for (size_t i = 0; i < a->hits.ncards; i++)
        if (inside(a->hits.cards[i].rc, x, y)) {
            drop_card(a, i);
            return;
        }
    if (inside(a->hits.timeline, x, y)) {
        a->dragging = true;
        scrub(a, x);
        return;
    }
    for (size_t i = 0; i < a->hits.nlog; i++)
        if (inside(a->hits.log[i].rc, x, y)) {
            jump(a, a->hits.log[i].step + 1);
            return;
        }
}

/* Moves the picker's selection by d rows, within the list; the list scrolls to keep it shown. */
static void picker_move(struct app *a, long d)
{
    long sel = (long)a->look.picker_sel + d, last = a->npicks ? (long)a->npicks - 1 : 0;
    a->look.picker_sel = (size_t)(sel < 0 ? 0 : sel > last ? last : sel);
    a->dirty = true;
}

static void on_wheel(struct app *a, int dy, float x, float y)
{
    if (a->look.picker_open) {
        /* Wheel up (dy > 0) moves up the list, so a mouse alone reaches rows below the fold. */
        picker_move(a, -(long)dy);
        return;
    }
    if (inside(a->hits.log_area, x, y)) {
        long s = (long)a->look.log_scroll + dy * 3;
        a->look.log_scroll = s < 0 ? 0 : (size_t)s;
        if (a->look.log_scroll + 1 > a->m->pos)
            a->look.log_scroll = a->m->pos ? a->m->pos - 1 : 0;
    } else if (inside(a->hits.ladder_area, x, y)) {
        a->look.ladder_scroll += dy;
        if (a->look.ladder_scroll < 0)
            a->look.ladder_scroll = 0;
    }
    a->dirty = true;
}

static void on_picker_key(struct app *a, SDL_Keycode key)
{
    switch (key) {
    case SDLK_ESCAPE:
        a->look.picker_open = false;
        break;
    case SDLK_UP:
        picker_move(a, -1);
        break;
    case SDLK_DOWN:
        picker_move(a, 1);
        break;
    case SDLK_HOME:
        picker_move(a, -(long)a->npicks);
        break;
    case SDLK_END:
        picker_move(a, (long)a->npicks);
        break;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        open_file(a, a->look.picker_sel);
        break;
    default:
        break;
    }
    a->dirty = true;
}

static void on_key(struct app *a, const SDL_KeyboardEvent *e)
{
    SDL_Keycode key = e->keysym.sym;
    bool ctrl = (e->keysym.mod & KMOD_CTRL) != 0, shift = (e->keysym.mod & KMOD_SHIFT) != 0;
    if (a->look.picker_open) {
        on_picker_key(a, key);
        return;
    }
    a->dirty = true;
    if (a->look.help && key != SDLK_F11 && key != SDLK_q) {
        a->look.help = false;
        if (key == SDLK_ESCAPE || key == SDLK_QUESTION || key == SDLK_F1 || (key == SDLK_SLASH && shift))
            return;
    }
    switch (key) {
    case SDLK_SPACE:
        gui_play_toggle(&a->play);
        moved(a);
        break;
    case SDLK_RIGHT:
        animate_to(a, a->m->pos + 1);
        break;
    case SDLK_PAGEDOWN:
        if (a->look.presenter) {
            if (!gui_play_next_pause(&a->play))
                set_status(a, TR(a->look.cat, "This is the end of the run."));
            moved(a);
        } else
            animate_to(a, a->m->pos + 1);
        break;
    case SDLK_LEFT:
        jump(a, a->m->pos > 0 ? a->m->pos - 1 : 0);
        break;
    case SDLK_PAGEUP:
        if (a->look.presenter) {
            if (!gui_play_prev_pause(&a->play))
                set_status(a, a->m->err);
            moved(a);
        } else {
            jump(a, a->m->pos > 0 ? a->m->pos - 1 : 0);
        }
        break;
    case SDLK_HOME:
        jump(a, 0);
        break;
    case SDLK_END:
        jump(a, a->m->nsteps);
        break;
    case SDLK_PLUS:
    case SDLK_KP_PLUS:
    case SDLK_EQUALS:
        gui_play_faster(&a->play);
        break;
    case SDLK_MINUS:
    case SDLK_KP_MINUS:
        gui_play_slower(&a->play);
        break;
    case SDLK_l:
        load_language(a, strcmp(a->lang, "ko") == 0 ? "en" : "ko");
        set_title(a);
        break;
    case SDLK_p:
        a->look.presenter = !a->look.presenter;
        break;
    case SDLK_b:
    case SDLK_PERIOD:
        a->look.blank = !a->look.blank;
        break;
    case SDLK_n:
        a->look.absolute = !a->look.absolute;
        break;
    case SDLK_s:
        if (ctrl)
            save_drops(a);
        else
            a->want_shot = true;
        break;
    case SDLK_o:
        open_picker(a);
        break;
    case SDLK_F11: {
        bool full = (SDL_GetWindowFlags(a->win) & SDL_WINDOW_FULLSCREEN) != 0;
        SDL_SetWindowFullscreen(a->win, full ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
        break;
    }
    case SDLK_F1:
    case SDLK_h:
    case SDLK_QUESTION:
        a->look.help = true;
        break;
    case SDLK_SLASH:
        if (shift)
            a->look.help = true;
        break;
    case SDLK_ESCAPE:
        if (a->look.blank)
            a->look.blank = false;
        else if (SDL_GetWindowFlags(a->win) & SDL_WINDOW_FULLSCREEN)
            SDL_SetWindowFullscreen(a->win, 0);
        else
            a->running = false;
        break;
    case SDLK_q:
        a->running = false;
        break;
    default:
        break;
    }
}

static void handle(struct app *a, const SDL_Event *e)
{
    float x, y;
    switch (e->type) {
    case SDL_QUIT:
        a->running = false;
        break;
    case SDL_WINDOWEVENT:
        a->dirty = true;
        break;
    case SDL_KEYDOWN:
        on_key(a, &e->key);
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT) {
            to_pixels(a, e->button.x, e->button.y, &x, &y);
            on_click(a, x, y);
        }
        break;
    case SDL_MOUSEBUTTONUP:
        a->dragging = false;
        break;
    case SDL_MOUSEMOTION: {
        to_pixels(a, e->motion.x, e->motion.y, &x, &y);
        if (a->dragging) {
            scrub(a, x);
            break;
        }
        int hover = -1;
        for (size_t i = 0; i < a->hits.ncards; i++)
            if (inside(a->hits.cards[i].rc, x, y))
                hover = (int)i;
        if (hover != a->look.hover_card) {
            a->look.hover_card = hover;
            a->dirty = true;
        }
        break;
    }
    case SDL_MOUSEWHEEL: {
        int mx, my;
        SDL_GetMouseState(&mx, &my);
        to_pixels(a, mx, my, &x, &y);
        on_wheel(a, e->wheel.y, x, y);
        break;
    }
    default:
        break;
    }
}

/* ---- drawing ------------------------------------------------------------------------------ */

static void draw(struct app *a, uint64_t now)
{
    SDL_GetRendererOutputSize(a->r, &a->gfx.w, &a->gfx.h);
    struct gui_view *v = malloc(sizeof *v);
    if (!v)
        return;
    gui_model_view(a->m, a->play.t, v);
    if (a->look.hover_card >= (int)v->ninflight)
        a->look.hover_card = -1;
    struct gui_layout l;
    gui_layout_compute(&l, a->gfx.w, a->gfx.h, a->look.presenter);
    uint64_t since = now - a->step_ms;
    a->look.anim = since >= ANIM_MS ? 1.0 : (double)since / ANIM_MS;
    a->look.playing = gui_play_moving(&a->play);
    a->look.speed = a->play.squeezing ? TR(a->look.cat, "fast (idle)") : gui_play_speed_label(&a->play);
    a->look.status = now - a->status_ms < STATUS_MS ? a->status : NULL;
    a->look.title = a->title;
    a->look.hits = &a->hits;
    gui_text_frame(a->text);
    /* The software renderer draws into the window's surface (a new one after a resize). */
    gfx_direct(&a->gfx, a->software ? SDL_GetWindowSurface(a->win) : NULL);
    gui_scene_draw(&a->gfx, &l, v, &a->look);
    if (a->want_shot) {
        a->want_shot = false;
        SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, a->gfx.w, a->gfx.h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (s && SDL_RenderReadPixels(a->r, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) == 0)
            screenshot(a, s);
        else
            set_status(a, SDL_GetError());
        SDL_FreeSurface(s);
    }
    SDL_RenderPresent(a->r);
    free(v);
}

static bool animating(const struct app *a, uint64_t now)
{
    return gui_play_moving(&a->play) || now - a->step_ms < ANIM_MS;
}

static void loop(struct app *a)
{
    a->last_ms = SDL_GetTicks64();
    a->dirty = true;
    while (a->running) {
        uint64_t now = SDL_GetTicks64();
        SDL_Event e;
        bool got;
        if (animating(a, now)) {
            uint64_t next = a->last_ms + FRAME_MS;
            got = SDL_WaitEventTimeout(&e, next > now ? (int)(next - now) : 0) != 0;
        } else if (a->dirty) {
            got = SDL_PollEvent(&e) != 0;
        } else if (a->idle_work) {
            /* Nothing to draw: prepare the next step back in slices, staying responsive. */
            got = SDL_PollEvent(&e) != 0;
            if (!got)
                a->idle_work = gui_model_idle(a->m, 2000);
        } else {
            /* Nothing moves: sleep until an event, or until the status line should go away. */
            uint64_t until = a->status_ms + STATUS_MS;
            got = until > now && a->status[0] ? SDL_WaitEventTimeout(&e, (int)(until - now) + 1) != 0
                                              : SDL_WaitEvent(&e) != 0;
            if (!got && a->status[0]) {
                a->status[0] = '\0';
                a->dirty = true;
            }
        }
        for (int guard = 0; got && guard < 1000; guard++) {
            handle(a, &e);
            got = SDL_PollEvent(&e) != 0;
        }
        now = SDL_GetTicks64();
        advance(a, now - a->last_ms);
        if (animating(a, now) && a->idle_work)
            a->idle_work = gui_model_idle(a->m, 200);
        if (animating(a, now))
            a->dirty = true;
        a->last_ms = now;
        if (a->dirty && a->running) {
            a->dirty = false;
            draw(a, now);
        }
    }
}

int gui_show(const struct gui_source *src, const struct gui_options *opt)
{
    struct app *a = calloc(1, sizeof *a);
    if (!a) {
        fprintf(stderr, "tcpsim: out of memory\n");
        return GUI_ERR_INPUT;
    }
    gui_options_defaults(&a->opt);
    if (opt)
        a->opt = *opt;
    a->src = *src;
    if (!a->opt.open)
        a->opt.open = gui_scn_open;
    gui_look_defaults(&a->look);
    a->look.presenter = a->opt.presenter;
    a->look.absolute = a->opt.absolute;
    a->running = true;
    int rc = GUI_OK;
    char err[512];
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "tcpsim: no display (%s)\n", SDL_GetError());
        free(a);
        return GUI_ERR_NO_DISPLAY;
    }
    if (!gui_assets_find(a->opt.assets_dir, &a->assets, err, sizeof err)) {
        fprintf(stderr, "tcpsim: %s\n", err);
        rc = GUI_ERR_INPUT;
        goto out;
    }
    a->m = gui_model_create(&a->src, err, sizeof err);
    if (!a->m) {
        fprintf(stderr, "tcpsim: %s\n", err);
        rc = GUI_ERR_INPUT;
        goto out;
    }
    gui_play_init(&a->play, a->m);
    int w = a->opt.width > 0 ? a->opt.width : 1280, h = a->opt.height > 0 ? a->opt.height : 720;
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI |
                   (a->opt.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    a->win = SDL_CreateWindow("tcpsim", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (a->win)
        a->r = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (a->win && !a->r)
        a->r = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
    if (!a->r) {
        fprintf(stderr, "tcpsim: cannot open a window: %s\n", SDL_GetError());
        rc = GUI_ERR_NO_DISPLAY;
        goto out;
    }
    SDL_RendererInfo info;
    a->software = SDL_GetRendererInfo(a->r, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE);
    SDL_SetWindowMinimumSize(a->win, 640, 360);
    a->text = gui_text_create(a->r, a->assets.font_regular, a->assets.font_bold, err, sizeof err);
    if (!a->text) {
        fprintf(stderr, "tcpsim: %s\n", err);
        rc = GUI_ERR_INPUT;
        goto out;
    }
    gfx_init(&a->gfx, a->r, a->text);
    if (!load_language(a, a->opt.lang)) {
        fprintf(stderr, "tcpsim: %s\n", a->status);
        rc = GUI_ERR_INPUT;
        goto out;
    }
    a->status[0] = '\0';
    set_title(a);
    a->step_ms = SDL_GetTicks64() - ANIM_MS;
    loop(a);
out:
    gui_files_picks_free(a->picks, a->npicks);
    gfx_finish(&a->gfx);
    gui_text_destroy(a->text);
    if (a->r)
        SDL_DestroyRenderer(a->r);
    if (a->win)
        SDL_DestroyWindow(a->win);
    gui_model_destroy(a->m);
    release_source(a);
    i18n_finish(&a->cat);
    SDL_Quit();
    free(a);
    return rc;
}
