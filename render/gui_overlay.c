/* gui_overlay.c: what is drawn over the picture: the help card listing every key, and the picker
 * of bundled scenarios by title. Called by gui_scene.c when the look asks for them. */
#include "gui_panel.h"

#include <stdio.h>

#include "gui_files.h"

static const char *const help_keys[][2] = {
    { "Space", N_("play / pause") },
    { "→  PgDn", N_("next event") },
    { "←  PgUp", N_("previous event (replays the run up to it)") },
    { "Home / End", N_("restart / run to the end") },
    { "+ / -", N_("faster / slower (long waits are squeezed)") },
    { N_("click a segment"), N_("drop it on the link") },
    { "Ctrl+S", N_("save the scenario with your drops as faults") },
    { "O", N_("open another scenario") },
    { "L", N_("English / Korean") },
    { "P", N_("presenter mode: large, high contrast, stops at pause points") },
    { "B  .", N_("blank the screen (presenter clickers)") },
    { "N", N_("absolute / relative sequence numbers") },
    { "S", N_("screenshot to PNG") },
    { "F11", N_("full screen") },
    { N_("wheel"), N_("scroll the ladder or the event log") },
    { "?  F1", N_("this help") },
    { "Esc  Q", N_("close help / quit") },
};

static SDL_FRect card(struct gui_gfx *g, const struct gui_layout *l, float w, float h)
{
    const struct gui_theme *th = g->theme;
    gfx_fill_rect(g, (SDL_FRect){ 0, 0, (float)g->w, (float)g->h }, th->overlay);
    SDL_FRect rc = { ((float)g->w - w) / 2, ((float)g->h - h) / 2, w, h };
    gfx_round_rect(g, rc, l->radius * 2, th->panel);
    return rc;
}

void gui_overlay_help(struct gui_gfx *g, const struct gui_layout *l, const struct gui_look *k)
{
    const struct gui_theme *th = g->theme;
    size_t n = sizeof help_keys / sizeof help_keys[0];
    int fs = l->f_body;
    float rh = (float)gui_text_height(g->text, fs, false) * 1.25f;
    float keyw = 0, descw = 0;
    for (size_t i = 0; i < n; i++) {
        float a = gui_text_width(g->text, TR(k->cat, help_keys[i][0]), fs, true);
        float b = gui_text_width(g->text, TR(k->cat, help_keys[i][1]), fs, false);
        keyw = a > keyw ? a : keyw;
        descw = b > descw ? b : descw;
    }
    float hh = (float)gui_text_height(g->text, l->f_caption, true) * 1.6f;
    float w = keyw + descw + 5 * l->pad, h = hh + rh * (float)n + 3 * l->pad;
    if (w > (float)g->w * 0.95f)
        w = (float)g->w * 0.95f;
    SDL_FRect rc = card(g, l, w, h);
    gui_text_draw(g->text, TR(k->cat, "Keys"), l->f_caption, true, th->text, rc.x + 2 * l->pad, rc.y + 1.5f * l->pad,
                  GUI_LEFT);
    float y = rc.y + 1.5f * l->pad + hh;
    for (size_t i = 0; i < n; i++) {
        gui_text_draw(g->text, TR(k->cat, help_keys[i][0]), fs, true, th->accent, rc.x + 2 * l->pad, y, GUI_LEFT);
        gui_text_draw_fit(g->text, TR(k->cat, help_keys[i][1]), fs, false, th->text, rc.x + 3 * l->pad + keyw, y,
                          rc.w - keyw - 5 * l->pad, GUI_LEFT);
        y += rh;
    }
}

/* One picker row: the scenario's title in the look's language, its file name small and dim at the
 * right so a teacher can still tell files apart; a file without a title shows only its name. */
static void picker_row(struct gui_gfx *g, const struct gui_layout *l, const struct gui_look *k, size_t i, SDL_FRect row)
{
    const struct gui_theme *th = g->theme;
    const struct gui_pick *p = &k->picker[i];
    bool sel = i == k->picker_sel;
    if (sel)
        gfx_round_rect(g, row, 4 * l->s, gui_theme_alpha(th->accent, 50));
    const char *file = gui_files_base(p->path);
    const char *label = gui_files_title(p->title, p->title_ko, p->path, k->korean);
    float left = row.x + l->pad, right = row.x + row.w - l->pad;
    if (label != file) {
        float y = row.y + (row.h - (float)gui_text_height(g->text, l->f_small, false)) / 2;
        right -= gui_text_draw_fit(g->text, file, l->f_small, false, th->text_dim, right, y, row.w * 0.35f, GUI_RIGHT) +
                 2 * l->pad;
    }
    float y = row.y + (row.h - (float)gui_text_height(g->text, l->f_body, sel)) / 2;
    gui_text_draw_fit(g->text, label, l->f_body, sel, th->text, left, y, right - left, GUI_LEFT);
}

/* A thin bar in the card's right margin showing which part of a long list is in view. */
static void picker_scrollbar(struct gui_gfx *g, const struct gui_layout *l, SDL_FRect list, size_t first, size_t rows,
                             size_t n)
{
    const struct gui_theme *th = g->theme;
    float x = list.x + list.w + l->pad * 0.3f, w = l->pad * 0.4f;
    gfx_fill_rect(g, (SDL_FRect){ x, list.y, w, list.h }, gui_theme_alpha(th->text_dim, 40));
    float top = list.h * (float)first / (float)n, h = list.h * (float)rows / (float)n;
    gfx_fill_rect(g, (SDL_FRect){ x, list.y + top, w, h }, th->text_dim);
}

void gui_overlay_picker(struct gui_gfx *g, const struct gui_layout *l, const struct gui_look *k)
{
    const struct gui_theme *th = g->theme;
    int fs = l->f_body;
    float rh = (float)gui_text_height(g->text, fs, false) * 1.35f;
    float hh = (float)gui_text_height(g->text, l->f_caption, true) * 1.6f;
    size_t rows = k->npicker ? k->npicker : 1;
    float maxh = (float)g->h * 0.85f;
    size_t fit = (size_t)((maxh - hh - 3 * l->pad) / rh);
    if (fit > GUI_PICKER_ROWS)
        fit = GUI_PICKER_ROWS;
    if (rows > fit)
        rows = fit;
    /* Wide enough for the longest bundled title and its file name side by side at 1280 wide. */
    float w = 820 * l->s;
    if (w > (float)g->w * 0.95f)
        w = (float)g->w * 0.95f;
    SDL_FRect rc = card(g, l, w, hh + rh * (float)rows + 3 * l->pad);
    gui_text_draw(g->text, TR(k->cat, "Open a scenario (Enter to open, Esc to cancel)"), l->f_caption, true, th->text,
                  rc.x + 2 * l->pad, rc.y + 1.5f * l->pad, GUI_LEFT);
    float y = rc.y + 1.5f * l->pad + hh;
    if (k->npicker == 0) {
        gui_text_draw(g->text, TR(k->cat, "No .scn files found."), fs, false, th->text_dim, rc.x + 2 * l->pad, y,
                      GUI_LEFT);
        return;
    }
    size_t first = k->picker_sel >= rows ? k->picker_sel - rows + 1 : 0;
    SDL_FRect list = { rc.x + l->pad, y, rc.w - 2 * l->pad, rh * (float)rows };
    if (k->npicker > rows)
        picker_scrollbar(g, l, list, first, rows, k->npicker);
    for (size_t i = first; i < k->npicker && i < first + rows; i++) {
        SDL_FRect row = { list.x, y, list.w, rh };
        picker_row(g, l, k, i, row);
        if (k->hits && k->hits->npicker < GUI_PICKER_ROWS) {
            k->hits->picker[k->hits->npicker].rc = row;
            k->hits->picker[k->hits->npicker].index = i;
            k->hits->npicker++;
        }
        y += rh;
    }
}
