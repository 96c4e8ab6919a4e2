/* gui_layout.h: where every panel goes and how big text is, from the output size in pixels (the
 * picture is designed at 1280x720 and scales with the smaller ratio) and presenter mode.
 * Computed each frame by gui_scene.c; read by the panels and by gui.c for hit testing. */
#ifndef TCPSIM_GUI_LAYOUT_H
#define TCPSIM_GUI_LAYOUT_H

#include <SDL2/SDL.h>
#include <stdbool.h>

struct gui_layout {
    float s;                       /* scale: 1 at 1280x720 */
    float pad, gap, radius, line;  /* inner padding, gap between panels, corner radius, line width */
    int f_title, f_body, f_small, f_tiny, f_badge, f_big, f_caption; /* font sizes in pixels */
    SDL_FRect title, host[2], link, ladder, fsm, log, caption, timeline;
};

void gui_layout_compute(struct gui_layout *l, int w, int h, bool presenter);

#endif
