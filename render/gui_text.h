/* gui_text.h: text for the front end: the bundled fonts opened at each pixel size in use, text
 * rendered once into textures and cached, measuring and word wrapping (Latin and Hangul).
 * Used by every gui_*.c panel through gui_gfx; created by gui.c and gui_png.c. */
#ifndef TCPSIM_GUI_TEXT_H
#define TCPSIM_GUI_TEXT_H

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stddef.h>

struct gui_text;

enum gui_align { GUI_LEFT, GUI_CENTER, GUI_RIGHT };

struct gui_text *gui_text_create(SDL_Renderer *r, const char *regular_ttf, const char *bold_ttf, char *err,
                                 size_t errsize);
void gui_text_destroy(struct gui_text *t); /* NULL is a no-op */

/* Marks the start of a frame: textures not used for a while are freed. */
void gui_text_frame(struct gui_text *t);

/* Draws one line with its top at y; x is its left edge, centre or right edge by align. Returns
 * the width drawn (0 if the font could not be opened). */
float gui_text_draw(struct gui_text *t, const char *s, int px, bool bold, SDL_Color c, float x, float y,
                    enum gui_align align);
/* Like gui_text_draw, but shortens the text with "…" so it fits in max_w. */
float gui_text_draw_fit(struct gui_text *t, const char *s, int px, bool bold, SDL_Color c, float x, float y,
                        float max_w, enum gui_align align);
float gui_text_width(struct gui_text *t, const char *s, int px, bool bold);
int gui_text_height(struct gui_text *t, int px, bool bold); /* line height */

/* Breaks s into lines no wider than max_w (at spaces, or anywhere in a word too long for a
 * line). Writes up to max_lines offsets/lengths; returns the number of lines needed. */
size_t gui_text_wrap(struct gui_text *t, const char *s, int px, bool bold, float max_w, size_t *starts,
                     size_t *lens, size_t max_lines);

/* Whether the regular font has a glyph for every code point of a UTF-8 string; the first
 * missing one is stored in *missing. */
bool gui_text_covers(struct gui_text *t, const char *s, uint32_t *missing);

#endif
