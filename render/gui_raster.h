/* gui_raster.h: fills gui_gfx's triangles (colour per vertex, blended over what is there) straight
 * into a 32-bit surface, row span by row span, in integer sub-pixel arithmetic. Called by gui_gfx.c
 * when it draws with SDL's software renderer (the offscreen canvas, a window without a GPU), which
 * would make and blit a temporary surface for every triangle. */
#ifndef TCPSIM_GUI_RASTER_H
#define TCPSIM_GUI_RASTER_H

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stddef.h>

/* Whether gui_raster_triangles can draw into s (32-bit ARGB8888 or RGB888, no RLE). */
bool gui_raster_supports(const SDL_Surface *s);

/* Fills n / 3 triangles (v[0..2], v[3..5], ...) into s, inside clip (NULL: the whole surface).
 * A pixel belongs to a triangle when its centre is inside (top-left rule on the edges, so
 * triangles sharing an edge paint each pixel once); its colour is the vertex colours interpolated
 * there, blended over the pixel with its alpha. Texture coordinates are ignored. */
void gui_raster_triangles(SDL_Surface *s, const SDL_Rect *clip, const SDL_Vertex *v, size_t n);

/* Blends colour c over rectangle rc (whole pixels) inside clip, as the triangles do. */
void gui_raster_rect(SDL_Surface *s, const SDL_Rect *clip, SDL_Rect rc, SDL_Color c);

#endif
