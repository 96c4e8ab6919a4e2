/* gui_theme.c: the colour tables (state badges, flag chips, panel themes). Called by the drawing
 * files; the state colours are documented in the README's colour table and never change. */
#include "gui_theme.h"

#include "segment.h"

static const struct gui_theme normal = {
    .bg = { 0xee, 0xef, 0xf1, 0xff },
    .panel = { 0xff, 0xff, 0xff, 0xff },
    .panel_border = { 0xc8, 0xcc, 0xd2, 0xff },
    .text = { 0x1d, 0x23, 0x2b, 0xff },
    .text_dim = { 0x55, 0x5e, 0x6a, 0xff },
    .text_faint = { 0x98, 0xa0, 0xab, 0xff },
    .accent = { 0x1f, 0x5f, 0xd6, 0xff },
    .changed = { 0xff, 0xe5, 0x8a, 0xff },
    .lost = { 0xc6, 0x28, 0x28, 0xff },
    .warn = { 0xd9, 0x7a, 0x00, 0xff },
    .line = { 0x4a, 0x52, 0x5e, 0xff },
    .card = { 0xfb, 0xfc, 0xfd, 0xff },
    .card_border = { 0x5a, 0x63, 0x70, 0xff },
    .overlay = { 0x10, 0x14, 0x1a, 0xd8 },
    .line_scale = 1.0f,
};

static const struct gui_theme high_contrast = {
    .bg = { 0xff, 0xff, 0xff, 0xff },
    .panel = { 0xff, 0xff, 0xff, 0xff },
    .panel_border = { 0x00, 0x00, 0x00, 0xff },
    .text = { 0x00, 0x00, 0x00, 0xff },
    .text_dim = { 0x1a, 0x1a, 0x1a, 0xff },
    .text_faint = { 0x50, 0x50, 0x50, 0xff },
    .accent = { 0x00, 0x3c, 0xc8, 0xff },
    .changed = { 0xff, 0xd8, 0x3a, 0xff },
    .lost = { 0xb0, 0x00, 0x00, 0xff },
    .warn = { 0xb3, 0x5c, 0x00, 0xff },
    .line = { 0x00, 0x00, 0x00, 0xff },
    .card = { 0xff, 0xff, 0xff, 0xff },
    .card_border = { 0x00, 0x00, 0x00, 0xff },
    .overlay = { 0x00, 0x00, 0x00, 0xe8 },
    .line_scale = 1.6f,
};

const struct gui_theme *gui_theme_get(bool hc)
{
    return hc ? &high_contrast : &normal;
}

#define RGB(v) ((SDL_Color){ (uint8_t)((v) >> 16), (uint8_t)((v) >> 8), (uint8_t)(v), 0xff })

SDL_Color gui_theme_state(enum tcp_state s)
{
    switch (s) {
    case TCP_CLOSED: return RGB(0x7f8c8d);       /* grey */
    case TCP_LISTEN: return RGB(0x138d75);       /* teal */
    case TCP_SYN_SENT: return RGB(0xe67e22);     /* orange */
    case TCP_SYN_RECEIVED: return RGB(0xf1c40f); /* yellow */
    case TCP_ESTABLISHED: return RGB(0x229954);  /* green */
    case TCP_FIN_WAIT_1: return RGB(0x5dade2);   /* light blue */
    case TCP_FIN_WAIT_2: return RGB(0x1f618d);   /* dark blue */
    case TCP_CLOSE_WAIT: return RGB(0x8e44ad);   /* purple */
    case TCP_CLOSING: return RGB(0xe84393);      /* pink */
    case TCP_LAST_ACK: return RGB(0x935116);     /* brown */
    case TCP_TIME_WAIT: return RGB(0xc0392b);    /* red */
    }
    return RGB(0x000000);
}

SDL_Color gui_theme_state_text(enum tcp_state s)
{
    switch (s) {
    case TCP_SYN_RECEIVED:
    case TCP_FIN_WAIT_1:
        return RGB(0x111111);
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        return RGB(0xffffff);
    }
    return RGB(0xffffff);
}

SDL_Color gui_theme_flag(uint8_t bit)
{
    switch (bit) {
    case SEG_SYN: return RGB(0x1565c0); /* blue */
    case SEG_ACK: return RGB(0x2e7d32); /* green */
    case SEG_FIN: return RGB(0xd84315); /* deep orange */
    case SEG_RST: return RGB(0x111111); /* black, yellow text */
    case SEG_PSH: return RGB(0x6a1b9a); /* purple */
    case SEG_URG: return RGB(0x9e7c0c); /* olive */
    default: return RGB(0x78909c);      /* ECE, CWR: grey */
    }
}

SDL_Color gui_theme_flag_text(uint8_t bit)
{
    return bit == SEG_RST ? RGB(0xffd400) : RGB(0xffffff);
}

SDL_Color gui_theme_alpha(SDL_Color c, uint8_t a)
{
    c.a = a;
    return c;
}
