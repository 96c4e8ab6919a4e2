/* gui_model.c: records a whole run as steps of trace records, keeps a live simulation at the
 * position shown (rewind = rebuild + deterministic replay), applies the user's drops and builds
 * the squeezed time axis. Called by gui.c and gui_png.c; the panels read the result. */
#include "gui_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"

/* ---- growable arrays --------------------------------------------------------------------- */

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

static uint32_t pool_add(struct gui_model *m, const char *s)
{
    if (!s || !*s)
        return 0;
    size_t n = strlen(s) + 1;
    if (!grow((void **)&m->pool, &m->pool_cap, m->pool_len + n, 1) || m->pool_len + n > UINT32_MAX) {
        m->oom = true;
        return 0;
    }
    memcpy(m->pool + m->pool_len, s, n);
    uint32_t off = (uint32_t)m->pool_len;
    m->pool_len += n;
    return off;
}

const char *gui_model_text(const struct gui_model *m, uint32_t off)
{
    return off < m->pool_len ? m->pool + off : "";
}

/* ---- recording ----------------------------------------------------------------------------- */

static void record_emit(void *ctx, const struct trace_rec *r)
{
    struct gui_model *m = ctx;
    if (m->oom || !grow((void **)&m->recs, &m->recs_cap, m->nrecs + 1, sizeof *m->recs) || m->nrecs >= UINT32_MAX - 1) {
        m->oom = true;
        return;
    }
    struct gui_rec g = { .t = r->t, .ev = r->ev, .host = r->host, .nonstandard = r->nonstandard, .sock = r->sock };
    g.note = pool_add(m, r->note);
    uint32_t index = (uint32_t)m->nrecs;
    switch (r->ev) {
    case TR_TX:
        g.u.tx.id = r->u.tx.id;
        g.u.tx.seg = r->u.tx.seg;
        g.u.tx.fate = r->u.tx.fate;
        g.u.tx.to = r->u.tx.to;
        if (r->u.tx.id < ((uint64_t)1 << 32)) {
            size_t old = m->tx_by_id_cap;
            if (grow((void **)&m->tx_by_id, &m->tx_by_id_cap, (size_t)r->u.tx.id + 1, sizeof *m->tx_by_id)) {
                memset(m->tx_by_id + old, 0, (m->tx_by_id_cap - old) * sizeof *m->tx_by_id);
                m->tx_by_id[r->u.tx.id] = index + 1;
            }
        }
        break;
    case TR_RX: {
        g.u.rx.id = r->u.rx.id;
        g.u.rx.seg = r->u.rx.seg;
        g.u.rx.discarded = r->u.rx.discarded;
        uint64_t id = r->u.rx.id;
        if (id < m->tx_by_id_cap && m->tx_by_id[id]) {
            uint32_t tx = m->tx_by_id[id];
            g.u.rx.tx = tx;
            struct gui_rec *t = &m->recs[tx - 1];
            if (!t->u.tx.rx[0])
                t->u.tx.rx[0] = index + 1;
            else if (!t->u.tx.rx[1])
                t->u.tx.rx[1] = index + 1;
        }
        break;
    }
    case TR_STATE:
        g.u.state.from = r->u.state.from;
        g.u.state.to = r->u.state.to;
        break;
    case TR_TIMER:
        g.u.timer.timer = r->u.timer.timer;
        g.u.timer.action = r->u.timer.action;
        g.u.timer.deadline = r->u.timer.deadline;
        break;
    case TR_APP:
        g.u.app.action = r->u.app.action;
        g.u.app.bytes = r->u.app.bytes;
        break;
    case TR_CAPTION:
        g.u.caption.text = pool_add(m, r->u.caption.text);
        g.u.caption.text_ko = pool_add(m, r->u.caption.text_ko);
        break;
    case TR_LINK:
        memcpy(g.u.link.dir, r->u.link.dir, sizeof g.u.link.dir);
        g.u.link.dir[sizeof g.u.link.dir - 1] = '\0';
        break;
    case TR_PAUSE:
        break;
    }
    m->recs[m->nrecs++] = g;
}

static uint8_t kinds_of(const struct gui_model *m, size_t first, size_t count)
{
    uint8_t k = 0;
    for (size_t i = first; i < first + count; i++) {
        const struct gui_rec *r = &m->recs[i];
        switch (r->ev) {
        case TR_TX:
            k |= GUI_STEP_TX;
            if (r->u.tx.fate == FATE_DROPPED)
                k |= GUI_STEP_LOST;
            break;
        case TR_STATE: k |= GUI_STEP_STATE; break;
        case TR_CAPTION: k |= GUI_STEP_CAPTION; break;
        case TR_PAUSE: k |= GUI_STEP_PAUSE; break;
        case TR_RX:
            if (r->u.rx.discarded)
                k |= GUI_STEP_LOST;
            break;
        case TR_TIMER:
        case TR_APP:
        case TR_LINK:
            break;
        }
    }
    return k;
}

static bool push_step(struct gui_model *m, size_t first, uint64_t events, int32_t drop, sim_time now)
{
    if (!grow((void **)&m->steps, &m->steps_cap, m->nsteps + 1, sizeof *m->steps)) {
        m->oom = true;
        return false;
    }
    size_t count = m->nrecs - first;
    struct gui_step st = { .t = count ? m->recs[first].t : now, .first = (uint32_t)first, .count = (uint32_t)count,
                           .events = events, .drop = drop };
    st.kinds = kinds_of(m, first, count);
    if (drop >= 0)
        st.kinds |= GUI_STEP_DROP;
    m->steps[m->nsteps++] = st;
    return true;
}

static void axis_free(struct gui_axis *a)
{
    free(a->t);
    free(a->u);
    free(a->brk);
    *a = (struct gui_axis){ 0 };
}

static bool axis_build(struct gui_model *m)
{
    struct gui_axis *a = &m->axis;
    axis_free(a);
    sim_time unit = SIM_NEVER;
    for (int d = 0; d < SIM_HOSTS; d++)
        if (m->cfg.link[d].delay > 0 && m->cfg.link[d].delay < unit)
            unit = m->cfg.link[d].delay;
    a->unit = unit == SIM_NEVER ? sim_ms(1) : unit;
    size_t cap = m->nsteps + 1;
    a->t = malloc(cap * sizeof *a->t);
    a->u = malloc(cap * sizeof *a->u);
    a->brk = calloc(cap, sizeof *a->brk);
    if (!a->t || !a->u || !a->brk) {
        axis_free(a);
        return false;
    }
    a->t[0] = 0;
    a->u[0] = 0;
    a->n = 1;
    for (size_t i = 0; i < m->nsteps; i++) {
        sim_time t = m->steps[i].t;
        sim_time last = a->t[a->n - 1];
        if (t <= last)
            continue;
        double d = (double)(t - last) / (double)a->unit;
        bool brk = false;
        if (d > GUI_AXIS_CAP) {
            d = GUI_AXIS_CAP;
            brk = true;
        } else if (d < GUI_AXIS_MIN) {
            d = GUI_AXIS_MIN;
        }
        a->brk[a->n - 1] = brk;
        a->t[a->n] = t;
        a->u[a->n] = a->u[a->n - 1] + d;
        a->n++;
    }
    return true;
}

static void reset_record(struct gui_model *m)
{
    m->nrecs = 0;
    m->nsteps = 0;
    m->pool_len = 0;
    if (grow((void **)&m->pool, &m->pool_cap, 1, 1)) {
        m->pool[0] = '\0'; /* offset 0 is the empty text */
        m->pool_len = 1;
    }
    if (m->tx_by_id)
        memset(m->tx_by_id, 0, m->tx_by_id_cap * sizeof *m->tx_by_id);
    m->oom = m->pool_len == 0;
    m->truncated = false;
}

/* Runs the whole scenario once, with the user's drops, recording every step. */
static bool record(struct gui_model *m, char *err, size_t errsize)
{
    reset_record(m);
    struct trace_sink sink = { .emit = record_emit, .ctx = m };
    struct sim *s = m->src.build(m->src.ctx, &sink, err, errsize);
    if (!s)
        return false;
    m->cfg = *sim_config(s);
    if (m->nrecs > 0)
        push_step(m, 0, 0, -1, sim_now(s));
    size_t next_drop = 0;
    enum sim_stop why = SIM_RUNNING;
    size_t guard = 0;
    for (; guard < GUI_MAX_STEPS && !m->oom; guard++) {
        size_t first = m->nrecs;
        if (next_drop < m->ndrops && m->drops[next_drop].at == m->nsteps) {
            const struct gui_drop *d = &m->drops[next_drop];
            sim_run_until(s, d->t);
            if (!sim_drop_inflight(s, d->id, d->copy)) {
                m->ndrops = next_drop; /* the run changed under it: forget it and what follows */
                continue;
            }
            push_step(m, first, sim_events_run(s), (int32_t)next_drop, sim_now(s));
            next_drop++;
            continue;
        }
        why = sim_step(s);
        if (m->nrecs > first)
            push_step(m, first, sim_events_run(s), -1, sim_now(s));
        if (why != SIM_RUNNING)
            break;
    }
    m->truncated = guard >= GUI_MAX_STEPS;
    m->end = why;
    m->ndrops = next_drop < m->ndrops ? next_drop : m->ndrops;
    sim_destroy(s);
    if (m->oom || !axis_build(m)) {
        snprintf(err, errsize, "out of memory while recording the run");
        return false;
    }
    return true;
}

/* ---- the live simulation ------------------------------------------------------------------ */

static void snapshot_host(const struct gui_model *m, int i, struct gui_hostview *v)
{
    const struct host *h = sim_host(m->sim, i);
    *v = (struct gui_hostview){ .name = (char)('A' + i), .addr = m->cfg.host[i].addr, .main = -1,
                                .profile = m->cfg.host[i].profile };
    if (!h)
        return;
    v->name = host_name(h);
    v->state = host_state(h);
    v->nsocks_total = host_sock_count(h);
    int listener = -1;
    for (size_t k = 0; k < v->nsocks_total && v->nsocks < GUI_MAX_SOCKS; k++) {
        struct tcb_view t;
        if (!host_sock_view(h, k, &t))
            continue;
        v->socks[v->nsocks] = t;
        if (t.listener)
            listener = listener < 0 ? (int)v->nsocks : listener;
        else
            v->main = (int)v->nsocks;
        v->nsocks++;
    }
    if (v->main < 0)
        v->main = listener;
}

static void snapshot(struct gui_model *m, struct gui_hostview *out)
{
    for (int i = 0; i < SIM_HOSTS; i++)
        snapshot_host(m, i, &out[i]);
}

/* Runs step j of the recorded run on simulation s. */
static void apply_step(const struct gui_model *m, struct sim *s, size_t j)
{
    const struct gui_step *st = &m->steps[j];
    if (st->drop >= 0 && (size_t)st->drop < m->ndrops) {
        const struct gui_drop *d = &m->drops[st->drop];
        sim_run_until(s, d->t);
        sim_drop_inflight(s, d->id, d->copy);
        return;
    }
    uint64_t have = sim_events_run(s);
    for (uint64_t guard = have; guard < st->events; guard++) {
        enum sim_stop why = sim_step(s);
        uint64_t now = sim_events_run(s);
        if (now >= st->events || (why != SIM_RUNNING && now == have))
            break;
        have = now;
    }
}

static struct sim *fresh(struct gui_model *m)
{
    struct trace_sink quiet = { .emit = NULL, .ctx = NULL };
    return m->src.build(m->src.ctx, &quiet, m->err, sizeof m->err);
}

/* Before going back to step k: the spare simulation if it is at or before k, else a new one. */
static bool rewind_to_start(struct gui_model *m, size_t k)
{
    sim_destroy(m->sim);
    if (m->spare && m->spare_pos <= k) {
        m->sim = m->spare;
        m->pos = m->spare_pos;
        m->spare = NULL;
    } else {
        m->sim = fresh(m);
        m->pos = 0;
    }
    m->prev_valid = false;
    return m->sim != NULL;
}

bool gui_model_idle(struct gui_model *m, size_t budget)
{
    size_t every = m->checkpoint ? m->checkpoint : GUI_CHECKPOINT;
    size_t target = m->pos > 0 ? (m->pos - 1) / every * every : 0;
    if (m->spare && m->spare_pos > target) {
        sim_destroy(m->spare);
        m->spare = NULL;
    }
    if (!m->spare) {
        m->spare = fresh(m);
        m->spare_pos = 0;
        if (!m->spare)
            return false;
    }
    for (size_t n = 0; m->spare_pos < target && n < budget; n++)
        apply_step(m, m->spare, m->spare_pos++);
    return m->spare_pos < target;
}

bool gui_model_goto(struct gui_model *m, size_t k)
{
    if (k > m->nsteps)
        k = m->nsteps;
    if (m->sim && k == m->pos)
        return true;
    if ((!m->sim || k < m->pos) && !rewind_to_start(m, k))
        return false;
    for (size_t j = m->pos; j < k; j++) {
        if (j == k - 1)
            snapshot(m, m->prev);
        apply_step(m, m->sim, j);
    }
    m->pos = k;
    m->prev_valid = k > 0;
    snapshot(m, m->cur);
    return true;
}

size_t gui_model_steps_until(const struct gui_model *m, sim_time t)
{
    size_t lo = 0, hi = m->nsteps; /* first step with time > t */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->steps[mid].t <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

struct gui_model *gui_model_create(const struct gui_source *src, char *err, size_t errsize)
{
    if (!src || !src->build) {
        snprintf(err, errsize, "no scenario to show");
        return NULL;
    }
    struct gui_model *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    m->src = *src;
    if (!record(m, err, errsize) || !gui_model_goto(m, 0)) {
        if (m->err[0])
            snprintf(err, errsize, "%s", m->err);
        gui_model_destroy(m);
        return NULL;
    }
    return m;
}

void gui_model_destroy(struct gui_model *m)
{
    if (!m)
        return;
    sim_destroy(m->sim);
    sim_destroy(m->spare);
    free(m->recs);
    free(m->pool);
    free(m->steps);
    free(m->tx_by_id);
    free(m->drops);
    axis_free(&m->axis);
    free(m);
}

bool gui_model_drop(struct gui_model *m, uint64_t id, int copy, sim_time t)
{
    if (!m->sim)
        return false;
    size_t pos = m->pos;
    sim_time now = sim_now(m->sim);
    /* The drop happens at the moment shown, which lies before the next step. */
    if (t < now || (pos < m->nsteps && t >= m->steps[pos].t))
        t = now;
    struct gui_hostview before[2];
    memcpy(before, m->cur, sizeof before);
    if (m->spare && m->spare_pos > pos) { /* it ran the old future */
        sim_destroy(m->spare);
        m->spare = NULL;
    }
    sim_run_until(m->sim, t);
    if (!sim_drop_inflight(m->sim, id, copy))
        return false;
    size_t keep = 0;
    while (keep < m->ndrops && m->drops[keep].at < pos)
        keep++;
    m->ndrops = keep;
    if (!grow((void **)&m->drops, &m->drops_cap, m->ndrops + 1, sizeof *m->drops))
        return false;
    m->drops[m->ndrops++] = (struct gui_drop){ .at = pos, .t = t, .id = id, .copy = copy };
    if (!record(m, m->err, sizeof m->err))
        return false;
    m->pos = pos + 1 <= m->nsteps ? pos + 1 : m->nsteps;
    memcpy(m->prev, before, sizeof before);
    m->prev_valid = true;
    snapshot(m, m->cur);
    return true;
}

bool gui_model_fault_line(const struct gui_model *m, size_t i, char *buf, size_t size)
{
    if (i >= m->ndrops || m->drops[i].id >= m->tx_by_id_cap || !m->tx_by_id[m->drops[i].id])
        return false;
    const struct gui_rec *tx = &m->recs[m->tx_by_id[m->drops[i].id] - 1];
    /* nth counts the segments sent in the same direction with exactly these flags. */
    uint32_t nth = 0;
    for (const struct gui_rec *r = m->recs; r <= tx; r++)
        if (r->ev == TR_TX && r->host == tx->host && r->u.tx.seg.flags == tx->u.tx.seg.flags)
            nth++;
    char flags[48];
    explain_flags(tx->u.tx.seg.flags, flags, sizeof flags);
    int n = snprintf(buf, size, "fault %c>%c drop %s nth %u", tx->host, tx->u.tx.to, flags, (unsigned)nth);
    return n > 0 && (size_t)n < size;
}

void gui_model_view(struct gui_model *m, sim_time t, struct gui_view *out)
{
    sim_time floor_t = m->pos > 0 ? m->steps[m->pos - 1].t : 0;
    out->m = m;
    out->pos = m->pos;
    out->t = t < floor_t ? floor_t : t;
    out->host = m->cur;
    out->before = m->prev_valid ? m->prev : NULL;
    out->ninflight = 0;
    size_t n = m->sim ? sim_inflight_count(m->sim) : 0;
    for (size_t i = 0; i < n && out->ninflight < GUI_MAX_INFLIGHT; i++) {
        const struct sim_inflight *f = sim_inflight_at(m->sim, i);
        if (f)
            out->inflight[out->ninflight++] = *f;
    }
}

/* ---- records back to trace_rec ------------------------------------------------------------ */

void gui_model_rec_full(const struct gui_model *m, const struct gui_rec *g, struct trace_rec *r)
{
    memset(r, 0, sizeof *r);
    r->t = g->t;
    r->ev = g->ev;
    r->host = g->host;
    r->sock = g->sock;
    r->nonstandard = g->nonstandard;
    snprintf(r->note, sizeof r->note, "%s", gui_model_text(m, g->note));
    switch (g->ev) {
    case TR_TX:
        r->u.tx.id = g->u.tx.id;
        r->u.tx.seg = g->u.tx.seg;
        r->u.tx.fate = g->u.tx.fate;
        r->u.tx.to = g->u.tx.to;
        break;
    case TR_RX:
        r->u.rx.id = g->u.rx.id;
        r->u.rx.seg = g->u.rx.seg;
        r->u.rx.discarded = g->u.rx.discarded;
        break;
    case TR_STATE:
        r->u.state.from = g->u.state.from;
        r->u.state.to = g->u.state.to;
        break;
    case TR_TIMER:
        r->u.timer.timer = g->u.timer.timer;
        r->u.timer.action = g->u.timer.action;
        r->u.timer.deadline = g->u.timer.deadline;
        break;
    case TR_APP:
        r->u.app.action = g->u.app.action;
        r->u.app.bytes = g->u.app.bytes;
        break;
    case TR_CAPTION:
        snprintf(r->u.caption.text, sizeof r->u.caption.text, "%s", gui_model_text(m, g->u.caption.text));
        snprintf(r->u.caption.text_ko, sizeof r->u.caption.text_ko, "%s", gui_model_text(m, g->u.caption.text_ko));
        break;
    case TR_LINK:
        memcpy(r->u.link.dir, g->u.link.dir, sizeof r->u.link.dir);
        break;
    case TR_PAUSE:
        break;
    }
}

size_t gui_model_step_recs(const struct gui_model *m, size_t k, struct trace_rec *out, size_t max)
{
    if (k >= m->nsteps)
        return 0;
    const struct gui_step *st = &m->steps[k];
    size_t n = st->count < max ? st->count : max;
    for (size_t i = 0; i < n; i++)
        gui_model_rec_full(m, &m->recs[st->first + i], &out[i]);
    return n;
}

/* ---- the squeezed time axis --------------------------------------------------------------- */

double gui_axis_end(const struct gui_axis *a)
{
    return a->n ? a->u[a->n - 1] : 0;
}

/* u at time t, which lies at or after knot lo (and before knot lo + 1, if there is one). */
static double axis_at(const struct gui_axis *a, sim_time t, size_t lo)
{
    if (lo == a->n - 1) {
        double d = (double)(t - a->t[lo]) / (double)a->unit;
        return a->u[lo] + (d > GUI_AXIS_CAP ? GUI_AXIS_CAP : d);
    }
    double f = (double)(t - a->t[lo]) / (double)(a->t[lo + 1] - a->t[lo]);
    return a->u[lo] + f * (a->u[lo + 1] - a->u[lo]);
}

double gui_axis_u(const struct gui_axis *a, sim_time t)
{
    if (a->n == 0)
        return 0;
    if (t <= a->t[0])
        return a->u[0];
    size_t lo = 0, hi = a->n - 1; /* last knot with time <= t */
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        if (a->t[mid] <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    return axis_at(a, t, lo);
}

double gui_axis_u_walk(const struct gui_axis *a, sim_time t, size_t *knot)
{
    if (a->n == 0)
        return 0;
    if (t <= a->t[0])
        return a->u[0];
    size_t lo = *knot;
    if (lo >= a->n || a->t[lo] > t)
        return gui_axis_u(a, t);
    while (lo + 1 < a->n && a->t[lo + 1] <= t)
        lo++;
    *knot = lo;
    return axis_at(a, t, lo);
}

sim_time gui_axis_t(const struct gui_axis *a, double u)
{
    if (a->n == 0 || u <= a->u[0])
        return a->n ? a->t[0] : 0;
    size_t lo = 0, hi = a->n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        if (a->u[mid] <= u)
            lo = mid;
        else
            hi = mid - 1;
    }
    if (lo == a->n - 1)
        return a->t[lo] + (sim_time)((u - a->u[lo]) * (double)a->unit);
    double f = (u - a->u[lo]) / (a->u[lo + 1] - a->u[lo]);
    return a->t[lo] + (sim_time)(f * (double)(a->t[lo + 1] - a->t[lo]));
}
