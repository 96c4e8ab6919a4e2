/* gui_hosts.c: one host's panel: name and address, its state as a large colour badge (with the
 * TIME_WAIT countdown), the TCB numbers with those the last step changed highlighted, its running
 * timers as bars with the time left, and its socket table. Called by gui_scene.c. */
#include "gui_panel.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void addr_str(uint32_t a, char *buf, size_t size)
{
    snprintf(buf, size, "%u.%u.%u.%u", (unsigned)(a >> 24), (unsigned)(a >> 16 & 255), (unsigned)(a >> 8 & 255),
             (unsigned)(a & 255));
}

static const struct tcb_view *find_sock(const struct gui_hostview *h, int sock)
{
    for (size_t i = 0; h && i < h->nsocks; i++)
        if (h->socks[i].sock == sock)
            return &h->socks[i];
    return NULL;
}

/* When the running timer of this host's socket was set (from the trace), for the bar's length. */
static sim_time timer_set_at(const struct gui_view *v, char host, int32_t sock, enum tcp_timer tm, sim_time deadline)
{
    size_t end = gui_panel_applied(v);
    const struct gui_model *m = v->m;
    for (size_t i = end, guard = 0; i-- > 0 && guard < 20000; guard++) {
        const struct gui_rec *r = &m->recs[i];
        if (r->ev == TR_TIMER && r->host == host && r->sock == sock && r->u.timer.timer == tm &&
            r->u.timer.action == TIMER_SET && r->u.timer.deadline == deadline)
            return r->t;
    }
    return SIM_NEVER;
}

struct tcb_cell {
    const char *label;
    char value[32];
    bool changed;
};

static void cell(struct tcb_cell *c, const char *label, uint32_t v, bool known, uint32_t old, bool old_known,
                 bool have_old)
{
    c->label = label;
    if (known)
        snprintf(c->value, sizeof c->value, "%" PRIu32, v);
    else
        snprintf(c->value, sizeof c->value, "—");
    c->changed = have_old && (known != old_known || (known && v != old));
}

static float draw_badge(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v,
                        const struct gui_look *k, const struct gui_hostview *h, const struct tcb_view *t, SDL_FRect rc)
{
    const struct gui_theme *th = g->theme;
    enum tcp_state st = h->state;
    float bh = (float)gui_text_height(g->text, l->f_badge, true) * 1.45f;
    SDL_FRect b = { rc.x, rc.y, rc.w, bh };
    bool changed = v->before && v->before[h->name - 'A'].state != st;
    if (changed && !k->still && k->anim < 1.0) {
        float grow = (float)(1.0 - k->anim) * 5 * l->s;
        gfx_round_rect(g, (SDL_FRect){ b.x - grow, b.y - grow, b.w + 2 * grow, b.h + 2 * grow }, l->radius + grow,
                       gui_theme_alpha(gui_theme_state(st), (uint8_t)(120 * (1.0 - k->anim))));
    }
    gfx_round_rect(g, b, l->radius, gui_theme_state(st));
    if (k->hits)
        k->hits->badge[h->name == 'B' ? 1 : 0] = b;
    SDL_Color tc = gui_theme_state_text(st);
    float ty = b.y + (bh - (float)gui_text_height(g->text, l->f_badge, true)) / 2;
    gui_text_draw(g->text, trace_state_name(st), l->f_badge, true, tc, b.x + l->pad * 1.2f, ty, GUI_LEFT);
    if (t && st == TCP_TIME_WAIT && t->timer_deadline[TIMER_TIME_WAIT] != SIM_NEVER) {
        char left[32];
        gui_panel_seconds(t->timer_deadline[TIMER_TIME_WAIT] - v->t, left, sizeof left);
        float ly = b.y + (bh - (float)gui_text_height(g->text, l->f_big, true)) / 2;
        gui_text_draw(g->text, left, l->f_big, true, tc, b.x + b.w - l->pad * 1.2f, ly, GUI_RIGHT);
    } else if (changed) {
        char from[48];
        snprintf(from, sizeof from, "← %s", trace_state_name(v->before[h->name - 'A'].state));
        gui_text_draw_fit(g->text, from, l->f_small, false, tc, b.x + b.w - l->pad, ty + l->pad * 0.4f,
                          b.w * 0.4f, GUI_RIGHT);
    }
    (void)th;
    return bh;
}

static float draw_tcb(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v, const struct gui_look *k,
                      const struct tcb_view *t, const struct tcb_view *old, SDL_FRect rc)
{
    const struct gui_theme *th = g->theme;
    bool rel = !k->absolute, ho = old != NULL;
    uint32_t iss = t->iss, irs = t->irs;
    uint32_t oiss = old ? old->iss : 0, oirs = old ? old->irs : 0;
    bool synced = t->state != TCP_LISTEN && t->state != TCP_CLOSED;
    bool osynced = old && old->state != TCP_LISTEN && old->state != TCP_CLOSED;
    struct tcb_cell c[8];
    cell(&c[0], "ISS", iss, synced, oiss, osynced, ho);
    cell(&c[1], "IRS", irs, t->irs_known, oirs, old && old->irs_known, ho);
    cell(&c[2], "SND.UNA", rel ? t->snd_una - iss : t->snd_una, synced, old ? (rel ? old->snd_una - oiss : old->snd_una) : 0,
         osynced, ho);
    cell(&c[3], "RCV.NXT", rel ? t->rcv_nxt - irs : t->rcv_nxt, t->irs_known,
         old ? (rel ? old->rcv_nxt - oirs : old->rcv_nxt) : 0, old && old->irs_known, ho);
    cell(&c[4], "SND.NXT", rel ? t->snd_nxt - iss : t->snd_nxt, synced, old ? (rel ? old->snd_nxt - oiss : old->snd_nxt) : 0,
         osynced, ho);
    cell(&c[5], "RCV.WND", t->rcv_wnd, true, old ? old->rcv_wnd : 0, old != NULL, ho);
    cell(&c[6], "SND.WND", t->snd_wnd, synced, old ? old->snd_wnd : 0, osynced, ho);
    char rto[32];
    gui_panel_seconds(t->rto, rto, sizeof rto);
    c[7] = (struct tcb_cell){ .label = "RTO", .changed = ho && old->rto != t->rto };
    snprintf(c[7].value, sizeof c[7].value, "%s", rto);

    int fs = l->f_small;
    float rh = (float)gui_text_height(g->text, fs, false) * 1.08f;
    float colw = rc.w / 2;
    float labw = gui_text_width(g->text, "SND.UNA", fs, false) + l->pad * 0.6f;
    for (int i = 0; i < 8; i++) {
        float x = rc.x + (float)(i % 2) * colw, y = rc.y + (float)(i / 2) * rh;
        /* ISS and IRS have short labels and long values: their values start right after them. */
        float lw = i < 2 ? gui_text_width(g->text, c[i].label, fs, false) + l->pad * 0.6f : labw;
        if (c[i].changed) {
            float vw = gui_text_width(g->text, c[i].value, fs, true);
            gfx_round_rect(g, (SDL_FRect){ x + lw - l->pad * 0.3f, y, vw + l->pad * 0.6f, rh * 0.95f }, l->radius * 0.5f,
                           th->changed);
        }
        gui_text_draw(g->text, c[i].label, fs, false, th->text_dim, x, y, GUI_LEFT);
        /* A long number takes the smaller font rather than losing digits. */
        float room = colw - lw - l->pad * 0.3f;
        bool bold = i != 7; /* NanumGothic Bold's full stop reads as a comma at this size */
        int vf = gui_text_width(g->text, c[i].value, fs, bold) <= room ? fs : l->f_tiny;
        gui_text_draw_fit(g->text, c[i].value, vf, bold, th->text, x + lw, y + (float)(fs - vf) * 0.6f, room, GUI_LEFT);
    }
    float used = 4 * rh;
    if (rel) {
        gui_text_draw(g->text, TR(k->cat, "(SND.* relative to ISS, RCV.NXT to IRS)"), l->f_tiny, false, th->text_faint,
                      rc.x, rc.y + used, GUI_LEFT);
        used += (float)gui_text_height(g->text, l->f_tiny, false);
    }
    (void)v;
    return used;
}

static const char *timer_name(const struct gui_look *k, enum tcp_timer t)
{
    switch (t) {
    case TIMER_RTO: return "RTO";
    case TIMER_TIME_WAIT: return "TIME_WAIT";
    case TIMER_DELACK: return TR(k->cat, "delayed-ACK");
    case TIMER_FIN_WAIT_2: return "FIN_WAIT_2";
    case TIMER_USER_TIMEOUT: return TR(k->cat, "user timeout");
    }
    return "?";
}

static float draw_timers(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v,
                         const struct gui_look *k, const struct gui_hostview *h, const struct tcb_view *t, SDL_FRect rc)
{
    const struct gui_theme *th = g->theme;
    int fs = l->f_small;
    float rh = (float)gui_text_height(g->text, fs, false) * 1.1f;
    float y = rc.y;
    float labw = gui_text_width(g->text, "TIME_WAIT", fs, true) + l->pad;
    float leftw = gui_text_width(g->text, "000.00 s", fs, false) + l->pad;
    bool any = false;
    for (int i = 0; i < TCP_TIMER_COUNT; i++) {
        sim_time dl = t->timer_deadline[i];
        if (dl == SIM_NEVER || y + rh > rc.y + rc.h)
            continue;
        any = true;
        sim_time set = timer_set_at(v, h->name, t->sock, (enum tcp_timer)i, dl);
        sim_time total = set != SIM_NEVER && dl > set ? dl - set : (i == TIMER_TIME_WAIT ? h->profile.time_wait : t->rto);
        sim_time left = dl - v->t;
        if (left < 0)
            left = 0;
        double frac = total > 0 ? (double)left / (double)total : 0;
        frac = frac > 1 ? 1 : frac;
        SDL_Color col = i == TIMER_TIME_WAIT ? gui_theme_state(TCP_TIME_WAIT) : th->accent;
        gui_text_draw(g->text, timer_name(k, (enum tcp_timer)i), fs, true, th->text, rc.x, y, GUI_LEFT);
        SDL_FRect bar = { rc.x + labw, y + rh * 0.22f, rc.w - labw - leftw, rh * 0.5f };
        gfx_round_rect(g, bar, bar.h / 2, gui_theme_alpha(col, 50));
        if (frac > 0)
            gfx_round_rect(g, (SDL_FRect){ bar.x, bar.y, bar.w * (float)frac, bar.h }, bar.h / 2, col);
        char buf[32];
        gui_panel_seconds(left, buf, sizeof buf);
        gui_text_draw(g->text, buf, fs, false, th->text, rc.x + rc.w, y, GUI_RIGHT);
        y += rh;
    }
    if (!any) {
        gui_text_draw(g->text, TR(k->cat, "no timer running"), fs, false, th->text_faint, rc.x, y, GUI_LEFT);
        y += rh;
    }
    return y - rc.y;
}

static void draw_socks(struct gui_gfx *g, const struct gui_layout *l, const struct gui_look *k,
                       const struct gui_hostview *h, SDL_FRect rc)
{
    const struct gui_theme *th = g->theme;
    int fs = l->f_tiny;
    float rh = (float)gui_text_height(g->text, fs, false) * 1.05f;
    float y = rc.y;
    char head[64];
    snprintf(head, sizeof head, "%s (%zu)", TR(k->cat, "Sockets"), h->nsocks_total);
    gui_text_draw(g->text, head, fs, true, th->text_dim, rc.x, y, GUI_LEFT);
    y += rh;
    for (size_t i = 0; i < h->nsocks && y + rh <= rc.y + rc.h + 1; i++) {
        const struct tcb_view *t = &h->socks[i];
        char ra[20], line[128];
        addr_str(t->raddr, ra, sizeof ra);
        if (t->listener)
            snprintf(line, sizeof line, "#%d  *:%u", t->sock, (unsigned)t->lport);
        else
            snprintf(line, sizeof line, "#%d  :%u ↔ %s:%u", t->sock, (unsigned)t->lport, ra, (unsigned)t->rport);
        float dot = rh * 0.3f;
        gfx_circle(g, rc.x + dot, y + rh / 2, dot, gui_theme_state(t->state));
        float x = rc.x + dot * 3;
        x += gui_text_draw(g->text, trace_state_name(t->state), fs, true, th->text, x, y, GUI_LEFT) + l->pad;
        gui_text_draw_fit(g->text, line, fs, false, th->text_dim, x, y, rc.x + rc.w - x, GUI_LEFT);
        y += rh;
    }
}

void gui_hosts_draw(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v, const struct gui_look *k,
                    int index)
{
    const struct gui_theme *th = g->theme;
    const struct gui_hostview *h = &v->host[index];
    const struct tcb_view *t = h->main >= 0 ? &h->socks[h->main] : NULL;
    const struct tcb_view *old = t && v->before ? find_sock(&v->before[index], t->sock) : NULL;
    char addr[20], head[96];
    addr_str(h->addr, addr, sizeof addr);
    if (t && !t->listener)
        snprintf(head, sizeof head, "%s:%u", addr, (unsigned)t->lport);
    else if (t)
        snprintf(head, sizeof head, "%s:%u (%s)", addr, (unsigned)t->lport, TR(k->cat, "listening"));
    else
        snprintf(head, sizeof head, "%s", addr);
    SDL_FRect rc = l->host[index];
    gfx_round_rect(g, rc, l->radius, th->panel_border);
    float b = l->line * th->line_scale * 0.7f;
    gfx_round_rect(g, (SDL_FRect){ rc.x + b, rc.y + b, rc.w - 2 * b, rc.h - 2 * b }, l->radius - b, th->panel);
    gfx_clip(g, rc);
    float x = rc.x + l->pad, w = rc.w - 2 * l->pad, y = rc.y + l->pad * 0.7f;
    /* The host's letter in a circle, then name, address and port, and the profile. */
    float hh = (float)gui_text_height(g->text, l->f_title, true);
    gfx_circle(g, x + hh / 2, y + hh / 2, hh / 2, th->text);
    char letter[2] = { h->name, 0 };
    gui_text_draw(g->text, letter, l->f_title, true, th->panel, x + hh / 2, y, GUI_CENTER);
    const char *prof = profile_name(h->profile.id);
    float pw = gui_text_width(g->text, prof, l->f_tiny, false);
    gui_text_draw_fit(g->text, head, l->f_title, true, th->text, x + hh + l->pad, y,
                      w - hh - pw - 2 * l->pad, GUI_LEFT);
    gui_text_draw(g->text, prof, l->f_tiny, false, th->text_faint, x + w, y + hh * 0.2f, GUI_RIGHT);
    y += hh + l->pad * 0.5f;

    y += draw_badge(g, l, v, k, h, t, (SDL_FRect){ x, y, w, 0 }) + l->pad * 0.6f;
    if (t && !t->listener) {
        y += draw_tcb(g, l, v, k, t, old, (SDL_FRect){ x, y, w, 0 }) + l->pad * 0.4f;
        y += draw_timers(g, l, v, k, h, t, (SDL_FRect){ x, y, w, rc.y + rc.h - y }) + l->pad * 0.3f;
    } else {
        const char *msg = t ? TR(k->cat, "Waiting for a SYN: no connection yet.")
                            : TR(k->cat, "No socket: every port is closed.");
        gui_text_draw_fit(g->text, msg, l->f_small, false, th->text_dim, x, y, w, GUI_LEFT);
        y += (float)gui_text_height(g->text, l->f_small, false) * 1.4f;
    }
    draw_socks(g, l, k, h, (SDL_FRect){ x, y, w, rc.y + rc.h - l->pad * 0.5f - y });
    gfx_unclip(g);
}
