/* gui_scene.h: the whole picture (title bar, both hosts, the link, the ladder, the state diagram,
 * the event log, the caption and the timeline, plus the help, picker and blank overlays) drawn
 * from one gui_view and the look settings. Called by gui.c each frame and by gui_png.c once. */
#ifndef TCPSIM_GUI_SCENE_H
#define TCPSIM_GUI_SCENE_H

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stddef.h>

#include "gui_gfx.h"
#include "gui_layout.h"
#include "gui_model.h"
#include "i18n.h"

struct gui_pick; /* gui_files.h */

#define GUI_LOG_ROWS 96
#define GUI_PICKER_ROWS 48

/* Where clickable things were drawn (filled while drawing; gui.c tests clicks against it). */
struct gui_hits {
    size_t ncards;
    struct {
        SDL_FRect rc;
        uint64_t id;
        int copy;
    } cards[GUI_MAX_INFLIGHT];
    SDL_FRect timeline;            /* the scrub bar */
    double timeline_u0, timeline_u1; /* axis positions at its two ends */
    size_t nlog;
    struct {
        SDL_FRect rc;
        size_t step;
    } log[GUI_LOG_ROWS];
    SDL_FRect log_area, ladder_area;
    SDL_FRect badge[2];            /* the hosts' state badges (the tests sample their colour) */
    size_t npicker;
    struct {
        SDL_FRect rc;
        size_t index;              /* into the look's picker list */
    } picker[GUI_PICKER_ROWS];
};

/* Everything besides the model that changes the picture. */
struct gui_look {
    const struct i18n *cat;        /* NULL: English */
    bool korean;                   /* captions use text_ko */
    bool presenter, absolute, help, blank;
    bool still;                    /* a still render: no wall-clock animation */
    double anim;                   /* 0..1 since the last step was applied; 1 in stills */
    bool playing;
    const char *speed;             /* e.g. "20 ms/s" */
    const char *status;            /* a one-line message, or NULL */
    const char *title;
    size_t log_scroll;             /* rows scrolled up from the newest; 0 follows */
    double ladder_scroll;          /* axis units scrolled up from following; 0 follows */
    int hover_card;                /* index into the view's in-flight copies, or -1 */
    bool picker_open;
    const struct gui_pick *picker; /* the scenarios and their titles */
    size_t npicker, picker_sel;
    struct gui_hits *hits;         /* NULL when nothing is clickable */
};

void gui_look_defaults(struct gui_look *k);
void gui_scene_draw(struct gui_gfx *g, const struct gui_layout *l, const struct gui_view *v, const struct gui_look *k);

#endif
