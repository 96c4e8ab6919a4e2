/* gui_snap.c: panel snapshots on the direct surface: whole pixel rows copied out after a panel is
 * drawn and copied back instead of drawing it again while its key is unchanged. Called by the
 * panels (gui_fsm.c) and by gfx_finish. */
#include "gui_snap.h"

#include <stdlib.h>
#include <string.h>

struct gui_snap {
    bool valid;
    SDL_Rect rc;
    size_t keylen;
    unsigned char key[GUI_SNAP_KEY_MAX];
    uint32_t *pixels;              /* rc.w * rc.h */
    size_t cap;                    /* pixels allocated */
};

/* The whole pixels area touches and one more all round (an anti-aliased edge on area's border
 * reaches into it), within the surface; false if none. */
static bool pixel_rect(const struct gui_gfx *g, SDL_FRect area, SDL_Rect *out)
{
    int x0 = (int)SDL_floorf(area.x) - 1, y0 = (int)SDL_floorf(area.y) - 1;
    int x1 = (int)SDL_ceilf(area.x + area.w) + 1, y1 = (int)SDL_ceilf(area.y + area.h) + 1;
    SDL_Rect r = { x0, y0, x1 - x0, y1 - y0 }, whole = { 0, 0, g->direct->w, g->direct->h };
    return SDL_IntersectRect(&r, &whole, out) == SDL_TRUE;
}

static struct gui_snap *slot_of(struct gui_gfx *g, int slot, bool create)
{
    if (slot < 0 || slot >= GUI_SNAP_SLOTS || !g->direct)
        return NULL;
    if (!g->snaps && create)
        g->snaps = calloc(GUI_SNAP_SLOTS, sizeof *g->snaps);
    return g->snaps ? &g->snaps[slot] : NULL;
}

bool gui_snap_restore(struct gui_gfx *g, int slot, SDL_FRect area, const void *key, size_t len)
{
    struct gui_snap *s = slot_of(g, slot, false);
    SDL_Rect rc;
    if (!s || !s->valid || len != s->keylen || memcmp(key, s->key, len) != 0 || !pixel_rect(g, area, &rc) ||
        !SDL_RectEquals(&rc, &s->rc))
        return false;
    SDL_RenderFlush(g->r);
    for (int y = 0; y < rc.h; y++)
        memcpy((uint8_t *)g->direct->pixels + (size_t)(rc.y + y) * (size_t)g->direct->pitch + (size_t)rc.x * 4,
               s->pixels + (size_t)y * (size_t)rc.w, (size_t)rc.w * 4);
    return true;
}

void gui_snap_store(struct gui_gfx *g, int slot, SDL_FRect area, const void *key, size_t len)
{
    struct gui_snap *s = slot_of(g, slot, true);
    SDL_Rect rc;
    if (!s || len > GUI_SNAP_KEY_MAX || !pixel_rect(g, area, &rc))
        return;
    s->valid = false;
    size_t need = (size_t)rc.w * (size_t)rc.h;
    if (need > s->cap) {
        uint32_t *p = realloc(s->pixels, need * sizeof *p);
        if (!p)
            return;
        s->pixels = p;
        s->cap = need;
    }
    SDL_RenderFlush(g->r);
    for (int y = 0; y < rc.h; y++)
        memcpy(s->pixels + (size_t)y * (size_t)rc.w,
               (const uint8_t *)g->direct->pixels + (size_t)(rc.y + y) * (size_t)g->direct->pitch + (size_t)rc.x * 4,
               (size_t)rc.w * 4);
    memcpy(s->key, key, len);
    s->keylen = len;
    s->rc = rc;
    s->valid = true;
}

void gui_snap_free(struct gui_gfx *g)
{
    for (int i = 0; g->snaps && i < GUI_SNAP_SLOTS; i++)
        free(g->snaps[i].pixels);
    free(g->snaps);
    g->snaps = NULL;
}
