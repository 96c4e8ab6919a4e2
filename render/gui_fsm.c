/* gui_fsm.c: RFC 9293 Figure 5 (the TCP connection state diagram: eleven states, the labelled
 * edges and the Note 2 shortcut) with each host's current state marked in its colour and the
 * transition each host took last drawn bold (animated along its edge in the window).
 * Called by gui_scene.c. */
#include "gui_panel.h"

#include "gui_snap.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The boxes, as in the figure: CLOSED appears twice (top and bottom right). */
enum { B_CLOSED, B_LISTEN, B_SYN_RCVD, B_SYN_SENT, B_ESTAB, B_FW1, B_CLOSE_WAIT, B_FW2, B_CLOSING, B_LAST_ACK,
       B_TIME_WAIT, B_CLOSED2, B_COUNT };

static const struct {
    enum tcp_state state;
    float x, row;
} boxes[B_COUNT] = {
    { TCP_CLOSED, 0.5f, 0 },      { TCP_LISTEN, 0.5f, 1 },      { TCP_SYN_RECEIVED, 0.115f, 2 },
    { TCP_SYN_SENT, 0.885f, 2 },  { TCP_ESTABLISHED, 0.5f, 3 }, { TCP_FIN_WAIT_1, 0.115f, 4 },
    { TCP_CLOSE_WAIT, 0.885f, 4 }, { TCP_FIN_WAIT_2, 0.115f, 5 }, { TCP_CLOSING, 0.5f, 5 },
    { TCP_LAST_ACK, 0.885f, 5 },  { TCP_TIME_WAIT, 0.5f, 6 },   { TCP_CLOSED, 0.885f, 6 },
};

/* How an edge leaves and enters a box: a side and an offset along it (in box half-sizes). */
enum side { TOP, BOTTOM, LEFT, RIGHT };
enum route { STRAIGHT, H_FIRST, V_FIRST };

struct edge {
    int from, to;
    enum side out;
    float out_off;
    enum side in;
    float in_off;
    enum route route;
    const char *event, *action; /* the figure's label: event over action */
    float label_at;             /* where along the route the label sits, 0..1 */
    bool note;                  /* drawn dashed: Note 2 of the figure */
};

static const struct edge edges[] = {
    { B_CLOSED, B_LISTEN, BOTTOM, -0.5f, TOP, -0.5f, STRAIGHT, "passive OPEN", "create TCB", 0.5f, false },
    { B_LISTEN, B_CLOSED, TOP, 0.5f, BOTTOM, 0.5f, STRAIGHT, "CLOSE", "delete TCB", 0.5f, false },
    { B_CLOSED, B_SYN_SENT, RIGHT, 0.35f, TOP, 0.4f, H_FIRST, "active OPEN", "create TCB, snd SYN", 0.45f, false },
    { B_SYN_SENT, B_CLOSED, TOP, -0.1f, RIGHT, -0.35f, V_FIRST, "CLOSE", "delete TCB", 0.75f, false },
    { B_LISTEN, B_SYN_RCVD, LEFT, 0.4f, TOP, 0.45f, H_FIRST, "rcv SYN", "snd SYN,ACK", 0.3f, false },
    { B_LISTEN, B_SYN_SENT, RIGHT, 0.4f, TOP, -0.55f, H_FIRST, "SEND", "snd SYN", 0.35f, false },
    { B_SYN_SENT, B_SYN_RCVD, LEFT, 0.0f, RIGHT, 0.0f, STRAIGHT, "rcv SYN", "snd SYN,ACK", 0.5f, false },
    { B_SYN_RCVD, B_LISTEN, TOP, -0.45f, LEFT, -0.4f, V_FIRST, "rcv RST (note 1)", "", 0.2f, false },
    { B_SYN_RCVD, B_ESTAB, BOTTOM, 0.5f, LEFT, 0.0f, V_FIRST, "rcv ACK of SYN", "x", 0.7f, false },
    { B_SYN_SENT, B_ESTAB, BOTTOM, -0.5f, RIGHT, 0.0f, V_FIRST, "rcv SYN,ACK", "snd ACK", 0.7f, false },
    { B_SYN_RCVD, B_FW1, BOTTOM, -0.5f, TOP, -0.5f, STRAIGHT, "CLOSE", "snd FIN", 0.5f, false },
    { B_ESTAB, B_FW1, BOTTOM, -0.45f, RIGHT, -0.45f, V_FIRST, "CLOSE", "snd FIN", 0.75f, false },
    { B_ESTAB, B_CLOSE_WAIT, BOTTOM, 0.45f, LEFT, -0.45f, V_FIRST, "rcv FIN", "snd ACK", 0.75f, false },
    { B_FW1, B_FW2, BOTTOM, -0.5f, TOP, -0.5f, STRAIGHT, "rcv ACK of FIN", "x", 0.5f, false },
    { B_FW1, B_CLOSING, RIGHT, 0.45f, TOP, -0.3f, H_FIRST, "rcv FIN", "snd ACK", 0.4f, false },
    { B_CLOSE_WAIT, B_LAST_ACK, BOTTOM, 0.0f, TOP, 0.0f, STRAIGHT, "CLOSE", "snd FIN", 0.5f, false },
    { B_FW2, B_TIME_WAIT, BOTTOM, 0.0f, LEFT, 0.3f, V_FIRST, "rcv FIN", "snd ACK", 0.75f, false },
    { B_CLOSING, B_TIME_WAIT, BOTTOM, 0.0f, TOP, 0.0f, STRAIGHT, "rcv ACK of FIN", "x", 0.5f, false },
    { B_LAST_ACK, B_CLOSED2, BOTTOM, 0.0f, TOP, 0.0f, STRAIGHT, "rcv ACK of FIN", "x", 0.5f, false },
    { B_TIME_WAIT, B_CLOSED2, RIGHT, 0.0f, LEFT, 0.0f, STRAIGHT, "Timeout=2MSL", "delete TCB", 0.5f, false },
    { B_FW1, B_TIME_WAIT, BOTTOM, 0.8f, TOP, -0.7f, STRAIGHT, "rcv FIN,ACK of FIN", "snd ACK (note 2)", 0.55f, true },
};
#define NEDGES (sizeof edges / sizeof edges[0])

struct fsm {
    SDL_FRect in;
    float bw, bh;
};

static SDL_FPoint box_centre(const struct fsm *F, int b)
{
    float rows = 6;
    float top = F->in.y + F->bh / 2 + 2, span = F->in.h - F->bh - 4;
    return (SDL_FPoint){ F->in.x + boxes[b].x * F->in.w, top + boxes[b].row / rows * span };
}

static SDL_FPoint anchor(const struct fsm *F, int b, enum side s, float off)
{
    SDL_FPoint c = box_centre(F, b);
    switch (s) {
    case TOP: return (SDL_FPoint){ c.x + off * F->bw / 2, c.y - F->bh / 2 };
    case BOTTOM: return (SDL_FPoint){ c.x + off * F->bw / 2, c.y + F->bh / 2 };
    case LEFT: return (SDL_FPoint){ c.x - F->bw / 2, c.y + off * F->bh / 2 };
    case RIGHT: return (SDL_FPoint){ c.x + F->bw / 2, c.y + off * F->bh / 2 };
    }
    return c;
}

static size_t route(const struct fsm *F, const struct edge *e, SDL_FPoint *p)
{
    SDL_FPoint a = anchor(F, e->from, e->out, e->out_off), b = anchor(F, e->to, e->in, e->in_off);
    p[0] = a;
    switch (e->route) {
    case STRAIGHT:
        p[1] = b;
        return 2;
    case H_FIRST:
        p[1] = (SDL_FPoint){ b.x, a.y };
        p[2] = b;
        return 3;
    case V_FIRST:
        p[1] = (SDL_FPoint){ a.x, b.y };
        p[2] = b;
        return 3;
    }
    return 2;
}

static float seg_len(SDL_FPoint a, SDL_FPoint b)
{
    float dx = b.x - a.x, dy = b.y - a.y;
    return sqrtf(dx * dx + dy * dy);
}

/* The point a fraction f of the way along a polyline. */
static SDL_FPoint along(const SDL_FPoint *p, size_t n, float f)
{
    float total = 0;
    for (size_t i = 0; i + 1 < n; i++)
        total += seg_len(p[i], p[i + 1]);
    float want = total * f;
    for (size_t i = 0; i + 1 < n; i++) {
        float l = seg_len(p[i], p[i + 1]);
        if (want <= l && l > 0) {
            float k = want / l;
            return (SDL_FPoint){ p[i].x + (p[i + 1].x - p[i].x) * k, p[i].y + (p[i + 1].y - p[i].y) * k };
        }
        want -= l;
    }
    return p[n - 1];
}

static void draw_route(struct gui_gfx *g, const SDL_FPoint *p, size_t n, float w, float head, SDL_Color c, bool dashed)
{
    if (dashed) {
        for (size_t i = 0; i + 1 < n; i++)
            gfx_dashed_line(g, p[i].x, p[i].y, p[i + 1].x, p[i + 1].y, w, head * 0.6f, c);
    } else {
        gfx_polyline(g, p, n, false, w, c);
    }
    gfx_arrowhead(g, p[n - 2].x, p[n - 2].y, p[n - 1].x, p[n - 1].y, head, c);
}

static bool rect_hit(SDL_FRect a, SDL_FRect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static SDL_FRect box_rect(const struct fsm *F, int b)
{
    SDL_FPoint c = box_centre(F, b);
    return (SDL_FRect){ c.x - F->bw / 2, c.y - F->bh / 2, F->bw, F->bh };
}

/* A label centred near `at`, moved sideways or up/down until it covers no state box and stays
 * inside the panel. The event only; a highlighted edge also shows its action, as the RFC does. */
static void draw_label(struct gui_gfx *g, const struct gui_layout *l, const struct fsm *F, const struct edge *e,
                       SDL_FPoint at, int fs, bool strong, SDL_Color c)
{
    const struct gui_theme *th = g->theme;
    char text[96];
    if (e->action[0] && strong)
        snprintf(text, sizeof text, "%s / %s", e->event, e->action);
    else
        snprintf(text, sizeof text, "%s", e->event);
    float tw = gui_text_width(g->text, text, fs, strong), h = (float)gui_text_height(g->text, fs, strong);
    static const float dx[] = { 0, 0.5f, -0.5f, 1, -1, 0, 0, 1.5f, -1.5f };
    static const float dy[] = { 0, 0, 0, 0, 0, -1, 1, 0, 0 };
    SDL_FRect best = { at.x - tw / 2 - 2 * l->s, at.y - h / 2, tw + 4 * l->s, h };
    for (size_t i = 0; i < sizeof dx / sizeof dx[0]; i++) {
        SDL_FRect r = { at.x - tw / 2 - 2 * l->s + dx[i] * tw * 0.5f, at.y - h / 2 + dy[i] * h, tw + 4 * l->s, h };
        if (r.x < F->in.x)
            r.x = F->in.x;
        if (r.x + r.w > F->in.x + F->in.w)
            r.x = F->in.x + F->in.w - r.w;
        bool hit = false;
        for (int b = 0; b < B_COUNT && !hit; b++)
            hit = rect_hit(r, box_rect(F, b));
        if (!hit) {
            best = r;
            break;
        }
    }
    gfx_fill_rect(g, best, gui_theme_alpha(th->panel, strong ? 240 : 200));
    gui_text_draw(g->text, text, fs, strong, c, best.x + best.w / 2, best.y, GUI_CENTER);
}

/* The last state change of a host among the applied records. */
static const struct gui_rec *last_change(const struct gui_view *v, char host, size_t *index)
{
    size_t applied = gui_panel_applied(v);
    for (size_t i = applied; i-- > 0;) {
        const struct gui_rec *r = &v->m->recs[i];
        if (r->ev == TR_STATE && r->host == host) {
            *index = i;
            return r;
        }
    }
    return NULL;
}

static int box_of(enum tcp_state s, enum tcp_state came_from)
{
    if (s == TCP_CLOSED)
        return came_from == TCP_TIME_WAIT || came_from == TCP_LAST_ACK || came_from == TCP_CLOSING ||
                       came_from == TCP_FIN_WAIT_2 || came_from == TCP_CLOSE_WAIT
                   ? B_CLOSED2
                   : B_CLOSED;
    for (int b = 0; b < B_COUNT; b++)
        if (boxes[b].state == s)
            return b;
    return B_CLOSED;
}

static int edge_of(int from_box, int to_box)
{
    for (size_t i = 0; i < NEDGES; i++)
        if (edges[i].from == from_box && edges[i].to == to_box)
            return (int)i;
    return -1;
}

/* Everything the panel's picture depends on besides the figure itself (a snapshot's key). */
struct fsm_key {
    struct gui_layout l;
    const struct gui_theme *th;
    int cur_box[2], last_edge[2], last_from[2], recent[2], to[2];
    char heading[160], note[2][160];
};
_Static_assert(sizeof(struct fsm_key) <= GUI_SNAP_KEY_MAX, "the state diagram's key must fit a snapshot");

void gui_fsm_draw(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v, const struct gui_look *k)
{
    const struct gui_theme *th = g->theme;
    const char *heading = TR(k->cat, "RFC 9293 Figure 5: TCP connection states");

    /* Which box and edge each host shows. */
    int cur_box[2], last_edge[2] = { -1, -1 }, last_from[2] = { -1, -1 };
    bool recent[2] = { false, false };
    const struct gui_rec *ch[2];
    size_t last_first = v->pos ? v->m->steps[v->pos - 1].first : 0;
    for (int h = 0; h < 2; h++) {
        size_t idx = 0;
        ch[h] = last_change(v, (char)('A' + h), &idx);
        enum tcp_state came = ch[h] ? ch[h]->u.state.from : TCP_CLOSED;
        cur_box[h] = box_of(v->host[h].state, ch[h] && ch[h]->u.state.to == v->host[h].state ? came : TCP_CLOSED);
        if (ch[h]) {
            last_from[h] = box_of(ch[h]->u.state.from, TCP_CLOSED);
            int to = box_of(ch[h]->u.state.to, came);
            last_edge[h] = edge_of(last_from[h], to);
            if (last_edge[h] < 0 && ch[h]->u.state.to == TCP_CLOSED)
                last_edge[h] = edge_of(last_from[h], to == B_CLOSED ? B_CLOSED2 : B_CLOSED);
            recent[h] = idx >= last_first;
        }
    }

    /* A still picture of the figure is kept on the canvas and reused while nothing in it changes
     * (not while a transition is being animated). */
    bool keep = k->still || k->anim >= 1.0;
    struct fsm_key key;
    memset(&key, 0, sizeof key);
    key.l = *l;
    key.th = th;
    snprintf(key.heading, sizeof key.heading, "%s", heading);
    for (int h = 0; h < 2; h++) {
        key.cur_box[h] = cur_box[h];
        key.last_edge[h] = last_edge[h];
        key.last_from[h] = last_from[h];
        key.recent[h] = recent[h];
        key.to[h] = ch[h] ? (int)ch[h]->u.state.to : -1;
        snprintf(key.note[h], sizeof key.note[h], "%s", ch[h] ? gui_model_text(v->m, ch[h]->note) : "");
    }
    if (keep && gui_snap_restore(g, GUI_SNAP_FSM, l->fsm, &key, sizeof key))
        return;

    struct fsm F;
    F.in = gui_panel_frame(g, l, l->fsm, heading);
    gfx_clip(g, l->fsm);
    int fs = l->f_tiny, fl = (int)((float)l->f_tiny * 0.9f + 0.5f);
    F.bw = F.in.w * 0.2f;
    F.bh = (float)gui_text_height(g->text, fs, true) * 1.5f;
    float max_bh = F.in.h / 7 * 0.62f;
    if (F.bh > max_bh)
        F.bh = max_bh;
    float lw = 1.2f * l->s * th->line_scale, head = 6 * l->s;

    /* Edges, then their labels on top. */
    SDL_FPoint p[4];
    for (size_t i = 0; i < NEDGES; i++) {
        size_t n = route(&F, &edges[i], p);
        draw_route(g, p, n, lw, head, gui_theme_alpha(th->line, edges[i].note ? 150 : 200), edges[i].note);
    }
    for (int h = 0; h < 2; h++) {
        if (last_edge[h] < 0 || !ch[h])
            continue;
        const struct edge *e = &edges[last_edge[h]];
        size_t n = route(&F, e, p);
        SDL_Color c = gui_theme_state(ch[h]->u.state.to);
        draw_route(g, p, n, lw * (recent[h] ? 3.2f : 2.2f), head * 1.5f, gui_theme_alpha(c, recent[h] ? 255 : 150),
                   e->note);
        if (recent[h] && !k->still && k->anim < 1.0) {
            SDL_FPoint d = along(p, n, (float)k->anim);
            gfx_circle(g, d.x, d.y, 5 * l->s, c);
            gfx_ring(g, d.x, d.y, 5 * l->s, 1.5f * l->s, th->text);
        }
    }
    for (size_t pass = 0; pass < 2 * NEDGES; pass++) {
        size_t i = pass % NEDGES;
        bool strong = ((int)i == last_edge[0] && recent[0]) || ((int)i == last_edge[1] && recent[1]);
        if (strong != (pass >= NEDGES))
            continue;
        size_t n = route(&F, &edges[i], p);
        draw_label(g, l, &F, &edges[i], along(p, n, edges[i].label_at), strong ? fs : fl, strong,
                   strong ? th->text : th->text_dim);
    }
    /* A transition the figure does not draw (e.g. a reset): a dashed arc between the boxes. */
    for (int h = 0; h < 2; h++) {
        if (!ch[h] || last_edge[h] >= 0 || last_from[h] < 0)
            continue;
        SDL_FPoint a = box_centre(&F, last_from[h]), b = box_centre(&F, cur_box[h]);
        SDL_FPoint mid = { (a.x + b.x) / 2 + (b.y - a.y) * 0.25f, (a.y + b.y) / 2 - (b.x - a.x) * 0.25f };
        SDL_FPoint q[3] = { a, mid, b };
        SDL_Color c = gui_theme_alpha(gui_theme_state(ch[h]->u.state.to), recent[h] ? 255 : 150);
        draw_route(g, q, 3, lw * 2.2f, head * 1.5f, c, true);
        const char *cause = gui_model_text(v->m, ch[h]->note);
        if (*cause) {
            float tw = gui_text_width(g->text, cause, fs, true);
            gfx_round_rect(g, (SDL_FRect){ mid.x - tw / 2 - 3 * l->s, mid.y - (float)fs * 0.7f, tw + 6 * l->s, (float)fs * 1.4f },
                           3 * l->s, gui_theme_alpha(th->panel, 235));
            gui_text_draw(g->text, cause, fs, true, th->lost, mid.x, mid.y - (float)fs * 0.65f, GUI_CENTER);
        }
    }

    /* The boxes: every state lightly tinted, the hosts' current ones solid with a marker. */
    for (int b = 0; b < B_COUNT; b++) {
        SDL_FPoint c = box_centre(&F, b);
        SDL_FRect rc = { c.x - F.bw / 2, c.y - F.bh / 2, F.bw, F.bh };
        enum tcp_state st = boxes[b].state;
        bool on = cur_box[0] == b || cur_box[1] == b;
        gfx_round_rect(g, rc, F.bh * 0.3f, on ? gui_theme_state(st) : th->line);
        float bw = (on ? 1.0f : 1.2f) * l->s * th->line_scale;
        if (!on)
            gfx_round_rect(g, (SDL_FRect){ rc.x + bw, rc.y + bw, rc.w - 2 * bw, rc.h - 2 * bw }, F.bh * 0.3f - bw,
                           th->panel);
        if (!on)
            gfx_round_rect(g, (SDL_FRect){ rc.x + bw, rc.y + bw, rc.w - 2 * bw, rc.h - 2 * bw }, F.bh * 0.3f - bw,
                           gui_theme_alpha(gui_theme_state(st), 45));
        float ty = c.y - (float)gui_text_height(g->text, fs, true) / 2;
        gui_text_draw_fit(g->text, trace_state_name(st), fs, true, on ? gui_theme_state_text(st) : th->text, c.x, ty,
                          F.bw - 4 * l->s, GUI_CENTER);
        for (int h = 0; h < 2; h++) {
            if (cur_box[h] != b)
                continue;
            float r = F.bh * 0.42f;
            float mx = h == 0 ? rc.x - r * 0.4f : rc.x + rc.w + r * 0.4f, my = rc.y;
            gfx_circle(g, mx, my, r, th->text);
            gfx_ring(g, mx, my, r, 1.5f * l->s, gui_theme_state(st));
            char letter[2] = { (char)('A' + h), 0 };
            gui_text_draw(g->text, letter, fs, true, th->panel, mx, my - (float)gui_text_height(g->text, fs, true) / 2,
                          GUI_CENTER);
        }
    }
    gfx_unclip(g);
    if (keep)
        gui_snap_store(g, GUI_SNAP_FSM, l->fsm, &key, sizeof key);
}
