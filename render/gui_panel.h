/* gui_panel.h: the panels of the picture, one file each (gui_hosts.c, gui_link.c, gui_ladder.c,
 * gui_fsm.c, gui_caption.c, gui_timeline.c, gui_log.c, gui_overlay.c), and the chrome and
 * helpers they share (implemented in gui_scene.c). Called only by gui_scene.c. */
#ifndef TCPSIM_GUI_PANEL_H
#define TCPSIM_GUI_PANEL_H

#include "gui_scene.h"
#include "gui_text.h"
#include "gui_theme.h"

void gui_hosts_draw(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v, const struct gui_look *k,
                    int index);
void gui_link_draw(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v, const struct gui_look *k);
void gui_ladder_draw(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v, const struct gui_look *k);
void gui_fsm_draw(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v, const struct gui_look *k);
void gui_caption_draw(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v, const struct gui_look *k);
void gui_timeline_draw(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v,
                       const struct gui_look *k);
void gui_log_draw(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v, const struct gui_look *k);
void gui_overlay_help(struct gui_gfx *g, const struct gui_layout *l, const struct gui_look *k);
void gui_overlay_picker(struct gui_gfx *g, const struct gui_layout *l, const struct gui_look *k);

/* Shared chrome: a panel's background and heading; returns the area below the heading. */
SDL_FRect gui_panel_frame(struct gui_gfx *g, const struct gui_layout *l, SDL_FRect rc, const char *heading);
/* Flag chips ("SYN" "ACK" ...) left to right from x with their top at y; returns the width. */
float gui_panel_chips(struct gui_gfx *g, uint8_t flags, float x, float y, int px, float pad);
float gui_panel_chips_width(struct gui_gfx *g, uint8_t flags, int px, float pad);
/* "12.345678 s"-style times for the screen, and the shorter "240.0 s" for countdowns. */
void gui_panel_time(sim_time t, char *buf, size_t size);
void gui_panel_seconds(sim_time t, char *buf, size_t size);
/* The records of the steps applied so far end here (an index into m->recs). */
size_t gui_panel_applied(const struct gui_view *v);
/* A segment's numbers as the screen shows them ("seq 1 ack 1 len 5"), relative or absolute. */
void gui_panel_seg_text(const struct trace_seg *s, bool absolute, char *buf, size_t size);

#endif
