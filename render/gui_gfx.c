/* gui_gfx.c: triangle-built anti-aliased primitives (a core in full colour, a one-pixel fringe
 * fading to transparent). Called by the gui panels; needs SDL_RenderGeometry (SDL >= 2.0.18). */
#include "gui_gfx.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "gui_raster.h"
#include "gui_snap.h"

#define FEATHER 0.5f   /* half the width of the fading fringe, in pixels */
#define MITER_LIMIT 3.0f
#define MAX_POLY 512   /* points in one polyline or shape */
/* A slanted stroke is cut into pieces this long: rasterisers (SDL's software one especially) scan
 * each triangle's bounding box, which for a long thin diagonal is mostly empty (gui_raster, which
 * fills spans, takes it whole). */
#define PIECE 24.0f

void gfx_init(struct gui_gfx *g, SDL_Renderer *r, struct gui_text *text)
{
    *g = (struct gui_gfx){ .r = r, .text = text };
    SDL_GetRendererOutputSize(r, &g->w, &g->h);
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
}

void gfx_direct(struct gui_gfx *g, SDL_Surface *s)
{
    g->direct = gui_raster_supports(s) ? s : NULL;
}

void gfx_finish(struct gui_gfx *g)
{
    gui_snap_free(g);
    free(g->verts);
    g->verts = NULL;
    g->nverts = g->cap = 0;
}

static bool reserve(struct gui_gfx *g, size_t more)
{
    if (g->nverts + more <= g->cap)
        return true;
    size_t cap = g->cap ? g->cap : 256;
    while (cap < g->nverts + more)
        cap *= 2;
    SDL_Vertex *v = realloc(g->verts, cap * sizeof *v);
    if (!v) {
        g->oom = true;
        return false;
    }
    g->verts = v;
    g->cap = cap;
    return true;
}

static void vert(struct gui_gfx *g, float x, float y, SDL_Color c)
{
    g->verts[g->nverts++] = (SDL_Vertex){ .position = { x, y }, .color = c, .tex_coord = { 0, 0 } };
}

static void tri(struct gui_gfx *g, SDL_FPoint a, SDL_Color ca, SDL_FPoint b, SDL_Color cb, SDL_FPoint c, SDL_Color cc)
{
    vert(g, a.x, a.y, ca);
    vert(g, b.x, b.y, cb);
    vert(g, c.x, c.y, cc);
}

/* Two triangles a-b-c-d (a quad in order around its edge). */
static void quad(struct gui_gfx *g, SDL_FPoint a, SDL_Color ca, SDL_FPoint b, SDL_Color cb, SDL_FPoint c,
                 SDL_Color cc, SDL_FPoint d, SDL_Color cd)
{
    tri(g, a, ca, b, cb, c, cc);
    tri(g, a, ca, c, cc, d, cd);
}

static void flush(struct gui_gfx *g)
{
    if (g->nverts && g->direct && !SDL_GetRenderTarget(g->r)) {
        SDL_RenderFlush(g->r); /* what SDL was asked to draw before comes first */
        gui_raster_triangles(g->direct, g->clipped ? &g->clip : NULL, g->verts, g->nverts);
    } else if (g->nverts) {
        SDL_RenderGeometry(g->r, NULL, g->verts, (int)g->nverts, NULL, 0);
    }
    g->nverts = 0;
}

static SDL_FPoint pt(float x, float y)
{
    return (SDL_FPoint){ x, y };
}

static SDL_FPoint add(SDL_FPoint a, SDL_FPoint b, float k)
{
    return pt(a.x + b.x * k, a.y + b.y * k);
}

static SDL_FPoint unit_normal(SDL_FPoint a, SDL_FPoint b)
{
    float dx = b.x - a.x, dy = b.y - a.y;
    float len = sqrtf(dx * dx + dy * dy);
    if (len < 1e-6f)
        return pt(0, 0);
    return pt(-dy / len, dx / len);
}

void gfx_fill_rects(struct gui_gfx *g, const SDL_FRect *rc, size_t n, SDL_Color c)
{
    if (n == 0 || n > INT_MAX)
        return;
    if (c.a < 255 && g->direct && !SDL_GetRenderTarget(g->r)) {
        /* Blended straight in: SDL's software renderer would blend pixel by pixel with divisions.
         * The rectangles are cut to whole pixels as SDL's are. */
        SDL_RenderFlush(g->r);
        for (size_t i = 0; i < n; i++) {
            int w = (int)rc[i].w, h = (int)rc[i].h;
            SDL_Rect r = { (int)rc[i].x, (int)rc[i].y, w > 1 ? w : 1, h > 1 ? h : 1 };
            gui_raster_rect(g->direct, g->clipped ? &g->clip : NULL, r, c);
        }
        return;
    }
    SDL_SetRenderDrawColor(g->r, c.r, c.g, c.b, c.a);
    /* An opaque colour blended gives the colour itself: without blending SDL's software renderer
     * fills whole rows at once instead of mixing pixel by pixel (ten times faster or more). */
    if (c.a == 255)
        SDL_SetRenderDrawBlendMode(g->r, SDL_BLENDMODE_NONE);
    SDL_RenderFillRectsF(g->r, rc, (int)n);
    if (c.a == 255)
        SDL_SetRenderDrawBlendMode(g->r, SDL_BLENDMODE_BLEND);
}

void gfx_fill_rect(struct gui_gfx *g, SDL_FRect rc, SDL_Color c)
{
    gfx_fill_rects(g, &rc, 1, c);
}

void gfx_rect_outline(struct gui_gfx *g, SDL_FRect rc, float w, SDL_Color c)
{
    gfx_fill_rect(g, (SDL_FRect){ rc.x, rc.y, rc.w, w }, c);
    gfx_fill_rect(g, (SDL_FRect){ rc.x, rc.y + rc.h - w, rc.w, w }, c);
    gfx_fill_rect(g, (SDL_FRect){ rc.x, rc.y + w, w, rc.h - 2 * w }, c);
    gfx_fill_rect(g, (SDL_FRect){ rc.x + rc.w - w, rc.y + w, w, rc.h - 2 * w }, c);
}

/* Offsets of each point of a polyline along its mitred normal (unit normal times length). */
static void miters(const SDL_FPoint *p, size_t n, bool closed, SDL_FPoint *out)
{
    for (size_t i = 0; i < n; i++) {
        bool first = i == 0 && !closed, last = i == n - 1 && !closed;
        SDL_FPoint prev = p[i == 0 ? n - 1 : i - 1], next = p[i == n - 1 ? 0 : i + 1];
        SDL_FPoint n0 = first ? unit_normal(p[i], next) : unit_normal(prev, p[i]);
        SDL_FPoint n1 = last ? n0 : unit_normal(p[i], next);
        if (first)
            n0 = n1;
        SDL_FPoint m = pt(n0.x + n1.x, n0.y + n1.y);
        float len = sqrtf(m.x * m.x + m.y * m.y);
        if (len < 1e-6f) {
            out[i] = n0;
            continue;
        }
        m.x /= len;
        m.y /= len;
        float d = m.x * n0.x + m.y * n0.y;
        float k = d > 1.0f / MITER_LIMIT ? 1.0f / d : MITER_LIMIT;
        out[i] = pt(m.x * k, m.y * k);
    }
}

void gfx_polyline(struct gui_gfx *g, const SDL_FPoint *p, size_t n, bool closed, float width, SDL_Color c)
{
    if (n < 2 || n > MAX_POLY)
        return;
    SDL_FPoint m[MAX_POLY];
    miters(p, n, closed, m);
    float hw = width / 2;
    /* A thin stroke (up to 2 px) is two fringes meeting in the middle: four triangles a piece. */
    float core = hw > 1.0f ? hw - FEATHER : 0;
    SDL_Color ci = c, co = c;
    if (hw < FEATHER)
        ci.a = (uint8_t)(c.a * (hw / FEATHER));
    co.a = 0;
    size_t segs = closed ? n : n - 1;
    for (size_t s = 0; s < segs; s++) {
        size_t i = s, j = (s + 1) % n;
        float dx = p[j].x - p[i].x, dy = p[j].y - p[i].y;
        float ax = dx < 0 ? -dx : dx, ay = dy < 0 ? -dy : dy;
        int pieces = 1;
        if (ax > 2 && ay > 2 && !g->direct)
            pieces = (int)(sqrtf(dx * dx + dy * dy) / PIECE) + 1;
        if (pieces > 4096)
            pieces = 4096;
        if (!reserve(g, (size_t)pieces * 18))
            return;
        SDL_FPoint rail[4][2];
        const float off[4] = { core + 2 * FEATHER, core, -core, -core - 2 * FEATHER };
        for (int r = 0; r < 4; r++) {
            rail[r][0] = add(p[i], m[i], off[r]);
            rail[r][1] = add(p[j], m[j], off[r]);
        }
        for (int k = 0; k < pieces; k++) {
            float f0 = (float)k / (float)pieces, f1 = (float)(k + 1) / (float)pieces;
            SDL_FPoint a[4], b[4];
            for (int r = 0; r < 4; r++) {
                a[r] = pt(rail[r][0].x + (rail[r][1].x - rail[r][0].x) * f0, rail[r][0].y + (rail[r][1].y - rail[r][0].y) * f0);
                b[r] = pt(rail[r][0].x + (rail[r][1].x - rail[r][0].x) * f1, rail[r][0].y + (rail[r][1].y - rail[r][0].y) * f1);
            }
            quad(g, a[0], co, b[0], co, b[1], ci, a[1], ci);
            if (core > 0.25f)
                quad(g, a[1], ci, b[1], ci, b[2], ci, a[2], ci);
            quad(g, a[2], ci, b[2], ci, b[3], co, a[3], co);
        }
        flush(g);
    }
}

void gfx_line(struct gui_gfx *g, float x0, float y0, float x1, float y1, float width, SDL_Color c)
{
    SDL_FPoint p[2] = { { x0, y0 }, { x1, y1 } };
    gfx_polyline(g, p, 2, false, width, c);
}

void gfx_dashed_line(struct gui_gfx *g, float x0, float y0, float x1, float y1, float width, float dash, SDL_Color c)
{
    float dx = x1 - x0, dy = y1 - y0;
    float len = sqrtf(dx * dx + dy * dy);
    if (len < 1e-3f || dash <= 0)
        return;
    float ux = dx / len, uy = dy / len;
    int count = (int)(len / dash);
    for (int i = 0; i <= count && i < 4096; i += 2) {
        float a = (float)i * dash, b = a + dash < len ? a + dash : len;
        gfx_line(g, x0 + ux * a, y0 + uy * a, x0 + ux * b, y0 + uy * b, width, c);
    }
}

void gfx_convex(struct gui_gfx *g, const SDL_FPoint *p, size_t n, SDL_Color c)
{
    if (n < 3 || n > MAX_POLY)
        return;
    /* Outward normals point away from the centre whichever way the points wind. */
    float area = 0;
    for (size_t i = 0; i < n; i++) {
        SDL_FPoint a = p[i], b = p[(i + 1) % n];
        area += a.x * b.y - b.x * a.y;
    }
    SDL_FPoint m[MAX_POLY];
    miters(p, n, true, m);
    float sign = area > 0 ? -1.0f : 1.0f;
    SDL_Color co = c;
    co.a = 0;
    if (!reserve(g, n * 9))
        return;
    SDL_FPoint in0 = add(p[0], m[0], -sign * FEATHER);
    for (size_t i = 0; i < n; i++) {
        size_t j = (i + 1) % n;
        SDL_FPoint ini = add(p[i], m[i], -sign * FEATHER), inj = add(p[j], m[j], -sign * FEATHER);
        SDL_FPoint outi = add(p[i], m[i], sign * FEATHER), outj = add(p[j], m[j], sign * FEATHER);
        if (i > 0 && j != 0)
            tri(g, in0, c, ini, c, inj, c);
        quad(g, ini, c, inj, c, outj, co, outi, co);
    }
    flush(g);
}

void gfx_arrowhead(struct gui_gfx *g, float x0, float y0, float x1, float y1, float head, SDL_Color c)
{
    float dx = x1 - x0, dy = y1 - y0;
    float len = sqrtf(dx * dx + dy * dy);
    if (len < 1e-3f)
        return;
    float ux = dx / len, uy = dy / len;
    float bx = x1 - ux * head, by = y1 - uy * head, half = head * 0.45f;
    SDL_FPoint p[3] = { { x1, y1 }, { bx - uy * half, by + ux * half }, { bx + uy * half, by - ux * half } };
    gfx_convex(g, p, 3, c);
}

void gfx_arrow(struct gui_gfx *g, float x0, float y0, float x1, float y1, float width, float head, SDL_Color c)
{
    float dx = x1 - x0, dy = y1 - y0;
    float len = sqrtf(dx * dx + dy * dy);
    if (len < 1e-3f)
        return;
    float back = head * 0.8f < len ? head * 0.8f : len;
    gfx_line(g, x0, y0, x1 - dx / len * back, y1 - dy / len * back, width, c);
    gfx_arrowhead(g, x0, y0, x1, y1, head, c);
}

static size_t circle_points(float cx, float cy, float r, SDL_FPoint *out, size_t max)
{
    size_t n = (size_t)(r * 0.9f);
    n = n < 12 ? 12 : n > max ? max : n;
    for (size_t i = 0; i < n; i++) {
        float a = (float)i * 6.2831853f / (float)n;
        out[i] = pt(cx + r * cosf(a), cy + r * sinf(a));
    }
    return n;
}

void gfx_circle(struct gui_gfx *g, float cx, float cy, float r, SDL_Color c)
{
    SDL_FPoint p[96];
    gfx_convex(g, p, circle_points(cx, cy, r, p, 96), c);
}

void gfx_ring(struct gui_gfx *g, float cx, float cy, float r, float width, SDL_Color c)
{
    SDL_FPoint p[96];
    gfx_polyline(g, p, circle_points(cx, cy, r, p, 96), true, width, c);
}

static size_t round_rect_points(SDL_FRect rc, float r, SDL_FPoint *out)
{
    float maxr = (rc.w < rc.h ? rc.w : rc.h) / 2;
    if (r > maxr)
        r = maxr;
    if (r < 0.5f) {
        out[0] = pt(rc.x, rc.y);
        out[1] = pt(rc.x + rc.w, rc.y);
        out[2] = pt(rc.x + rc.w, rc.y + rc.h);
        out[3] = pt(rc.x, rc.y + rc.h);
        return 4;
    }
    int steps = (int)(r / 2);
    steps = steps < 3 ? 3 : steps > 12 ? 12 : steps;
    const SDL_FPoint centre[4] = { { rc.x + rc.w - r, rc.y + r }, { rc.x + rc.w - r, rc.y + rc.h - r },
                                   { rc.x + r, rc.y + rc.h - r }, { rc.x + r, rc.y + r } };
    size_t n = 0;
    for (int k = 0; k < 4; k++) {
        for (int i = 0; i <= steps; i++) {
            float a = ((float)k - 1.0f + (float)i / (float)steps) * 1.5707963f;
            out[n++] = pt(centre[k].x + r * cosf(a), centre[k].y + r * sinf(a));
        }
    }
    return n;
}

/* Appends a quarter disc at centre (cx, cy) spanning angles a0..a0+90 degrees, feathered on its
 * arc only (its straight sides meet the rectangles of the rounded rectangle). */
static void corner(struct gui_gfx *g, float cx, float cy, float r, float a0, SDL_Color c)
{
    int steps = (int)(r / 3);
    steps = steps < 2 ? 2 : steps > 12 ? 12 : steps;
    if (!reserve(g, (size_t)steps * 9))
        return;
    SDL_Color co = c;
    co.a = 0;
    float ri = r > FEATHER ? r - FEATHER : 0, ro = r + FEATHER;
    SDL_FPoint ctr = pt(cx, cy);
    for (int i = 0; i < steps; i++) {
        float t0 = a0 + (float)i / (float)steps * 1.5707963f, t1 = a0 + (float)(i + 1) / (float)steps * 1.5707963f;
        SDL_FPoint i0 = pt(cx + ri * cosf(t0), cy + ri * sinf(t0)), i1 = pt(cx + ri * cosf(t1), cy + ri * sinf(t1));
        SDL_FPoint o0 = pt(cx + ro * cosf(t0), cy + ro * sinf(t0)), o1 = pt(cx + ro * cosf(t1), cy + ro * sinf(t1));
        tri(g, ctr, c, i0, c, i1, c);
        quad(g, i0, c, o0, co, o1, co, i1, c);
    }
}

/* An axis-aligned rectangle of whole pixels: filled at once if opaque, else appended as two
 * triangles. */
static void rect_tris(struct gui_gfx *g, float x, float y, float w, float h, SDL_Color c)
{
    if (w <= 0 || h <= 0)
        return;
    if (c.a == 255)
        gfx_fill_rect(g, (SDL_FRect){ x, y, w, h }, c);
    else if (reserve(g, 6))
        quad(g, pt(x, y), c, pt(x + w, y), c, pt(x + w, y + h), c, pt(x, y + h), c);
}

void gfx_round_rect(struct gui_gfx *g, SDL_FRect rc, float r, SDL_Color c)
{
    /* Whole pixels: then no pixel centre lies on an edge shared by two of the pieces below. */
    float x1 = roundf(rc.x + rc.w), y1 = roundf(rc.y + rc.h);
    rc.x = roundf(rc.x);
    rc.y = roundf(rc.y);
    rc.w = x1 - rc.x;
    rc.h = y1 - rc.y;
    r = roundf(r);
    float maxr = floorf((rc.w < rc.h ? rc.w : rc.h) / 2);
    if (r > maxr)
        r = maxr;
    if (r < 2) {
        gfx_fill_rect(g, rc, c);
        return;
    }
    /* Three rectangles for the body and four feathered quarter discs: on whole pixels, shared
     * edges meet exactly (no seam, no pixel painted twice). */
    rect_tris(g, rc.x + r, rc.y, rc.w - 2 * r, rc.h, c);
    rect_tris(g, rc.x, rc.y + r, r, rc.h - 2 * r, c);
    rect_tris(g, rc.x + rc.w - r, rc.y + r, r, rc.h - 2 * r, c);
    corner(g, rc.x + rc.w - r, rc.y + r, r, -1.5707963f, c);
    corner(g, rc.x + rc.w - r, rc.y + rc.h - r, r, 0, c);
    corner(g, rc.x + r, rc.y + rc.h - r, r, 1.5707963f, c);
    corner(g, rc.x + r, rc.y + r, r, 3.1415927f, c);
    flush(g);
}

void gfx_round_rect_outline(struct gui_gfx *g, SDL_FRect rc, float r, float width, SDL_Color c)
{
    SDL_FPoint p[64];
    float h = width / 2;
    SDL_FRect in = { rc.x + h, rc.y + h, rc.w - width, rc.h - width };
    gfx_polyline(g, p, round_rect_points(in, r - h, p), true, width, c);
}

void gfx_cross(struct gui_gfx *g, float cx, float cy, float size, float width, SDL_Color c)
{
    float h = size / 2;
    gfx_line(g, cx - h, cy - h, cx + h, cy + h, width, c);
    gfx_line(g, cx - h, cy + h, cx + h, cy - h, width, c);
}

void gfx_zigzag(struct gui_gfx *g, float x0, float x1, float y, float amp, float width, SDL_Color c)
{
    SDL_FPoint p[MAX_POLY];
    size_t n = 0;
    float step = amp * 1.2f;
    for (float x = x0; x < x1 && n < MAX_POLY - 1; x += step) {
        p[n] = pt(x, y + ((n % 2) ? amp : -amp));
        n++;
    }
    p[n++] = pt(x1, y);
    gfx_polyline(g, p, n, false, width, c);
}

void gfx_clip(struct gui_gfx *g, SDL_FRect rc)
{
    SDL_Rect r = { (int)floorf(rc.x), (int)floorf(rc.y), (int)ceilf(rc.w), (int)ceilf(rc.h) };
    SDL_RenderSetClipRect(g->r, &r);
    g->clip = r;
    g->clipped = true;
}

void gfx_unclip(struct gui_gfx *g)
{
    SDL_RenderSetClipRect(g->r, NULL);
    g->clipped = false;
}
