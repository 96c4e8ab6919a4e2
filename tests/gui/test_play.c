/* test_play.c: playback driven with fixed wall-clock deltas, as the window drives it: speeds,
 * animating to the next step, presenter mode stopping at pause points, and the 240 s TIME_WAIT
 * squeezed into seconds with its countdown still moving. Run by meson (tests/gui):
 * argv[1] = scenarios/04-full-lifecycle.scn. */
#include <string.h>

#include "gui_play.h"
#include "gui_scn.h"
#include "testlib.h"

static const char *scenario;
static struct scn *scn;

static struct gui_model *model(void)
{
    struct gui_source src;
    gui_scn_source(scn, scenario, NULL, &src);
    char err[512];
    struct gui_model *m = gui_model_create(&src, err, sizeof err);
    if (!m)
        fprintf(stderr, "%s\n", err);
    return m;
}

/* Runs frames of 16 ms until playback stops; returns the wall milliseconds it took. */
static uint64_t run(struct gui_play *p, uint64_t limit_ms)
{
    uint64_t ms = 0;
    while (gui_play_moving(p) && ms < limit_ms) {
        gui_play_advance(p, 16);
        ms += 16;
    }
    return ms;
}

TEST(speeds_and_labels)
{
    struct gui_model *m = model();
    CHECK(m != NULL);
    if (!m)
        return;
    struct gui_play p;
    gui_play_init(&p, m);
    CHECK_STR(gui_play_speed_label(&p), "20 ms/s");
    CHECK(gui_play_rate(&p) == sim_ms(20));
    for (int i = 0; i < 30; i++)
        gui_play_faster(&p);
    CHECK_STR(gui_play_speed_label(&p), "60 s/s");
    for (int i = 0; i < 30; i++)
        gui_play_slower(&p);
    CHECK_STR(gui_play_speed_label(&p), "1 ms/s");
    gui_model_destroy(m);
}

TEST(animates_to_the_next_step_and_stops)
{
    struct gui_model *m = model();
    CHECK(m != NULL);
    if (!m)
        return;
    struct gui_play p;
    gui_play_init(&p, m);
    size_t k = gui_model_steps_until(m, 0); /* every step at time 0 */
    CHECK(gui_play_jump(&p, k));
    CHECK(gui_play_animate_to(&p, k + 1));
    /* The SYN crosses the 10 ms link at 20 ms/s: half a second of frames. */
    gui_play_advance(&p, 16);
    CHECK_EQ_INT(m->pos, k);
    CHECK(p.t > 0 && p.t < sim_ms(10));
    uint64_t ms = run(&p, 5000);
    CHECK(ms >= 480 && ms <= 560);
    CHECK_EQ_INT(m->pos, k + 1);
    CHECK(p.t == m->steps[k].t);
    CHECK(!gui_play_moving(&p));
    /* A second press while animating finishes the first at once. */
    CHECK(gui_play_animate_to(&p, k + 2));
    gui_play_advance(&p, 16);
    CHECK(gui_play_animate_to(&p, k + 3));
    CHECK_EQ_INT(m->pos, k + 2);
    /* Past the end there is nothing to animate to. */
    CHECK(gui_play_jump(&p, m->nsteps));
    CHECK(!gui_play_animate_to(&p, m->nsteps + 1));
    gui_model_destroy(m);
}

TEST(presenter_mode_stops_at_pause_points)
{
    struct gui_model *m = model();
    CHECK(m != NULL);
    if (!m)
        return;
    size_t pauses[16], npauses = 0;
    for (size_t i = 0; i < m->nsteps && npauses < 16; i++)
        if (m->steps[i].kinds & GUI_STEP_PAUSE)
            pauses[npauses++] = i + 1;
    CHECK(npauses >= 2);
    struct gui_play p;
    gui_play_init(&p, m);
    p.presenter = true;
    /* Space plays to the first pause point, Page Down to each next one. */
    gui_play_toggle(&p);
    CHECK(gui_play_moving(&p));
    for (size_t i = 0; i < npauses; i++) {
        if (i > 0)
            CHECK(gui_play_next_pause(&p));
        run(&p, 60000);
        CHECK(!gui_play_moving(&p));
        CHECK_EQ_INT(m->pos, pauses[i]);
        CHECK(p.t == m->steps[m->pos - 1].t);
    }
    CHECK(m->cur[0].state == TCP_TIME_WAIT); /* the last pause: A enters TIME_WAIT */
    /* Page Up goes back to the pause point before, instantly; Page Down returns. */
    CHECK(gui_play_prev_pause(&p));
    CHECK_EQ_INT(m->pos, pauses[npauses - 2]);
    CHECK(!gui_play_moving(&p));
    CHECK(gui_play_next_pause(&p));
    run(&p, 60000);
    CHECK_EQ_INT(m->pos, pauses[npauses - 1]);
    /* Without presenter mode the same playback runs to the end. */
    p.presenter = false;
    gui_play_toggle(&p);
    run(&p, 60000);
    CHECK_EQ_INT(m->pos, m->nsteps);
    CHECK(!gui_play_moving(&p));
    gui_model_destroy(m);
}

TEST(time_wait_is_squeezed_but_visible)
{
    struct gui_model *m = model();
    CHECK(m != NULL);
    if (!m)
        return;
    struct gui_play p;
    gui_play_init(&p, m);
    gui_play_toggle(&p);
    uint64_t ms = 0, in_time_wait = 0, squeezed = 0;
    sim_time last_countdown = SIM_NEVER;
    size_t countdown_changes = 0;
    while (gui_play_moving(&p) && ms < 120000) {
        gui_play_advance(&p, 16);
        ms += 16;
        squeezed += p.squeezing;
        if (m->cur[0].state == TCP_TIME_WAIT && m->cur[0].main >= 0) {
            in_time_wait += 16;
            sim_time left = m->cur[0].socks[m->cur[0].main].timer_deadline[TIMER_TIME_WAIT] - p.t;
            if (left / sim_s(1) != last_countdown)
                countdown_changes++;
            last_countdown = left / sim_s(1);
        }
    }
    CHECK_EQ_INT(m->pos, m->nsteps);
    /* 240 s of TIME_WAIT at 20 ms/s would take over three hours; it takes seconds,
     * and the whole-second countdown still passes through most of its values. */
    CHECK(in_time_wait >= 2000 && in_time_wait <= 5000);
    CHECK(countdown_changes > 100);
    CHECK(squeezed > 100);
    CHECK(ms < 30000);
    gui_model_destroy(m);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_play SCENARIO.scn\n");
        return 2;
    }
    scenario = argv[1];
    struct scn_error e;
    if (!scn_parse_file(scenario, &scn, &e)) {
        fprintf(stderr, "%s\n", e.text);
        return 2;
    }
    struct test_ctx t = { 0 };
    RUN_TEST(&t, speeds_and_labels);
    RUN_TEST(&t, animates_to_the_next_step_and_stops);
    RUN_TEST(&t, presenter_mode_stops_at_pause_points);
    RUN_TEST(&t, time_wait_is_squeezed_but_visible);
    scn_free(scn);
    return test_finish(&t);
}
