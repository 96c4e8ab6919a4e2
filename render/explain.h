/* explain.h: plain-language explanations of trace records, in English or (through a catalog)
 * Korean: one sentence for a whole step ("B receives SYN in LISTEN, moves to SYN_RECEIVED and
 * answers SYN+ACK ...") and one short line per step for the event log. Used by the front end. */
#ifndef TCPSIM_EXPLAIN_H
#define TCPSIM_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "i18n.h"
#include "trace.h"

struct explain_opts {
    const struct i18n *cat; /* NULL: English */
    bool absolute;          /* absolute sequence numbers instead of relative ones */
    bool korean;            /* captions in their Korean text (text_ko) when they have one */
    /* Each host's state before the step (index 0 = A), when the caller knows it; lets "receives
     * ACK in ESTABLISHED" name the state even when it does not change. */
    bool know_before;
    enum tcp_state before[2];
};

/* Explains the records one step produced (one scheduler event: a segment arriving, an
 * application call, a timer), in one or more sentences. Returns the length needed. */
size_t explain_step(const struct trace_rec *recs, size_t n, const struct explain_opts *o, char *buf,
                    size_t size);

/* A compact one-line summary of a step for the event log, e.g. "B ← SYN · LISTEN → SYN_RECEIVED
 * · SYN+ACK →". Returns the length needed. */
size_t explain_step_short(const struct trace_rec *recs, size_t n, const struct explain_opts *o, char *buf,
                          size_t size);

/* Flag names joined by '+' in the order textbooks write them, SYN, FIN, RST, PSH, URG, ECE, CWR
 * and ACK last: "SYN+ACK", "FIN+ACK", "PSH+ACK" ("none" when no flag is set). */
size_t explain_flags(uint8_t flags, char *buf, size_t size);
extern const uint8_t explain_flag_order[8];

/* A duration as the explanations write it: "240 s", "1.5 s", "200 ms", "40 μs" (Greek mu: the fonts have no micro sign). */
size_t explain_duration(sim_time d, char *buf, size_t size);

#endif
