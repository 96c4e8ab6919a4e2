/* test_plot.c: `tcpsim sweep --plot` as a user runs it. With the front end (TEST_PLOT_GUI): the
 * chart is a 1280x720 PNG (or --plot-size) with the median line, the failure bars and text on it,
 * byte-identical across runs and for 1 and 2 jobs, and the CSV is the same with or without it;
 * plans it cannot draw are refused with exit status 2. Without the front end: --plot is refused
 * with exit status 2 and a message, and the sweep still runs without it. Run by meson (suite gui)
 * with the tcpsim binary, the scenarios folder and a scratch folder. */
#define SDL_MAIN_HANDLED
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef TEST_PLOT_GUI
#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#endif

#include "testlib.h"

static const char *tcpsim, *scenarios, *scratch;

/* Runs `tcpsim sweep` with args (NULL-terminated), stdout and stderr to scratch files named after tag;
 * returns the exit status, -1 if it did not exit. */
static int run(const char *tag, const char *const *args)
{
    char *argv[40];
    size_t n = 0;
    argv[n++] = (char *)tcpsim;
    argv[n++] = (char *)"sweep";
    for (size_t i = 0; args[i] && n < 39; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    char out[1024], err[1024];
    snprintf(out, sizeof out, "%s/%s.stdout", scratch, tag);
    snprintf(err, sizeof err, "%s/%s.stderr", scratch, tag);
    /* fork and exec (posix_spawn's <spawn.h> wants <sched.h>, which sim/sched.h shadows here) */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644), e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
            _exit(127);
        execv(tcpsim, argv);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

/* A scratch file's bytes (NUL-terminated, the caller frees them) and length; NULL if missing. */
static char *slurp(const char *name, size_t *len)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", scratch, name);
    FILE *f = fopen(p, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1u << 23);
    size_t n = buf ? fread(buf, 1, (1u << 23) - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

static const char *scratch_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", scratch, name);
    return buf;
}

static char lossy[1024];

#ifdef TEST_PLOT_GUI
static bool same_files(const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    char *x = slurp(a, &na), *y = slurp(b, &nb);
    bool same = x && y && na == nb && na > 1000 && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

static uint32_t pixel(const SDL_Surface *s, int x, int y)
{
    return ((const uint32_t *)((const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch))[x] & 0xFFFFFFu;
}

TEST(the_chart_is_drawn_the_same_every_time)
{
    char p1[1024], p2[1024], p3[1024], c1[1024], c2[1024], c4[1024];
    const char *a1[] = { lossy, "--set", "link.loss=0%..40%/10%", "--seeds", "20", "--out",
                         scratch_path(c1, sizeof c1, "plot1.csv"), "--plot", scratch_path(p1, sizeof p1, "plot1.png"),
                         NULL };
    const char *a2[] = { lossy, "--set", "link.loss=0%..40%/10%", "--seeds", "20", "--out",
                         scratch_path(c2, sizeof c2, "plot2.csv"), "--plot", scratch_path(p2, sizeof p2, "plot2.png"),
                         NULL };
    const char *a3[] = { lossy, "--set", "link.loss=0%..40%/10%", "--seeds", "20", "--jobs", "2", "--plot",
                         scratch_path(p3, sizeof p3, "plot3.png"), NULL };
    const char *a4[] = { lossy, "--set", "link.loss=0%..40%/10%", "--seeds", "20", "--out",
                         scratch_path(c4, sizeof c4, "plot4.csv"), NULL };
    CHECK_EQ_INT(run("plot1", a1), 0);
    CHECK_EQ_INT(run("plot2", a2), 0);
    CHECK_EQ_INT(run("plot3", a3), 0);
    CHECK_EQ_INT(run("plot4", a4), 0);
    CHECK(same_files("plot1.png", "plot2.png"));
    CHECK(same_files("plot1.png", "plot3.png"));
    /* The chart does not change what the sweep writes. */
    CHECK(same_files("plot1.csv", "plot2.csv"));
    CHECK(same_files("plot1.csv", "plot4.csv"));
}

TEST(the_chart_shows_lines_bars_and_text)
{
    char p[1024];
    SDL_Surface *s = IMG_Load(scratch_path(p, sizeof p, "plot1.png"));
    CHECK(s != NULL);
    if (!s)
        return;
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(s);
    CHECK(c != NULL);
    if (!c)
        return;
    CHECK_EQ_INT(c->w, 1280);
    CHECK_EQ_INT(c->h, 720);
    size_t ink = 0, blue = 0, red = 0, dark = 0;
    for (int y = 0; y < c->h; y++)
        for (int x = 0; x < c->w; x++) {
            uint32_t v = pixel(c, x, y);
            ink += v != 0xFFFFFFu;
            blue += v == 0x1F5FD6u;  /* the median line and its markers */
            red += v == 0xC62828u;   /* failed runs: 4 of the 20 runs at 40% loss */
            dark += v == 0x1D232Bu;  /* text and the axis titles */
        }
    CHECK(ink > 1280 * 720 / 20);
    CHECK(ink < 1280 * 720 / 2);
    CHECK(blue > 1500);
    CHECK(red > 1500);
    CHECK(dark > 800);
    /* The title's row at the top left has text; the right margin is empty. */
    size_t title = 0;
    for (int y = 18; y < 50; y++)
        for (int x = 28; x < 400; x++)
            title += pixel(c, x, y) != 0xFFFFFFu;
    CHECK(title > 500);
    size_t margin = 0;
    for (int y = 0; y < c->h; y++)
        for (int x = c->w - 10; x < c->w; x++)
            margin += pixel(c, x, y) != 0xFFFFFFu;
    CHECK_EQ_INT(margin, 0);
    SDL_FreeSurface(c);
}

TEST(plot_size_and_two_ranges)
{
    char p[1024];
    const char *a[] = { lossy, "--set", "link.loss=0%..40%/20%", "--set", "A>B.delay=10ms..50ms/20ms", "--seeds", "4",
                        "--plot", scratch_path(p, sizeof p, "plot5.png"), "--plot-size", "800x600", NULL };
    CHECK_EQ_INT(run("plot5", a), 0);
    SDL_Surface *s = IMG_Load(p);
    CHECK(s != NULL);
    if (s) {
        CHECK_EQ_INT(s->w, 800);
        CHECK_EQ_INT(s->h, 600);
        SDL_FreeSurface(s);
    }
}

TEST(charts_it_cannot_draw_are_refused)
{
    char p[1024];
    scratch_path(p, sizeof p, "refused.png");
    remove(p);
    const char *no_range[] = { lossy, "--seeds", "2", "--plot", p, NULL };
    CHECK_EQ_INT(run("plot6", no_range), 2);
    size_t n = 0;
    char *err = slurp("plot6.stderr", &n);
    CHECK(err && strstr(err, "--plot needs a --set KEY=FROM..TO/STEP range"));
    free(err);
    const char *lines[] = { lossy, "--set", "link.loss=0%..10%/5%", "--set", "rto_min=100ms..1200ms/100ms", "--seeds",
                            "1", "--plot", p, NULL };
    CHECK_EQ_INT(run("plot7", lines), 2);
    err = slurp("plot7.stderr", &n);
    CHECK(err && strstr(err, "at most 10 lines") && strstr(err, "make 12"));
    free(err);
    const char *size_alone[] = { lossy, "--set", "link.loss=0%..10%/5%", "--seeds", "1", "--plot-size", "800x600",
                                 NULL };
    CHECK_EQ_INT(run("plot8", size_alone), 2);
    const char *bad_size[] = { lossy, "--set", "link.loss=0%..10%/5%", "--seeds", "1", "--plot", p, "--plot-size",
                               "80x60", NULL };
    CHECK_EQ_INT(run("plot9", bad_size), 2);
    FILE *f = fopen(p, "rb");
    CHECK(f == NULL); /* nothing was drawn */
    if (f)
        fclose(f);
}
#else
TEST(plot_is_refused_without_the_front_end)
{
    char p[1024];
    const char *a[] = { lossy, "--set", "link.loss=0%..40%/10%", "--seeds", "2", "--plot",
                        scratch_path(p, sizeof p, "plot.png"), NULL };
    CHECK_EQ_INT(run("noplot1", a), 2);
    size_t n = 0;
    char *err = slurp("noplot1.stderr", &n);
    CHECK(err && strstr(err, "--plot needs the SDL2 front end"));
    free(err);
    const char *b[] = { lossy, "--set", "link.loss=0%..40%/10%", "--seeds", "2", NULL };
    CHECK_EQ_INT(run("noplot2", b), 0);
    char *out = slurp("noplot2.stdout", &n);
    CHECK(out && strncmp(out, "link.loss,seed,outcome", 22) == 0);
    free(out);
}
#endif

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: test_plot TCPSIM SCENARIO_DIR SCRATCH_DIR\n");
        return 2;
    }
    tcpsim = argv[1];
    scenarios = argv[2];
    scratch = argv[3];
    snprintf(lossy, sizeof lossy, "%s/18-lossy-link.scn", scenarios);
    struct test_ctx t = { 0 };
#ifdef TEST_PLOT_GUI
    RUN_TEST(&t, the_chart_is_drawn_the_same_every_time);
    RUN_TEST(&t, the_chart_shows_lines_bars_and_text);
    RUN_TEST(&t, plot_size_and_two_ranges);
    RUN_TEST(&t, charts_it_cannot_draw_are_refused);
#else
    RUN_TEST(&t, plot_is_refused_without_the_front_end);
#endif
    return test_finish(&t);
}
