/* bench_gui.c: the front end's two speed figures (a meson target, not a test): the median time
 * to draw a busy frame at 1920x1080 with the software renderer, and the median time to step back
 * one event (rebuild + replay) in a scenario of about 10,000 events; given a scenario file, also
 * the busy frame of that scenario at its busiest (the moment with the most copies in flight).
 * Usage: bench_gui [WRITES [FRAME.png|- [SCENARIO.scn]]] (the busy frame is saved to FRAME.png). */
#define SDL_MAIN_HANDLED
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gui_png.h"
#include "gui_scn.h"

#define REPEAT 31

/* CPU time of this thread: other processes on a busy machine do not count against us. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return v[n / 2];
}

/* Median time of REPEAT frames 0.1 ms apart from `at` (after one to warm the canvas up). */
static double frame_median(struct gui_canvas *c, struct gui_model *m, sim_time at, const struct gui_look *k,
                           double *first)
{
    double frames[REPEAT];
    for (int i = 0; i < REPEAT + 1; i++) {
        double a = now_ms();
        gui_canvas_draw(c, m, at + (sim_time)i * sim_us(100), k);
        double dt = now_ms() - a;
        if (i == 0)
            *first = dt;
        else
            frames[i - 1] = dt;
    }
    return median(frames, REPEAT);
}

/* A scenario file's busiest frame: the moment (on a 1 ms grid) with the most copies in flight. */
static void bench_scenario(struct gui_canvas *c, const char *path, const struct gui_look *k)
{
    struct gui_source src;
    char err[512];
    if (!gui_scn_open(NULL, path, &src, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    struct gui_model *m = gui_model_create(&src, err, sizeof err);
    struct gui_view *v = malloc(sizeof *v);
    if (m && v && m->nsteps > 0) {
        sim_time end = m->steps[m->nsteps - 1].t, best = 0;
        size_t most = 0;
        for (sim_time t = 0; t <= end && t <= sim_s(3600); t += sim_ms(1)) {
            gui_model_goto(m, gui_model_steps_until(m, t));
            gui_model_view(m, t, v);
            if (v->ninflight > most) {
                most = v->ninflight;
                best = t;
            }
        }
        double first = 0, med = frame_median(c, m, best, k, &first);
        printf("%s at its busiest (%.3f s, %zu in flight): busy frame median %.2f ms (first frame %.2f ms)\n", path,
               (double)best / 1e9, most, med, first);
    } else if (!m) {
        fprintf(stderr, "%s\n", err);
    }
    free(v);
    gui_model_destroy(m);
    src.release(src.ctx);
}

int main(int argc, char **argv)
{
    /* 3400 writes make a run of just over 10,000 scheduler events. */
    int SENDS = argc > 1 ? atoi(argv[1]) : 3400;
    if (SENDS < 10 || SENDS > 9000)
        SENDS = 3400;
    /* A connection carrying a 100-byte write every millisecond: a crowded link and a long run. */
    size_t cap = 64 + (size_t)SENDS * 40, len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text + len, cap - len, "seed 1\nat 0s B listen 80\nat 0s A connect 40000 -> 80\n");
    for (int i = 0; i < SENDS; i++)
        len += (size_t)snprintf(text + len, cap - len, "at %dms A send 100\n", 100 + i);
    len += (size_t)snprintf(text + len, cap - len, "at %dms A close\nat %dms B close\n", 200 + SENDS, 300 + SENDS);
    struct scn *s = NULL;
    struct scn_error e;
    if (!scn_parse_string("bench.scn", text, len, &s, &e)) {
        fprintf(stderr, "%s\n", e.text);
        return 1;
    }
    struct gui_source src;
    gui_scn_source(s, NULL, text, &src);
    char err[512];
    double t0 = now_ms();
    struct gui_model *m = gui_model_create(&src, err, sizeof err);
    if (!m) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    double record_ms = now_ms() - t0;
    uint64_t events = m->steps[m->nsteps - 1].events;
    printf("scenario: %zu steps, %llu scheduler events, %zu trace records (recorded in %.1f ms)\n", m->nsteps,
           (unsigned long long)events, m->nrecs, record_ms);

    /* Step back one event from the end and from the middle. */
    double back[REPEAT], mid[REPEAT];
    for (int i = 0; i < REPEAT; i++) {
        gui_model_goto(m, m->nsteps);
        double a = now_ms();
        gui_model_goto(m, m->nsteps - 1);
        back[i] = now_ms() - a;
        gui_model_goto(m, m->nsteps / 2);
        a = now_ms();
        gui_model_goto(m, m->nsteps / 2 - 1);
        mid[i] = now_ms() - a;
    }
    printf("step back one event, replaying from the start: median %.2f ms at the end (%zu steps), %.2f ms in the "
           "middle\n",
           median(back, REPEAT), m->nsteps - 1, median(mid, REPEAT));
    /* As the window does it: the spare simulation waits at the checkpoint before the position. */
    for (int i = 0; i < REPEAT; i++) {
        gui_model_goto(m, m->nsteps);
        for (int guard = 0; guard < 1000 && gui_model_idle(m, 1000); guard++)
            ;
        double a = now_ms();
        gui_model_goto(m, m->nsteps - 1);
        back[i] = now_ms() - a;
    }
    printf("step back one event from the end with the idle-time checkpoint: median %.3f ms\n", median(back, REPEAT));

    /* A busy frame: the middle of the transfer, many segments in flight. */
    struct gui_canvas c;
    if (!gui_canvas_init(&c, 1920, 1080, NULL, "en", err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    struct gui_look k;
    gui_look_defaults(&k);
    gui_canvas_look(&c, &k);
    k.still = true;
    k.title = "bench";
    sim_time at = sim_ms(100 + SENDS / 2) + sim_us(500);
    double first = 0, med = frame_median(&c, m, at, &k, &first);
    struct gui_view *v = malloc(sizeof *v);
    gui_model_view(m, at, v);
    printf("busy frame 1920x1080, software renderer (CPU time): median %.2f ms (first frame %.2f ms, %zu segments in "
           "flight, %zu steps drawn)\n",
           med, first, v->ninflight, v->pos);
    if (argc > 2 && strcmp(argv[2], "-") != 0 && !gui_png_save(c.surface, argv[2], err, sizeof err))
        fprintf(stderr, "%s\n", err);
    free(v);
    if (argc > 3)
        bench_scenario(&c, argv[3], &k);
    gui_canvas_finish(&c);
    gui_model_destroy(m);
    scn_free(s);
    free(text);
    return 0;
}
