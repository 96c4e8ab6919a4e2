/* bench_lifecycles.c: N complete TCP lifecycles through the whole engine (struct sim: scheduler,
 * links, both hosts' TCP), the workload of ns-3's lifecycles.cc. Run by run-lifecycles-bench.sh.
 *
 * usage: bench_lifecycles N [--time-wait SECONDS]
 *
 * A (10.0.0.1) opens a new connection to B's port 80 every 1 ms over a 100 Mbit/s, 10 ms link
 * each way. When A's connection is ESTABLISHED it sends 100 bytes and closes; when B's
 * application sees A's FIN it closes too; A then waits in TIME_WAIT (240 s unless given). The
 * reactions are scheduled from the trace sink at the current time, as the application would
 * react to a callback. Client ports are taken in turn from 1024-65535, a port only once its
 * previous TIME_WAIT is over. The run ends when every TIME_WAIT has ended; the last line is
 * "conns_per_s X" (wall time of the run only, CLOCK_MONOTONIC). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim.h"

#define SERVER_PORT 80
#define PORT_FIRST 1024u
#define PORT_LAST 65535u
#define PORT_COUNT (PORT_LAST - PORT_FIRST + 1u)
#define PAYLOAD 100u
#define HOST_A 0
#define HOST_B 1

struct bench {
    struct sim *sim;
    uint64_t n;
    uint64_t connected, closed_a, closed_b, errors;
    uint64_t time_wait_now, time_wait_peak;
    bool port_busy[PORT_LAST + 1u];
    uint16_t next_port;      /* the next port in turn */
    uint16_t pending_port;   /* the port of the connect scheduled last */
    uint16_t *sock_port;     /* A's socket number -> its client port (A opens n sockets) */
    bool failed;             /* scheduling a reaction ran out of memory */
    char first_error[TRACE_NOTE_MAX + 32];
};

static void react(struct bench *b, enum sim_action_kind kind, int host, int sock, size_t len)
{
    struct sim_action a = { .kind = kind, .host = host, .has_sock = true, .sock = sock, .len = len };
    if (!sim_schedule(b->sim, sim_now(b->sim), &a))
        b->failed = true;
}

static void port_release(struct bench *b, int32_t sock)
{
    if (sock >= 0 && (uint64_t)sock < b->n)
        b->port_busy[b->sock_port[sock]] = false;
}

/* The application's side of the workload: it learns of events from the trace records, as an
 * ns-3 application does from its socket callbacks. */
static void on_record(void *ctx, const struct trace_rec *r)
{
    struct bench *b = ctx;
    if (r->ev == TR_STATE && r->host == 'A') {
        if (r->u.state.to == TCP_TIME_WAIT && ++b->time_wait_now > b->time_wait_peak)
            b->time_wait_peak = b->time_wait_now;
        if (r->u.state.from == TCP_TIME_WAIT)
            b->time_wait_now--;
        return;
    }
    if (r->ev != TR_APP)
        return;
    enum app_action a = r->u.app.action;
    if (r->host == 'A') {
        if (a == APP_CONNECT && r->sock >= 0 && (uint64_t)r->sock < b->n) {
            b->sock_port[r->sock] = b->pending_port;
        } else if (a == APP_CONNECTED) {
            b->connected++;
            react(b, ACT_SEND, HOST_A, r->sock, PAYLOAD); /* s->Send(Create<Packet>(100)) */
            react(b, ACT_CLOSE, HOST_A, r->sock, 0);      /* s->Close() */
        } else if (a == APP_CLOSED) {
            b->closed_a++; /* the TIME_WAIT is over: the port may be used again */
            port_release(b, r->sock);
        }
    } else if (a == APP_EOF) {
        react(b, ACT_CLOSE, HOST_B, r->sock, 0); /* ServerPeerClose: s->Close() */
    } else if (a == APP_CLOSED) {
        b->closed_b++;
    }
    if (a == APP_ERROR && b->errors++ == 0)
        snprintf(b->first_error, sizeof b->first_error, "host %c sock %d: %s", r->host,
                 (int)r->sock, r->note);
}

/* The next free client port in turn from 1024-65535; 0 when every one is still in use. */
static uint16_t port_take(struct bench *b)
{
    for (uint32_t k = 0; k < PORT_COUNT; k++) {
        uint16_t p = b->next_port;
        b->next_port = p == PORT_LAST ? (uint16_t)PORT_FIRST : (uint16_t)(p + 1u);
        if (!b->port_busy[p]) {
            b->port_busy[p] = true;
            return p;
        }
    }
    return 0;
}

static double seconds(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) * 1e-9;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_lifecycles N [--time-wait SECONDS]\n");
    return 2;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (!*s || *s == '-')
        return false;
    *out = strtoull(s, &end, 10);
    return *end == '\0';
}

static void configure(struct sim_config *cfg, uint64_t n, sim_time time_wait)
{
    sim_config_defaults(cfg);
    for (int i = 0; i < SIM_HOSTS; i++) {
        cfg->link[i].delay = sim_ms(10);
        cfg->link[i].rate_bps = 100000000; /* 100 Mbit/s */
        cfg->host[i].max_socks = PORT_COUNT + 1024u;
        if (time_wait > 0)
            cfg->host[i].profile.time_wait = time_wait;
    }
    /* The bench is bounded by N, not by the limits meant for scenarios. */
    cfg->limits.max_events = UINT64_MAX;
    cfg->limits.max_segments = UINT64_MAX;
    cfg->limits.max_bytes = UINT64_MAX;
    cfg->limits.max_time = sim_ms((int64_t)n) + cfg->host[HOST_A].profile.time_wait + sim_s(3600);
}

int main(int argc, char **argv)
{
    uint64_t n = 0, tw_s = 0;
    if (argc < 2 || !parse_u64(argv[1], &n) || n == 0 || n > UINT64_C(100000000))
        return usage();
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--time-wait") == 0 && i + 1 < argc && parse_u64(argv[i + 1], &tw_s) &&
            tw_s > 0 && tw_s <= 3600)
            i++;
        else
            return usage();
    }
    struct sim_config cfg;
    configure(&cfg, n, sim_s((int64_t)tw_s));

    struct bench *b = calloc(1, sizeof *b);
    uint16_t *sock_port = calloc(n, sizeof *sock_port);
    if (!b || !sock_port) {
        fprintf(stderr, "bench_lifecycles: out of memory\n");
        return 1;
    }
    b->n = n;
    b->sock_port = sock_port;
    b->next_port = PORT_FIRST;
    struct trace_sink sink = { .emit = on_record, .ctx = b };
    b->sim = sim_create(&cfg, &sink);
    struct sim_action listen = { .kind = ACT_LISTEN, .host = HOST_B, .port = SERVER_PORT };
    if (!b->sim || !sim_schedule(b->sim, 0, &listen)) {
        fprintf(stderr, "bench_lifecycles: out of memory\n");
        return 1;
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    enum sim_stop why = SIM_RUNNING;
    for (uint64_t i = 0; i < n && !b->failed; i++) {
        /* Run up to just before this connection's start, so the ports freed by then are known. */
        sim_time at = sim_ms((int64_t)i);
        why = sim_run_until(b->sim, at - 1);
        if (why != SIM_RUNNING && why != SIM_DONE)
            break;
        uint16_t port = port_take(b);
        if (port == 0) {
            fprintf(stderr, "bench_lifecycles: every client port is in TIME_WAIT at %" PRIu64
                    " ms: use a shorter --time-wait\n", i);
            return 2;
        }
        b->pending_port = port;
        struct sim_action c = { .kind = ACT_CONNECT, .host = HOST_A, .port = port,
                                .rport = SERVER_PORT };
        if (!sim_schedule(b->sim, at, &c))
            b->failed = true;
    }
    if (why == SIM_RUNNING || why == SIM_DONE)
        why = sim_run(b->sim);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = seconds(&t0, &t1);

    uint64_t events = sim_events_run(b->sim);
    printf("lifecycles tcpsim conns %" PRIu64 " connected %" PRIu64 " closed %" PRIu64 "/%" PRIu64
           " time_wait_s %" PRId64 " peak_time_wait %" PRIu64 " segments %" PRIu64
           " events %" PRIu64 " wall_s %.3f events_per_s %.0f\n",
           n, b->connected, b->closed_a, b->closed_b,
           cfg.host[HOST_A].profile.time_wait / sim_s(1), b->time_wait_peak,
           sim_segments_sent(b->sim), events, wall, wall > 0 ? (double)events / wall : 0.0);
    int rc = 0;
    if (why != SIM_DONE || b->failed) {
        fprintf(stderr, "bench_lifecycles: %s\n",
                b->failed ? "out of memory" : sim_stop_message(why));
        rc = 1;
    } else if (b->errors || b->connected != n || b->closed_a != n || b->closed_b != n) {
        fprintf(stderr, "bench_lifecycles: %" PRIu64 " of %" PRIu64 " lifecycles completed, %"
                PRIu64 " errors%s%s\n", b->closed_a, n, b->errors, b->errors ? "; first: " : "",
                b->first_error);
        rc = 1;
    }
    printf("conns_per_s %.0f\n", wall > 0 ? (double)n / wall : 0.0);
    sim_destroy(b->sim);
    free(sock_port);
    free(b);
    return rc;
}
