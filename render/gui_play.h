/* gui_play.h: playback over a model: the moment shown, play/pause, animating to the next step,
 * speeds, squeezing idle stretches (a 240 s TIME_WAIT plays in a few seconds, its countdown still
 * readable) and presenter mode's stops at pause points. Driven by gui.c with wall-clock deltas;
 * pure logic, so the tests drive it too. */
#ifndef TCPSIM_GUI_PLAY_H
#define TCPSIM_GUI_PLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gui_model.h"

#define GUI_PLAY_SQUEEZE_MS 2000 /* an idle stretch longer than this at the chosen speed plays in this */
#define GUI_PLAY_NO_TARGET ((size_t)-1)

struct gui_play {
    struct gui_model *m;
    sim_time t;                 /* the moment shown */
    bool playing;
    size_t target;              /* animating toward this step count, or GUI_PLAY_NO_TARGET */
    int speed;                  /* index into the speed table */
    sim_time idle_rate;         /* the squeezed rate of the current idle stretch, 0 if none */
    bool presenter;             /* playing stops after a step with a pause point */
    bool squeezing;             /* the last advance ran faster than the chosen speed */
};

void gui_play_init(struct gui_play *p, struct gui_model *m);

/* Jumps to just after step k, paused. Returns false if the model could not get there. */
bool gui_play_jump(struct gui_play *p, size_t k);
/* Plays toward step k and stops there; a second call while animating first finishes the running
 * animation at once. Returns false at the end of the run. */
bool gui_play_animate_to(struct gui_play *p, size_t k);
/* Presenter keys: play to the next pause point (or the end); jump back to the previous one. */
bool gui_play_next_pause(struct gui_play *p);
bool gui_play_prev_pause(struct gui_play *p);
void gui_play_toggle(struct gui_play *p); /* Space: at the end it starts again from the beginning */

/* Advances by dt_ms of wall time; returns the number of steps applied (so the caller can restart
 * its animations), or -1 if the model failed. */
int gui_play_advance(struct gui_play *p, uint64_t dt_ms);
bool gui_play_moving(const struct gui_play *p);

void gui_play_faster(struct gui_play *p);
void gui_play_slower(struct gui_play *p);
const char *gui_play_speed_label(const struct gui_play *p); /* "20 ms/s" */
sim_time gui_play_rate(const struct gui_play *p);           /* simulated ns per wall second */

#endif
