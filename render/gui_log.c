/* gui_log.c: the event log: one line per step taken so far (time and a short summary), the current
 * step highlighted, newest at the bottom, scrollable. Called by gui_scene.c; rows are recorded
 * for clicks (jump to that step). */
#include "gui_panel.h"

#include <stdio.h>

#include "explain.h"

#define LOG_STEP_RECS 16

void gui_log_draw(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v, const struct gui_look *k)
{
    const struct gui_theme *th = g->theme;
    SDL_FRect in = gui_panel_frame(g, l, l->log, TR(k->cat, "Events"));
    if (k->hits)
        k->hits->log_area = l->log;
    gfx_clip(g, l->log);
    int fs = l->f_tiny;
    float rh = (float)gui_text_height(g->text, fs, false) * 1.12f;
    size_t rows = (size_t)(in.h / rh);
    if (rows > GUI_LOG_ROWS)
        rows = GUI_LOG_ROWS;
    size_t last = v->pos > k->log_scroll ? v->pos - k->log_scroll : (v->pos ? 1 : 0);
    size_t first = last > rows ? last - rows : 0;
    float tw = gui_text_width(g->text, "000.000000", fs, false) + l->pad * 0.6f;
    struct explain_opts eo = { .cat = k->cat, .absolute = k->absolute, .korean = k->korean };
    float y = in.y;
    for (size_t i = first; i < last; i++) {
        const struct gui_step *st = &v->m->steps[i];
        SDL_FRect row = { in.x - 2 * l->s, y, in.w + 4 * l->s, rh };
        bool cur = i + 1 == v->pos;
        if (cur)
            gfx_round_rect(g, row, 3 * l->s, gui_theme_alpha(th->accent, 40));
        char t[48], text[512];
        gui_panel_time(st->t, t, sizeof t);
        t[sizeof t - 1] = '\0';
        for (char *p = t; *p; p++)
            if (*p == ' ')
                *p = '\0';
        struct trace_rec recs[LOG_STEP_RECS];
        size_t n = gui_model_step_recs(v->m, i, recs, LOG_STEP_RECS);
        explain_step_short(recs, n, &eo, text, sizeof text);
        SDL_Color tc = (st->kinds & (GUI_STEP_LOST | GUI_STEP_DROP)) ? th->lost : cur ? th->text : th->text_dim;
        gui_text_draw(g->text, t, fs, false, th->text_faint, in.x, y, GUI_LEFT);
        gui_text_draw_fit(g->text, text, fs, cur, tc, in.x + tw, y, in.w - tw, GUI_LEFT);
        if (k->hits && k->hits->nlog < GUI_LOG_ROWS) {
            k->hits->log[k->hits->nlog].rc = row;
            k->hits->log[k->hits->nlog].step = i;
            k->hits->nlog++;
        }
        y += rh;
    }
    if (v->pos == 0)
        gui_text_draw(g->text, TR(k->cat, "nothing has happened yet"), fs, false, th->text_faint, in.x, y, GUI_LEFT);
    gfx_unclip(g);
}
