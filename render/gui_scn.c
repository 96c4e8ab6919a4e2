/* gui_scn.c: scenario-backed sources for the front end (build = scn_build; titles from the
 * file). Called by the CLI and, through gui_options.open, by the window's scenario picker. */
#include "gui_scn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct sim *build(void *ctx, const struct trace_sink *sink, char *err, size_t errsize)
{
    struct scn_error e;
    struct sim *s = scn_build(ctx, sink, &e);
    if (!s)
        snprintf(err, errsize, "%s", e.text);
    return s;
}

void gui_scn_source(const struct scn *s, const char *path, const char *text, struct gui_source *out)
{
    *out = (struct gui_source){ .build = build, .ctx = (void *)s, .path = path, .text = text,
                                .title = s->title.en, .title_ko = s->title.ko };
}

static void release(void *ctx)
{
    scn_free(ctx);
}

bool gui_scn_open(void *ctx, const char *path, struct gui_source *out, char *err, size_t errsize)
{
    (void)ctx;
    struct scn *s = NULL;
    struct scn_error e;
    if (!scn_parse_file(path, &s, &e)) {
        snprintf(err, errsize, "%s", e.text);
        return false;
    }
    gui_scn_source(s, s->name, NULL, out);
    out->release = release;
    return true;
}
