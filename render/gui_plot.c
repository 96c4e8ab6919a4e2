/* gui_plot.c: the sweep chart: a title, a legend, a panel of handshake times (median line with
 * markers, the 90th percentile dashed and the band between them shaded) over a panel of failed
 * runs as bars, sharing the x axis of the first swept setting; gridlines on nice round values.
 * Drawn with gui_gfx and gui_text on a gui_canvas and saved by gui_png. Called by cli_sweep.c. */
#include "gui_plot.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gui_png.h"
#include "gui_theme.h"

/* Okabe-Ito colours, which stay apart for colour-blind readers; the first is the accent blue. */
static const SDL_Color series_colours[GUI_PLOT_MAX_SERIES] = {
    { 0x1f, 0x5f, 0xd6, 0xff }, { 0xe6, 0x9f, 0x00, 0xff }, { 0x00, 0x9e, 0x73, 0xff }, { 0xd5, 0x5e, 0x00, 0xff },
    { 0xcc, 0x79, 0xa7, 0xff }, { 0x56, 0xb4, 0xe9, 0xff }, { 0x55, 0x55, 0x55, 0xff }, { 0x8c, 0x56, 0x1e, 0xff },
    { 0x7a, 0x3c, 0xb8, 0xff }, { 0x2a, 0x9d, 0x8f, 0xff },
};

static const SDL_Color white = { 0xff, 0xff, 0xff, 0xff }, grid = { 0xe2, 0xe5, 0xea, 0xff };
#define P90_ALPHA 170          /* the 90th percentile: the line's colour, lighter */
#define BAND_ALPHA 38          /* the band from the median to the 90th percentile */

/* A y axis: 0 to top in steps, values shown divided by unit with `decimals` digits. */
struct axis {
    double top, step;
    int decimals;
};

struct plot {
    struct gui_gfx *g;
    const struct gui_theme *th;
    const struct sweep_summary *s;
    const struct sweep_plan *p;
    float k;                       /* scale: 1 at 1280 x 720 */
    int f_title, f_sub, f_axis, f_tick;
    uint64_t nx, nser, seeds;      /* values of the first range, lines, runs per point */
    SDL_FRect top, bottom;         /* the two plotting areas */
    struct axis hs, fail;          /* handshake time in `unit`, failed runs in percent */
    sim_time unit;
    const char *unit_name;
};

bool gui_plot_check(const struct sweep_plan *p, char *err, size_t errsize)
{
    if (p->nranges == 0) {
        snprintf(err, errsize, "--plot needs a --set KEY=FROM..TO/STEP range for its x axis");
        return false;
    }
    uint64_t nx = p->sets[p->range[0]].range.count;
    if (p->combos / nx > GUI_PLOT_MAX_SERIES) {
        snprintf(err, errsize, "--plot draws at most %d lines, one for each combination of the ranges after %s "
                 "(its x axis); these ranges make %llu", GUI_PLOT_MAX_SERIES, p->sets[p->range[0]].key,
                 (unsigned long long)(p->combos / nx));
        return false;
    }
    return true;
}

/* 1, 2, 2.5 or 5 times a power of ten, at least raw. */
static double nice_step(double raw)
{
    if (!(raw > 0))
        return 1;
    double mag = pow(10, floor(log10(raw)));
    double n = raw / mag;
    return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * mag;
}

/* About `ticks` steps from 0 to at least max. */
static struct axis axis_for(double max, int ticks)
{
    struct axis a;
    a.step = nice_step(max / ticks);
    a.top = ceil(max / a.step - 1e-9) * a.step;
    if (a.top < a.step)
        a.top = a.step;
    a.decimals = 0;
    while (a.decimals < 6 && fabs(a.step * pow(10, a.decimals) - round(a.step * pow(10, a.decimals))) > 1e-6)
        a.decimals++;
    return a;
}

static float x_of(const struct plot *P, uint64_t k)
{
    return P->top.x + ((float)k + 0.5f) * P->top.w / (float)P->nx;
}

static float y_of(SDL_FRect area, const struct axis *a, double v)
{
    return area.y + area.h - (float)(v / a->top) * area.h;
}

/* Row r's position: its value index on the x axis and its line. */
static void row_place(const struct plot *P, size_t r, uint64_t *k, uint64_t *ser)
{
    uint64_t combo = P->s->rows[r].combo;
    *k = combo / P->nser;
    *ser = combo % P->nser;
}

static SDL_Color colour_of(uint64_t ser)
{
    return series_colours[ser % GUI_PLOT_MAX_SERIES];
}

/* The values of the ranges after the first in row r: "A>B.delay = 50ms, window = 2000". */
static void series_label(const struct plot *P, size_t r, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 1; i < P->p->nranges && n < size; i++) {
        char v[SWEEP_VALUE_MAX];
        sweep_summary_value(P->s, r, i, v, sizeof v);
        int w = snprintf(buf + n, size - n, "%s%s = %s", i > 1 ? ", " : "", P->p->sets[P->p->range[i]].key, v);
        n += w > 0 ? (size_t)w : 0;
    }
}

/* Gridlines with their labels left of the area; the axis line at 0. */
static void draw_grid(struct plot *P, SDL_FRect area, const struct axis *a, const char *suffix)
{
    struct gui_gfx *g = P->g;
    float th_ = (float)gui_text_height(g->text, P->f_tick, false);
    int n = (int)(a->top / a->step + 0.5);
    for (int i = 0; i <= n && i <= 50; i++) {
        double v = a->step * i;
        float y = y_of(area, a, v);
        gfx_fill_rect(g, (SDL_FRect){ area.x, SDL_floorf(y), area.w, SDL_ceilf(P->k) }, i == 0 ? P->th->line : grid);
        char lab[48];
        snprintf(lab, sizeof lab, "%.*f%s", a->decimals, v, suffix);
        gui_text_draw(g->text, lab, P->f_tick, false, P->th->text_dim, area.x - 8 * P->k, y - th_ / 2, GUI_RIGHT);
    }
}

/* An axis title above the area's left end, and the x gridlines through it. */
static void draw_frame(struct plot *P, SDL_FRect area, const char *title)
{
    struct gui_gfx *g = P->g;
    float h = (float)gui_text_height(g->text, P->f_axis, true);
    gui_text_draw(g->text, title, P->f_axis, true, P->th->text, area.x - 60 * P->k, area.y - h - 8 * P->k, GUI_LEFT);
    for (uint64_t k = 0; k < P->nx && P->nx <= 60; k++)
        gfx_fill_rect(g, (SDL_FRect){ SDL_floorf(x_of(P, k)), area.y, SDL_ceilf(P->k), area.h }, grid);
}

static bool has_hs(const struct plot *P, size_t r)
{
    return P->s->rows[r].handshake.n > 0;
}

static double in_unit(const struct plot *P, sim_time t)
{
    return (double)t / (double)P->unit;
}

/* A time for a point's label, three significant digits: "20 ms", "1.02 s", "850 µs". */
static void time_text(sim_time t, char *buf, size_t size)
{
    double v = (double)t;
    const char *unit = "s";
    if (t < sim_ms(1)) {
        v /= 1e3;
        unit = "µs";
    } else if (t < sim_s(1)) {
        v /= 1e6;
        unit = "ms";
    } else {
        v /= 1e9;
    }
    int decimals = v < 10 ? 2 : v < 100 ? 1 : 0;
    snprintf(buf, size, "%.*f %s", decimals, v, unit);
    /* "20.00 ms" reads better as "20 ms". */
    char *dot = strchr(buf, '.');
    if (dot) {
        char *end = strchr(dot, ' ');
        char *last = end - 1;
        while (last > dot && *last == '0')
            last--;
        if (last == dot)
            last--;
        memmove(last + 1, end, strlen(end) + 1);
    }
}

static void draw_handshakes(struct plot *P)
{
    struct gui_gfx *g = P->g;
    SDL_FRect a = P->top;
    char title[160];
    snprintf(title, sizeof title, "Handshake time (%s): median and 90th percentile", P->unit_name);
    draw_frame(P, a, title);
    draw_grid(P, a, &P->hs, "");
    bool any = false;
    /* Rows of one line follow each other every nser rows, in x order. */
    for (uint64_t ser = 0; ser < P->nser; ser++) {
        SDL_Color c = colour_of(ser), light = gui_theme_alpha(c, P90_ALPHA), band = gui_theme_alpha(c, BAND_ALPHA);
        SDL_FPoint med[2], p90[2];
        bool have_prev = false;
        for (size_t r = 0; r < P->s->nrows; r++) {
            uint64_t k, sr;
            row_place(P, r, &k, &sr);
            if (sr != ser)
                continue;
            if (!has_hs(P, r)) {
                have_prev = false;
                continue;
            }
            any = true;
            float x = x_of(P, k);
            med[1] = (SDL_FPoint){ x, y_of(a, &P->hs, in_unit(P, P->s->rows[r].handshake.median)) };
            p90[1] = (SDL_FPoint){ x, y_of(a, &P->hs, in_unit(P, P->s->rows[r].handshake.p90)) };
            if (have_prev) {
                if (P->nser == 1) {
                    SDL_FPoint q[4] = { med[0], med[1], p90[1], p90[0] };
                    gfx_convex(g, q, 4, band);
                }
                gfx_dashed_line(g, p90[0].x, p90[0].y, p90[1].x, p90[1].y, 2.5f * P->k, 6 * P->k, light);
                gfx_line(g, med[0].x, med[0].y, med[1].x, med[1].y, 3.2f * P->k, c);
            }
            med[0] = med[1];
            p90[0] = p90[1];
            have_prev = true;
        }
        /* Markers over the lines. */
        for (size_t r = 0; r < P->s->nrows; r++) {
            uint64_t k, sr;
            row_place(P, r, &k, &sr);
            if (sr != ser || !has_hs(P, r))
                continue;
            float x = x_of(P, k);
            float ym = y_of(a, &P->hs, in_unit(P, P->s->rows[r].handshake.median));
            float yp = y_of(a, &P->hs, in_unit(P, P->s->rows[r].handshake.p90));
            gfx_circle(g, x, yp, 3.2f * P->k, light);
            gfx_circle(g, x, ym, 5.5f * P->k, c);
            gfx_circle(g, x, ym, 2.4f * P->k, white);
            if (P->nser == 1) {
                char lab[32];
                time_text(P->s->rows[r].handshake.median, lab, sizeof lab);
                gui_text_draw(g->text, lab, P->f_tick, true, c, x + 8 * P->k,
                              ym - (float)gui_text_height(g->text, P->f_tick, true) - 3 * P->k, GUI_LEFT);
            }
        }
    }
    if (!any)
        gui_text_draw(g->text, "no run completed a handshake", P->f_axis, false, P->th->text_dim, a.x + a.w / 2,
                      a.y + a.h / 2, GUI_CENTER);
}

static void draw_failures(struct plot *P)
{
    struct gui_gfx *g = P->g;
    SDL_FRect a = P->bottom;
    draw_frame(P, a, "Failed runs (%)");
    draw_grid(P, a, &P->fail, "%");
    float group = a.w / (float)P->nx, bw = group * 0.64f / (float)P->nser;
    if (bw > 64 * P->k)
        bw = 64 * P->k;
    float lh = (float)gui_text_height(g->text, P->f_tick, true);
    for (size_t r = 0; r < P->s->nrows; r++) {
        uint64_t k, ser;
        row_place(P, r, &k, &ser);
        const struct sweep_summary_row *row = &P->s->rows[r];
        double pct = row->runs ? 100.0 * (double)row->failures / (double)row->runs : 0;
        float x = x_of(P, k) - bw * (float)P->nser / 2 + bw * (float)ser;
        float y = y_of(a, &P->fail, pct), base = a.y + a.h;
        SDL_Color c = P->nser == 1 ? P->th->lost : colour_of(ser);
        if (base - y >= 1)
            gfx_fill_rect(g, (SDL_FRect){ SDL_roundf(x + bw * 0.08f), SDL_roundf(y), SDL_roundf(bw * 0.84f),
                                          base - SDL_roundf(y) },
                          c);
        char lab[32];
        snprintf(lab, sizeof lab, "%.0f%%", pct);
        /* With one line each bar gets its number; several lines leave it to the gridlines. */
        if (P->nser == 1)
            gui_text_draw(g->text, lab, P->f_tick, true, P->th->text_dim, x + bw / 2, y - lh - 2 * P->k, GUI_CENTER);
    }
}

/* The x values under the lower panel (every one that fits) and the axis title. */
static void draw_x_axis(struct plot *P)
{
    struct gui_gfx *g = P->g;
    const struct sweep_set *set = &P->p->sets[P->p->range[0]];
    float y = P->bottom.y + P->bottom.h + 8 * P->k, widest = 0;
    char v[SWEEP_VALUE_MAX];
    for (uint64_t k = 0; k < P->nx; k++) {
        sweep_set_value(set, k, v, sizeof v);
        float w = gui_text_width(g->text, v, P->f_tick, false);
        widest = w > widest ? w : widest;
    }
    uint64_t every = (uint64_t)((widest + 12 * P->k) / (P->bottom.w / (float)P->nx)) + 1;
    for (uint64_t k = 0; k < P->nx; k += every) {
        sweep_set_value(set, k, v, sizeof v);
        gui_text_draw(g->text, v, P->f_tick, false, P->th->text, x_of(P, k), y, GUI_CENTER);
    }
    char title[160];
    if (set->range.unit_name[0])
        snprintf(title, sizeof title, "%s (%s)", set->key, set->range.unit_name);
    else
        snprintf(title, sizeof title, "%s", set->key);
    gui_text_draw(g->text, title, P->f_axis, true, P->th->text, P->bottom.x + P->bottom.w / 2,
                  y + (float)gui_text_height(g->text, P->f_tick, false) + 6 * P->k, GUI_CENTER);
}

/* One legend entry: a sample (line, dashed line, band or box) and its text; returns the width. */
enum sample { S_LINE, S_DASHED, S_BAND, S_BOX };

static float legend_item(struct plot *P, float x, float y, enum sample kind, SDL_Color c, const char *text, bool draw)
{
    struct gui_gfx *g = P->g;
    float h = (float)gui_text_height(g->text, P->f_sub, false), sw = 30 * P->k, cy = y + h / 2;
    if (draw) {
        switch (kind) {
        case S_LINE:
            gfx_line(g, x, cy, x + sw, cy, 3.2f * P->k, c);
            gfx_circle(g, x + sw / 2, cy, 5.5f * P->k, c);
            gfx_circle(g, x + sw / 2, cy, 2.4f * P->k, white);
            break;
        case S_DASHED:
            gfx_dashed_line(g, x, cy, x + sw, cy, 2.5f * P->k, 6 * P->k, gui_theme_alpha(c, P90_ALPHA));
            break;
        case S_BAND:
            gfx_fill_rect(g, (SDL_FRect){ x, cy - 7 * P->k, sw, 14 * P->k }, gui_theme_alpha(c, BAND_ALPHA));
            break;
        case S_BOX:
            gfx_fill_rect(g, (SDL_FRect){ x + sw / 2 - 7 * P->k, cy - 7 * P->k, 14 * P->k, 14 * P->k }, c);
            break;
        }
        gui_text_draw(g->text, text, P->f_sub, false, P->th->text, x + sw + 8 * P->k, y, GUI_LEFT);
    }
    return sw + 8 * P->k + gui_text_width(g->text, text, P->f_sub, false) + 26 * P->k;
}

/* The legend in rows from (x, y), wrapping at right; returns the height used. */
static float draw_legend(struct plot *P, float x0, float y0, float right)
{
    struct entry {
        enum sample kind;
        SDL_Color c;
        char text[SWEEP_VALUE_MAX * 3];
    } e[GUI_PLOT_MAX_SERIES + 4];
    size_t n = 0;
    SDL_Color ink = P->nser == 1 ? series_colours[0] : P->th->text_dim;
    e[n++] = (struct entry){ S_LINE, ink, "median handshake time" };
    e[n++] = (struct entry){ S_DASHED, ink, "90th percentile" };
    if (P->nser == 1) {
        e[n++] = (struct entry){ S_BAND, ink, "median to 90th percentile" };
        e[n++] = (struct entry){ S_BOX, P->th->lost, "failed runs" };
    }
    for (uint64_t ser = 0; P->nser > 1 && ser < P->nser; ser++) {
        e[n] = (struct entry){ .kind = S_BOX, .c = colour_of(ser) };
        series_label(P, (size_t)ser, e[n].text, sizeof e[n].text);
        n++;
    }
    float x = x0, y = y0, h = (float)gui_text_height(P->g->text, P->f_sub, false) * 1.5f;
    for (size_t i = 0; i < n; i++) {
        float w = legend_item(P, x, y, e[i].kind, e[i].c, e[i].text, false);
        if (x > x0 && x + w > right) {
            x = x0;
            y += h;
        }
        x += legend_item(P, x, y, e[i].kind, e[i].c, e[i].text, true);
    }
    return y + h - y0;
}

static void draw(struct plot *P, int w, int h, const char *title)
{
    struct gui_gfx *g = P->g;
    float k = P->k, m = 28 * k;
    SDL_SetRenderDrawColor(g->r, white.r, white.g, white.b, 255);
    SDL_RenderClear(g->r);
    const struct sweep_set *x = &P->p->sets[P->p->range[0]];
    char buf[512];
    snprintf(buf, sizeof buf, "Handshake time and failed runs against %s", x->key);
    float y = 18 * k;
    gui_text_draw_fit(g->text, buf, P->f_title, true, P->th->text, m, y, (float)w - 2 * m, GUI_LEFT);
    y += (float)gui_text_height(g->text, P->f_title, true) + 2 * k;
    snprintf(buf, sizeof buf, "%s  ·  %llu seed%s per point", title, (unsigned long long)P->seeds,
             P->seeds == 1 ? "" : "s");
    gui_text_draw_fit(g->text, buf, P->f_axis, true, P->th->text_dim, m, y, (float)w - 2 * m, GUI_LEFT);
    y += (float)gui_text_height(g->text, P->f_axis, true);
    gui_text_draw_fit(g->text,
                      "Handshake: from the first connect to ESTABLISHED. Failed: the run did not complete "
                      "(tcpsim sweep --help).",
                      P->f_tick, false, P->th->text_dim, m, y, (float)w - 2 * m, GUI_LEFT);
    y += (float)gui_text_height(g->text, P->f_tick, false) * 1.7f;
    y += draw_legend(P, m, y, (float)w - m) + 6 * k;

    /* Two panels sharing the x axis: handshake times (the larger) over failed runs. */
    float left = m + 62 * k, right = (float)w - m;
    float head = (float)gui_text_height(g->text, P->f_axis, true) + 18 * k;
    float below = (float)gui_text_height(g->text, P->f_tick, false) + (float)gui_text_height(g->text, P->f_axis, true) +
                  26 * k;
    float avail = (float)h - y - head * 2 - below - 10 * k;
    P->top = (SDL_FRect){ left, y + head, right - left, avail * 0.64f };
    P->bottom = (SDL_FRect){ left, P->top.y + P->top.h + head + 10 * k, right - left, avail * 0.36f };
    draw_handshakes(P);
    draw_failures(P);
    draw_x_axis(P);
}

/* The largest time to show and the unit to show it in. */
static void pick_unit(struct plot *P)
{
    sim_time max = 0;
    for (size_t r = 0; r < P->s->nrows; r++)
        if (has_hs(P, r) && P->s->rows[r].handshake.p90 > max)
            max = P->s->rows[r].handshake.p90;
    if (max < sim_ms(1)) {
        P->unit = sim_us(1);
        P->unit_name = "µs";
    } else if (max < sim_s(1)) {
        P->unit = sim_ms(1);
        P->unit_name = "ms";
    } else {
        P->unit = sim_s(1);
        P->unit_name = "s";
    }
    P->hs = axis_for(max > 0 ? in_unit(P, max) : 1, 5);
    double worst = 0;
    for (size_t r = 0; r < P->s->nrows; r++) {
        const struct sweep_summary_row *row = &P->s->rows[r];
        double pct = row->runs ? 100.0 * (double)row->failures / (double)row->runs : 0;
        worst = pct > worst ? pct : worst;
    }
    P->fail = axis_for(worst > 0 ? worst : 10, 3);
}

bool gui_plot_png(const struct sweep_summary *s, const struct gui_plot_options *o, const char *out_png, char *err,
                  size_t errsize)
{
    if (!gui_plot_check(s->plan, err, errsize))
        return false;
    int w = o && o->width > 0 ? o->width : 1280, h = o && o->height > 0 ? o->height : 720;
    struct gui_canvas c;
    if (!gui_canvas_init(&c, w, h, o ? o->assets_dir : NULL, "en", err, errsize))
        return false;
    c.gfx.theme = gui_theme_get(false);
    struct plot P = { .g = &c.gfx, .th = c.gfx.theme, .s = s, .p = s->plan, .seeds = s->plan->seeds };
    float sx = (float)w / 1280.0f, sy = (float)h / 720.0f;
    P.k = sx < sy ? sx : sy;
    float fk = P.k > 0.85f ? P.k : 0.85f; /* small charts keep readable text */
    P.f_title = (int)(26 * fk + 0.5f);
    P.f_sub = (int)(15 * fk + 0.5f);
    P.f_axis = (int)(15 * fk + 0.5f);
    P.f_tick = (int)(13 * fk + 0.5f);
    P.nx = P.p->sets[P.p->range[0]].range.count;
    P.nser = P.p->combos / P.nx;
    pick_unit(&P);
    const char *name = strrchr(P.p->name, '/');
    draw(&P, w, h, o && o->title && *o->title ? o->title : name ? name + 1 : P.p->name);
    SDL_RenderFlush(c.r);
    bool ok = gui_png_save(c.surface, out_png, err, errsize);
    gui_canvas_finish(&c);
    return ok;
}
