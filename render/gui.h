/* gui.h: the SDL2 classroom front end's public API: open the window on a scenario (gui_show) or
 * draw the same picture at one sim time into a PNG without a display (gui_render_png).
 * Called by the CLI (render/main.c: `tcpsim`, `tcpsim show`, `tcpsim render`). */
#ifndef TCPSIM_GUI_H
#define TCPSIM_GUI_H

#include <stdbool.h>
#include <stddef.h>

#include "sim.h"

/* Where the front end gets its simulation from. build() returns a fresh simulation with every
 * action of the scenario scheduled, tracing to sink (which it must pass to sim_create); it is
 * called again for every rewind, so it must give the same simulation each time. On failure it
 * returns NULL with a message in err. */
struct gui_source {
    struct sim *(*build)(void *ctx, const struct trace_sink *sink, char *err, size_t errsize);
    void *ctx;
    const char *path;   /* the scenario file (saving with a drop appends to a copy); NULL if built in */
    const char *text;   /* the scenario's text when it has no file (saving starts from it); may be NULL */
    const char *title;  /* for the title bar; NULL: the file name */
    const char *title_ko; /* the Korean title, if any */
    /* Called once the front end no longer needs a source that open() made; may be NULL. */
    void (*release)(void *ctx);
};

/* Makes a source for a scenario file chosen in the picker (the CLI parses it and wires
 * scn_build into build). Returns false with a message in err. */
typedef bool (*gui_open_fn)(void *ctx, const char *path, struct gui_source *out, char *err, size_t errsize);

struct gui_options {
    const char *lang;          /* "en" or "ko"; NULL: LANGUAGE, LC_ALL, LC_MESSAGES, LANG */
    int width, height;         /* window or picture size in pixels; 0: 1280 x 720 */
    bool fullscreen;
    bool presenter;            /* larger text, high contrast, stops at pause points */
    bool absolute;             /* absolute sequence numbers instead of relative ones */
    const char *assets_dir;    /* fonts and catalogs; NULL: $TCPSIM_ASSETS, else the build's */
    const char *scenario_dir;  /* the picker lists *.scn here; NULL: "scenarios" */
    const char *output_dir;    /* screenshots and saved scenarios; NULL: the current directory */
    gui_open_fn open;          /* NULL: scenario files are parsed with gui_scn_open */
    void *open_ctx;
};

enum gui_result {
    GUI_OK = 0,
    GUI_ERR_INPUT = 2,         /* the scenario could not be built, a file could not be written */
    GUI_ERR_NO_DISPLAY = 3,    /* no video device: the caller should fall back to headless output */
};

void gui_options_defaults(struct gui_options *opt);

/* Opens the window and runs until it is closed. Errors are reported on stderr. */
int gui_show(const struct gui_source *src, const struct gui_options *opt);

/* Draws the window's picture at sim time `at` (the state after every event at or before it) into
 * out_png, width x height from opt, without a display. The same inputs give the same bytes. */
int gui_render_png(const struct gui_source *src, sim_time at, const char *out_png, const struct gui_options *opt);

#endif
