/* png_stats.c: prints "WIDTHxHEIGHT COLOURS PAINTED" for a PNG (distinct colours, pixels that
 * differ from the top-left one), so the window test can tell a real screenshot from a blank one. */
#define SDL_MAIN_HANDLED
#include <SDL2/SDL_image.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    SDL_Surface *raw = IMG_Load(argv[1]);
    SDL_Surface *s = raw ? SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0) : NULL;
    if (!s) {
        fprintf(stderr, "%s: %s\n", argv[1], IMG_GetError());
        return 1;
    }
    uint8_t *seen = calloc(1, 1u << 21);
    size_t distinct = 0, painted = 0;
    uint32_t first = ((uint32_t *)s->pixels)[0] & 0xFFFFFFu;
    for (int y = 0; y < s->h; y++)
        for (int x = 0; x < s->w; x++) {
            uint32_t p = ((uint32_t *)((uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch))[x] & 0xFFFFFFu;
            if (!(seen[p >> 3] & (1u << (p & 7)))) {
                seen[p >> 3] |= (uint8_t)(1u << (p & 7));
                distinct++;
            }
            painted += p != first;
        }
    printf("%dx%d %zu %zu\n", s->w, s->h, distinct, painted);
    free(seen);
    SDL_FreeSurface(s);
    SDL_FreeSurface(raw);
    return 0;
}
