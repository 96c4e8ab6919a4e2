/* simtest.c: simulation testing over many seeds. Each seed draws a case (st_case.c), runs it
 * through sim_create/sim_schedule/sim_step and checks every event (st_check.c). A failure prints
 * the seed and the command that replays it with its trace. Run by meson (suite 'simtest') and by
 * hand for long runs; --jobs spreads seeds over worker processes. */
#include <errno.h>
#include <assert.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "st_case.h"
#include "st_check.h"

#define MAX_JOBS 64

struct opts {
    uint64_t first, count;
    unsigned jobs;
    bool verbose, keep_going, stats, progress;
    const char *argv0;
};

static void usage(FILE *f)
{
    fputs("usage: simtest [--seeds N] [--first S] [--jobs J] [--keep-going] [--stats] [--progress]\n"
          "       simtest --seed S [--verbose]\n"
          "Runs random two-host cases for seeds S..S+N-1 and checks every event: legal state\n"
          "changes, sequence space, delivered data a prefix of what was sent, segment\n"
          "conservation and liveness. A failure prints its seed and the command that replays it.\n"
          "  --seeds N      how many seeds (default 100)\n"
          "  --first S      the first seed (default 1)\n"
          "  --seed S       only seed S (same as --first S --seeds 1)\n"
          "  --verbose      print the case and its whole trace (one seed)\n"
          "  --jobs J       worker processes (default 1)\n"
          "  --keep-going   run every seed even after a failure\n"
          "  --stats        print what the runs covered (state edges, endings)\n"
          "  --progress     print a progress line now and then\n",
          f);
}

static bool parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static bool takes_number(const char *opt)
{
    return strcmp(opt, "--seeds") == 0 || strcmp(opt, "--first") == 0 ||
           strcmp(opt, "--seed") == 0 || strcmp(opt, "--jobs") == 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
    *o = (struct opts){ .first = 1, .count = 100, .jobs = 1, .argv0 = argv[0] };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--verbose") == 0) {
            o->verbose = true;
        } else if (strcmp(a, "--keep-going") == 0) {
            o->keep_going = true;
        } else if (strcmp(a, "--stats") == 0) {
            o->stats = true;
        } else if (strcmp(a, "--progress") == 0) {
            o->progress = true;
        } else if (takes_number(a) && parse_u64(v, &n)) {
            i++;
            if (strcmp(a, "--seeds") == 0) {
                o->count = n;
            } else if (strcmp(a, "--first") == 0) {
                o->first = n;
            } else if (strcmp(a, "--seed") == 0) {
                o->first = n;
                o->count = 1;
            } else if (n >= 1 && n <= MAX_JOBS) {
                o->jobs = (unsigned)n;
            } else {
                fprintf(stderr, "simtest: --jobs takes 1 to %d\n", MAX_JOBS);
                return -1;
            }
        } else {
            if (takes_number(a))
                fprintf(stderr, "simtest: %s takes a number from 0, not '%s'\n", a, v ? v : "");
            else
                fprintf(stderr, "simtest: unknown option '%s'\n", a);
            usage(stderr);
            return -1;
        }
    }
    if (o->first + o->count < o->first) {
        fputs("simtest: seed range overflows\n", stderr);
        return -1;
    }
    return 1;
}

/* Runs one seed: true if it passed, else msg says what failed. */
static bool run_one(uint64_t seed, FILE *verbose, struct st_stats *stats, char *msg, size_t size)
{
    struct st_case c;
    bool ok = st_case_draw(&c, seed);
    struct st_check *k = ok ? st_check_create(&c, verbose) : NULL;
    struct trace_sink sink = k ? st_check_sink(k) : (struct trace_sink){ 0 };
    struct sim *sim = k ? sim_create(&c.cfg, &sink) : NULL;
    if (verbose && ok)
        st_case_describe(&c, verbose);
    if (!sim || !st_case_schedule(&c, sim)) {
        ok = false;
        snprintf(msg, size, "out of memory setting up the case");
    } else {
        st_check_attach(k, sim);
        enum sim_stop why = SIM_RUNNING;
        bool stepping = true;
        for (uint64_t n = 1; why == SIM_RUNNING && stepping; n++) {
            why = sim_step(sim);
            stepping = st_check_step(k);
            size_t live = sim_inflight_count(sim);
            if (stepping && c.drop_every && n % c.drop_every == 0 && live > 0) {
                /* The front end's "drop this segment": a copy chosen by the event count. */
                const struct sim_inflight *v = sim_inflight_at(sim, (size_t)(n / c.drop_every) % live);
                uint64_t id = v ? v->id : 0;
                int copy = v ? v->copy : 0;
                stepping = st_check_user_drop(k, id, copy, sim_drop_inflight(sim, id, copy));
            }
        }
        ok = st_check_end(k, why); /* also when stepping stopped: it knows why */
        if (!ok)
            snprintf(msg, size, "%s", st_check_failure(k));
        st_check_add_stats(k, stats);
    }
    stats->runs++;
    sim_destroy(sim);
    st_check_destroy(k);
    st_case_finish(&c);
    return ok;
}

/* Replays seed in a child process, so that a crash ends only the child, with its case and
 * whole trace written to path (line-buffered: a crash keeps every line before it). */
static void write_trace(uint64_t seed, const char *path)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        FILE *f = fopen(path, "w");
        if (!f)
            exit(2);
        setvbuf(f, NULL, _IOLBF, 0);
        struct st_stats stats;
        memset(&stats, 0, sizeof stats);
        char msg[1024];
        if (!run_one(seed, f, &stats, msg, sizeof msg))
            fprintf(f, "simtest: FAIL: %s\n", msg);
        exit(fclose(f) == 0 ? 0 : 2); /* not _exit: sanitizer reports are written at exit */
    }
    int status = 0;
    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
}

/* Prints the last TAIL_LINES lines of the file at path, each cut to TAIL_WIDTH bytes. */
#define TAIL_LINES 24
#define TAIL_WIDTH 240
static void print_tail(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    static_assert(TAIL_WIDTH > 2, "room for a line end");
    char ring[TAIL_LINES][TAIL_WIDTH];
    size_t n = 0;
    int c = 0;
    /* Bounded by the file's length: each pass reads at least one byte or ends. */
    while (c != EOF) {
        size_t len = 0;
        char *line = ring[n % TAIL_LINES];
        while ((c = getc(f)) != EOF && c != '\n')
            if (len + 1 < TAIL_WIDTH)
                line[len++] = (char)c;
        line[len] = '\0';
        if (len > 0 || c == '\n')
            n++;
    }
    fclose(f);
    size_t first = n > TAIL_LINES ? n - TAIL_LINES : 0;
    for (size_t i = first; i < n; i++)
        printf("  | %s\n", ring[i % TAIL_LINES]);
}

/* A failed seed: what failed, the command that replays it, and the trace of the run (in a file
 * of the working directory, its last lines here). */
static void report(const struct opts *o, uint64_t seed, const char *msg)
{
    printf("simtest: seed %" PRIu64 ": FAIL: %s\n  replay: %s --seed %" PRIu64 " --verbose\n", seed,
           msg, o->argv0, seed);
    if (!o->verbose) {
        char path[64];
        snprintf(path, sizeof path, "simtest-seed-%" PRIu64 ".trace", seed);
        write_trace(seed, path);
        printf("  trace: %s (its end:)\n", path);
        print_tail(path);
    }
    fflush(stdout);
}

/* ---- worker processes ---------------------------------------------------------------------- */

enum msg_kind { MSG_START, MSG_PASS, MSG_FAIL, MSG_STATS };

struct msg {
    uint64_t seed;
    uint64_t kind;
};

static bool write_all(int fd, const void *p, size_t n)
{
    const char *b = p;
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        b += w;
        n -= (size_t)w;
    }
    return true;
}

static bool read_all(int fd, void *p, size_t n)
{
    char *b = p;
    while (n > 0) {
        ssize_t r = read(fd, b, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        b += r;
        n -= (size_t)r;
    }
    return true;
}

/* Runs seeds from, from + stride, ... below end; tells the parent about each on fd. */
static int worker(const struct opts *o, uint64_t from, uint64_t stride, uint64_t end, int fd)
{
    struct st_stats stats;
    memset(&stats, 0, sizeof stats);
    int rc = 0;
    char msg[1024];
    for (uint64_t seed = from; seed < end; seed += stride) {
        struct msg m = { seed, MSG_START };
        if (!write_all(fd, &m, sizeof m))
            return 2;
        bool passed = run_one(seed, NULL, &stats, msg, sizeof msg);
        if (!passed)
            report(o, seed, msg);
        m.kind = passed ? MSG_PASS : MSG_FAIL;
        if (!write_all(fd, &m, sizeof m))
            return 2;
        if (!passed) {
            rc = 1;
            if (!o->keep_going)
                break;
        }
        if (end - seed <= stride)
            break;
    }
    struct msg m = { 0, MSG_STATS };
    if (!write_all(fd, &m, sizeof m) || !write_all(fd, &stats, sizeof stats))
        return 2;
    return rc;
}

struct job {
    pid_t pid;
    int fd;
    uint64_t next;     /* the next seed this job's stride will run */
    uint64_t current;  /* the seed started and not yet finished, if running */
    bool running;
};

static bool spawn(const struct opts *o, struct job *j, uint64_t stride, uint64_t end)
{
    int p[2];
    if (pipe(p) != 0)
        return false;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return false;
    }
    if (pid == 0) {
        close(p[0]);
        int rc = worker(o, j->next, stride, end, p[1]);
        close(p[1]);
        fflush(stdout);
        exit(rc); /* not _exit: coverage and sanitizer reports are written at exit */
    }
    close(p[1]);
    j->pid = pid;
    j->fd = p[0];
    j->running = false;
    return true;
}

static void add_stats(struct st_stats *into, const struct st_stats *s)
{
    into->runs += s->runs;
    into->events += s->events;
    into->segments += s->segments;
    into->bytes_delivered += s->bytes_delivered;
    into->ended_normal += s->ended_normal;
    into->ended_error += s->ended_error;
    into->left_idle += s->left_idle;
    into->app_stalled += s->app_stalled;
    for (int i = 0; i < TCP_STATE_COUNT; i++)
        for (int k = 0; k < TCP_STATE_COUNT; k++)
            into->edges[i][k] += s->edges[i][k];
}

static void print_stats(const struct st_stats *s)
{
    printf("simtest: %" PRIu64 " events, %" PRIu64 " segments, %" PRIu64 " bytes delivered\n"
           "simtest: connections ended normally %" PRIu64 ", with an error or reset %" PRIu64
           ", left open by their application %" PRIu64 "\n"
           "simtest: runs stopped early because an application never reads again: %" PRIu64 "\n",
           s->events, s->segments, s->bytes_delivered, s->ended_normal, s->ended_error, s->left_idle,
           s->app_stalled);
    for (int i = 0; i < TCP_STATE_COUNT; i++)
        for (int k = 0; k < TCP_STATE_COUNT; k++)
            if (s->edges[i][k])
                printf("  %-12s -> %-12s %" PRIu64 "\n", trace_state_name((enum tcp_state)i),
                       trace_state_name((enum tcp_state)k), s->edges[i][k]);
}

static int run_jobs(const struct opts *o)
{
    uint64_t end = o->first + o->count;
    unsigned n = o->jobs;
    if (n > o->count)
        n = (unsigned)o->count;
    struct job jobs[MAX_JOBS];
    struct st_stats total;
    memset(&total, 0, sizeof total);
    uint64_t passed = 0, failed = 0, done = 0, next_progress = o->count / 20 + 1;
    for (unsigned j = 0; j < n; j++) {
        jobs[j] = (struct job){ .next = o->first + j, .fd = -1 };
        if (!spawn(o, &jobs[j], n, end)) {
            perror("simtest: fork");
            return 2;
        }
    }
    bool stop = false, killed = false;
    unsigned live = n;
    /* Bounded: every pass reads at least one message or reaps a worker, and a worker sends at
     * most 2 messages per seed plus its statistics before it ends. */
    while (live > 0) {
        struct pollfd pfd[MAX_JOBS];
        for (unsigned j = 0; j < n; j++)
            pfd[j] = (struct pollfd){ .fd = jobs[j].fd, .events = POLLIN };
        if (poll(pfd, n, -1) < 0) {
            if (errno == EINTR)
                continue;
            perror("simtest: poll");
            return 2;
        }
        for (unsigned j = 0; j < n; j++) {
            struct job *jb = &jobs[j];
            if (jb->fd < 0 || !(pfd[j].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            struct msg m;
            if (read_all(jb->fd, &m, sizeof m)) {
                if (m.kind == MSG_START) {
                    jb->current = m.seed;
                    jb->running = true;
                } else if (m.kind == MSG_STATS) {
                    struct st_stats s;
                    if (read_all(jb->fd, &s, sizeof s))
                        add_stats(&total, &s);
                } else {
                    jb->running = false;
                    jb->next = m.seed + n;
                    done++;
                    if (m.kind == MSG_PASS) {
                        passed++;
                    } else {
                        failed++;
                        stop = stop || !o->keep_going;
                    }
                    if (o->progress && done >= next_progress) {
                        fprintf(stderr, "simtest: %" PRIu64 "/%" PRIu64 " seeds, %" PRIu64 " failed\n",
                                done, o->count, failed);
                        next_progress += o->count / 20 + 1;
                    }
                }
                continue;
            }
            /* The worker ended: reap it; a crash is the failure of the seed it was running. */
            close(jb->fd);
            jb->fd = -1;
            live--;
            int status = 0;
            while (waitpid(jb->pid, &status, 0) < 0 && errno == EINTR)
                ;
            bool crashed = !WIFEXITED(status) || WEXITSTATUS(status) > 1;
            if (stop) {
                continue; /* stopped at a failure: the others were told to end */
            } else if (crashed && jb->running) {
                char msg[128];
                if (WIFSIGNALED(status))
                    snprintf(msg, sizeof msg, "the run crashed (signal %d)", WTERMSIG(status));
                else
                    snprintf(msg, sizeof msg, "the worker exited with status %d", WEXITSTATUS(status));
                report(o, jb->current, msg);
                failed++;
                done++;
                jb->running = false;
                jb->next = jb->current + n;
                stop = stop || !o->keep_going;
                if (!stop && jb->next < end) {
                    if (!spawn(o, jb, n, end)) {
                        perror("simtest: fork");
                        return 2;
                    }
                    live++;
                }
            } else if (crashed) {
                fputs("simtest: a worker failed outside a run\n", stderr);
                return 2;
            }
        }
        if (stop && !killed) {
            killed = true;
            for (unsigned j = 0; j < n; j++)
                if (jobs[j].fd >= 0)
                    kill(jobs[j].pid, SIGTERM);
        }
    }
    printf("simtest: seeds %" PRIu64 "..%" PRIu64 ": %" PRIu64 " passed, %" PRIu64 " failed%s\n",
           o->first, end - 1, passed, failed, stop ? " (stopped at the first failure)" : "");
    if (o->stats)
        print_stats(&total);
    return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    struct opts o;
    int p = parse_opts(argc, argv, &o);
    if (p <= 0)
        return p < 0 ? 2 : 0;
    if (o.count == 0) {
        puts("simtest: no seeds to run");
        return 0;
    }
    if (o.count == 1 || o.verbose) {
        /* In this process, so that --verbose shows the trace and a crash its own message. */
        struct st_stats stats;
        memset(&stats, 0, sizeof stats);
        char msg[1024];
        uint64_t passed = 0, failed = 0;
        for (uint64_t i = 0; i < o.count; i++) {
            uint64_t seed = o.first + i;
            if (run_one(seed, o.verbose ? stdout : NULL, &stats, msg, sizeof msg)) {
                passed++;
            } else {
                report(&o, seed, msg);
                failed++;
                if (!o.keep_going)
                    break;
            }
        }
        printf("simtest: %" PRIu64 " seed%s from %" PRIu64 ": %" PRIu64 " passed, %" PRIu64
               " failed\n", o.count, o.count == 1 ? "" : "s", o.first, passed, failed);
        if (o.stats)
            print_stats(&stats);
        return failed ? 1 : 0;
    }
    return run_jobs(&o);
}
