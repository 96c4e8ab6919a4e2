/* gui_caption.c: the caption bar: the scenario's caption for this step (TR_CAPTION, English or
 * Korean) and the automatic explanation of the step just taken (explain.c). Called by
 * gui_scene.c. */
#include "gui_panel.h"

#include <stdio.h>
#include <string.h>

#include "explain.h"

#define CAPTION_STEP_RECS 24
#define CAPTION_LINES 4

/* The caption in force: the last one among the applied records. */
static const struct gui_rec *current_caption(const struct gui_view *v)
{
    for (size_t i = gui_panel_applied(v); i-- > 0;)
        if (v->m->recs[i].ev == TR_CAPTION)
            return &v->m->recs[i];
    return NULL;
}

static float draw_wrapped(struct gui_gfx *g, const char *s, int px, bool bold, SDL_Color c, float x, float y,
                          float w, size_t max_lines)
{
    size_t starts[CAPTION_LINES], lens[CAPTION_LINES];
    size_t n = gui_text_wrap(g->text, s, px, bold, w, starts, lens, CAPTION_LINES);
    float lh = (float)gui_text_height(g->text, px, bold);
    char line[1024];
    for (size_t i = 0; i < n && i < max_lines && i < CAPTION_LINES; i++) {
        size_t len = lens[i] < sizeof line - 1 ? lens[i] : sizeof line - 1;
        memcpy(line, s + starts[i], len);
        line[len] = '\0';
        if (i + 1 == max_lines && n > max_lines)
            gui_text_draw_fit(g->text, s + starts[i], px, bold, c, x, y, w, GUI_LEFT);
        else
            gui_text_draw(g->text, line, px, bold, c, x, y, GUI_LEFT);
        y += lh;
    }
    return (float)(n < max_lines ? n : max_lines) * lh;
}

void gui_caption_draw(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v, const struct gui_look *k)
{
    const struct gui_theme *th = g->theme;
    SDL_FRect in = gui_panel_frame(g, l, l->caption, NULL);
    gfx_clip(g, l->caption);
    float stripe = 5 * l->s;
    gfx_round_rect(g, (SDL_FRect){ l->caption.x, l->caption.y, stripe, l->caption.h }, stripe / 2, th->accent);
    float x = in.x + stripe, w = in.w - stripe, y = in.y;

    const struct gui_rec *cap = current_caption(v);
    if (cap) {
        const char *text = gui_model_text(v->m, k->korean && cap->u.caption.text_ko ? cap->u.caption.text_ko
                                                                                    : cap->u.caption.text);
        y += draw_wrapped(g, text, l->f_caption, true, th->text, x, y, w, 2) + l->pad * 0.3f;
    }
    char buf[2048];
    if (v->pos == 0) {
        snprintf(buf, sizeof buf, "%s", TR(k->cat, "Press Space to play, the right arrow for one event at a time, ? for every key."));
    } else {
        struct trace_rec recs[CAPTION_STEP_RECS];
        size_t n = gui_model_step_recs(v->m, v->pos - 1, recs, CAPTION_STEP_RECS);
        struct explain_opts eo = { .cat = k->cat, .absolute = k->absolute, .korean = k->korean,
                                   .know_before = v->before != NULL };
        if (v->before) {
            eo.before[0] = v->before[0].state;
            eo.before[1] = v->before[1].state;
        }
        explain_step(recs, n, &eo, buf, sizeof buf);
    }
    float left = in.y + in.h - y;
    size_t lines = (size_t)(left / (float)gui_text_height(g->text, l->f_body, false));
    if (lines < 1)
        lines = 1;
    draw_wrapped(g, buf, l->f_body, false, cap ? th->text_dim : th->text, x, y, w, lines);
    gfx_unclip(g);
}
