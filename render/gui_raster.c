/* gui_raster.c: a span rasteriser for gui_gfx's triangles on an ARGB8888 surface: vertices on a
 * 1/16-pixel grid, exact integer edge functions (each row's span solved, not searched), vertex
 * colours interpolated at pixel centres and blended as SDL_BLENDMODE_BLEND does. Called by
 * gui_gfx.c (its flush) when drawing on the offscreen canvas. */
#include "gui_raster.h"

#include <math.h>
#include <stdint.h>

#define SUB 16                 /* sub-pixel steps per pixel */
#define LIMIT 65536.0f         /* vertices are clamped to +-LIMIT pixels: products stay in 64 bits */

bool gui_raster_supports(const SDL_Surface *s)
{
    /* ARGB8888, or RGB888 (a window's surface: the same layout with the top byte unused) */
    return s && s->format && !SDL_MUSTLOCK(s) &&
           (s->format->format == SDL_PIXELFORMAT_ARGB8888 || s->format->format == SDL_PIXELFORMAT_RGB888);
}

/* A coordinate on the grid. Like SDL's software renderer, vertices sit on whole pixels (the
 * fraction is cut off), so a picture looks the same whichever way its triangles were filled. */
static int64_t to_fixed(float f)
{
    if (f < -LIMIT)
        f = -LIMIT;
    if (f > LIMIT)
        f = LIMIT;
    return (int64_t)f * SUB;
}

/* floor(n / d) and ceil(n / d) for d > 0. */
static int64_t floor_div(int64_t n, int64_t d)
{
    int64_t q = n / d;
    return (n % d != 0 && n < 0) ? q - 1 : q;
}

static int64_t ceil_div(int64_t n, int64_t d)
{
    return -floor_div(-n, d);
}

/* floor(n / d) while n grows by a fixed step: one division to start, none per step. */
struct walk {
    int64_t q, r, d;           /* n = q * d + r, 0 <= r < d */
    int64_t dq, dr;            /* step = dq * d + dr, 0 <= dr < d */
};

static struct walk walk_start(int64_t n, int64_t step, int64_t d)
{
    struct walk w = { .q = floor_div(n, d), .d = d, .dq = floor_div(step, d) };
    w.r = n - w.q * d;
    w.dr = step - w.dq * d;
    return w;
}

static void walk_next(struct walk *w)
{
    w->q += w->dq;
    w->r += w->dr;
    if (w->r >= w->d) {
        w->q++;
        w->r -= w->d;
    }
}

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

static int clamp255(double v)
{
    return v < 0 ? 0 : v >= 255 ? 255 : (int)v;
}

/* Source (r, g, b, a) over the pixel: rgb = src * a + dst * (1 - a), alpha = a + dst * (1 - a). */
static void blend(uint32_t *p, int r, int g, int b, int a)
{
    if (a <= 0)
        return;
    if (a >= 255) {
        *p = 0xFF000000u | (uint32_t)r << 16 | (uint32_t)g << 8 | (uint32_t)b;
        return;
    }
    uint32_t d = *p;
    int ia = 255 - a;
    uint32_t oa = (uint32_t)(a + ((int)(d >> 24) * ia + 127) / 255);
    uint32_t or_ = (uint32_t)((r * a + (int)(d >> 16 & 255) * ia + 127) / 255);
    uint32_t og = (uint32_t)((g * a + (int)(d >> 8 & 255) * ia + 127) / 255);
    uint32_t ob = (uint32_t)((b * a + (int)(d & 255) * ia + 127) / 255);
    *p = oa << 24 | or_ << 16 | og << 8 | ob;
}

/* Pixels lo..hi of a row in one colour: stored if opaque, else blended with the same weights. */
static void span(uint32_t *row, int64_t lo, int64_t hi, const int c[4])
{
    int a = c[3];
    if (a <= 0)
        return;
    if (a >= 255) {
        uint32_t p = 0xFF000000u | (uint32_t)c[0] << 16 | (uint32_t)c[1] << 8 | (uint32_t)c[2];
        for (int64_t px = lo; px <= hi; px++)
            row[px] = p;
        return;
    }
    int ia = 255 - a, sr = c[0] * a + 127, sg = c[1] * a + 127, sb = c[2] * a + 127;
    for (int64_t px = lo; px <= hi; px++) {
        uint32_t d = row[px];
        uint32_t oa = (uint32_t)(a + ((int)(d >> 24) * ia + 127) / 255);
        uint32_t or_ = (uint32_t)((sr + (int)(d >> 16 & 255) * ia) / 255);
        uint32_t og = (uint32_t)((sg + (int)(d >> 8 & 255) * ia) / 255);
        uint32_t ob = (uint32_t)((sb + (int)(d & 255) * ia) / 255);
        row[px] = oa << 24 | or_ << 16 | og << 8 | ob;
    }
}

/* One triangle, inside box (pixels x0..x1, y0..y1 inclusive, already within the surface). */
static void triangle(SDL_Surface *s, const int64_t box[4], const SDL_Vertex *v)
{
    int64_t x[3], y[3];
    for (int i = 0; i < 3; i++) {
        if (!isfinite(v[i].position.x) || !isfinite(v[i].position.y))
            return;
        x[i] = to_fixed(v[i].position.x);
        y[i] = to_fixed(v[i].position.y);
    }
    int64_t area = (x[1] - x[0]) * (y[2] - y[0]) - (y[1] - y[0]) * (x[2] - x[0]);
    if (area == 0)
        return;
    int o[3] = { 0, 1, 2 };
    if (area < 0) {
        o[1] = 2;
        o[2] = 1;
        area = -area;
    }
    /* Edge i runs from vertex o[i+1] to o[i+2]; at pixel (px, py) its function is A*px + C*py + K,
     * which is the weight of vertex o[i] times area: positive inside, zero on the edge. */
    int64_t A[3], C[3], K[3], bias[3];
    int col[3][4]; /* r, g, b, a of each vertex */
    for (int i = 0; i < 3; i++) {
        int a = o[(i + 1) % 3], b = o[(i + 2) % 3];
        int64_t dx = x[b] - x[a], dy = y[b] - y[a];
        A[i] = -dy * SUB;
        C[i] = dx * SUB;
        K[i] = dx * (SUB / 2 - y[a]) - dy * (SUB / 2 - x[a]);
        /* Top-left rule: a centre exactly on a top or left edge is inside, on the others outside. */
        bias[i] = (dy == 0 && dx > 0) || dy < 0 ? 0 : -1;
        SDL_Color c = v[o[i]].color;
        col[i][0] = c.r;
        col[i][1] = c.g;
        col[i][2] = c.b;
        col[i][3] = c.a;
    }
    int64_t minx = min64(x[0], min64(x[1], x[2])), maxx = max64(x[0], max64(x[1], x[2]));
    int64_t miny = min64(y[0], min64(y[1], y[2])), maxy = max64(y[0], max64(y[1], y[2]));
    int64_t px0 = max64(box[0], ceil_div(minx - SUB / 2, SUB)), px1 = min64(box[1], floor_div(maxx - SUB / 2, SUB));
    int64_t py0 = max64(box[2], ceil_div(miny - SUB / 2, SUB)), py1 = min64(box[3], floor_div(maxy - SUB / 2, SUB));
    if (px0 > px1 || py0 > py1)
        return;

    /* Colours: each channel is constant or linear in the weights (P * px + Q per row, over area);
     * first_varying is the first channel that varies (4: none). */
    int first_varying = 4;
    for (int k = 3; k >= 0; k--)
        if (col[1][k] != col[0][k] || col[2][k] != col[0][k])
            first_varying = k;
    int64_t P[4] = { 0, 0, 0, 0 };
    for (int k = first_varying; k < 4; k++)
        for (int i = 0; i < 3; i++)
            P[k] += A[i] * col[i][k];

    /* Inside edge i: A * px + r >= 0 with r = C * py + K + bias, so px >= -floor(r / A) when A > 0
     * and px <= floor(r / -A) when A < 0; those bounds are walked down the rows. */
    struct walk bound[3];
    for (int i = 0; i < 3; i++)
        if (A[i] != 0)
            bound[i] = walk_start(C[i] * py0 + K[i] + bias[i], C[i], A[i] > 0 ? A[i] : -A[i]);
    double inv = 1.0 / (double)area;
    for (int64_t py = py0; py <= py1; py++) {
        int64_t lo = px0, hi = px1, R[3];
        bool empty = false;
        for (int i = 0; i < 3; i++) {
            R[i] = C[i] * py + K[i];
            if (A[i] > 0) {
                lo = max64(lo, -bound[i].q);
                walk_next(&bound[i]);
            } else if (A[i] < 0) {
                hi = min64(hi, bound[i].q);
                walk_next(&bound[i]);
            } else if (R[i] + bias[i] < 0) {
                empty = true;
            }
        }
        if (empty || lo > hi)
            continue;
        uint32_t *row = (uint32_t *)((uint8_t *)s->pixels + py * s->pitch);
        if (first_varying == 4) {
            span(row, lo, hi, col[0]);
            continue;
        }
        int64_t Q[4] = { 0, 0, 0, 0 };
        for (int k = first_varying; k < 4; k++)
            for (int i = 0; i < 3; i++)
                Q[k] += R[i] * col[i][k];
        for (int64_t px = lo; px <= hi; px++) {
            int c[4] = { col[0][0], col[0][1], col[0][2], col[0][3] };
            for (int k = first_varying; k < 4; k++)
                c[k] = clamp255((double)(P[k] * px + Q[k]) * inv);
            blend(&row[px], c[0], c[1], c[2], c[3]);
        }
    }
}

void gui_raster_rect(SDL_Surface *s, const SDL_Rect *clip, SDL_Rect rc, SDL_Color c)
{
    SDL_Rect whole = { 0, 0, s->w, s->h }, area = whole;
    if ((clip && !SDL_IntersectRect(&whole, clip, &area)) || !SDL_IntersectRect(&area, &rc, &area) || c.a == 0)
        return;
    /* Each channel's result for each value below, worked out once: the blend of span() by lookup. */
    uint8_t tab[4][256];
    int a = c.a, ia = 255 - a;
    const int src[4] = { c.r * a + 127, c.g * a + 127, c.b * a + 127, a * 255 + 127 };
    for (int k = 0; k < 4; k++)
        for (int d = 0; d < 256; d++)
            tab[k][d] = (uint8_t)((src[k] + d * ia) / 255);
    for (int y = area.y; y < area.y + area.h; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (int x = area.x; x < area.x + area.w; x++) {
            uint32_t d = row[x];
            row[x] = (uint32_t)tab[3][d >> 24] << 24 | (uint32_t)tab[0][d >> 16 & 255] << 16 |
                     (uint32_t)tab[1][d >> 8 & 255] << 8 | tab[2][d & 255];
        }
    }
}

void gui_raster_triangles(SDL_Surface *s, const SDL_Rect *clip, const SDL_Vertex *v, size_t n)
{
    SDL_Rect whole = { 0, 0, s->w, s->h }, area = whole;
    if (clip && !SDL_IntersectRect(&whole, clip, &area))
        return;
    const int64_t box[4] = { area.x, area.x + area.w - 1, area.y, area.y + area.h - 1 };
    for (size_t i = 0; i + 3 <= n; i += 3)
        triangle(s, box, &v[i]);
}
