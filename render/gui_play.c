/* gui_play.c: playback logic (speeds, idle squeezing, animate-to-step, presenter pause points)
 * over gui_model. Called by gui.c each frame and on keys; the tests drive it with fixed deltas. */
#include "gui_play.h"

/* Playback speeds: simulated nanoseconds per second of wall time. */
static const struct {
    sim_time rate;
    const char *label;
} speeds[] = {
    { 1000000, "1 ms/s" },     { 2000000, "2 ms/s" },     { 5000000, "5 ms/s" },       { 10000000, "10 ms/s" },
    { 20000000, "20 ms/s" },   { 50000000, "50 ms/s" },   { 100000000, "100 ms/s" },   { 200000000, "200 ms/s" },
    { 500000000, "500 ms/s" }, { 1000000000, "1 s/s" },   { 2000000000, "2 s/s" },     { 5000000000, "5 s/s" },
    { 10000000000, "10 s/s" }, { 30000000000, "30 s/s" }, { 60000000000, "60 s/s" },
};
#define NSPEEDS (int)(sizeof speeds / sizeof speeds[0])
#define DEFAULT_SPEED 4 /* 20 ms/s: a 10 ms link delay takes half a second to cross */

void gui_play_init(struct gui_play *p, struct gui_model *m)
{
    *p = (struct gui_play){ .m = m, .target = GUI_PLAY_NO_TARGET, .speed = DEFAULT_SPEED };
}

static sim_time step_time(const struct gui_play *p, size_t k)
{
    return k > 0 ? p->m->steps[k - 1].t : 0;
}

bool gui_play_jump(struct gui_play *p, size_t k)
{
    p->target = GUI_PLAY_NO_TARGET;
    p->idle_rate = 0;
    p->playing = false;
    if (!gui_model_goto(p->m, k))
        return false;
    p->t = step_time(p, p->m->pos);
    return true;
}

bool gui_play_animate_to(struct gui_play *p, size_t k)
{
    if (p->target != GUI_PLAY_NO_TARGET && p->target > p->m->pos && !gui_play_jump(p, p->target))
        return false;
    if (k <= p->m->pos)
        k = p->m->pos + 1;
    if (k > p->m->nsteps)
        return false;
    p->target = k;
    p->playing = false;
    p->idle_rate = 0;
    return true;
}

static bool has_pause(const struct gui_play *p, size_t j)
{
    return j < p->m->nsteps && (p->m->steps[j].kinds & GUI_STEP_PAUSE);
}

bool gui_play_next_pause(struct gui_play *p)
{
    size_t k = p->m->pos;
    while (k < p->m->nsteps && !has_pause(p, k))
        k++;
    return gui_play_animate_to(p, k < p->m->nsteps ? k + 1 : p->m->nsteps);
}

bool gui_play_prev_pause(struct gui_play *p)
{
    size_t k = p->m->pos > 1 ? p->m->pos - 1 : 0;
    while (k > 0 && !has_pause(p, k - 1))
        k--;
    return gui_play_jump(p, k);
}

void gui_play_toggle(struct gui_play *p)
{
    bool play = !p->playing;
    p->target = GUI_PLAY_NO_TARGET;
    if (play && p->m->pos >= p->m->nsteps)
        gui_play_jump(p, 0);
    p->playing = play;
}

bool gui_play_moving(const struct gui_play *p)
{
    return p->playing || p->target != GUI_PLAY_NO_TARGET;
}

sim_time gui_play_rate(const struct gui_play *p)
{
    return speeds[p->speed].rate;
}

const char *gui_play_speed_label(const struct gui_play *p)
{
    return speeds[p->speed].label;
}

void gui_play_faster(struct gui_play *p)
{
    if (p->speed + 1 < NSPEEDS)
        p->speed++;
}

void gui_play_slower(struct gui_play *p)
{
    if (p->speed > 0)
        p->speed--;
}

int gui_play_advance(struct gui_play *p, uint64_t dt_ms)
{
    struct gui_model *m = p->m;
    p->squeezing = false;
    if (!gui_play_moving(p))
        return 0;
    if (dt_ms > 100)
        dt_ms = 100; /* after a stall, go on rather than jump */
    sim_time rate = gui_play_rate(p);
    bool idle = m->sim && sim_inflight_count(m->sim) == 0;
    if (m->pos < m->nsteps) {
        /* Nothing in flight and the next event far away: cross the gap in GUI_PLAY_SQUEEZE_MS. */
        sim_time gap = m->steps[m->pos].t - p->t;
        if (!idle)
            p->idle_rate = 0;
        else if (p->idle_rate == 0 && gap > rate / 1000 * GUI_PLAY_SQUEEZE_MS)
            p->idle_rate = gap / GUI_PLAY_SQUEEZE_MS * 1000;
        if (p->idle_rate > rate) {
            rate = p->idle_rate;
            p->squeezing = true;
        }
    }
    p->t += rate / 1000 * (sim_time)dt_ms;
    int applied = 0;
    for (size_t guard = 0; m->pos < m->nsteps && m->steps[m->pos].t <= p->t && guard < 100000; guard++) {
        size_t j = m->pos;
        if (!gui_model_goto(m, j + 1)) {
            p->playing = false;
            p->target = GUI_PLAY_NO_TARGET;
            return -1;
        }
        applied++;
        p->idle_rate = 0;
        bool stop = (p->target != GUI_PLAY_NO_TARGET && m->pos >= p->target) || (p->presenter && has_pause(p, j));
        if (stop) {
            p->t = m->steps[j].t;
            p->playing = false;
            p->target = GUI_PLAY_NO_TARGET;
            return applied;
        }
    }
    if (m->pos >= m->nsteps && (!m->sim || sim_inflight_count(m->sim) == 0)) {
        p->t = step_time(p, m->pos);
        p->playing = false;
        p->target = GUI_PLAY_NO_TARGET;
    }
    return applied;
}
