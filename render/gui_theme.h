/* gui_theme.h: the front end's colours: one fixed colour per TCP state (the table in the README),
 * one per TCP flag, and the panel colours of the normal and the high-contrast (presenter) theme.
 * Read by every gui_*.c drawing file and by the tests that sample badge pixels. */
/*
 * State colours (badges, ladder labels, Figure 5 boxes, link endpoints; text on them in brackets):
 *
 *   CLOSED        #7f8c8d grey        (white)      FIN_WAIT_2  #1f618d dark blue  (white)
 *   LISTEN        #138d75 teal        (white)      CLOSE_WAIT  #8e44ad purple     (white)
 *   SYN_SENT      #e67e22 orange      (white)      CLOSING     #e84393 pink       (white)
 *   SYN_RECEIVED  #f1c40f yellow      (black)      LAST_ACK    #935116 brown      (white)
 *   ESTABLISHED   #229954 green       (white)      TIME_WAIT   #c0392b red        (white)
 *   FIN_WAIT_1    #5dade2 light blue  (black)
 *
 * Flag chips: SYN #1565c0 blue, ACK #2e7d32 green, FIN #d84315 deep orange, RST #111111 black
 * with yellow text, PSH #6a1b9a purple, URG #9e7c0c olive, ECE/CWR #78909c grey.
 */
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
