/* sweep.h: parameter sweeps: --set ranges expanded exactly, the plan of runs (every combination
 * of range values times seeds 1..N), one run measured from its trace, and the statistics per
 * combination. Called by cli_sweep.c, sweep_jobs.c and tests/sweep; a chart reads the summary. */
#ifndef TCPSIM_SWEEP_H
#define TCPSIM_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scn.h"

#define SWEEP_MAX_RUNS 1000000u   /* seeds x every range's values, all together */
#define SWEEP_MAX_SETS 64u        /* --set options, ranges and plain ones together */
#define SWEEP_MAX_JOBS 256u       /* worker processes */
#define SWEEP_VALUE_MAX 96u       /* one expanded value as text, NUL included */
#define SWEEP_KEY_MAX 64u         /* the KEY of a --set, NUL included */
#define SWEEP_ARG_MAX (SCN_MAX_LINE_BYTES + SWEEP_VALUE_MAX) /* one --set with its value put in */
#define SWEEP_WHY_MAX 256u        /* the text after "failed: " or "limit: " */
#define SWEEP_SOCKS 64u           /* sockets followed per host; more at once are not counted */

/* An error: the whole message as the CLI prints it. */
struct sweep_error {
    char text[700];
};

/* ---- ranges (sweep_range.c) ---- */

/* The kind of number a range holds, from the units written: a bare number (or a size when
 * another part has a size unit), a time, a percentage, a size or a rate. */
enum sweep_kind { SWEEP_NUMBER, SWEEP_TIME, SWEEP_PERCENT, SWEEP_SIZE, SWEEP_RATE };

/* FROM..TO/STEP: values FROM + k*STEP for k = 0 .. count-1, the last one exactly TO. Numbers
 * are kept as integers in 10^-scale of the base unit (ns, percent, byte, bit/s, 1), so no
 * value is ever rounded. */
struct sweep_range {
    enum sweep_kind kind;
    unsigned scale;
    uint64_t from, step, count;
    uint64_t unit;            /* FROM's unit in base units: values are written in it */
    char unit_name[8];        /* as written after FROM ("ms", "%", "KiB", "") */
};

/* One --set argument: KEY=VALUE, where one word of VALUE may be a range FROM..TO/STEP. */
struct sweep_set {
    const char *arg;          /* as given (not copied) */
    char key[SWEEP_KEY_MAX];  /* the text before '=': the CSV column of a range */
    bool is_range;
    size_t word_start, word_end; /* bytes of the range word in arg */
    struct sweep_range range;
};

/* Reads one --set argument. A range error is reported as "--set:1:COL: error: MESSAGE near
 * 'TEXT'" (COL in UTF-8 characters of arg). Whether the key and values suit the scenario is
 * left to scn_set (sweep_plan_init tries every value). */
bool sweep_set_parse(struct sweep_set *out, const char *arg, struct sweep_error *err);
/* Value k of a range as written in FROM's unit, exact ("250ms", "1.25s", "0.5%"); returns
 * the length like snprintf. For a plain set it writes the value after '='. */
size_t sweep_set_value(const struct sweep_set *s, uint64_t k, char *buf, size_t size);
/* The override for value k, "KEY=VALUE" with the range word replaced; false if it does not fit. */
bool sweep_set_arg(const struct sweep_set *s, uint64_t k, char *buf, size_t size);
/* scn_set's error for the override of value k, with its column moved back into the argument as
 * written (a column inside the substituted value points at the range word). */
void sweep_set_error(const struct sweep_set *s, uint64_t k, const struct scn_error *e,
                     struct sweep_error *err);

/* ---- the plan (sweep_plan.c) ---- */

/* Runs are numbered 0 .. runs-1: run i is combination i / seeds with seed i % seeds + 1.
 * Combinations count through the ranges like nested loops in command-line order, the last
 * range fastest. Every override is applied in command-line order, the seed last. */
struct sweep_plan {
    const char *name;         /* the scenario's file name, for messages */
    const char *text;         /* the scenario file's bytes (the caller's, kept) */
    size_t len;
    struct sweep_set sets[SWEEP_MAX_SETS];
    size_t nsets;
    size_t range[SWEEP_MAX_SETS]; /* indices into sets of the ranges, in order */
    size_t nranges;
    uint64_t seeds, combos, runs;
};

/* Parses the scenario and every --set, tries each override (every value of every range) on the
 * scenario, and checks the run limit. On failure fills err with one line for the user. */
bool sweep_plan_init(struct sweep_plan *p, const char *name, const char *text, size_t len,
                     const char *const *sets, size_t nsets, uint64_t seeds,
                     struct sweep_error *err);
/* The value index of each range (k[0 .. nranges-1]) for a combination. */
void sweep_plan_values(const struct sweep_plan *p, uint64_t combo, uint64_t *k);
/* The scenario with a combination's overrides applied (not yet the seed); NULL with err. */
struct scn *sweep_plan_load(const struct sweep_plan *p, uint64_t combo, struct sweep_error *err);

/* ---- one run's measurements from its trace (sweep_metrics.c) ---- */

enum sweep_outcome {
    SWEEP_COMPLETED, /* established, every byte sent was delivered, both sides closed, no error */
    SWEEP_FAILED,    /* it ran to the end but one of those did not happen (why says which) */
    SWEEP_LIMIT,     /* the run hit a simulation limit (why names it) */
};

struct sweep_result {
    uint64_t run, seed;
    enum sweep_outcome outcome;
    char why[SWEEP_WHY_MAX];  /* "" when completed */
    uint32_t expects;         /* the scenario's expectations, 0 if none */
    uint32_t expects_failed;
    sim_time handshake;       /* first connect to that socket's ESTABLISHED; -1 if never */
    sim_time total;           /* time of the last event that counts (see sweep_metrics) */
    uint64_t retransmits;     /* segments with sequence space starting below the highest sent */
    uint64_t segments;        /* segments sent, whatever their fate (injected ones included) */
    uint64_t delivered;       /* bytes handed to both applications */
};

struct sweep_sock {
    bool used;
    int32_t sock;
    enum tcp_state state;
    bool tx_any;
    uint32_t snd_max;         /* highest relative sequence end sent */
};

/* Follows one run's trace records. The total time is the time of the last tx, rx, state or
 * application record, leaving out timers, captions, pauses, link changes, "closed" reports
 * (each comes with a state record already counted) and the TIME_WAIT -> CLOSED expiry: a
 * connection is over when its last segment is handled, not 2 MSL later. */
struct sweep_metrics {
    bool connected, established;
    char conn_host;
    int32_t conn_sock;
    sim_time connect_t, established_t, last_t;
    uint64_t retransmits, segments;
    uint64_t sent[SIM_HOSTS], delivered[SIM_HOSTS];
    bool error;
    char error_host;
    char error_note[TRACE_NOTE_MAX];
    struct sweep_sock sock[SIM_HOSTS][SWEEP_SOCKS];
};

void sweep_metrics_init(struct sweep_metrics *m);
void sweep_metrics_record(struct sweep_metrics *m, const struct trace_rec *rec);
/* Fills out's outcome, why and measurements (not run, seed or expectations). */
void sweep_metrics_finish(const struct sweep_metrics *m, enum sim_stop why,
                          struct sweep_result *out);

/* ---- running (sweep.c) ---- */

/* Runs of one plan in one process; keeps the current combination's scenario parsed. */
struct sweep_runner;

struct sweep_runner *sweep_runner_create(const struct sweep_plan *p); /* NULL: no memory */
/* Runs run number `run` and measures it; false with err when it could not be set up. */
bool sweep_runner_run(struct sweep_runner *r, uint64_t run, struct sweep_result *out,
                      struct sweep_error *err);
void sweep_runner_destroy(struct sweep_runner *r); /* NULL is a no-op */

/* ---- worker processes (sweep_jobs.c) ---- */

/* Receives every result in run order; returning false stops the sweep (err is then the
 * caller's to fill). */
typedef bool (*sweep_emit_fn)(void *ctx, const struct sweep_result *r);

/* Runs every run of the plan over `jobs` worker processes (1: in this process). Runs are dealt
 * out in blocks of 64, block c to worker c % jobs; results reach emit in run order, so the
 * output does not depend on jobs. */
bool sweep_jobs_run(const struct sweep_plan *p, unsigned jobs, sweep_emit_fn emit, void *ctx,
                    struct sweep_error *err);

/* ---- statistics and the summary (sweep_summary.c) ---- */

/* Statistics of n times, in integer nanoseconds: the mean rounded to the nearest ns (halves
 * up), and the nearest-rank median and 90th percentile (the values at ranks ceil(n/2) and
 * ceil(9n/10) of the sorted list). All 0 when n is 0. */
struct sweep_stat {
    uint64_t n;
    sim_time mean, median, p90;
};

/* Sorts v and computes its statistics. */
void sweep_stat_compute(sim_time *v, size_t n, struct sweep_stat *out);

struct sweep_summary_row {
    uint64_t combo;           /* sweep_plan_values gives its range values */
    uint64_t runs, failures;  /* failures: runs whose outcome is not completed */
    struct sweep_stat handshake; /* over the runs that completed a handshake */
    struct sweep_stat total;     /* over every run */
};

/* One row per combination in plan order: what the summary CSV and a chart are drawn from. */
struct sweep_summary {
    const struct sweep_plan *plan;
    struct sweep_summary_row *rows;
    size_t nrows, caprows;
    sim_time *hs, *tot;       /* the current combination's times */
    size_t nhs, ntot;
    uint64_t failures;
};

bool sweep_summary_init(struct sweep_summary *s, const struct sweep_plan *p); /* false: memory */
/* Range i's value in a row: writes it as text (the CSV's, "15%") and returns its index k in the
 * range, linear in the value (FROM + k * STEP), so a chart may use k as its x axis. */
uint64_t sweep_summary_value(const struct sweep_summary *s, size_t row, size_t range, char *buf,
                             size_t size);
/* Adds one result; results must come in run order. False when memory runs out or a
 * combination gets more results than it has seeds. */
bool sweep_summary_add(struct sweep_summary *s, const struct sweep_result *r);
void sweep_summary_finish(struct sweep_summary *s);

/* ---- CSV (sweep_csv.c) ---- */

/* Per-run rows: one column per range (its key), then seed, outcome, expect, handshake_ns,
 * total_ns, retransmits, segments, delivered_bytes. */
void sweep_csv_header(FILE *f, const struct sweep_plan *p);
void sweep_csv_row(FILE *f, const struct sweep_plan *p, const struct sweep_result *r);
/* The summary: one column per range, then runs, failures, handshake_runs, handshake_mean_ns,
 * handshake_median_ns, handshake_p90_ns, total_mean_ns, total_median_ns, total_p90_ns. */
void sweep_csv_summary(FILE *f, const struct sweep_summary *s);
/* The outcome column: "completed", "failed: WHY" or "limit: WHY". */
size_t sweep_outcome_text(const struct sweep_result *r, char *buf, size_t size);

#endif
