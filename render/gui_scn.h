/* gui_scn.h: front-end sources backed by scenario files: build() is scn_build of the parsed
 * scenario, so every rewind rebuilds the same simulation. Used by the CLI (`tcpsim show`,
 * `tcpsim render`), as the picker's opener, and by the tests and the benchmark. */
#ifndef TCPSIM_GUI_SCN_H
#define TCPSIM_GUI_SCN_H

#include <stdbool.h>
#include <stddef.h>

#include "gui.h"
#include "scn.h"

/* A source for a scenario already parsed (and --set applied) by the caller, who keeps it alive
 * and frees it; path and text are what saving with drops starts from (either may be NULL). */
void gui_scn_source(const struct scn *s, const char *path, const char *text, struct gui_source *out);

/* A gui_open_fn: parses the file; the source's release() frees the scenario. ctx is unused. */
bool gui_scn_open(void *ctx, const char *path, struct gui_source *out, char *err, size_t errsize);

#endif
