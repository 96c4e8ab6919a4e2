/* gui_timeline.c: the scrubbable timeline: a tick per step on the squeezed time axis (coloured by
 * what happened), the position, break marks, play state, speed, sim time and step count.
 * Called by gui_scene.c; records the bar for clicks and drags. */
#include "gui_panel.h"

#include <stdio.h>
#include <string.h>

#define TICK_RUN 256 /* ticks filled per call */

static SDL_Color tick_colour(const struct gui_theme *th, uint8_t kinds)
{
    if (kinds & (GUI_STEP_LOST | GUI_STEP_DROP))
        return th->lost;
    if (kinds & GUI_STEP_PAUSE)
        return th->accent;
    if (kinds & GUI_STEP_STATE)
        return gui_theme_state(TCP_ESTABLISHED);
    if (kinds & GUI_STEP_TX)
        return gui_theme_flag(SEG_SYN);
    return th->text_faint;
}

static void play_icon(struct gui_gfx *g, float x, float y, float size, bool playing, SDL_Color c)
{
    if (playing) {
        gfx_fill_rect(g, (SDL_FRect){ x, y, size * 0.32f, size }, c);
        gfx_fill_rect(g, (SDL_FRect){ x + size * 0.6f, y, size * 0.32f, size }, c);
    } else {
        SDL_FPoint p[3] = { { x, y }, { x + size * 0.9f, y + size / 2 }, { x, y + size } };
        gfx_convex(g, p, 3, c);
    }
}

void gui_timeline_draw(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v, const struct gui_look *k)
{
    const struct gui_theme *th = g->theme;
    const struct gui_model *m = v->m;
    SDL_FRect in = gui_panel_frame(g, l, l->timeline, NULL);
    gfx_clip(g, l->timeline);
    float cy = in.y + in.h / 2;
    int fs = l->f_small;
    float fh = (float)gui_text_height(g->text, fs, true);
    float icon = fh * 0.8f;
    play_icon(g, in.x, cy - icon / 2, icon, k->playing, th->text);
    float x = in.x + icon * 1.6f;
    char t[48], buf[160];
    gui_panel_time(v->t, t, sizeof t);
    x += gui_text_draw(g->text, t, fs, false, th->text, x, cy - fh, GUI_LEFT);
    snprintf(buf, sizeof buf, "%s %zu/%zu%s", TR(k->cat, "step"), v->pos, m->nsteps, m->truncated ? "+" : "");
    gui_text_draw(g->text, buf, l->f_tiny, false, th->text_dim, in.x + icon * 1.6f, cy, GUI_LEFT);
    float left_w = 170 * l->s;
    char right[128];
    snprintf(right, sizeof right, "%s %s", TR(k->cat, "speed"), k->speed);
    float rw = gui_text_width(g->text, right, fs, true);
    float help_w = gui_text_width(g->text, TR(k->cat, "? help"), fs, false);
    float right_w = (rw > help_w ? rw : help_w) + l->pad * 2;
    gui_text_draw(g->text, right, fs, true, th->text, in.x + in.w, cy - fh, GUI_RIGHT);
    gui_text_draw(g->text, TR(k->cat, "? help"), l->f_tiny, false, th->text_dim, in.x + in.w, cy, GUI_RIGHT);
    (void)x;

    SDL_FRect bar = { in.x + left_w, cy - 3 * l->s, in.w - left_w - right_w, 6 * l->s };
    double u_end = gui_axis_end(&m->axis);
    if (u_end <= 0)
        u_end = 1;
    gfx_round_rect(g, bar, bar.h / 2, gui_theme_alpha(th->line, 40));
    double u_now = gui_axis_u(&m->axis, v->t);
    float xn = bar.x + bar.w * (float)(u_now / u_end);
    if (xn > bar.x + bar.w)
        xn = bar.x + bar.w;
    gfx_round_rect(g, (SDL_FRect){ bar.x, bar.y, xn - bar.x, bar.h }, bar.h / 2, gui_theme_alpha(th->accent, 110));
    /* One tick per pixel column at most; the most telling kind wins. Runs of ticks in one colour
     * are filled in one call, in the same order. */
    float tick_h = in.h * 0.32f, last_x = -1;
    SDL_FRect run[TICK_RUN];
    size_t nrun = 0, knot = 0;
    SDL_Color run_c = { 0, 0, 0, 0 };
    for (size_t i = 0; i < m->nsteps; i++) {
        const struct gui_step *st = &m->steps[i];
        float tx = bar.x + bar.w * (float)(gui_axis_u_walk(&m->axis, st->t, &knot) / u_end);
        bool strong = st->kinds & (GUI_STEP_LOST | GUI_STEP_DROP | GUI_STEP_PAUSE);
        if ((int)tx == (int)last_x && !strong)
            continue;
        last_x = tx;
        SDL_Color c = tick_colour(th, st->kinds);
        if (i >= v->pos)
            c = gui_theme_alpha(c, 110);
        float h = strong ? tick_h * 1.3f : tick_h;
        if (nrun == TICK_RUN || (nrun && memcmp(&c, &run_c, sizeof c) != 0)) {
            gfx_fill_rects(g, run, nrun, run_c);
            nrun = 0;
        }
        run_c = c;
        run[nrun++] = (SDL_FRect){ tx - 0.75f * l->s, cy - h / 2, 1.5f * l->s, h };
    }
    gfx_fill_rects(g, run, nrun, run_c);
    for (size_t i = 0; i + 1 < m->axis.n; i++) {
        if (!m->axis.brk[i])
            continue;
        float bx = bar.x + bar.w * (float)((m->axis.u[i] + m->axis.u[i + 1]) / 2 / u_end);
        gfx_fill_rect(g, (SDL_FRect){ bx - 4 * l->s, cy - tick_h / 2, 8 * l->s, tick_h }, th->panel);
        gfx_line(g, bx - 3 * l->s, cy + tick_h / 2, bx, cy - tick_h / 2, 1.5f * l->s, th->text_dim);
        gfx_line(g, bx + 1 * l->s, cy + tick_h / 2, bx + 4 * l->s, cy - tick_h / 2, 1.5f * l->s, th->text_dim);
    }
    gfx_circle(g, xn, cy, 7 * l->s, th->accent);
    gfx_circle(g, xn, cy, 3 * l->s, th->panel);
    if (k->hits) {
        k->hits->timeline = (SDL_FRect){ bar.x - 6 * l->s, in.y, bar.w + 12 * l->s, in.h };
        k->hits->timeline_u0 = 0;
        k->hits->timeline_u1 = u_end;
    }
    gfx_unclip(g);
}
