/* gui_ladder.c: the time-sequence (ladder) diagram of the run so far, as in a textbook: two time
 * lines, labelled arrows, each host's state written beside its line at every change, TIME_WAIT
 * as a bracket, lost segments ending in an X, long idle stretches squeezed behind a break mark.
 * Called by gui_scene.c; times map to heights through the model's squeezed axis. */
#include "gui_panel.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"

struct ladder {
    const struct gui_view *v;
    const struct gui_look *k;
    SDL_FRect in;
    float xa, xb, top, bottom;
    double ppu, u_top, u_now;
    size_t applied;
};

static float Y(const struct ladder *L, sim_time t)
{
    return L->top + (float)((gui_axis_u(&L->v->m->axis, t) - L->u_top) * L->ppu);
}

/* Y for times taken in increasing order (records in trace order): *knot keeps the axis place. */
static float Y_walk(const struct ladder *L, sim_time t, size_t *knot)
{
    return L->top + (float)((gui_axis_u_walk(&L->v->m->axis, t, knot) - L->u_top) * L->ppu);
}

static bool visible(const struct ladder *L, float y0, float y1)
{
    float lo = y0 < y1 ? y0 : y1, hi = y0 < y1 ? y1 : y0;
    return hi >= L->top - 20 && lo <= L->bottom + 20;
}

static SDL_Color seg_colour(const struct trace_seg *s)
{
    if (s->flags & SEG_RST)
        return gui_theme_flag(SEG_RST);
    if (s->flags & SEG_SYN)
        return gui_theme_flag(SEG_SYN);
    if (s->flags & SEG_FIN)
        return gui_theme_flag(SEG_FIN);
    if (s->len > 0)
        return gui_theme_flag(SEG_PSH);
    return gui_theme_flag(SEG_ACK);
}

static bool overlaps(SDL_FRect a, SDL_FRect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* The user's drop of segment id, if any. */
static const struct gui_drop *user_drop(const struct gui_model *m, uint64_t id, size_t applied_steps)
{
    for (size_t i = 0; i < m->ndrops; i++)
        if (m->drops[i].id == id && m->drops[i].at < applied_steps)
            return &m->drops[i];
    return NULL;
}

static void draw_arrows(struct gui_gfx *g, const struct gui_layout *l, struct ladder *L)
{
    const struct gui_theme *th = g->theme;
    const struct gui_view *v = L->v;
    const struct gui_model *m = v->m;
    SDL_FRect labels[4] = { { 0, 0, 0, 0 } };
    size_t nl = 0;
    size_t last_first = v->pos ? m->steps[v->pos - 1].first : 0;
    float lw = 1.6f * l->s * th->line_scale, head = 8 * l->s;
    size_t knot_tx = 0, knot_rx = 0;
    for (size_t i = 0; i < L->applied; i++) {
        const struct gui_rec *r = &m->recs[i];
        if (r->ev != TR_TX)
            continue;
        bool a_to_b = r->host == 'A';
        float x0 = a_to_b ? L->xa : L->xb, x1 = a_to_b ? L->xb : L->xa;
        float y0 = Y_walk(L, r->t, &knot_tx);
        int d = a_to_b ? 0 : 1;
        sim_time delay = m->cfg.link[d].delay > 0 ? m->cfg.link[d].delay : m->axis.unit;
        SDL_Color c = seg_colour(&r->u.tx.seg);
        bool recent = i >= last_first;
        float w = recent ? lw * 1.8f : lw;
        float ex = x1, ey = y0;
        float lx = x1, ly = y0; /* where the arrow ends, or will: the label sits halfway */
        bool drawn = false;
        for (int cpy = 0; cpy < 2; cpy++) {
            uint32_t rx = r->u.tx.rx[cpy];
            if (!rx || rx - 1 >= L->applied)
                continue;
            const struct gui_rec *a = &m->recs[rx - 1];
            float y1 = Y_walk(L, a->t, &knot_rx);
            if (visible(L, y0, y1)) {
                gfx_arrow(g, x0, y0, x1, y1, w, head, c);
                if (a->u.rx.discarded)
                    gfx_cross(g, x1 + (a_to_b ? -10 : 10) * l->s, y1, 9 * l->s, 2.5f * l->s, th->lost);
            }
            if (!drawn)
                ey = ly = y1;
            drawn = true;
        }
        const struct gui_drop *ud = drawn ? NULL : user_drop(m, r->u.tx.id, v->pos);
        if (!drawn && (r->u.tx.fate == FATE_DROPPED || ud)) {
            /* A lost segment travels half way (or to where the user caught it) and ends in an X. */
            sim_time end = ud ? ud->t : r->t + delay / 2;
            double f = (double)(end - r->t) / (double)delay;
            f = f < 0.1 ? 0.1 : f > 0.9 ? 0.9 : f;
            bool reached = end <= v->t;
            if (!reached) {
                f *= (double)(v->t - r->t) / (double)(end - r->t);
                end = v->t;
            }
            ex = x0 + (x1 - x0) * (float)f;
            ey = Y(L, end);
            if (visible(L, y0, ey)) {
                gfx_dashed_line(g, x0, y0, ex, ey, w, 5 * l->s, th->lost);
                if (reached)
                    gfx_cross(g, ex, ey, 11 * l->s, 3 * l->s, th->lost);
            }
            lx = ex;
            ly = ey;
            drawn = true;
        }
        if (!drawn) {
            /* Still in flight: the arrow grows toward the other line. */
            sim_time arrive = r->t + delay;
            for (size_t j = 0; j < v->ninflight; j++)
                if (v->inflight[j].id == r->u.tx.id) {
                    arrive = v->inflight[j].arrive;
                    break;
                }
            double f = arrive > r->t ? (double)(v->t - r->t) / (double)(arrive - r->t) : 1;
            f = f < 0 ? 0 : f > 1 ? 1 : f;
            ex = x0 + (x1 - x0) * (float)f;
            ey = Y(L, v->t);
            ly = Y(L, arrive);
            if (visible(L, y0, ey) && f > 0)
                gfx_arrow(g, x0, y0, ex, ey, w, head * (float)(0.4 + 0.6 * f), c);
        }
        /* The label near the middle of the arrow, unless it would cover the previous ones. */
        if (!visible(L, y0, ey))
            continue;
        char flags[48], nums[96], text[160];
        explain_flags(r->u.tx.seg.flags, flags, sizeof flags);
        gui_panel_seg_text(&r->u.tx.seg, L->k->absolute, nums, sizeof nums);
        snprintf(text, sizeof text, "%s  %s", flags, nums);
        int fs = l->f_tiny;
        float tw = gui_text_width(g->text, text, fs, recent), th_ = (float)gui_text_height(g->text, fs, recent);
        float mx = (x0 + lx) / 2, my = (y0 + ly) / 2 - th_ * 0.9f;
        float maxw = L->xb - L->xa - 8 * l->s;
        if (tw > maxw)
            tw = maxw;
        /* Between the time lines, clear of the state names. */
        if (mx - tw / 2 < L->xa + 4 * l->s)
            mx = L->xa + 4 * l->s + tw / 2;
        if (mx + tw / 2 > L->xb - 4 * l->s)
            mx = L->xb - 4 * l->s - tw / 2;
        SDL_FRect lr = { mx - tw / 2 - 3 * l->s, my, tw + 6 * l->s, th_ };
        bool clash = false;
        for (size_t q = 0; q < nl && q < 4; q++)
            clash = clash || overlaps(lr, labels[q]);
        if (clash && !recent)
            continue;
        labels[nl % 4] = lr;
        nl++;
        gfx_fill_rect(g, lr, gui_theme_alpha(th->panel, 225));
        gui_text_draw_fit(g->text, text, fs, recent, recent ? th->text : th->text_dim, mx, my, maxw, GUI_CENTER);
    }
}

/* Each host's state beside its line at every change; TIME_WAIT also gets a bracket. */
static void draw_states(struct gui_gfx *g, const struct gui_layout *l, struct ladder *L)
{
    const struct gui_theme *th = g->theme;
    const struct gui_model *m = L->v->m;
    int fs = l->f_tiny;
    float lh = (float)gui_text_height(g->text, fs, true) * 1.05f;
    float last_y[2] = { -1e9f, -1e9f };
    float colw = L->xa - L->in.x - 6 * l->s;
    size_t knot = 0;
    for (size_t i = 0; i < L->applied; i++) {
        const struct gui_rec *r = &m->recs[i];
        if (r->ev != TR_STATE || (r->host != 'A' && r->host != 'B'))
            continue;
        int h = r->host - 'A';
        float yr = Y_walk(L, r->t, &knot), y = yr - lh / 2;
        if (y < last_y[h] + lh)
            y = last_y[h] + lh;
        last_y[h] = y;
        enum tcp_state st = r->u.state.to;
        if (st == TCP_TIME_WAIT) {
            sim_time end = L->v->t;
            for (size_t j = i + 1; j < L->applied; j++) {
                const struct gui_rec *q = &m->recs[j];
                if (q->ev == TR_STATE && q->host == r->host && q->sock == r->sock) {
                    end = q->t;
                    break;
                }
            }
            float y0 = yr, y1 = Y(L, end);
            float bx = h == 0 ? L->in.x + 4 * l->s : L->in.x + L->in.w - 4 * l->s;
            float tick = (h == 0 ? 6 : -6) * l->s;
            SDL_Color c = gui_theme_state(TCP_TIME_WAIT);
            float bw = 2.5f * l->s;
            if (visible(L, y0, y1)) {
                SDL_FPoint p[4] = { { bx + tick, y0 }, { bx, y0 }, { bx, y1 }, { bx + tick, y1 } };
                gfx_polyline(g, p, 4, false, bw, c);
                char dur[32], lab[64];
                explain_duration(end - r->t, dur, sizeof dur);
                snprintf(lab, sizeof lab, "%s", dur);
                float ty = (y0 + y1) / 2 - lh / 2;
                if (y1 - y0 > lh * 2.2f)
                    gui_text_draw(g->text, lab, fs, true, c, bx + tick * 1.4f, ty, h == 0 ? GUI_LEFT : GUI_RIGHT);
            }
        }
        if (y + lh < L->top - 4 || y > L->bottom)
            continue;
        const char *name = trace_state_name(st);
        float tw = gui_text_width(g->text, name, fs, true) + 6 * l->s;
        if (tw > colw)
            tw = colw;
        float x = h == 0 ? L->xa - 5 * l->s - tw : L->xb + 5 * l->s;
        gfx_round_rect(g, (SDL_FRect){ x, y, tw, lh }, lh / 2, gui_theme_state(st));
        gui_text_draw_fit(g->text, name, fs, true, gui_theme_state_text(st), x + tw / 2, y, tw - 2 * l->s, GUI_CENTER);
        float ly = yr;
        gfx_line(g, h == 0 ? L->xa - 5 * l->s : L->xb, ly, h == 0 ? L->xa : L->xb + 5 * l->s, ly, 2 * l->s,
                 gui_theme_state(st));
        (void)th;
    }
}

static void draw_breaks(struct gui_gfx *g, const struct gui_layout *l, struct ladder *L)
{
    const struct gui_theme *th = g->theme;
    const struct gui_axis *a = &L->v->m->axis;
    for (size_t i = 0; i + 1 < a->n; i++) {
        if (!a->brk[i] || (a->u[i] + a->u[i + 1]) / 2 > L->u_now)
            continue;
        float y = L->top + (float)(((a->u[i] + a->u[i + 1]) / 2 - L->u_top) * L->ppu);
        if (y < L->top || y > L->bottom)
            continue;
        float amp = 3 * l->s;
        gfx_fill_rect(g, (SDL_FRect){ L->xa - 8 * l->s, y - 3 * amp, L->xb - L->xa + 16 * l->s, 6 * amp },
                      th->panel);
        gfx_zigzag(g, L->xa - 8 * l->s, L->xa + 8 * l->s, y - amp, amp, 1.5f * l->s, th->line);
        gfx_zigzag(g, L->xa - 8 * l->s, L->xa + 8 * l->s, y + amp, amp, 1.5f * l->s, th->line);
        gfx_zigzag(g, L->xb - 8 * l->s, L->xb + 8 * l->s, y - amp, amp, 1.5f * l->s, th->line);
        gfx_zigzag(g, L->xb - 8 * l->s, L->xb + 8 * l->s, y + amp, amp, 1.5f * l->s, th->line);
        char dur[32], lab[64];
        sim_time gap = a->t[i + 1] - a->t[i];
        explain_duration(gap, dur, sizeof dur);
        struct i18n_arg args[] = { { "dur", dur } };
        i18n_format(lab, sizeof lab, TR(L->k->cat, "{dur} later"), args, 1);
        gui_text_draw(g->text, lab, l->f_tiny, false, th->text_dim, (L->xa + L->xb) / 2,
                      y - (float)gui_text_height(g->text, l->f_tiny, false) / 2, GUI_CENTER);
    }
}

void gui_ladder_draw(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v, const struct gui_look *k)
{
    const struct gui_theme *th = g->theme;
    const struct gui_model *m = v->m;
    struct ladder L = { .v = v, .k = k, .applied = gui_panel_applied(v) };
    L.in = gui_panel_frame(g, l, l->ladder, TR(k->cat, "Time-sequence diagram"));
    if (k->hits)
        k->hits->ladder_area = l->ladder;
    gfx_clip(g, l->ladder);
    float colw = L.in.w * 0.27f;
    L.xa = L.in.x + colw;
    L.xb = L.in.x + L.in.w - colw;
    float hh = (float)gui_text_height(g->text, l->f_body, true);
    gui_text_draw(g->text, "A", l->f_body, true, th->text, L.xa, L.in.y, GUI_CENTER);
    gui_text_draw(g->text, "B", l->f_body, true, th->text, L.xb, L.in.y, GUI_CENTER);
    L.top = L.in.y + hh * 1.3f + (float)gui_text_height(g->text, l->f_tiny, true) * 0.6f;
    L.bottom = L.in.y + L.in.h - 2 * l->s;
    double u_end = gui_axis_end(&m->axis) + 0.8;
    L.u_now = gui_axis_u(&m->axis, v->t);
    double avail = (double)(L.bottom - L.top);
    L.ppu = avail / u_end;
    double min_ppu = (double)(40 * l->s * (k->presenter ? 1.25f : 1.0f)), max_ppu = (double)(80 * l->s);
    if (L.ppu > max_ppu)
        L.ppu = max_ppu;
    if (L.ppu < min_ppu) {
        L.ppu = min_ppu;
        double vis = avail / L.ppu;
        double top = L.u_now - vis * 0.7 - k->ladder_scroll;
        double max_top = u_end - vis;
        L.u_top = top > max_top ? max_top : top;
        if (L.u_top < 0)
            L.u_top = 0;
    }
    gfx_clip(g, (SDL_FRect){ l->ladder.x, L.top - hh * 0.5f, l->ladder.w, l->ladder.y + l->ladder.h - (L.top - hh * 0.5f) });
    float ynow = L.top + (float)((L.u_now - L.u_top) * L.ppu);
    float y0 = L.top - (float)(L.u_top * L.ppu);
    float lw = 2.5f * l->s * th->line_scale;
    for (int h = 0; h < 2; h++) {
        float x = h == 0 ? L.xa : L.xb;
        gfx_line(g, x, y0 > L.top ? y0 : L.top, x, ynow, lw, th->line);
        if (ynow < L.bottom)
            gfx_dashed_line(g, x, ynow, x, L.bottom, lw * 0.5f, 4 * l->s, gui_theme_alpha(th->line, 70));
    }
    if (ynow >= L.top && ynow <= L.bottom) {
        gfx_dashed_line(g, L.xa, ynow, L.xb, ynow, 1 * l->s, 3 * l->s, gui_theme_alpha(th->accent, 140));
        char t[48];
        gui_panel_time(v->t, t, sizeof t);
        gui_text_draw(g->text, t, l->f_tiny, false, th->accent, L.xb - 4 * l->s, ynow + 1 * l->s, GUI_RIGHT);
    }
    draw_breaks(g, l, &L);
    draw_arrows(g, l, &L);
    draw_states(g, l, &L);
    gfx_unclip(g);
}
