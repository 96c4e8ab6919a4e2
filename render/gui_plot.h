/* gui_plot.h: a sweep's summary as a chart in a PNG, drawn without a display on the front end's
 * offscreen canvas: handshake time (median, 90th percentile) and the share of failed runs against
 * the first swept setting, one line per value of the other swept settings. Called by cli_sweep.c
 * (`tcpsim sweep --plot`) and the tests. */
#ifndef TCPSIM_GUI_PLOT_H
#define TCPSIM_GUI_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "sweep.h"

#define GUI_PLOT_MAX_SERIES 10   /* combinations of the settings after the first: one line each */

struct gui_plot_options {
    int width, height;           /* pixels; 0: 1280 x 720 */
    const char *title;           /* the scenario's title; NULL or "": its file name */
    const char *assets_dir;      /* fonts; NULL: found as gui_assets_find does */
};

/* Whether a plan can be drawn: it needs a range for the x axis and at most GUI_PLOT_MAX_SERIES
 * combinations of the other ranges. False with the reason in err. */
bool gui_plot_check(const struct sweep_plan *p, char *err, size_t errsize);

/* Draws the summary of a finished sweep (every combination's row added) into out_png. The same
 * summary and options give the same bytes. False with a message in err. */
bool gui_plot_png(const struct sweep_summary *s, const struct gui_plot_options *o, const char *out_png, char *err,
                  size_t errsize);

#endif
