/* test_raster.c: gui_raster's fills on a small ARGB8888 surface: shared edges painted once, pixel
 * centres decide coverage, the clip holds, vertex alpha is interpolated, degenerate input draws
 * nothing, and a blended rectangle is what its two triangles give. Run by meson (tests/gui). */
#define SDL_MAIN_HANDLED
#include <math.h>

#include "gui_raster.h"
#include "testlib.h"

#define W 64
#define H 48

static SDL_Surface *surface(uint32_t fill)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
    if (s)
        SDL_FillRect(s, NULL, fill);
    return s;
}

static uint32_t px(const SDL_Surface *s, int x, int y)
{
    return ((const uint32_t *)((const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch))[x];
}

static SDL_Vertex vx(float x, float y, SDL_Color c)
{
    return (SDL_Vertex){ .position = { x, y }, .color = c, .tex_coord = { 0, 0 } };
}

/* A rectangle as two triangles sharing a diagonal (as gui_gfx makes them). */
static void quad(SDL_Vertex *v, float x0, float y0, float x1, float y1, SDL_Color c)
{
    v[0] = vx(x0, y0, c);
    v[1] = vx(x1, y0, c);
    v[2] = vx(x1, y1, c);
    v[3] = vx(x0, y0, c);
    v[4] = vx(x1, y1, c);
    v[5] = vx(x0, y1, c);
}

TEST(shared_edges_are_painted_once)
{
    SDL_Surface *s = surface(0xFF000000u);
    CHECK(s && gui_raster_supports(s));
    if (!s)
        return;
    /* Half-transparent white over black: a pixel painted twice would come out lighter. Two
     * rectangles side by side share the edge x = 20 as well. */
    SDL_Vertex v[12];
    quad(v, 4, 6, 20, 30, (SDL_Color){ 255, 255, 255, 128 });
    quad(v + 6, 20, 6, 40, 30, (SDL_Color){ 255, 255, 255, 128 });
    gui_raster_triangles(s, NULL, v, 12);
    size_t once = 0, other = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            bool inside = x >= 4 && x < 40 && y >= 6 && y < 30;
            uint32_t p = px(s, x, y);
            if (inside && p == 0xFF808080u)
                once++;
            else if (inside || p != 0xFF000000u)
                other++;
        }
    CHECK_EQ_INT(once, 36 * 24);
    CHECK_EQ_INT(other, 0);
    SDL_FreeSurface(s);
}

TEST(the_clip_rectangle_holds)
{
    SDL_Surface *s = surface(0xFF000000u);
    if (!s)
        return;
    SDL_Vertex v[6];
    quad(v, -10, -10, 100, 100, (SDL_Color){ 10, 200, 30, 255 });
    SDL_Rect clip = { 8, 5, 10, 7 };
    gui_raster_triangles(s, &clip, v, 6);
    size_t painted = 0, outside = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            bool in = x >= 8 && x < 18 && y >= 5 && y < 12;
            bool p = px(s, x, y) == 0xFF0AC81Eu;
            painted += in && p;
            outside += !in && px(s, x, y) != 0xFF000000u;
        }
    CHECK_EQ_INT(painted, 70);
    CHECK_EQ_INT(outside, 0);
    SDL_FreeSurface(s);
}

TEST(vertex_alpha_is_interpolated)
{
    SDL_Surface *s = surface(0xFF000000u);
    if (!s)
        return;
    /* White fading in from left (alpha 0) to right (alpha 255) over black: grey rises steadily. */
    SDL_Color c0 = { 255, 255, 255, 0 }, c1 = { 255, 255, 255, 255 };
    SDL_Vertex v[6] = { vx(0, 0, c0), vx(W, 0, c1), vx(W, H, c1), vx(0, 0, c0), vx(W, H, c1), vx(0, H, c0) };
    gui_raster_triangles(s, NULL, v, 6);
    int last = -1;
    bool rising = true;
    for (int x = 0; x < W; x++) {
        int g = (int)(px(s, x, H / 2) & 255);
        rising = rising && g >= last;
        last = g;
    }
    CHECK(rising);
    CHECK((px(s, 0, H / 2) & 255) < 8);
    CHECK((px(s, W - 1, H / 2) & 255) > 245);
    int mid = (int)(px(s, W / 2, H / 2) & 255);
    CHECK(mid > 118 && mid < 138);
    SDL_FreeSurface(s);
}

TEST(pixel_centres_decide_coverage)
{
    SDL_Surface *s = surface(0xFF000000u);
    if (!s)
        return;
    /* A right triangle with its corner at (10, 10) and legs of 8. The centres (10.5 + i, 10.5 + j)
     * with i + j < 7 are inside; those with i + j = 7 lie exactly on the hypotenuse, a bottom-right
     * edge, and are left out (top-left rule). */
    SDL_Color c = { 255, 0, 0, 255 };
    SDL_Vertex v[3] = { vx(10, 10, c), vx(18, 10, c), vx(10, 18, c) };
    gui_raster_triangles(s, NULL, v, 3);
    size_t n = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            n += px(s, x, y) == 0xFFFF0000u;
    CHECK(px(s, 10, 10) == 0xFFFF0000u);
    CHECK(px(s, 13, 13) == 0xFFFF0000u);
    CHECK(px(s, 14, 13) == 0xFF000000u);
    CHECK(px(s, 9, 10) == 0xFF000000u);
    CHECK_EQ_INT(n, 7 * 8 / 2);
    SDL_FreeSurface(s);
}

TEST(degenerate_triangles_draw_nothing)
{
    SDL_Surface *s = surface(0xFF000000u);
    if (!s)
        return;
    SDL_Color c = { 255, 255, 255, 255 };
    float nan = NAN;
    SDL_Vertex v[9] = { vx(5, 5, c), vx(20, 20, c), vx(35, 35, c),                      /* on a line */
                        vx(nan, 3, c), vx(10, 40, c), vx(30, 30, c),                    /* not a number */
                        vx(1e30f, 1e30f, c), vx(-1e30f, 1e30f, c), vx(0, -1e30f, c) }; /* huge */
    gui_raster_triangles(s, NULL, v, 8); /* the last triangle is incomplete and skipped */
    size_t painted = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            painted += px(s, x, y) != 0xFF000000u;
    CHECK_EQ_INT(painted, 0);
    gui_raster_triangles(s, NULL, v + 6, 3); /* clamped: a triangle that covers everything */
    CHECK_EQ_U64(px(s, W / 2, H / 2), 0xFFFFFFFFu);
    SDL_FreeSurface(s);
}

TEST(a_blended_rectangle_matches_its_two_triangles)
{
    SDL_Surface *a = surface(0xFF3060A0u), *b = surface(0xFF3060A0u);
    if (!a || !b)
        return;
    SDL_Color c = { 240, 200, 10, 77 };
    SDL_Rect clip = { 0, 0, 30, H };
    gui_raster_rect(a, &clip, (SDL_Rect){ 5, 7, 40, 20 }, c);
    SDL_Vertex v[6];
    quad(v, 5, 7, 45, 27, c);
    gui_raster_triangles(b, &clip, v, 6);
    size_t differ = 0, changed = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            differ += px(a, x, y) != px(b, x, y);
            changed += px(a, x, y) != 0xFF3060A0u;
        }
    CHECK_EQ_INT(differ, 0);
    CHECK_EQ_INT(changed, 25 * 20); /* x 5..29 (clipped at 30), y 7..26 */
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
}

int main(void)
{
    struct test_ctx t = { 0 };
    RUN_TEST(&t, shared_edges_are_painted_once);
    RUN_TEST(&t, the_clip_rectangle_holds);
    RUN_TEST(&t, vertex_alpha_is_interpolated);
    RUN_TEST(&t, pixel_centres_decide_coverage);
    RUN_TEST(&t, degenerate_triangles_draw_nothing);
    RUN_TEST(&t, a_blended_rectangle_matches_its_two_triangles);
    return test_finish(&t);
}
