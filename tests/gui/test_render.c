/* test_render.c: offscreen renders of a real scenario (no display: SDL's software renderer on a
 * surface): pictures are not blank, badges show each state's colour at known times, PNGs are
 * byte-identical across runs, Korean differs from English, presenter mode is high contrast and the
 * layout scales to 4K, every bundled scenario draws its states, and the scenario picker lists them
 * by title. Run by meson (tests/gui) with
 * SDL_VIDEODRIVER=dummy: argv[1] = scenarios/04-full-lifecycle.scn, argv[2] = a scratch directory,
 * argv[3] = the scenarios directory, argv[4] = tests/gui/lossy.scn. */
#define SDL_MAIN_HANDLED
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gui_files.h"
#include "gui_png.h"
#include "gui_scn.h"
#include "gui_theme.h"
#include "testlib.h"

static const char *scenario, *scratch, *library, *lossy;
static struct scn *scn;

struct shot {
    struct gui_canvas c;
    struct gui_model *m;
    struct gui_hits hits;
    bool ok;
};

static bool shoot(struct shot *s, sim_time t, int w, int h, const char *lang, bool presenter)
{
    char err[512];
    memset(s, 0, sizeof *s);
    if (!gui_canvas_init(&s->c, w, h, NULL, lang, err, sizeof err)) {
        fprintf(stderr, "canvas: %s\n", err);
        return false;
    }
    struct gui_source src;
    gui_scn_source(scn, scenario, NULL, &src);
    s->m = gui_model_create(&src, err, sizeof err);
    if (!s->m) {
        fprintf(stderr, "model: %s\n", err);
        return false;
    }
    struct gui_look k;
    gui_look_defaults(&k);
    gui_canvas_look(&s->c, &k);
    k.still = true;
    k.presenter = presenter;
    k.title = "test";
    k.hits = &s->hits;
    s->ok = gui_canvas_draw(&s->c, s->m, t, &k);
    return s->ok;
}

static void drop_shot(struct shot *s)
{
    gui_model_destroy(s->m);
    gui_canvas_finish(&s->c);
}

static uint32_t pixel(const struct gui_canvas *c, int x, int y)
{
    const uint8_t *row = (const uint8_t *)c->surface->pixels + (size_t)y * (size_t)c->surface->pitch;
    return ((const uint32_t *)row)[x] & 0xFFFFFFu;
}

static uint32_t rgb(SDL_Color c)
{
    return (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
}

TEST(pictures_are_not_blank)
{
    const sim_time times[] = { sim_ms(5), sim_ms(15), sim_ms(305), sim_s(120) };
    uint8_t *seen = calloc(1, 1u << 21); /* one bit per 24-bit colour */
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        struct shot s;
        CHECK(shoot(&s, times[i], 1280, 720, "en", false));
        if (!s.ok) {
            drop_shot(&s);
            continue;
        }
        memset(seen, 0, 1u << 21);
        size_t distinct = 0, painted = 0;
        uint32_t bg = rgb(gui_theme_get(false)->bg);
        for (int y = 0; y < 720; y++)
            for (int x = 0; x < 1280; x++) {
                uint32_t p = pixel(&s.c, x, y);
                if (!(seen[p >> 3] & (1u << (p & 7)))) {
                    seen[p >> 3] |= (uint8_t)(1u << (p & 7));
                    distinct++;
                }
                painted += p != bg;
            }
        CHECK(distinct > 400);
        CHECK(painted > 1280 * 720 / 2);
        drop_shot(&s);
    }
    free(seen);
}

TEST(badges_show_the_state_colours)
{
    /* The times and states of the scenario's own expectations. */
    const struct {
        sim_time t;
        enum tcp_state a, b;
    } cases[] = {
        { sim_ms(5), TCP_SYN_SENT, TCP_LISTEN },
        { sim_ms(15), TCP_SYN_SENT, TCP_SYN_RECEIVED },
        { sim_ms(25), TCP_ESTABLISHED, TCP_SYN_RECEIVED },
        { sim_ms(35), TCP_ESTABLISHED, TCP_ESTABLISHED },
        { sim_ms(205), TCP_FIN_WAIT_1, TCP_ESTABLISHED },
        { sim_ms(215), TCP_FIN_WAIT_1, TCP_CLOSE_WAIT },
        { sim_ms(225), TCP_FIN_WAIT_2, TCP_CLOSE_WAIT },
        { sim_ms(405), TCP_FIN_WAIT_2, TCP_LAST_ACK },
        { sim_ms(415), TCP_TIME_WAIT, TCP_LAST_ACK },
        { sim_ms(425), TCP_TIME_WAIT, TCP_LISTEN },
        { sim_s(241), TCP_CLOSED, TCP_LISTEN },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct shot s;
        CHECK(shoot(&s, cases[i].t, 1280, 720, "en", false));
        for (int h = 0; h < 2 && s.ok; h++) {
            SDL_FRect b = s.hits.badge[h];
            CHECK(b.w > 100 && b.h > 20);
            /* Left of the state name, inside the rounded corners: pure badge colour. */
            uint32_t got = pixel(&s.c, (int)(b.x + 5), (int)(b.y + b.h / 2));
            uint32_t want = rgb(gui_theme_state(h == 0 ? cases[i].a : cases[i].b));
            if (got != want)
                fprintf(stderr, "case %zu host %c: badge %06x, expected %06x (%s)\n", i, 'A' + h, (unsigned)got,
                        (unsigned)want, trace_state_name(h == 0 ? cases[i].a : cases[i].b));
            CHECK_EQ_U64(got, want);
        }
        drop_shot(&s);
    }
}

static bool same_file(const char *a, const char *b, size_t *size)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    bool same = fa && fb;
    *size = 0;
    for (int ca = 0, cb = 0; same && ca != EOF; (*size)++) {
        ca = fgetc(fa);
        cb = fgetc(fb);
        same = ca == cb;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

TEST(png_bytes_are_deterministic)
{
    char p1[1024], p2[1024], p3[1024], err[256];
    snprintf(p1, sizeof p1, "%s/det1.png", scratch);
    snprintf(p2, sizeof p2, "%s/det2.png", scratch);
    snprintf(p3, sizeof p3, "%s/det3.png", scratch);
    struct shot s;
    CHECK(shoot(&s, sim_ms(305), 1280, 720, "ko", false));
    CHECK(gui_png_save(s.c.surface, p1, err, sizeof err));
    drop_shot(&s);
    CHECK(shoot(&s, sim_ms(305), 1280, 720, "ko", false));
    CHECK(gui_png_save(s.c.surface, p2, err, sizeof err));
    drop_shot(&s);
    CHECK(shoot(&s, sim_ms(306), 1280, 720, "ko", false));
    CHECK(gui_png_save(s.c.surface, p3, err, sizeof err));
    drop_shot(&s);
    size_t n;
    CHECK(same_file(p1, p2, &n));
    CHECK(n > 10000);
    CHECK(!same_file(p1, p3, &n)); /* the segment in flight has moved */
    /* The public entry point writes the same bytes. */
    struct gui_source src;
    gui_scn_source(scn, scenario, NULL, &src);
    struct gui_options o;
    gui_options_defaults(&o);
    o.lang = "ko";
    CHECK_EQ_INT(gui_render_png(&src, sim_ms(305), p3, &o), GUI_OK);
    char p4[1024];
    snprintf(p4, sizeof p4, "%s/det4.png", scratch);
    CHECK_EQ_INT(gui_render_png(&src, sim_ms(305), p4, &o), GUI_OK);
    CHECK(same_file(p3, p4, &n));
}

TEST(korean_differs_from_english)
{
    struct shot en, ko;
    CHECK(shoot(&en, sim_ms(15), 1280, 720, "en", false));
    CHECK(shoot(&ko, sim_ms(15), 1280, 720, "ko", false));
    size_t diff = 0;
    for (int y = 0; y < 720 && en.ok && ko.ok; y++)
        for (int x = 0; x < 1280; x++)
            diff += pixel(&en.c, x, y) != pixel(&ko.c, x, y);
    CHECK(diff > 5000);
    CHECK_STR(ko.c.lang, "ko");
    CHECK_STR(en.c.lang, "en");
    drop_shot(&en);
    drop_shot(&ko);
}

TEST(presenter_mode_is_high_contrast_and_larger)
{
    struct shot n, p;
    CHECK(shoot(&n, sim_ms(15), 1280, 720, "en", false));
    CHECK(shoot(&p, sim_ms(15), 1280, 720, "en", true));
    if (n.ok && p.ok) {
        CHECK_EQ_U64(pixel(&p.c, 2, 2), 0xFFFFFFu);
        CHECK_EQ_U64(pixel(&n.c, 2, 2), rgb(gui_theme_get(false)->bg));
        CHECK(p.hits.badge[0].h > n.hits.badge[0].h * 1.15f);
    }
    drop_shot(&n);
    drop_shot(&p);
}

TEST(layout_scales_to_4k)
{
    struct shot small, big;
    CHECK(shoot(&small, sim_ms(15), 1280, 720, "en", false));
    CHECK(shoot(&big, sim_ms(15), 3840, 2160, "en", false));
    if (small.ok && big.ok) {
        float ratio = big.hits.badge[0].h / small.hits.badge[0].h;
        CHECK(ratio > 2.8f && ratio < 3.2f);
        ratio = big.hits.badge[1].w / small.hits.badge[1].w;
        CHECK(ratio > 2.9f && ratio < 3.1f);
        SDL_FRect b = big.hits.badge[0];
        CHECK_EQ_U64(pixel(&big.c, (int)(b.x + 12), (int)(b.y + b.h / 2)), rgb(gui_theme_state(TCP_SYN_SENT)));
    }
    drop_shot(&small);
    drop_shot(&big);
}

static int near(uint32_t p, SDL_Color c)
{
    int dr = (int)(p >> 16 & 255) - c.r, dg = (int)(p >> 8 & 255) - c.g, db = (int)(p & 255) - c.b;
    return dr > -64 && dr < 64 && dg > -64 && dg < 64 && db > -64 && db < 64;
}

/* Pixels close to colour c (cards fade as they fall) in the link panel between its two endpoint
 * bars (which wear the hosts' state colours). */
static size_t link_pixels(const struct gui_canvas *c, SDL_Color col)
{
    struct gui_layout l;
    gui_layout_compute(&l, c->surface->w, c->surface->h, false);
    size_t n = 0;
    for (int y = (int)l.link.y; y < (int)(l.link.y + l.link.h); y++)
        for (int x = (int)(l.link.x + 30 * l.s); x < (int)(l.link.x + l.link.w - 30 * l.s); x++)
            n += (size_t)near(pixel(c, x, y), col);
    return n;
}

/* tests/gui/lossy.scn: a lost SYN+ACK falls out of the link, a duplicate travels as two cards, a
 * corrupted one is marked in red, a held-back one is tagged. */
TEST(link_shows_what_the_link_did)
{
    char err[512];
    struct gui_source src;
    CHECK(gui_scn_open(NULL, lossy, &src, err, sizeof err));
    struct gui_model *m = gui_model_create(&src, err, sizeof err);
    struct gui_canvas c;
    CHECK(m && gui_canvas_init(&c, 1280, 720, NULL, "en", err, sizeof err));
    if (!m) {
        src.release(src.ctx);
        return;
    }
    const struct gui_theme *th = gui_theme_get(false);
    struct gui_hits hits;
    struct gui_look k;
    gui_look_defaults(&k);
    k.still = true;
    k.hits = &hits;
    /* Nothing has gone wrong yet: no red, no orange in the link. */
    CHECK(gui_canvas_draw(&c, m, sim_ms(5), &k));
    CHECK_EQ_INT(link_pixels(&c, th->lost), 0);
    CHECK_EQ_INT(link_pixels(&c, th->warn), 0);
    CHECK_EQ_INT(hits.ncards, 1);
    /* B's first SYN+ACK is lost: nothing is in flight, but its card falls out in red. */
    CHECK(gui_canvas_draw(&c, m, sim_ms(14), &k));
    CHECK_EQ_INT(hits.ncards, 0);
    CHECK(link_pixels(&c, th->lost) > 200);
    /* The duplicated write: two copies of one segment, two cards, both clickable. */
    CHECK(gui_canvas_draw(&c, m, sim_ms(1503), &k));
    CHECK_EQ_INT(hits.ncards, 2);
    if (hits.ncards == 2) {
        CHECK_EQ_U64(hits.cards[0].id, hits.cards[1].id);
        CHECK(hits.cards[0].copy != hits.cards[1].copy);
        CHECK(hits.cards[0].rc.y != hits.cards[1].rc.y);
    }
    CHECK(link_pixels(&c, th->warn) > 50);
    /* The corrupted one has a red border and tag. */
    CHECK(gui_canvas_draw(&c, m, sim_ms(1604), &k));
    CHECK_EQ_INT(hits.ncards, 1);
    CHECK(link_pixels(&c, th->lost) > 200);
    /* The held-back one is still on its way when the later one has arrived. */
    CHECK(gui_canvas_draw(&c, m, sim_ms(1721), &k));
    CHECK(link_pixels(&c, th->warn) > 50);
    gui_canvas_finish(&c);
    gui_model_destroy(m);
    src.release(src.ctx);
}

/* What a canvas keeps from frame to frame (text, panel snapshots) never changes the picture: a
 * canvas that drew other times first gives the same pixels as a fresh one, at 1920x1080 and in
 * presenter mode, through state changes and stretches where the state diagram stays the same. */
TEST(a_warm_canvas_draws_what_a_fresh_one_draws)
{
    const char *files[2] = { scenario, lossy };
    const sim_time times[] = { sim_ms(5), sim_ms(6), sim_ms(14), sim_ms(15), sim_ms(25), sim_ms(205), sim_ms(206),
                               sim_ms(415), sim_ms(1503), sim_ms(1604), sim_ms(1721), sim_s(120), sim_s(121) };
    char err[512];
    for (int f = 0; f < 2; f++)
        for (int presenter = 0; presenter < 2; presenter++) {
            struct gui_source src;
            CHECK(gui_scn_open(NULL, files[f], &src, err, sizeof err));
            struct gui_model *m = gui_model_create(&src, err, sizeof err);
            struct gui_canvas warm;
            CHECK(m && gui_canvas_init(&warm, 1920, 1080, NULL, "en", err, sizeof err));
            if (!m) {
                src.release(src.ctx);
                continue;
            }
            struct gui_look k;
            gui_look_defaults(&k);
            k.still = true;
            k.presenter = presenter;
            for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
                struct gui_canvas fresh;
                CHECK(gui_canvas_init(&fresh, 1920, 1080, NULL, "en", err, sizeof err));
                CHECK(gui_canvas_draw(&warm, m, times[i], &k));
                CHECK(gui_canvas_draw(&fresh, m, times[i], &k));
                size_t differ = 0;
                for (int y = 0; y < 1080; y++)
                    differ += memcmp((const uint8_t *)warm.surface->pixels + (size_t)y * (size_t)warm.surface->pitch,
                                     (const uint8_t *)fresh.surface->pixels + (size_t)y * (size_t)fresh.surface->pitch,
                                     1920 * 4) != 0;
                if (differ)
                    fprintf(stderr, "%s at %lld ns (presenter %d): %zu rows differ\n", files[f], (long long)times[i],
                            presenter, differ);
                CHECK_EQ_INT(differ, 0);
                gui_canvas_finish(&fresh);
            }
            gui_canvas_finish(&warm);
            gui_model_destroy(m);
            src.release(src.ctx);
        }
}

/* Every bundled scenario draws, and its badges show the state the model holds, at times in the
 * handshake, the middle and the end of each run. */
TEST(every_bundled_scenario_draws_its_states)
{
    char **files = NULL;
    size_t n = gui_files_list(library, &files);
    CHECK(n >= 4);
    char err[512];
    struct gui_canvas c;
    CHECK(gui_canvas_init(&c, 1280, 720, NULL, "en", err, sizeof err));
    for (size_t i = 0; i < n; i++) {
        struct gui_source src;
        CHECK(gui_scn_open(NULL, files[i], &src, err, sizeof err));
        struct gui_model *m = gui_model_create(&src, err, sizeof err);
        CHECK(m != NULL);
        if (!m) {
            fprintf(stderr, "%s: %s\n", files[i], err);
            src.release(src.ctx);
            continue;
        }
        CHECK(m->nsteps > 0);
        sim_time end = m->steps[m->nsteps - 1].t;
        const sim_time times[] = { sim_ms(15), end / 2, end };
        for (size_t j = 0; j < 3; j++) {
            struct gui_hits hits;
            struct gui_look k;
            gui_look_defaults(&k);
            gui_canvas_look(&c, &k);
            k.still = true;
            k.hits = &hits;
            CHECK(gui_canvas_draw(&c, m, times[j], &k));
            for (int h = 0; h < 2; h++) {
                SDL_FRect b = hits.badge[h];
                uint32_t got = pixel(&c, (int)(b.x + 5), (int)(b.y + b.h / 2));
                uint32_t want = rgb(gui_theme_state(m->cur[h].state));
                if (got != want)
                    fprintf(stderr, "%s at %lld ns: host %c badge %06x, state %s\n", files[i], (long long)times[j],
                            'A' + h, (unsigned)got, trace_state_name(m->cur[h].state));
                CHECK_EQ_U64(got, want);
            }
        }
        gui_model_destroy(m);
        src.release(src.ctx);
    }
    gui_canvas_finish(&c);
    gui_files_free(files, n);
}

static bool write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    fputs(text, f);
    return fclose(f) == 0;
}

/* The picker's entries carry each file's titles, read once; a file that does not parse (or is not
 * a regular file: a FIFO must not block the picker) is listed by its file name. */
TEST(picker_entries_carry_the_titles)
{
    char **files = NULL;
    size_t nfiles = gui_files_list(library, &files);
    gui_files_free(files, nfiles);
    struct gui_pick *p = NULL;
    size_t n = gui_files_picks(library, &p);
    CHECK(n >= 20);
    CHECK_EQ_INT(n, nfiles);
    const struct gui_pick *full = NULL;
    for (size_t i = 0; i < n; i++) {
        /* Every bundled scenario has both titles, and the picker's label is the title. */
        CHECK(p[i].title && p[i].title_ko);
        if (!p[i].title || !p[i].title_ko)
            fprintf(stderr, "%s: no title or no title.ko\n", p[i].path);
        CHECK(strcmp(gui_files_title(p[i].title, p[i].title_ko, p[i].path, false), gui_files_base(p[i].path)) != 0);
        if (strcmp(gui_files_base(p[i].path), "04-full-lifecycle.scn") == 0)
            full = &p[i];
    }
    CHECK(full != NULL);
    if (full) {
        CHECK_STR(full->title, "The full lifecycle of a TCP connection");
        CHECK_STR(full->title_ko, "TCP 연결의 전체 생애");
        CHECK_STR(gui_files_title(full->title, full->title_ko, full->path, true), "TCP 연결의 전체 생애");
        CHECK_STR(gui_files_title(full->title, full->title_ko, full->path, false),
                  "The full lifecycle of a TCP connection");
    }
    gui_files_picks_free(p, n);

    char dir[1024], path[1100];
    snprintf(dir, sizeof dir, "%s/picker", scratch);
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/a-english-only.scn", dir);
    CHECK(write_file(path, "title \"Good \\\"one\\\"\"\nat 0s B listen 80\n"));
    snprintf(path, sizeof path, "%s/b-broken.scn", dir);
    CHECK(write_file(path, "title \"Never shown\"\nthis is not a scenario\n"));
    snprintf(path, sizeof path, "%s/c-fifo.scn", dir);
    remove(path);
    CHECK(mkfifo(path, 0600) == 0);
    n = gui_files_picks(dir, &p);
    CHECK_EQ_INT(n, 3);
    if (n == 3) {
        CHECK_STR(p[0].title, "Good \"one\"");
        CHECK(p[0].title_ko == NULL);
        CHECK_STR(gui_files_title(p[0].title, p[0].title_ko, p[0].path, true), "Good \"one\"");
        for (size_t i = 1; i < 3; i++) {
            CHECK(p[i].title == NULL && p[i].title_ko == NULL);
            CHECK_STR(gui_files_title(p[i].title, p[i].title_ko, p[i].path, true), gui_files_base(p[i].path));
        }
        CHECK_STR(gui_files_base(p[1].path), "b-broken.scn");
    }
    gui_files_picks_free(p, n);
}

/* Draws the scenario's picture at 15 ms with the picker open on picks, row sel chosen. */
static bool draw_picker(struct gui_canvas *c, struct gui_model *m, const struct gui_pick *picks, size_t n, size_t sel,
                        struct gui_hits *hits)
{
    struct gui_look k;
    gui_look_defaults(&k);
    gui_canvas_look(c, &k);
    k.still = true;
    k.title = "test";
    k.hits = hits;
    k.picker_open = true;
    k.picker = picks;
    k.npicker = n;
    k.picker_sel = sel;
    return gui_canvas_draw(c, m, sim_ms(15), &k);
}

/* Pixels that differ between two canvases of one size inside rc. */
static size_t differ_in(const struct gui_canvas *a, const struct gui_canvas *b, SDL_FRect rc)
{
    size_t n = 0;
    for (int y = (int)rc.y; y < (int)(rc.y + rc.h); y++)
        for (int x = (int)rc.x; x < (int)(rc.x + rc.w); x++)
            n += pixel(a, x, y) != pixel(b, x, y);
    return n;
}

static size_t distinct_colours(const struct gui_canvas *c, SDL_FRect rc)
{
    uint8_t *seen = calloc(1, 1u << 21);
    size_t n = 0;
    for (int y = (int)rc.y; seen && y < (int)(rc.y + rc.h); y++)
        for (int x = (int)rc.x; x < (int)(rc.x + rc.w); x++) {
            uint32_t p = pixel(c, x, y);
            n += !(seen[p >> 3] & (1u << (p & 7)));
            seen[p >> 3] |= (uint8_t)(1u << (p & 7));
        }
    free(seen);
    return n;
}

/* The open picker at 1280x800 shows all bundled scenarios at once, each row drawing its title in
 * the canvas's language (a row differs from the same row without titles, and English from Korean);
 * rows are stacked clickable areas. Saves picker-en.png and picker-ko.png in the scratch folder. */
TEST(open_picker_shows_every_title)
{
    struct gui_pick *p = NULL;
    size_t n = gui_files_picks(library, &p);
    struct gui_pick *bare = calloc(n ? n : 1, sizeof *bare);
    for (size_t i = 0; bare && i < n; i++)
        bare[i].path = p[i].path; /* the same files without their titles */
    char err[512];
    struct gui_source src;
    gui_scn_source(scn, scenario, NULL, &src);
    struct gui_model *m = gui_model_create(&src, err, sizeof err);
    struct gui_canvas en, ko, none;
    CHECK(m && bare && n >= 20);
    CHECK(gui_canvas_init(&en, 1280, 800, NULL, "en", err, sizeof err));
    CHECK(gui_canvas_init(&ko, 1280, 800, NULL, "ko", err, sizeof err));
    CHECK(gui_canvas_init(&none, 1280, 800, NULL, "en", err, sizeof err));
    struct gui_hits hits, hits_ko, hits_none;
    if (m && bare && n >= 20 && draw_picker(&en, m, p, n, 3, &hits) && draw_picker(&ko, m, p, n, 3, &hits_ko) &&
        draw_picker(&none, m, bare, n, 3, &hits_none)) {
        CHECK_EQ_INT(hits.npicker, n);
        CHECK_EQ_INT(hits_ko.npicker, n);
        for (size_t i = 0; i < hits.npicker; i++) {
            SDL_FRect r = hits.picker[i].rc;
            CHECK_EQ_INT(hits.picker[i].index, i);
            CHECK(r.x >= 0 && r.y >= 0 && r.x + r.w <= 1280 && r.y + r.h <= 800);
            CHECK(r.h >= 18 && r.w >= 600); /* readable and wide enough for a title */
            if (i > 0)
                CHECK(r.y >= hits.picker[i - 1].rc.y + hits.picker[i - 1].rc.h - 0.01f);
            size_t titled = differ_in(&en, &none, r), lang = differ_in(&en, &ko, r);
            if (titled < 100 || lang < 100)
                fprintf(stderr, "%s: %zu pixels differ from its file name, %zu from Korean\n", p[i].path, titled,
                        lang);
            CHECK(titled >= 100);
            CHECK(lang >= 100);
        }
        SDL_FRect card = { hits.picker[0].rc.x, hits.picker[0].rc.y, hits.picker[0].rc.w,
                           hits.picker[n - 1].rc.y + hits.picker[n - 1].rc.h - hits.picker[0].rc.y };
        CHECK(distinct_colours(&en, card) > 30);
        char out[1024];
        snprintf(out, sizeof out, "%s/picker-en.png", scratch);
        CHECK(gui_png_save(en.surface, out, err, sizeof err));
        snprintf(out, sizeof out, "%s/picker-ko.png", scratch);
        CHECK(gui_png_save(ko.surface, out, err, sizeof err));
    } else {
        CHECK(!"the picker did not draw");
    }
    gui_canvas_finish(&en);
    gui_canvas_finish(&ko);
    gui_canvas_finish(&none);

    /* A longer list than fits (the bundled ones three times over) scrolls to keep the selected
     * row, the last, in view, and the clickable rows are the ones shown, at the default size. */
    size_t nlong = 3 * n;
    struct gui_pick *many = calloc(nlong ? nlong : 1, sizeof *many);
    for (size_t i = 0; many && i < nlong; i++)
        many[i] = p[i % n];
    struct gui_canvas small;
    CHECK(gui_canvas_init(&small, 1280, 720, NULL, "en", err, sizeof err));
    if (m && many && n >= 20 && draw_picker(&small, m, many, nlong, nlong - 1, &hits)) {
        CHECK(hits.npicker >= 20 && hits.npicker < nlong);
        for (size_t i = 0; i < hits.npicker; i++)
            CHECK_EQ_INT(hits.picker[i].index, nlong - hits.npicker + i);
        CHECK(hits.picker[hits.npicker - 1].rc.y + hits.picker[hits.npicker - 1].rc.h <= 720);
        char out[1024];
        snprintf(out, sizeof out, "%s/picker-scrolled.png", scratch);
        CHECK(gui_png_save(small.surface, out, err, sizeof err));
    }
    free(many);
    gui_canvas_finish(&small);
    gui_model_destroy(m);
    free(bare);
    gui_files_picks_free(p, n);
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: test_render SCENARIO.scn SCRATCH_DIR SCENARIO_DIR LOSSY.scn\n");
        return 2;
    }
    lossy = argv[4];
    scenario = argv[1];
    scratch = argv[2];
    library = argv[3];
    struct scn_error e;
    if (!scn_parse_file(scenario, &scn, &e)) {
        fprintf(stderr, "%s\n", e.text);
        return 2;
    }
    struct test_ctx t = { 0 };
    RUN_TEST(&t, pictures_are_not_blank);
    RUN_TEST(&t, badges_show_the_state_colours);
    RUN_TEST(&t, png_bytes_are_deterministic);
    RUN_TEST(&t, korean_differs_from_english);
    RUN_TEST(&t, presenter_mode_is_high_contrast_and_larger);
    RUN_TEST(&t, layout_scales_to_4k);
    RUN_TEST(&t, link_shows_what_the_link_did);
    RUN_TEST(&t, every_bundled_scenario_draws_its_states);
    RUN_TEST(&t, a_warm_canvas_draws_what_a_fresh_one_draws);
    RUN_TEST(&t, picker_entries_carry_the_titles);
    RUN_TEST(&t, open_picker_shows_every_title);
    scn_free(scn);
    return test_finish(&t);
}
