/* sweep_jobs.c: spreads a sweep's runs over worker processes (fork, one pipe each) in blocks of
 * 64 dealt out in turn; results are read back in run order, so any jobs gives the same output.
 * Called by cli_sweep.c and the tests. */
#include "sweep.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Interrupted system calls retried before giving up (no signal handler is installed, so this is
 * only a bound). */
#define MAX_EINTR 1000u

/* Runs handed to a worker at a time: block c (runs 64c .. 64c+63) goes to worker c % jobs. */
#define BLOCK 64u

/* What a worker sends for each run: the result, or why it could not make the run. */
struct wire {
    uint32_t ok;
    struct sweep_result r;    /* when !ok, r.why holds the error */
};

static bool write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    unsigned interrupted = 0;
    while (n > 0) { /* each pass moves at least one byte, fails or counts an interruption */
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR && ++interrupted < MAX_EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Reads up to n bytes, fewer only at the end of the pipe or on an error; returns how many. */
static size_t read_all(int fd, void *buf, size_t n)
{
    char *p = buf;
    size_t got = 0;
    unsigned interrupted = 0;
    while (got < n) { /* each pass moves at least one byte, ends or counts an interruption */
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR && ++interrupted < MAX_EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

static bool run_here(const struct sweep_plan *p, sweep_emit_fn emit, void *ctx,
                     struct sweep_error *err)
{
    struct sweep_runner *r = sweep_runner_create(p);
    if (!r) {
        snprintf(err->text, sizeof err->text, "tcpsim sweep: error: out of memory");
        return false;
    }
    bool ok = true;
    for (uint64_t i = 0; i < p->runs && ok; i++) {
        struct sweep_result res;
        ok = sweep_runner_run(r, i, &res, err) && emit(ctx, &res);
    }
    sweep_runner_destroy(r);
    return ok;
}

/* Runs in block c: how many, starting where. */
static size_t block(const struct sweep_plan *p, uint64_t c, uint64_t *first)
{
    *first = c * BLOCK;
    return (size_t)(p->runs - *first < BLOCK ? p->runs - *first : BLOCK);
}

/* The worker's life: blocks w, w + jobs, ... in order, each written to fd whole. A run that
 * cannot be set up ends the block early with a message that says why. */
static int worker(const struct sweep_plan *p, unsigned w, unsigned jobs, int fd)
{
    struct sweep_runner *r = sweep_runner_create(p);
    struct wire *msg = malloc(BLOCK * sizeof *msg);
    struct sweep_error err;
    bool set_up = r && msg, ok = set_up, sent = true;
    uint64_t nblocks = (p->runs + BLOCK - 1) / BLOCK;
    for (uint64_t c = w; c < nblocks && ok && sent; c += jobs) {
        uint64_t first;
        size_t n = block(p, c, &first), k = 0;
        for (; k < n && ok; k++) {
            memset(&msg[k], 0, sizeof msg[k]); /* padding too: it is sent whole */
            ok = sweep_runner_run(r, first + k, &msg[k].r, &err);
            msg[k].ok = ok;
        }
        if (!ok) {
            struct wire *m = &msg[k - 1];
            memset(m, 0, sizeof *m);
            size_t len = strlen(err.text); /* cut to fit: messages are far shorter in practice */
            len = len < sizeof m->r.why ? len : sizeof m->r.why - 1;
            memcpy(m->r.why, err.text, len);
        }
        sent = write_all(fd, msg, k * sizeof *msg);
    }
    if (!set_up) { /* say so in place of the first result */
        struct wire m;
        memset(&m, 0, sizeof m);
        snprintf(m.r.why, sizeof m.r.why, "tcpsim sweep: error: out of memory");
        write_all(fd, &m, sizeof m);
    }
    free(msg);
    sweep_runner_destroy(r);
    close(fd);
    return ok ? 0 : 1;
}

/* Reads every result in run order from the workers' pipes and hands it to emit. */
static bool collect(const struct sweep_plan *p, unsigned jobs, const int *fd, const pid_t *pid,
                    sweep_emit_fn emit, void *ctx, struct sweep_error *err)
{
    struct wire *msg = malloc(BLOCK * sizeof *msg);
    if (!msg) {
        snprintf(err->text, sizeof err->text, "tcpsim sweep: error: out of memory");
        return false;
    }
    bool ok = true;
    uint64_t nblocks = (p->runs + BLOCK - 1) / BLOCK;
    for (uint64_t c = 0; c < nblocks && ok; c++) {
        unsigned w = (unsigned)(c % jobs);
        uint64_t first;
        size_t n = block(p, c, &first);
        size_t got = read_all(fd[w], msg, n * sizeof *msg) / sizeof *msg;
        for (size_t k = 0; k < got && ok; k++) {
            if (!msg[k].ok) {
                msg[k].r.why[sizeof msg[k].r.why - 1] = '\0';
                snprintf(err->text, sizeof err->text, "%s", msg[k].r.why);
                ok = false;
            } else {
                ok = emit(ctx, &msg[k].r);
            }
        }
        if (ok && got < n) {
            snprintf(err->text, sizeof err->text,
                     "tcpsim sweep: error: worker %u (process %ld) stopped before run %llu", w + 1,
                     (long)pid[w], (unsigned long long)(first + got + 1));
            ok = false;
        }
    }
    free(msg);
    return ok;
}

bool sweep_jobs_run(const struct sweep_plan *p, unsigned jobs, sweep_emit_fn emit, void *ctx,
                    struct sweep_error *err)
{
    if (jobs > SWEEP_MAX_JOBS)
        jobs = SWEEP_MAX_JOBS;
    if (jobs > (p->runs + BLOCK - 1) / BLOCK)
        jobs = (unsigned)((p->runs + BLOCK - 1) / BLOCK);
    if (jobs <= 1)
        return run_here(p, emit, ctx, err);
    int fd[SWEEP_MAX_JOBS];
    pid_t pid[SWEEP_MAX_JOBS];
    unsigned started = 0;
    bool ok = true;
    fflush(NULL); /* a child must not write out the parent's buffers again */
    for (unsigned w = 0; w < jobs && ok; w++) {
        int pfd[2];
        if (pipe(pfd) != 0) {
            snprintf(err->text, sizeof err->text, "tcpsim sweep: error: pipe: %s", strerror(errno));
            ok = false;
            break;
        }
        pid_t c = fork();
        if (c == 0) {
            /* only this worker's write end stays open: a stopped parent then ends every worker */
            for (unsigned k = 0; k < started; k++)
                close(fd[k]);
            close(pfd[0]);
            _exit(worker(p, w, jobs, pfd[1]));
        }
        close(pfd[1]);
        if (c < 0) {
            snprintf(err->text, sizeof err->text, "tcpsim sweep: error: fork: %s", strerror(errno));
            close(pfd[0]);
            ok = false;
            break;
        }
        fd[started] = pfd[0];
        pid[started] = c;
        started++;
    }
    if (ok)
        ok = collect(p, jobs, fd, pid, emit, ctx, err);
    /* Closing the pipes ends a worker that is still writing (SIGPIPE); then wait for each. */
    for (unsigned w = 0; w < started; w++)
        close(fd[w]);
    for (unsigned w = 0; w < started; w++) {
        int status = 0;
        for (unsigned tries = 0; tries < MAX_EINTR; tries++)
            if (waitpid(pid[w], &status, 0) >= 0 || errno != EINTR)
                break;
        if (ok && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
            snprintf(err->text, sizeof err->text, "tcpsim sweep: error: worker %u ended with %s %d",
                     w + 1, WIFSIGNALED(status) ? "signal" : "status",
                     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
            ok = false;
        }
    }
    return ok;
}
