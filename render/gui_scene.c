/* gui_scene.c: composes the picture from the panels, draws the title bar, and holds the chrome
 * the panels share (panel frames, flag chips, number and time formats). Called by gui.c per
 * frame and by gui_png.c for a still. */
#include "gui_panel.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"

void gui_look_defaults(struct gui_look *k)
{
    *k = (struct gui_look){ .anim = 1.0, .hover_card = -1, .speed = "", .title = "" };
}

SDL_FRect gui_panel_frame(struct gui_gfx *g, const struct gui_layout *l, SDL_FRect rc, const char *heading)
{
    const struct gui_theme *th = g->theme;
    gfx_round_rect(g, rc, l->radius, th->panel_border);
    float b = l->line * th->line_scale * 0.7f;
    gfx_round_rect(g, (SDL_FRect){ rc.x + b, rc.y + b, rc.w - 2 * b, rc.h - 2 * b }, l->radius - b, th->panel);
    if (!heading || !*heading)
        return (SDL_FRect){ rc.x + l->pad, rc.y + l->pad, rc.w - 2 * l->pad, rc.h - 2 * l->pad };
    float hh = (float)gui_text_height(g->text, l->f_small, true);
    gui_text_draw_fit(g->text, heading, l->f_small, true, th->text_dim, rc.x + l->pad, rc.y + l->pad * 0.6f,
                      rc.w - 2 * l->pad, GUI_LEFT);
    float top = rc.y + l->pad * 0.6f + hh + l->pad * 0.3f;
    return (SDL_FRect){ rc.x + l->pad, top, rc.w - 2 * l->pad, rc.y + rc.h - l->pad * 0.6f - top };
}

float gui_panel_chips_width(struct gui_gfx *g, uint8_t flags, int px, float pad)
{
    float w = 0;
    for (size_t i = 0; i < sizeof explain_flag_order; i++)
        if (flags & explain_flag_order[i])
            w += gui_text_width(g->text, seg_flag_name(explain_flag_order[i]), px, true) + 2 * pad + pad * 0.6f;
    return w > 0 ? w - pad * 0.6f : 0;
}

float gui_panel_chips(struct gui_gfx *g, uint8_t flags, float x, float y, int px, float pad)
{
    float x0 = x, h = (float)gui_text_height(g->text, px, true);
    for (size_t i = 0; i < sizeof explain_flag_order; i++) {
        uint8_t bit = explain_flag_order[i];
        if (!(flags & bit))
            continue;
        const char *name = seg_flag_name(bit);
        float w = gui_text_width(g->text, name, px, true) + 2 * pad;
        gfx_round_rect(g, (SDL_FRect){ x, y, w, h + pad * 0.4f }, pad * 1.2f, gui_theme_flag(bit));
        gui_text_draw(g->text, name, px, true, gui_theme_flag_text(bit), x + pad, y + pad * 0.2f, GUI_LEFT);
        x += w + pad * 0.6f;
    }
    return x > x0 ? x - x0 - pad * 0.6f : 0;
}

void gui_panel_time(sim_time t, char *buf, size_t size)
{
    if (t < 0)
        t = 0;
    snprintf(buf, size, "%" PRId64 ".%06" PRId64 " s", t / 1000000000, t / 1000 % 1000000);
}

void gui_panel_seconds(sim_time t, char *buf, size_t size)
{
    if (t < 0)
        t = 0;
    if (t >= sim_s(10))
        snprintf(buf, size, "%" PRId64 ".%" PRId64 " s", t / 1000000000, t / 100000000 % 10);
    else if (t >= sim_s(1))
        snprintf(buf, size, "%" PRId64 ".%02" PRId64 " s", t / 1000000000, t / 10000000 % 100);
    else
        snprintf(buf, size, "%" PRId64 ".%01" PRId64 " ms", t / 1000000, t / 100000 % 10);
}

size_t gui_panel_applied(const struct gui_view *v)
{
    if (v->pos == 0)
        return 0;
    const struct gui_step *st = &v->m->steps[v->pos - 1];
    return (size_t)st->first + st->count;
}

void gui_panel_seg_text(const struct trace_seg *s, bool absolute, char *buf, size_t size)
{
    uint32_t seq = absolute ? s->seq : s->rel_seq, ack = absolute ? s->ack : s->rel_ack;
    if (s->flags & SEG_ACK)
        snprintf(buf, size, "seq %" PRIu32 "  ack %" PRIu32 "  len %u", seq, ack, (unsigned)s->len);
    else
        snprintf(buf, size, "seq %" PRIu32 "  len %u", seq, (unsigned)s->len);
}

static void draw_title(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v, const struct gui_look *k)
{
    const struct gui_theme *th = g->theme;
    SDL_FRect rc = l->title;
    float y = rc.y + (rc.h - (float)gui_text_height(g->text, l->f_title, true)) / 2;
    float x = rc.x + l->pad;
    x += gui_text_draw(g->text, "tcpsim", l->f_title, true, th->accent, x, y, GUI_LEFT) + l->pad;
    x += gui_text_draw_fit(g->text, k->title, l->f_title, true, th->text, x, y, rc.w * 0.3f, GUI_LEFT) + 2 * l->pad;

    char buf[256], t[48];
    const struct gui_model *m = v->m;
    gui_panel_time(v->t, t, sizeof t);
    const char *prof_a = profile_name(m->cfg.host[0].profile.id), *prof_b = profile_name(m->cfg.host[1].profile.id);
    char prof[64];
    if (strcmp(prof_a, prof_b) == 0)
        snprintf(prof, sizeof prof, "%s", prof_a);
    else
        snprintf(prof, sizeof prof, "A %s / B %s", prof_a, prof_b);
    struct i18n_arg args[] = { { "profile", prof }, { "t", t } };
    i18n_format(buf, sizeof buf, TR(k->cat, "profile {profile}   t = {t}"), args, 2);
    x += gui_text_draw(g->text, buf, l->f_small, false, th->text_dim, x, y + 1, GUI_LEFT) + 2 * l->pad;

    char right[256];
    snprintf(right, sizeof right, "%s%s%s", k->korean ? "한국어" : "English",
             k->presenter ? " · " : "", k->presenter ? TR(k->cat, "presenter") : "");
    float rx = rc.x + rc.w - l->pad;
    rx -= gui_text_draw(g->text, right, l->f_small, true, th->text_dim, rx, y + 1, GUI_RIGHT) + 2 * l->pad;
    if (k->status && *k->status)
        gui_text_draw_fit(g->text, k->status, l->f_small, true, th->accent, rx, y + 1, rx - x, GUI_RIGHT);
}

void gui_scene_draw(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v, const struct gui_look *k)
{
    g->theme = gui_theme_get(k->presenter);
    const struct gui_theme *th = g->theme;
    if (k->hits)
        memset(k->hits, 0, sizeof *k->hits);
    if (k->blank) {
        SDL_SetRenderDrawColor(g->r, 0, 0, 0, 255);
        SDL_RenderClear(g->r);
        return;
    }
    SDL_SetRenderDrawColor(g->r, th->bg.r, th->bg.g, th->bg.b, 255);
    SDL_RenderClear(g->r);
    draw_title(g, l, v, k);
    gui_hosts_draw(g, l, v, k, 0);
    gui_hosts_draw(g, l, v, k, 1);
    gui_link_draw(g, l, v, k);
    gui_ladder_draw(g, l, v, k);
    gui_fsm_draw(g, l, v, k);
    gui_log_draw(g, l, v, k);
    gui_caption_draw(g, l, v, k);
    gui_timeline_draw(g, l, v, k);
    if (k->picker_open)
        gui_overlay_picker(g, l, k);
    else if (k->help)
        gui_overlay_help(g, l, k);
}
