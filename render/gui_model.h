/* gui_model.h: the front end's view of one run: every trace record of the whole run grouped into
 * steps (one scheduler event each, or one user drop), a live simulation positioned at step k
 * (going back rebuilds and replays: the engine is deterministic), the compressed time axis the
 * ladder and timeline share, and plain snapshots (struct gui_view) that the panels draw from.
 * Used by gui.c, gui_png.c, the panels (read-only) and the tests. */
#ifndef TCPSIM_GUI_MODEL_H
#define TCPSIM_GUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gui.h"
#include "sim.h"

#define GUI_MAX_STEPS 2000000u  /* a run longer than this is cut (the timeline says so) */
#define GUI_MAX_SOCKS 8         /* sockets a host panel lists */
#define GUI_MAX_INFLIGHT 64     /* segment copies the link panel draws */
#define GUI_CHECKPOINT 256      /* the spare simulation waits at a multiple of this many steps */

/* One trace record, stored compactly: its texts live in the model's text pool. */
struct gui_rec {
    sim_time t;
    enum trace_ev ev;
    char host;
    bool nonstandard;
    int32_t sock;
    uint32_t note;             /* offset of the note in the pool ("" is offset 0) */
    union {
        struct {
            uint64_t id;
            struct trace_seg seg;
            enum seg_fate fate;
            char to;
            uint32_t rx[2];    /* index + 1 of the records of its arrivals (0: none) */
        } tx;
        struct {
            uint64_t id;
            struct trace_seg seg;
            bool discarded;
            uint32_t tx;       /* index + 1 of the record that sent it (0: unknown) */
        } rx;
        struct { enum tcp_state from, to; } state;
        struct { enum tcp_timer timer; enum timer_action action; sim_time deadline; } timer;
        struct { enum app_action action; uint64_t bytes; } app;
        struct { uint32_t text, text_ko; } caption;
        struct { char dir[4]; } link;
    } u;
};

/* What a step contains, for the timeline's tick colours. */
enum {
    GUI_STEP_TX = 1,
    GUI_STEP_LOST = 2,
    GUI_STEP_STATE = 4,
    GUI_STEP_CAPTION = 8,
    GUI_STEP_PAUSE = 16,
    GUI_STEP_DROP = 32,        /* the user dropped a segment here */
};

struct gui_step {
    sim_time t;
    uint32_t first, count;     /* its records */
    uint64_t events;           /* sim_events_run() once it has run */
    int32_t drop;              /* index of the user drop it applies, or -1 */
    uint8_t kinds;
};

/* A segment the user dropped in flight, applied after `at` steps of the run. */
struct gui_drop {
    size_t at;
    sim_time t;                /* the moment shown when it was dropped */
    uint64_t id;
    int copy;
};

/* The time axis with long idle stretches squeezed: u(t) grows by one unit per typical link delay,
 * and a gap longer than GUI_AXIS_CAP units is drawn GUI_AXIS_CAP long with a break mark. */
#define GUI_AXIS_CAP 2.5
#define GUI_AXIS_MIN 0.35
struct gui_axis {
    size_t n;
    sim_time *t;               /* distinct step times, increasing */
    double *u;                 /* their positions */
    bool *brk;                 /* brk[i]: the stretch from t[i] to t[i+1] was squeezed */
    sim_time unit;             /* the time one unit stands for */
};

struct gui_hostview {
    char name;
    uint32_t addr;
    enum tcp_state state;      /* host_state() */
    size_t nsocks;             /* sockets in socks[] */
    size_t nsocks_total;
    struct tcb_view socks[GUI_MAX_SOCKS];
    int main;                  /* index in socks[] of the connection shown in detail, -1 if none */
    struct tcp_profile profile;
};

struct gui_model {
    struct gui_source src;
    struct sim_config cfg;

    struct gui_rec *recs;
    size_t nrecs, recs_cap;
    char *pool;                /* NUL-terminated texts; offset 0 is "" */
    size_t pool_len, pool_cap;
    struct gui_step *steps;
    size_t nsteps, steps_cap;
    uint32_t *tx_by_id;        /* record index + 1 of each segment id's tx record */
    size_t tx_by_id_cap;
    struct gui_drop *drops;
    size_t ndrops, drops_cap;
    struct gui_axis axis;
    enum sim_stop end;         /* why the recorded run stopped */
    bool truncated;            /* GUI_MAX_STEPS reached */
    bool oom;

    struct sim *sim;           /* the live simulation, after `pos` steps */
    size_t pos;
    struct sim *spare;         /* a second one at a checkpoint before pos (NULL if none yet): */
    size_t spare_pos;          /* going back then replays from there, not from the start */
    size_t checkpoint;         /* the spare's spacing in steps; 0 means GUI_CHECKPOINT */
    struct gui_hostview cur[2], prev[2]; /* host views after pos and after pos - 1 steps */
    bool prev_valid;
    char err[256];
};

/* A snapshot for drawing at one moment: after `pos` steps, at time t (>= the last step's time). */
struct gui_view {
    const struct gui_model *m;
    size_t pos;
    sim_time t;
    const struct gui_hostview *host, *before; /* [2] each; before is NULL at pos 0 */
    size_t ninflight;
    struct sim_inflight inflight[GUI_MAX_INFLIGHT];
};

/* Builds the model: runs the whole scenario once to record it, then positions a live simulation at
 * step 0. Returns NULL with a message in err. */
struct gui_model *gui_model_create(const struct gui_source *src, char *err, size_t errsize);
void gui_model_destroy(struct gui_model *m); /* NULL is a no-op */

/* Moves the live simulation to just after step k (0 = nothing run yet). Going back rebuilds the
 * simulation and replays. Returns false if the simulation could not be rebuilt. */
bool gui_model_goto(struct gui_model *m, size_t k);
/* Work to do while the window is idle: moves the spare simulation up to the checkpoint just
 * before the current position, at most `budget` steps per call, so that the next step back
 * replays at most GUI_CHECKPOINT steps. Returns true while work remains. */
bool gui_model_idle(struct gui_model *m, size_t budget);
/* The number of steps whose time is <= t. */
size_t gui_model_steps_until(const struct gui_model *m, sim_time t);

/* Drops a segment copy in flight at time t (the moment shown, before the next step) as if the
 * link had lost it. The drop becomes step `pos` and the live position moves past it; the recorded
 * run from there on is redone (drops made later in the old run are forgotten). */
bool gui_model_drop(struct gui_model *m, uint64_t id, int copy, sim_time t);
/* The line to add to the scenario file so that it drops the same segment: "fault A>B drop SYN
 * nth 1". Returns false if drop index i is not known. */
bool gui_model_fault_line(const struct gui_model *m, size_t i, char *buf, size_t size);

/* The snapshot for drawing at time t (clamped to the current step's time at the least). */
void gui_model_view(struct gui_model *m, sim_time t, struct gui_view *out);

/* Record access. */
const char *gui_model_text(const struct gui_model *m, uint32_t off);
/* Rebuilds full trace records for step k into out (at most max); returns the count. */
size_t gui_model_step_recs(const struct gui_model *m, size_t k, struct trace_rec *out, size_t max);
void gui_model_rec_full(const struct gui_model *m, const struct gui_rec *r, struct trace_rec *out);

/* The compressed time axis. */
double gui_axis_u(const struct gui_axis *a, sim_time t);
/* gui_axis_u for times taken in increasing order: *knot (0 to start) keeps the place of the last
 * one, so a sweep over sorted times walks the axis once instead of searching it each time. */
double gui_axis_u_walk(const struct gui_axis *a, sim_time t, size_t *knot);
sim_time gui_axis_t(const struct gui_axis *a, double u);
double gui_axis_end(const struct gui_axis *a); /* u of the last step */

#endif
