/* st_case.c: draws one simulation-testing case from a seed (profiles, links, application story)
 * and schedules it on a sim through sim_schedule. Called by simtest.c; a pure function of the
 * seed, so `simtest --seed N` replays exactly what a failing run did. */
#include "st_case.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

#define MS(v) ((v) * INT64_C(1000000))
#define SEC(v) ((v) * INT64_C(1000000000))
#define PORT_A 40000u
#define PORT_B 80u

static uint64_t pick(struct rng *r, const uint64_t *choices, size_t n)
{
    return choices[rng_below(r, n)];
}
#define PICK(r, arr) pick((r), (arr), sizeof(arr) / sizeof((arr)[0]))

static bool coin(struct rng *r, uint64_t num, uint64_t den)
{
    return rng_chance(r, num, den);
}

/* ---- profiles ----------------------------------------------------------------------------- */

static void vary_profile(struct rng *r, struct tcp_profile *p)
{
    static const uint64_t rto_initial[] = { MS(100), MS(300), SEC(1), SEC(3) };
    static const uint64_t rto_min[] = { MS(10), MS(200), SEC(1) };
    static const uint64_t rto_max[] = { SEC(1), SEC(5), SEC(60), SEC(120) };
    static const uint64_t time_wait[] = { 0, MS(100), SEC(2), SEC(60), SEC(240) };
    static const uint64_t delack[] = { 0, MS(40), MS(200), MS(500) };
    static const uint64_t quick[] = { 0, 1, 16 };
    static const uint64_t fin2[] = { 0, SEC(1), SEC(60) };
    static const uint64_t user_timeout[] = { SEC(2), SEC(30) };
    static const uint64_t mss[] = { 64, 100, 536, 1000, 1460, 4000, 8960 };
    static const uint64_t wnd[] = { 1, 10, 100, 500, 1460, 3000, 8192, 65535 };
    if (coin(r, 1, 3)) p->rto_initial = (sim_time)PICK(r, rto_initial);
    if (coin(r, 1, 3)) p->rto_min = (sim_time)PICK(r, rto_min);
    if (coin(r, 1, 3)) p->rto_max = (sim_time)PICK(r, rto_max);
    if (coin(r, 1, 3)) p->time_wait = (sim_time)PICK(r, time_wait);
    if (coin(r, 1, 3)) p->syn_retries = (uint32_t)rng_below(r, 9);
    if (coin(r, 1, 3)) p->synack_retries = (uint32_t)rng_below(r, 9);
    if (coin(r, 1, 3)) p->data_retries = (uint32_t)rng_below(r, 9);
    if (coin(r, 1, 3)) p->delack = (sim_time)PICK(r, delack);
    if (coin(r, 1, 4)) p->quickack_segments = (uint32_t)PICK(r, quick);
    if (coin(r, 1, 3)) p->fin_wait_2_timeout = (sim_time)PICK(r, fin2);
    if (coin(r, 1, 8)) p->user_timeout = (sim_time)PICK(r, user_timeout);
    if (coin(r, 1, 6)) p->challenge_ack = !p->challenge_ack;
    if (coin(r, 1, 6)) p->rfc1337 = !p->rfc1337;
    if (coin(r, 1, 6)) p->time_wait_reopen = !p->time_wait_reopen;
    if (coin(r, 1, 6)) p->synack_on_dup_syn = !p->synack_on_dup_syn;
    if (coin(r, 1, 6)) p->psh_on_data = !p->psh_on_data;
    if (coin(r, 1, 6)) p->rst_on_unread_close = !p->rst_on_unread_close;
    if (coin(r, 1, 6)) p->closing_ack_with_fin = !p->closing_ack_with_fin;
    if (coin(r, 1, 6)) p->fin_in_zero_window = !p->fin_in_zero_window;
    if (coin(r, 1, 6)) p->rst_with_ack = !p->rst_with_ack;
    if (coin(r, 1, 3)) p->mss = (uint16_t)PICK(r, mss);
    if (coin(r, 1, 3)) p->rcv_wnd = (uint32_t)PICK(r, wnd);
}

static void draw_isn(struct rng *r, struct host_config *h)
{
    uint64_t k = rng_below(r, 20);
    if (k < 14) {
        h->isn_policy = ISN_RANDOM;
    } else if (k < 17) {
        h->isn_policy = ISN_FIXED; /* just below the 2^32 wrap: sequence arithmetic wraps */
        h->isn_fixed = UINT32_MAX - (uint32_t)rng_below(r, 5000);
    } else {
        h->isn_policy = ISN_FIXED;
        h->isn_fixed = (uint32_t)rng_next(r);
    }
}

/* ---- links -------------------------------------------------------------------------------- */

static struct ratio per_mille(struct rng *r, uint64_t lo, uint64_t hi)
{
    return (struct ratio){ (uint64_t)rng_range(r, (int64_t)lo, (int64_t)hi), 1000 };
}

static void draw_link(struct rng *r, struct link_params *p)
{
    static const uint64_t delay[] = { 0, MS(1), MS(10), MS(50), MS(200) };
    static const uint64_t rate[] = { 64000, 1000000, 10000000, 100000000 };
    static const uint64_t queue[] = { 1, 2, 5, 20, 100 };
    static const uint64_t mtu[] = { 576, 1000, 1500 };
    memset(p, 0, sizeof *p);
    p->delay = (sim_time)PICK(r, delay);
    uint64_t j = rng_below(r, 8);
    if (j < 2) {
        p->jitter_kind = JITTER_UNIFORM;
        p->jitter = rng_range(r, 1, MS(30));
    } else if (j == 2) {
        p->jitter_kind = JITTER_NORMAL;
        p->jitter = rng_range(r, 1, MS(20));
    }
    if (coin(r, 3, 5)) {
        p->loss = per_mille(r, 1, 500);
        if (coin(r, 1, 4))
            p->ge_burst = (struct ratio){ (uint64_t)rng_range(r, 2, 10), 2 }; /* 1 to 5 */
    }
    if (coin(r, 1, 5)) p->dup = per_mille(r, 1, 100);
    if (coin(r, 1, 5)) p->corrupt = per_mille(r, 1, 100);
    if (coin(r, 1, 5)) {
        p->reorder = per_mille(r, 1, 200);
        p->reorder_delay = rng_range(r, MS(1), MS(100));
    }
    if (coin(r, 1, 4)) p->rate_bps = PICK(r, rate);
    if (coin(r, 1, 4)) p->queue_limit = (uint32_t)PICK(r, queue);
    if (coin(r, 1, 10)) p->mtu = (uint32_t)PICK(r, mtu);
}

/* The longest a copy can take from send to arrival on this link (jitter: 6 sigma, the most
 * rng_normal_scaled returns), including a backlog of 256 KiB ahead of it on a slow wire. */
static sim_time link_worst(const struct link_params *p)
{
    sim_time t = p->delay + p->reorder_delay;
    t += p->jitter_kind == JITTER_NORMAL ? 6 * p->jitter : p->jitter;
    if (p->rate_bps > 0)
        t += (sim_time)((UINT64_C(262144) * 8u * 1000000000u) / p->rate_bps);
    return t;
}

/* ---- the application story ---------------------------------------------------------------- */

struct draft {
    struct st_case *c;
    struct rng *r;
    size_t data_off[ST_MAX_ACTIONS];
    bool ok;
};

static struct sim_action *add(struct draft *d, sim_time at, enum sim_action_kind kind, int host)
{
    if (d->c->nact >= ST_MAX_ACTIONS)
        return NULL;
    size_t i = d->c->nact++;
    struct st_action *sa = &d->c->act[i];
    memset(sa, 0, sizeof *sa);
    sa->at = at < 0 ? 0 : at;
    sa->a.kind = kind;
    sa->a.host = host;
    d->data_off[i] = SIZE_MAX;
    return &sa->a;
}

static void add_send(struct draft *d, sim_time at, int host)
{
    struct st_case *c = d->c;
    uint64_t k = rng_below(d->r, 4);
    size_t len = (size_t)rng_range(d->r, 1, k < 2 ? 1000 : k == 2 ? 5000 : ST_MAX_SEND);
    size_t index = c->nact;
    struct sim_action *a = add(d, at, ACT_SEND, host);
    if (!a)
        return;
    if (c->npayload + len > c->payload_cap) {
        size_t cap = c->payload_cap ? c->payload_cap : 65536;
        while (cap < c->npayload + len)
            cap *= 2;
        uint8_t *p = realloc(c->payload, cap);
        if (!p) {
            d->ok = false;
            c->nact--;
            return;
        }
        c->payload = p;
        c->payload_cap = cap;
    }
    for (size_t i = 0; i < len; i++)
        c->payload[c->npayload + i] = (uint8_t)rng_next(d->r);
    a->len = len;
    d->data_off[index] = c->npayload;
    c->npayload += len;
}

static void story_add(struct st_case *c, const char *text)
{
    size_t n = strlen(c->story);
    snprintf(c->story + n, sizeof c->story - n, "%s%s", n ? "; " : "", text);
}

static sim_time rand_time(struct rng *r, sim_time lo, sim_time hi)
{
    return rng_range(r, lo, hi);
}

enum pattern { P_A_FIRST, P_B_FIRST, P_SIMULTANEOUS, P_HALF_CLOSE, P_ABORT, P_CRASH, P_COUNT };

static const char *const pattern_name[P_COUNT] = {
    "A closes first", "B closes first", "simultaneous close", "half-close", "abort", "crash",
};

/* One connection's life from ts: connect, data both ways, then a closing pattern. */
static void draw_incarnation(struct draft *d, int k, uint16_t port, sim_time ts,
                             bool simultaneous_open, bool b_listens_again)
{
    struct rng *r = d->r;
    struct sim_action *a = add(d, ts, ACT_CONNECT, 0);
    if (a) {
        a->port = port;
        a->rport = PORT_B;
    }
    if (simultaneous_open && (a = add(d, ts + rand_time(r, 0, MS(20)), ACT_CONNECT, 1))) {
        a->port = PORT_B;
        a->rport = port;
    }
    for (int h = 0; h < SIM_HOSTS; h++) {
        uint64_t n = rng_below(r, 4);
        for (uint64_t i = 0; i < n; i++)
            add_send(d, ts + rand_time(r, 0, SEC(3)), h);
    }
    for (int h = 0; h < SIM_HOSTS; h++) {
        if (!coin(r, 1, 6))
            continue;
        sim_time off = ts + rand_time(r, 0, SEC(3));
        if ((a = add(d, off, ACT_AUTOREAD, h)))
            a->flag = false;
        if (coin(r, 4, 5) && (a = add(d, off + rand_time(r, MS(500), SEC(10)), ACT_AUTOREAD, h)))
            a->flag = true;
        story_add(d->c, h ? "B stops reading for a while" : "A stops reading for a while");
    }
    sim_time tc = ts + SEC(3) + rand_time(r, 0, SEC(5));
    enum pattern p = (enum pattern)rng_below(r, P_COUNT);
    int x = (int)rng_below(r, 2), y = 1 - x; /* who acts first in abort / crash / half-close */
    char line[96];
    snprintf(line, sizeof line, "connection %d from port %u at %" PRId64 "ms: %s%s%s", k,
             (unsigned)port, ts / 1000000,
             pattern_name[p], p >= P_HALF_CLOSE ? (x ? " by B" : " by A") : "",
             simultaneous_open ? " (simultaneous open)" : "");
    story_add(d->c, line);
    switch (p) {
    case P_A_FIRST:
    case P_B_FIRST: {
        int first = p == P_A_FIRST ? 0 : 1;
        add(d, tc, ACT_CLOSE, first);
        add(d, tc + rand_time(r, 0, SEC(3)), ACT_CLOSE, 1 - first);
        break;
    }
    case P_SIMULTANEOUS:
        add(d, tc, ACT_CLOSE, 0);
        add(d, tc, ACT_CLOSE, 1);
        break;
    case P_HALF_CLOSE: {
        /* x shuts down its sending side; y keeps sending in CLOSE_WAIT, then both close. */
        add(d, tc, ACT_SHUTDOWN, x);
        uint64_t n = 1 + rng_below(r, 2);
        for (uint64_t i = 0; i < n; i++)
            add_send(d, tc + rand_time(r, MS(1), SEC(2)), y);
        add(d, tc + rand_time(r, SEC(2), SEC(4)), ACT_CLOSE, y);
        add(d, tc + rand_time(r, SEC(4), SEC(6)), ACT_CLOSE, x);
        break;
    }
    case P_ABORT:
        add(d, tc, ACT_ABORT, x);
        add(d, tc + rand_time(r, -SEC(1), SEC(3)), ACT_CLOSE, y);
        break;
    case P_CRASH:
        add(d, tc, ACT_CRASH, x);
        add(d, tc + SEC(1), ACT_REBOOT, x);
        if (x == 1 && b_listens_again && (a = add(d, tc + SEC(1), ACT_LISTEN, 1)))
            a->port = PORT_B;
        add(d, tc + rand_time(r, 0, SEC(5)), ACT_CLOSE, y);
        break;
    case P_COUNT:
        break;
    }
}

static void draw_story(struct draft *d)
{
    struct rng *r = d->r;
    struct sim_action *a;
    bool simultaneous_open = coin(r, 1, 20);
    uint64_t listen = rng_below(r, 10);
    if (!simultaneous_open && listen < 9) {
        sim_time at = listen < 8 ? 0 : rand_time(r, 0, SEC(2)); /* sometimes late: refused */
        if ((a = add(d, at, ACT_LISTEN, 1)))
            a->port = PORT_B;
    } else if (!simultaneous_open) {
        story_add(d->c, "B never listens");
    }
    int nconn = coin(r, 1, 4) ? 2 : 1;
    /* A second connection from the same port meets the first one's TIME_WAIT. Only with random
     * ISNs on both sides: with a fixed ISN both incarnations would share sequence numbers, and
     * an old duplicate could then be taken for new data, the hazard TIME_WAIT exists for. */
    bool same_port = nconn == 2 && d->c->cfg.host[0].isn_policy == ISN_RANDOM &&
                     d->c->cfg.host[1].isn_policy == ISN_RANDOM && coin(r, 1, 3);
    sim_time ts = rand_time(r, 0, MS(100));
    for (int k = 0; k < nconn; k++) {
        draw_incarnation(d, k, (uint16_t)(PORT_A + (same_port ? 0u : (unsigned)k)), ts,
                         simultaneous_open, listen < 9);
        ts += rand_time(r, SEC(1), SEC(20));
    }
    if (coin(r, 1, 10)) {
        /* The link goes down for a while and comes back. */
        int dir = (int)rng_below(r, 2);
        sim_time down = rand_time(r, 0, SEC(8));
        struct link_params p = d->c->cfg.link[dir];
        p.down = true;
        if ((a = add(d, down, ACT_LINK, 0))) {
            a->dir = dir;
            a->link = p;
        }
        p.down = false;
        if ((a = add(d, down + rand_time(r, MS(1), SEC(30)), ACT_LINK, 0))) {
            a->dir = dir;
            a->link = p;
        }
        story_add(d->c, dir ? "link B>A down for a while" : "link A>B down for a while");
    }
}

/* Insertion sort by time: stable, so equal times keep the order they were drawn in. */
static void sort_actions(struct draft *d)
{
    struct st_case *c = d->c;
    for (size_t i = 1; i < c->nact; i++) {
        struct st_action x = c->act[i];
        size_t off = d->data_off[i];
        size_t j = i;
        for (; j > 0 && c->act[j - 1].at > x.at; j--) {
            c->act[j] = c->act[j - 1];
            d->data_off[j] = d->data_off[j - 1];
        }
        c->act[j] = x;
        d->data_off[j] = off;
    }
    for (size_t i = 0; i < c->nact; i++)
        if (d->data_off[i] != SIZE_MAX)
            c->act[i].a.data = c->payload + d->data_off[i];
}

/* How long a correct run may go without progress (a state change, a delivery, an advance of
 * SND.UNA or an application action): a whole retry budget at the largest RTO, then TIME_WAIT,
 * FIN_WAIT_2 and user timeouts, delayed ACKs and the slowest way across the link and back. */
static sim_time stall_bound(const struct sim_config *cfg)
{
    sim_time worst = 0;
    for (int h = 0; h < SIM_HOSTS; h++) {
        const struct tcp_profile *p = &cfg->host[h].profile;
        sim_time rto = p->rto_max;
        if (p->rto_initial > rto) rto = p->rto_initial;
        if (SEC(3) > rto) rto = SEC(3);
        uint32_t retries = p->syn_retries;
        if (p->synack_retries > retries) retries = p->synack_retries;
        if (p->data_retries > retries) retries = p->data_retries;
        sim_time t = ((sim_time)retries + 2) * rto + p->time_wait + p->fin_wait_2_timeout +
                     p->user_timeout + p->delack;
        if (t > worst)
            worst = t;
    }
    return worst + 2 * (link_worst(&cfg->link[0]) + link_worst(&cfg->link[1])) + SEC(1);
}

bool st_case_draw(struct st_case *c, uint64_t seed)
{
    memset(c, 0, sizeof *c);
    c->seed = seed;
    struct rng r;
    rng_seed_keyed(&r, seed, 0x73696d74657374 /* "simtest" */, 1, 0);
    sim_config_defaults(&c->cfg);
    c->cfg.seed = seed;
    enum profile_id both = coin(&r, 1, 2) ? PROFILE_RFC9293 : PROFILE_LINUX;
    for (int h = 0; h < SIM_HOSTS; h++) {
        enum profile_id id = coin(&r, 1, 5) ? (enum profile_id)(1 - both) : both;
        profile_defaults(&c->cfg.host[h].profile, id);
        if (coin(&r, 3, 4))
            vary_profile(&r, &c->cfg.host[h].profile);
        draw_isn(&r, &c->cfg.host[h]);
        draw_link(&r, &c->cfg.link[h]);
    }
    /* From a stream of its own, so that the draws above stay what they were before it. */
    struct rng r2;
    rng_seed_keyed(&r2, seed, 0x73696d74657374 /* "simtest" */, 2, 0);
    if (coin(&r2, 1, 10))
        c->drop_every = (uint32_t)rng_range(&r2, 2, 40);
    struct draft d = { .c = c, .r = &r, .ok = true };
    draw_story(&d);
    sort_actions(&d);
    for (size_t i = 0; i < c->nact; i++)
        if (c->act[i].at > c->last_action)
            c->last_action = c->act[i].at;
    c->stall = stall_bound(&c->cfg);
    /* A correct run makes progress at least once per stall: per action, and per segment of
     * data (one byte each with a 1-byte window). The time limit only catches runaway runs. */
    uint64_t seg = SEG_MAX_PAYLOAD;
    for (int h = 0; h < SIM_HOSTS; h++) {
        const struct tcp_profile *p = &c->cfg.host[h].profile;
        if (p->mss < seg) seg = p->mss;
        if (p->rcv_wnd < seg) seg = p->rcv_wnd;
    }
    uint64_t steps = c->nact + 2 + c->npayload / seg;
    c->cfg.limits.max_time = c->last_action + (sim_time)steps * c->stall;
    c->cfg.limits.max_events = 5000000;
    return d.ok;
}

void st_case_finish(struct st_case *c)
{
    free(c->payload);
    c->payload = NULL;
}

bool st_case_schedule(const struct st_case *c, struct sim *sim)
{
    for (size_t i = 0; i < c->nact; i++)
        if (!sim_schedule(sim, c->act[i].at, &c->act[i].a))
            return false;
    return true;
}

/* ---- description -------------------------------------------------------------------------- */

static void describe_profile(const struct host_config *h, FILE *out)
{
    const struct tcp_profile *p = &h->profile;
    fprintf(out,
            "  host %c: profile %s\n"
            "    rto_initial %" PRId64 "ms rto_min %" PRId64 "ms rto_max %" PRId64 "ms"
            " time_wait %" PRId64 "ms retries syn %" PRIu32 " synack %" PRIu32 " data %" PRIu32 "\n"
            "    delack %" PRId64 "ms quickack %" PRIu32 " fin_wait_2 %" PRId64 "ms user_timeout %" PRId64
            "ms mss %u rcv_wnd %" PRIu32 "\n"
            "    challenge_ack %d rfc1337 %d time_wait_reopen %d synack_on_dup_syn %d psh %d"
            " rst_on_unread_close %d closing_ack_with_fin %d fin_in_zero_window %d rst_with_ack %d\n",
            h->name, profile_name(p->id), p->rto_initial / 1000000, p->rto_min / 1000000, p->rto_max / 1000000,
            p->time_wait / 1000000, p->syn_retries, p->synack_retries, p->data_retries,
            p->delack / 1000000, p->quickack_segments, p->fin_wait_2_timeout / 1000000,
            p->user_timeout / 1000000, (unsigned)p->mss, p->rcv_wnd, p->challenge_ack, p->rfc1337,
            p->time_wait_reopen, p->synack_on_dup_syn, p->psh_on_data, p->rst_on_unread_close,
            p->closing_ack_with_fin, p->fin_in_zero_window, p->rst_with_ack);
    if (h->isn_policy == ISN_FIXED)
        fprintf(out, "    isn fixed %" PRIu32 "\n", h->isn_fixed);
    else
        fputs("    isn drawn from the seed\n", out);
}

static void describe_ratio(FILE *out, const char *name, struct ratio r)
{
    if (r.num && r.den)
        fprintf(out, " %s %" PRIu64 "/%" PRIu64, name, r.num, r.den);
}

static void describe_link(const struct link_params *p, int dir, FILE *out)
{
    fprintf(out, "  link %s: delay %" PRId64 "us", dir ? "B>A" : "A>B", p->delay / 1000);
    if (p->jitter_kind != JITTER_NONE)
        fprintf(out, " jitter %s %" PRId64 "us", p->jitter_kind == JITTER_NORMAL ? "normal" : "uniform",
                p->jitter / 1000);
    describe_ratio(out, "loss", p->loss);
    describe_ratio(out, "burst", p->ge_burst);
    describe_ratio(out, "dup", p->dup);
    describe_ratio(out, "corrupt", p->corrupt);
    describe_ratio(out, "reorder", p->reorder);
    if (p->reorder.num)
        fprintf(out, " by %" PRId64 "us", p->reorder_delay / 1000);
    if (p->rate_bps)
        fprintf(out, " rate %" PRIu64 "bps", p->rate_bps);
    if (p->queue_limit)
        fprintf(out, " queue %" PRIu32, p->queue_limit);
    if (p->mtu)
        fprintf(out, " mtu %" PRIu32, p->mtu);
    fputc('\n', out);
}

static const char *kind_name(enum sim_action_kind k)
{
    switch (k) {
    case ACT_LISTEN: return "listen";
    case ACT_CONNECT: return "connect";
    case ACT_SEND: return "send";
    case ACT_SHUTDOWN: return "shutdown";
    case ACT_CLOSE: return "close";
    case ACT_ABORT: return "abort";
    case ACT_CRASH: return "crash";
    case ACT_REBOOT: return "reboot";
    case ACT_AUTOREAD: return "autoread";
    case ACT_INJECT: return "inject";
    case ACT_LINK: return "link";
    case ACT_CAPTION: return "caption";
    case ACT_PAUSE: return "pause";
    case ACT_VARIANT: return "variant";
    }
    return "?";
}

void st_case_describe(const struct st_case *c, FILE *out)
{
    fprintf(out, "simtest case: seed %" PRIu64 "\n  story: %s\n", c->seed, c->story);
    for (int h = 0; h < SIM_HOSTS; h++)
        describe_profile(&c->cfg.host[h], out);
    for (int d = 0; d < SIM_HOSTS; d++)
        describe_link(&c->cfg.link[d], d, out);
    fprintf(out, "  stall bound %" PRId64 "ms, time limit %" PRId64 "ms\n", c->stall / 1000000,
            c->cfg.limits.max_time / 1000000);
    if (c->drop_every)
        fprintf(out, "  the user drops a copy in flight every %" PRIu32 " events\n", c->drop_every);
    for (size_t i = 0; i < c->nact; i++) {
        const struct sim_action *a = &c->act[i].a;
        fprintf(out, "  at %" PRId64 "us ", c->act[i].at / 1000);
        if (a->kind == ACT_LINK) {
            fprintf(out, "link %s %s\n", a->dir ? "B>A" : "A>B", a->link.down ? "down" : "up");
            continue;
        }
        fprintf(out, "%c %s", 'A' + a->host, kind_name(a->kind));
        if (a->kind == ACT_LISTEN)
            fprintf(out, " %u", (unsigned)a->port);
        else if (a->kind == ACT_CONNECT)
            fprintf(out, " %u -> %u", (unsigned)a->port, (unsigned)a->rport);
        else if (a->kind == ACT_SEND)
            fprintf(out, " %zu bytes", a->len);
        else if (a->kind == ACT_AUTOREAD)
            fprintf(out, " %s", a->flag ? "on" : "off");
        fputc('\n', out);
    }
}
