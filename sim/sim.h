/* sim.h: one whole simulation: the scheduler, the seeded generator, the two links and the two
 * hosts, the timed actions of a scenario and the trace they produce. Everything hangs off one
 * struct sim; the CLI, the checks, sweeps and the front end drive it only through this API. */
#ifndef TCPSIM_SIM_H
#define TCPSIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host.h"
#include "link.h"
#include "segment.h"
#include "simtime.h"
#include "trace.h"

#define SIM_HOSTS 2 /* index 0 is host A, index 1 is host B; link 0 is A>B, link 1 is B>A */

/* Bounds that no scenario can exceed: reaching one stops the run with a clear message. The
 * defaults are the ceiling; a scenario may only lower them ("limit events 1000"). */
struct sim_limits {
    uint64_t max_events;       /* scheduler events in one run */
    sim_time max_time;         /* simulated time */
    uint64_t max_segments;     /* segments put on the links */
    uint64_t max_bytes;        /* application bytes queued for sending */
};

struct sim_config {
    uint64_t seed;
    struct host_config host[SIM_HOSTS];
    struct link_params link[SIM_HOSTS];
    struct sim_limits limits;
};

void sim_config_defaults(struct sim_config *cfg);

enum sim_action_kind {
    ACT_LISTEN,
    ACT_CONNECT,
    ACT_SEND,
    ACT_SHUTDOWN,
    ACT_CLOSE,
    ACT_ABORT,
    ACT_CRASH,
    ACT_REBOOT,
    ACT_AUTOREAD,   /* flag = whether the application reads delivered data at once */
    ACT_INJECT,     /* put seg on link dir as if host had sent it (an old duplicate) */
    ACT_LINK,       /* replace link dir's parameters */
    ACT_CAPTION,
    ACT_PAUSE,
    ACT_VARIANT,    /* host's lesson variants become `variants` from now on */
};

struct sim_action {
    enum sim_action_kind kind;
    int host;               /* 0 = A, 1 = B */
    bool has_sock;          /* ACT_SEND/SHUTDOWN/CLOSE/ABORT act on socket `sock` of the host; */
    int sock;               /* without has_sock, on its current connection (the newest one) */
    uint16_t port;          /* listen / connect local port */
    uint16_t rport;         /* connect remote port */
    bool flag;
    const uint8_t *data;    /* ACT_SEND payload (copied); NULL = len bytes of a test pattern */
    size_t len;
    struct segment seg;     /* ACT_INJECT; seq/ack as given (absolute) */
    int dir;                /* ACT_INJECT / ACT_LINK */
    struct link_params link;
    const char *text, *text_ko; /* ACT_CAPTION (copied) */
    struct lesson_variants variants; /* ACT_VARIANT */
};

/* What to do when a host's current connection enters a state (captions, pauses). */
struct sim_trigger {
    int host;
    enum tcp_state state;
    struct sim_action action; /* only ACT_CAPTION and ACT_PAUSE */
};

/* A copy of a segment on a link right now (for the front end and checks). */
struct sim_inflight {
    uint64_t id;            /* the tx record's id (a duplicate shares it) */
    int copy;               /* 0, or 1 for the second copy of a duplicate */
    int from;               /* sending host index */
    sim_time sent, arrive;
    struct trace_seg seg;
    enum seg_fate fate;
    bool corrupted;
};

/* Called for every segment as it leaves a host (outbound) and as it reaches one (inbound),
 * with the exact bytes the wire carries; for pcapng. */
typedef void (*sim_tap_fn)(void *ctx, sim_time t, int host, bool outbound, const struct segment *seg,
                           const struct trace_rec *rec);

/* Called with each run of bytes handed to a host's application, in order (for checks). */
typedef void (*sim_deliver_fn)(void *ctx, char host, int32_t sock, const uint8_t *data, size_t len);

enum sim_stop {
    SIM_RUNNING,            /* events remain */
    SIM_DONE,               /* no event remains */
    SIM_LIMIT_EVENTS,
    SIM_LIMIT_TIME,
    SIM_LIMIT_SEGMENTS,
    SIM_LIMIT_BYTES,
    SIM_NO_MEMORY,
};

struct sim;

struct sim *sim_create(const struct sim_config *cfg, const struct trace_sink *sink);
void sim_destroy(struct sim *s); /* NULL is a no-op */

/* Scheduling a scenario (before or during the run). Return false on bad arguments or memory.
 * A trace sink or tap may call sim_schedule to react to a record: scheduled at sim_now(), the
 * action runs as an event of its own right after the current one (never inside a host call). */
bool sim_schedule(struct sim *s, sim_time at, const struct sim_action *a);
bool sim_add_trigger(struct sim *s, const struct sim_trigger *t);
bool sim_add_fault(struct sim *s, int dir, const struct fault *f);
void sim_set_tap(struct sim *s, sim_tap_fn fn, void *ctx);
void sim_set_deliver(struct sim *s, sim_deliver_fn fn, void *ctx);

/* Running. Each returns the reason it stopped. */
enum sim_stop sim_step(struct sim *s);                      /* one scheduler event */
enum sim_stop sim_run_until(struct sim *s, sim_time until); /* every event at or before until */
enum sim_stop sim_run(struct sim *s);                       /* to the end or a limit */
const char *sim_stop_message(enum sim_stop why);

/* Control from the front end: drop a copy in flight as if the link had lost it. */
bool sim_drop_inflight(struct sim *s, uint64_t id, int copy);

/* Read-only accessors. */
sim_time sim_now(const struct sim *s);
sim_time sim_next_event_time(const struct sim *s);
uint64_t sim_events_run(const struct sim *s);
uint64_t sim_segments_sent(const struct sim *s);
const struct host *sim_host(const struct sim *s, int index);
size_t sim_inflight_count(const struct sim *s);
const struct sim_inflight *sim_inflight_at(const struct sim *s, size_t i);
const struct sim_config *sim_config(const struct sim *s);

#endif
