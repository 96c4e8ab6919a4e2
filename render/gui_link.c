/* gui_link.c: the link between the hosts with every segment copy in flight drawn as a card moving
 * over its delay (flags as chips, seq/ack/len), lost ones falling out with the reason, duplicates,
 * corrupted and held-back copies marked; records card rectangles for click-to-drop. Called by
 * gui_scene.c. */
#include "gui_panel.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"

struct lane {
    float y;          /* centre line */
    float x_from, x_to;
};

struct card_geo {
    float w, h, pad;
    int f_chip, f_num;
};

static void ratio_pct(struct ratio r, char *buf, size_t size)
{
    if (r.den == 0 || r.num == 0) {
        buf[0] = '\0';
        return;
    }
    uint64_t tenths = r.num * 1000 / r.den;
    snprintf(buf, size, "%" PRIu64 ".%" PRIu64 "%%", tenths / 10, tenths % 10);
}

static void link_summary(const struct gui_model *m, const struct gui_look *k, int dir, char *buf, size_t size)
{
    const struct link_params *p = &m->cfg.link[dir];
    char delay[32], loss[48], dup[48], cor[48], reo[48];
    explain_duration(p->delay, delay, sizeof delay);
    ratio_pct(p->loss, loss, sizeof loss);
    ratio_pct(p->dup, dup, sizeof dup);
    ratio_pct(p->corrupt, cor, sizeof cor);
    ratio_pct(p->reorder, reo, sizeof reo);
    int n = snprintf(buf, size, "%c→%c %s", dir == 0 ? 'A' : 'B', dir == 0 ? 'B' : 'A', delay);
    const char *names[4] = { TR(k->cat, "loss"), TR(k->cat, "dup"), TR(k->cat, "corrupt"), TR(k->cat, "reorder") };
    const char *vals[4] = { loss, dup, cor, reo };
    for (int i = 0; i < 4 && n > 0 && (size_t)n < size; i++)
        if (vals[i][0])
            n += snprintf(buf + n, size - (size_t)n, ", %s %s", names[i], vals[i]);
    if (p->down && n > 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, ", %s", TR(k->cat, "DOWN"));
}

static void draw_card(struct gui_gfx *g, const struct gui_layout *l, const struct gui_look *k,
                      const struct card_geo *cg, float cx, float cy, const struct trace_seg *seg, uint64_t id,
                      SDL_Color border, uint8_t alpha, const char *tag, SDL_Color tag_col, bool hover)
{
    const struct gui_theme *th = g->theme;
    SDL_FRect rc = { cx - cg->w / 2, cy - cg->h / 2, cg->w, cg->h };
    float bw = (hover ? 2.5f : 1.4f) * l->s * th->line_scale;
    gfx_fill_rect(g, (SDL_FRect){ rc.x + 3 * l->s, rc.y + rc.h, rc.w - 4 * l->s, 2 * l->s },
                  gui_theme_alpha(th->text, (uint8_t)(alpha / 5)));
    gfx_round_rect(g, rc, l->radius, gui_theme_alpha(hover ? th->accent : border, alpha));
    gfx_round_rect(g, (SDL_FRect){ rc.x + bw, rc.y + bw, rc.w - 2 * bw, rc.h - 2 * bw }, l->radius - bw,
                   gui_theme_alpha(th->card, alpha));
    float y = rc.y + cg->pad * 0.8f;
    gui_panel_chips(g, seg->flags, rc.x + cg->pad, y, cg->f_chip, cg->pad * 0.5f);
    char idb[24];
    snprintf(idb, sizeof idb, "#%" PRIu64, id);
    gui_text_draw(g->text, idb, cg->f_num, false, gui_theme_alpha(th->text_faint, alpha), rc.x + rc.w - cg->pad, y,
                  GUI_RIGHT);
    y += (float)gui_text_height(g->text, cg->f_chip, true) + cg->pad * 0.6f;
    char nums[96];
    gui_panel_seg_text(seg, k->absolute, nums, sizeof nums);
    gui_text_draw_fit(g->text, nums, cg->f_num, false, gui_theme_alpha(th->text, alpha), rc.x + cg->pad, y,
                      rc.w - 2 * cg->pad, GUI_LEFT);
    if (tag && *tag) {
        float tw = gui_text_width(g->text, tag, cg->f_num, true) + cg->pad;
        SDL_FRect tr = { rc.x + rc.w - tw - cg->pad * 0.3f, rc.y - (float)gui_text_height(g->text, cg->f_num, true) * 0.7f,
                         tw, (float)gui_text_height(g->text, cg->f_num, true) };
        gfx_round_rect(g, tr, tr.h / 2, gui_theme_alpha(tag_col, alpha));
        gui_text_draw(g->text, tag, cg->f_num, true, gui_theme_alpha(th->panel, alpha), tr.x + tw / 2, tr.y, GUI_CENTER);
    }
}

/* Whether a scripted `fault ... delay` held this segment back (its fate stays "delivered"). */
static bool scripted_delay(const struct gui_model *m, uint64_t id)
{
    if (id >= m->tx_by_id_cap || !m->tx_by_id[id])
        return false;
    return strstr(gui_model_text(m, m->recs[m->tx_by_id[id] - 1].note), "delay") != NULL;
}

static float lerp(float a, float b, double f)
{
    return a + (b - a) * (float)f;
}

static double progress(sim_time t, sim_time from, sim_time to)
{
    if (to <= from)
        return 1;
    double f = (double)(t - from) / (double)(to - from);
    return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* A copy that will never arrive: it moves part of the way and falls out of the link. */
static void draw_ghost(struct gui_gfx *g, const struct gui_layout *l, const struct gui_look *k,
                       const struct card_geo *cg, const struct lane *ln, const struct gui_rec *tx, double at,
                       double fall, const char *reason, SDL_FRect area)
{
    const struct gui_theme *th = g->theme;
    float cx = lerp(ln->x_from, ln->x_to, at);
    float cy = ln->y + (float)(fall * fall) * cg->h * 1.4f;
    uint8_t alpha = (uint8_t)(255 * (1.0 - 0.55 * fall));
    draw_card(g, l, k, cg, cx, cy, &tx->u.tx.seg, tx->u.tx.id, th->lost, alpha, TR(k->cat, "LOST"), th->lost, false);
    gfx_cross(g, cx, cy, cg->h * 0.8f, 3.5f * l->s, gui_theme_alpha(th->lost, alpha));
    float ry = cy + cg->h / 2 + l->pad * 0.3f;
    if (ry + (float)gui_text_height(g->text, cg->f_num, false) > area.y + area.h)
        ry = cy - cg->h / 2 - (float)gui_text_height(g->text, cg->f_num, false) * 1.6f;
    gui_text_draw_fit(g->text, reason, cg->f_num, true, gui_theme_alpha(th->lost, alpha), cx, ry, cg->w * 1.6f,
                      GUI_CENTER);
}

void gui_link_draw(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v, const struct gui_look *k)
{
    const struct gui_theme *th = g->theme;
    const struct gui_model *m = v->m;
    char s0[128], s1[128], head[320];
    link_summary(m, k, 0, s0, sizeof s0);
    link_summary(m, k, 1, s1, sizeof s1);
    snprintf(head, sizeof head, "%s   %s   ·   %s", TR(k->cat, "Link"), s0, s1);
    SDL_FRect in = gui_panel_frame(g, l, l->link, head);
    gfx_clip(g, l->link);

    struct card_geo cg = { .pad = 5 * l->s, .f_chip = l->f_tiny, .f_num = l->f_tiny };
    cg.w = 150 * l->s * (k->presenter ? 1.15f : 1.0f);
    if (cg.w > in.w * 0.42f)
        cg.w = in.w * 0.42f;
    cg.h = (float)gui_text_height(g->text, cg.f_chip, true) + (float)gui_text_height(g->text, cg.f_num, false) +
           cg.pad * 2.2f;

    /* The two endpoints and the two lanes. */
    float bar = 10 * l->s;
    SDL_FRect ea = { in.x, in.y + l->pad, bar, in.h - 2 * l->pad }, eb = { in.x + in.w - bar, in.y + l->pad, bar, in.h - 2 * l->pad };
    gfx_round_rect(g, ea, bar / 2, gui_theme_state(v->host[0].state));
    gfx_round_rect(g, eb, bar / 2, gui_theme_state(v->host[1].state));
    gui_text_draw(g->text, "A", l->f_body, true, th->text, ea.x + bar + l->pad * 0.5f, in.y, GUI_LEFT);
    gui_text_draw(g->text, "B", l->f_body, true, th->text, eb.x - l->pad * 0.5f, in.y, GUI_RIGHT);
    struct lane lanes[2] = {
        { in.y + in.h * 0.33f, ea.x + bar + l->pad + cg.w / 2, eb.x - l->pad - cg.w / 2 },
        { in.y + in.h * 0.74f, eb.x - l->pad - cg.w / 2, ea.x + bar + l->pad + cg.w / 2 },
    };
    for (int d = 0; d < 2; d++) {
        float x0 = ea.x + bar + l->pad * 0.5f, x1 = eb.x - l->pad * 0.5f;
        SDL_Color lc = gui_theme_alpha(th->line, 90);
        if (d == 0)
            gfx_arrow(g, x0, lanes[d].y, x1, lanes[d].y, 1.5f * l->s, 9 * l->s, lc);
        else
            gfx_arrow(g, x1, lanes[d].y, x0, lanes[d].y, 1.5f * l->s, 9 * l->s, lc);
        if (m->cfg.link[d].down)
            gfx_dashed_line(g, x0, lanes[d].y + 4 * l->s, x1, lanes[d].y + 4 * l->s, 3 * l->s, 8 * l->s, th->lost);
    }

    /* Copies that were lost recently fall out of the lane. */
    sim_time window = m->axis.unit * 2;
    size_t applied = gui_panel_applied(v);
    size_t last_first = v->pos ? m->steps[v->pos - 1].first : 0;
    for (size_t i = applied, guard = 0; i-- > 0 && guard < 4000; guard++) {
        const struct gui_rec *r = &m->recs[i];
        if (v->t - r->t > window && i < last_first)
            break;
        if (r->ev != TR_TX || r->u.tx.fate != FATE_DROPPED)
            continue;
        int d = r->host == 'A' ? 0 : 1;
        sim_time delay = m->cfg.link[d].delay > 0 ? m->cfg.link[d].delay : m->axis.unit;
        double fall = progress(v->t, r->t, r->t + delay);
        draw_ghost(g, l, k, &cg, &lanes[d], r, 0.45 * fall, fall, gui_model_text(m, r->note), in);
    }
    for (size_t j = v->pos, guard = 0; j-- > 0 && guard < 64; guard++) {
        const struct gui_step *st = &m->steps[j];
        if (v->t - st->t > window && j + 1 < v->pos)
            break;
        if (st->drop < 0 || (size_t)st->drop >= m->ndrops)
            continue;
        const struct gui_drop *dr = &m->drops[st->drop];
        if (dr->id >= m->tx_by_id_cap || !m->tx_by_id[dr->id])
            continue;
        const struct gui_rec *r = &m->recs[m->tx_by_id[dr->id] - 1];
        int d = r->host == 'A' ? 0 : 1;
        sim_time delay = m->cfg.link[d].delay > 0 ? m->cfg.link[d].delay : m->axis.unit;
        double at = progress(dr->t, r->t, r->t + delay);
        draw_ghost(g, l, k, &cg, &lanes[d], r, at, progress(v->t, dr->t, dr->t + delay),
                   TR(k->cat, "dropped by you (click)"), in);
    }

    /* Copies in flight, in order of sending; several in one lane are staggered. */
    size_t per_dir[2] = { 0, 0 };
    static const float offs[3] = { 0.0f, 0.62f, -0.62f };
    for (size_t i = 0; i < v->ninflight; i++) {
        const struct sim_inflight *f = &v->inflight[i];
        int d = f->from == 0 ? 0 : 1;
        const struct lane *ln = &lanes[d];
        double p = progress(v->t, f->sent, f->arrive);
        float cx = lerp(ln->x_from, ln->x_to, p);
        float cy = ln->y + offs[per_dir[d]++ % 3] * cg.h;
        const char *tag = NULL;
        SDL_Color tag_col = th->warn, border = th->card_border;
        if (f->corrupted) {
            tag = TR(k->cat, "bit flipped");
            tag_col = th->lost;
            border = th->lost;
        } else if (f->copy == 1) {
            tag = TR(k->cat, "duplicate");
        } else if (f->fate == FATE_DUPLICATED) {
            tag = TR(k->cat, "original");
        } else if (f->fate == FATE_REORDERED || scripted_delay(m, f->id)) {
            tag = TR(k->cat, "held back");
        }
        bool hover = k->hover_card == (int)i;
        draw_card(g, l, k, &cg, cx, cy, &f->seg, f->id, border, 255, tag, tag_col, hover);
        if (k->hits && k->hits->ncards < GUI_MAX_INFLIGHT) {
            size_t n = k->hits->ncards++;
            k->hits->cards[n].rc = (SDL_FRect){ cx - cg.w / 2, cy - cg.h / 2, cg.w, cg.h };
            k->hits->cards[n].id = f->id;
            k->hits->cards[n].copy = f->copy;
        }
        if (hover && !k->still)
            gui_text_draw(g->text, TR(k->cat, "click: drop this segment"), l->f_tiny, true, th->accent, cx,
                          cy + cg.h / 2 + l->pad * 0.3f, GUI_CENTER);
    }
    if (v->ninflight == 0)
        gui_text_draw(g->text, TR(k->cat, "nothing in flight"), l->f_small, false, th->text_faint,
                      in.x + in.w / 2, in.y + in.h * 0.5f, GUI_CENTER);
    gfx_unclip(g);
}
