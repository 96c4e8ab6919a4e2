/* gui_snap.h: snapshots of panels on the offscreen canvas: a panel whose picture is a function of
 * a few inputs (its key) is drawn once, its pixels kept, and copied back while the key stays the
 * same. Used by the panels through gui_gfx (only where gfx_direct gave it the surface); the
 * canvas frees them with gfx_finish. */
#ifndef TCPSIM_GUI_SNAP_H
#define TCPSIM_GUI_SNAP_H

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stddef.h>

#include "gui_gfx.h"

#define GUI_SNAP_SLOTS 2
#define GUI_SNAP_KEY_MAX 1024      /* bytes of a key */
enum { GUI_SNAP_FSM };             /* the slots in use */

/* Puts back the pixels kept in slot for area (and the pixel around it) if they were kept under
 * the same key; false (and nothing drawn) otherwise, or when g draws through a renderer only. The
 * panel must draw nothing outside area but its anti-aliased border, and whatever lies around it
 * must not change from frame to frame (the gaps between panels). */
bool gui_snap_restore(struct gui_gfx *g, int slot, SDL_FRect area, const void *key, size_t len);
/* Keeps the pixels of area (what was just drawn there) in slot under key. */
void gui_snap_store(struct gui_gfx *g, int slot, SDL_FRect area, const void *key, size_t len);
void gui_snap_free(struct gui_gfx *g);

#endif
