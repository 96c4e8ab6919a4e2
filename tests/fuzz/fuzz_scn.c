/* fuzz_scn.c: fuzz target for scenario files: the input is a scenario, optionally followed by
 * "\0SET" and --set overrides one per line. Parses it (scn_parse_string), applies the overrides
 * (scn_set), builds it (scn_build) and runs it a bounded number of events with the checker and
 * both trace formats attached. Invariants: errors are positioned, NUL-terminated and name their
 * file; a failed override changes nothing; the configuration never exceeds the built-in limits;
 * trace time never goes back; every state record follows a legal edge from where its socket was;
 * JSONL is one line. Built by tests/fuzz/meson.build. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "rfc_edges.h"
#include "scn.h"
#include "tracefmt.h"

#define MAX_OVERRIDES 16
#define MAX_STEPS 20000
#define WATCH_SOCKS 1024

struct watch {
    sim_time last_t;
    enum tcp_state st[SIM_HOSTS][WATCH_SOCKS];
    bool started[SIM_HOSTS][WATCH_SOCKS];
    struct scn_check *chk;
    char line[4096];
};

static void check_error(const struct scn_error *err, const char *file)
{
    if (memchr(err->text, '\0', sizeof err->text) == NULL ||
        memchr(err->message, '\0', sizeof err->message) == NULL)
        fuzz_fail("error text not terminated");
    if (strncmp(err->text, file, strlen(file)) != 0 || !strstr(err->text, ": error: "))
        fuzz_fail("error does not name its file: '%s'", err->text);
}

static void on_state(struct watch *w, const struct trace_rec *r)
{
    int h = r->host - 'A';
    if (h < 0 || h >= SIM_HOSTS || r->sock < 0)
        fuzz_fail("state record without host or socket");
    if (!rfc_edges_legal(r->u.state.from, r->u.state.to, r->note))
        fuzz_fail("illegal transition %s -> %s (%s)", trace_state_name(r->u.state.from),
                  trace_state_name(r->u.state.to), r->note);
    if (r->sock >= WATCH_SOCKS)
        return;
    if (w->started[h][r->sock] ? w->st[h][r->sock] != r->u.state.from
                               : r->u.state.from != TCP_CLOSED && r->u.state.from != TCP_LISTEN)
        fuzz_fail("host %c socket %d: change from %s, but it was in %s", r->host, (int)r->sock,
                  trace_state_name(r->u.state.from), trace_state_name(w->st[h][r->sock]));
    w->started[h][r->sock] = true;
    w->st[h][r->sock] = r->u.state.to;
}

static void on_record(void *ctx, const struct trace_rec *r)
{
    struct watch *w = ctx;
    if (r->t < w->last_t)
        fuzz_fail("trace time went back from %lld to %lld", (long long)w->last_t, (long long)r->t);
    w->last_t = r->t;
    if (r->ev == TR_STATE)
        on_state(w, r);
    tracefmt_text(r, w->line, sizeof w->line);
    size_t n = tracefmt_jsonl(r, w->line, sizeof w->line);
    if (n < sizeof w->line)
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)w->line[i] < 0x20)
                fuzz_fail("JSONL record with a raw control character: %s", w->line);
    scn_check_record(w->chk, r);
}

static void on_deliver(void *ctx, char host, int32_t sock, const uint8_t *data, size_t len)
{
    struct watch *w = ctx;
    (void)sock;
    scn_check_deliver(w->chk, host, data, len);
}

static void apply_override(struct scn *s, const uint8_t *p, size_t len)
{
    char arg[SCN_MAX_LINE_BYTES + 2];
    if (len > SCN_MAX_LINE_BYTES + 1 || memchr(p, '\0', len))
        return;
    memcpy(arg, p, len);
    arg[len] = '\0';
    struct scn_error err;
    struct scn before = *s;
    if (!scn_set(s, arg, &err)) {
        check_error(&err, "--set");
        /* "A failed override leaves the scenario as it was" (the settings array may move). */
        if (s->nsettings != before.nsettings || s->nactions != before.nactions ||
            s->has_seed != before.has_seed || s->seed != before.seed ||
            memcmp(&s->limits, &before.limits, sizeof s->limits) != 0 ||
            memcmp(s->link, before.link, sizeof s->link) != 0)
            fuzz_fail("a failed --set '%s' changed the scenario", arg);
    }
}

static void run(struct scn *s)
{
    struct scn_error err;
    struct sim_config cfg, def;
    sim_config_defaults(&def);
    if (scn_config(s, &cfg, &err)) {
        if (cfg.limits.max_events > def.limits.max_events || cfg.limits.max_time > def.limits.max_time ||
            cfg.limits.max_segments > def.limits.max_segments ||
            cfg.limits.max_bytes > def.limits.max_bytes)
            fuzz_fail("a scenario raised a limit");
    } else {
        check_error(&err, "fuzz.scn");
    }
    struct watch *w = calloc(1, sizeof *w);
    if (!w)
        return;
    w->chk = scn_check_begin(s);
    struct trace_sink sink = { .emit = on_record, .ctx = w };
    struct sim *sim = w->chk ? scn_build(s, &sink, &err) : NULL;
    if (sim) {
        sim_set_deliver(sim, on_deliver, w);
        enum sim_stop why = SIM_RUNNING;
        for (int k = 0; k < MAX_STEPS && why == SIM_RUNNING; k++) {
            why = sim_step(sim);
            size_t n = sim_inflight_count(sim);
            if (n > sim_segments_sent(sim) * 2)
                fuzz_fail("%zu copies in flight after %llu segments", n,
                          (unsigned long long)sim_segments_sent(sim));
            for (size_t i = 0; i < n; i++) {
                const struct sim_inflight *v = sim_inflight_at(sim, i);
                if (v && v->arrive < sim_now(sim))
                    fuzz_fail("a copy in flight should have arrived already");
            }
        }
        if (!sim_stop_message(why)[0])
            fuzz_fail("empty stop message");
        sim_destroy(sim);
    } else if (w->chk) {
        check_error(&err, "fuzz.scn");
    }
    if (w->chk) {
        scn_check_end(w->chk);
        for (size_t i = 0; i < scn_check_failure_count(w->chk); i++) {
            const struct scn_failure *f = scn_check_failure(w->chk, i);
            if (!f || !f->summary || strncmp(f->summary, "fuzz.scn:", 9) != 0)
                fuzz_fail("a checker failure without its file");
        }
    }
    scn_check_destroy(w->chk);
    free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t text_len = size;
    for (size_t i = 0; i + 4 <= size; i++) {
        if (memcmp(data + i, "\0SET", 4) == 0) {
            text_len = i;
            break;
        }
    }
    struct scn *s = NULL;
    struct scn_error err;
    if (!scn_parse_string("fuzz.scn", (const char *)data, text_len, &s, &err)) {
        if (s)
            fuzz_fail("failed parse left a scenario");
        check_error(&err, "fuzz.scn");
        return 0;
    }
    /* The overrides, one per line after the marker. */
    const uint8_t *p = data + text_len + (text_len < size ? 4 : 0);
    const uint8_t *end = data + size;
    for (int k = 0; k < MAX_OVERRIDES && p < end; k++) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        apply_override(s, p, len);
        p += len + (nl ? 1 : 0);
    }
    /* Keep each run cheap, whatever the overrides asked for. */
    static const char *const caps[] = { "limit.events=20000", "limit.segments=4000",
                                        "limit.bytes=256KiB" };
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
        if (!scn_set(s, caps[i], &err))
            fuzz_fail("cannot lower a limit: %s", err.text);
    run(s);
    scn_free(s);
    return 0;
}
