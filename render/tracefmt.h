/* tracefmt.h: writes trace records as text (one readable line each) or JSONL (design.md's
 * schema). Used by `tcpsim run`, sweeps and tests; pure formatting, no engine state. */
#ifndef TCPSIM_TRACEFMT_H
#define TCPSIM_TRACEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "trace.h"

enum tracefmt_kind { TRACEFMT_TEXT, TRACEFMT_JSONL };

/* Formats one record into buf (always NUL-terminated, truncated if size is too small); returns
 * the length it needed, like snprintf. No trailing newline. */
size_t tracefmt_text(const struct trace_rec *r, char *buf, size_t size);
size_t tracefmt_jsonl(const struct trace_rec *r, char *buf, size_t size);

/* A sink that writes each record as one line to a FILE. */
struct tracefmt_sink {
    FILE *out;
    enum tracefmt_kind kind;
};
void tracefmt_emit(void *ctx, const struct trace_rec *r); /* ctx is a struct tracefmt_sink */

/* Writes "s.uuuuuu" (seconds with microseconds) for a time in nanoseconds. */
size_t tracefmt_time(sim_time t, char *buf, size_t size);

#endif
