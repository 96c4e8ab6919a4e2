/* gui_gfx.h: anti-aliased drawing primitives on an SDL_Renderer (thick lines and polylines,
 * arrows, dashes, filled convex shapes, circles, rounded rectangles) built from triangles with a
 * one-pixel feathered edge. Used by every gui_*.c panel; works on window and software renderers. */
#ifndef TCPSIM_GUI_GFX_H
#define TCPSIM_GUI_GFX_H

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stddef.h>

struct gui_snap;
struct gui_text;
struct gui_theme;

struct gui_gfx {
    SDL_Renderer *r;
    int w, h;                     /* output size in pixels */
    struct gui_text *text;
    const struct gui_theme *theme;
    SDL_Vertex *verts;            /* scratch space for one primitive */
    size_t nverts, cap;
    bool oom;                     /* a primitive was skipped for lack of memory */
    SDL_Surface *direct;          /* the software renderer's surface: triangles go straight in */
    SDL_Rect clip;                /* the clip rectangle in force, if clipped */
    bool clipped;
    struct gui_snap *snaps;       /* panel snapshots on the direct surface (gui_snap.h), or NULL */
};

void gfx_init(struct gui_gfx *g, SDL_Renderer *r, struct gui_text *text);
/* For a software renderer on surface s (the offscreen canvas): triangles are filled by
 * gui_raster straight into s instead of through SDL_RenderGeometry, which in SDL's software
 * renderer makes and blits a temporary surface per triangle. */
void gfx_direct(struct gui_gfx *g, SDL_Surface *s);
void gfx_finish(struct gui_gfx *g);

void gfx_fill_rect(struct gui_gfx *g, SDL_FRect rc, SDL_Color c);
/* n rectangles in one colour, in order (one call to the renderer). */
void gfx_fill_rects(struct gui_gfx *g, const SDL_FRect *rc, size_t n, SDL_Color c);
void gfx_rect_outline(struct gui_gfx *g, SDL_FRect rc, float width, SDL_Color c);
void gfx_round_rect(struct gui_gfx *g, SDL_FRect rc, float radius, SDL_Color c);
void gfx_round_rect_outline(struct gui_gfx *g, SDL_FRect rc, float radius, float width, SDL_Color c);

void gfx_line(struct gui_gfx *g, float x0, float y0, float x1, float y1, float width, SDL_Color c);
void gfx_dashed_line(struct gui_gfx *g, float x0, float y0, float x1, float y1, float width, float dash,
                     SDL_Color c);
/* A polyline with mitred joins; closed joins the last point to the first. */
void gfx_polyline(struct gui_gfx *g, const SDL_FPoint *pts, size_t n, bool closed, float width, SDL_Color c);
/* A line ending in a filled arrowhead of the given length at (x1, y1). */
void gfx_arrow(struct gui_gfx *g, float x0, float y0, float x1, float y1, float width, float head, SDL_Color c);
void gfx_arrowhead(struct gui_gfx *g, float x0, float y0, float x1, float y1, float head, SDL_Color c);
void gfx_convex(struct gui_gfx *g, const SDL_FPoint *pts, size_t n, SDL_Color c);
void gfx_circle(struct gui_gfx *g, float cx, float cy, float radius, SDL_Color c);
void gfx_ring(struct gui_gfx *g, float cx, float cy, float radius, float width, SDL_Color c);
/* An X of two strokes centred on (cx, cy). */
void gfx_cross(struct gui_gfx *g, float cx, float cy, float size, float width, SDL_Color c);
/* A horizontal zigzag across [x0, x1] at y (the "time compressed here" break mark). */
void gfx_zigzag(struct gui_gfx *g, float x0, float x1, float y, float amp, float width, SDL_Color c);

void gfx_clip(struct gui_gfx *g, SDL_FRect rc);
void gfx_unclip(struct gui_gfx *g);

#endif
