/* gui_theme.h: the front end's colours: one fixed colour per TCP state (the table in the README),
 * one per TCP flag, and the panel colours of the normal and the high-contrast (presenter) theme.
 * Read by every gui_*.c drawing file and by the tests that sample badge pixels. */
#ifndef TCPSIM_GUI_THEME_H
#define TCPSIM_GUI_THEME_H

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "trace.h"

struct gui_theme {
    SDL_Color bg, panel, panel_border, text, text_dim, text_faint;
    SDL_Color accent;         /* the current position, focus */
    SDL_Color changed;        /* background of a value the last step changed */
    SDL_Color lost;           /* lost segments, errors */
    SDL_Color warn;           /* duplicated, held back, corrupted */
    SDL_Color line;           /* ladder time lines, diagram edges */
    SDL_Color card, card_border;
    SDL_Color overlay;        /* help / picker backdrop */
    float line_scale;         /* presenter mode draws thicker lines */
};

const struct gui_theme *gui_theme_get(bool high_contrast);

/* The badge colour of a state and the text colour readable on it (same in both themes). */
SDL_Color gui_theme_state(enum tcp_state s);
SDL_Color gui_theme_state_text(enum tcp_state s);
/* The chip colour of one flag bit (SEG_SYN, ...) and its text colour. */
SDL_Color gui_theme_flag(uint8_t bit);
SDL_Color gui_theme_flag_text(uint8_t bit);
/* A colour with a different alpha. */
SDL_Color gui_theme_alpha(SDL_Color c, uint8_t a);

#endif
