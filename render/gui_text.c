/* gui_text.c: font sizes opened from the bundled TTF files (read into memory once) and a cache of
 * rendered text keyed by string, size and weight, with a texture for each of the last colours it
 * was drawn in. Called by the gui panels; entries unused for GUI_TEXT_MAX_AGE frames are freed. */
#include "gui_text.h"

#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FONT_SLOTS 24
#define CACHE_SIZE 4096          /* hash table slots (a power of two) */
#define CACHE_HIGH 2800          /* above this many entries, old ones are dropped */
#define GUI_TEXT_MAX_AGE 90      /* frames */
#define TINTS 2                  /* colours kept per string */

struct font_slot {
    int px;
    bool bold;
    TTF_Font *font;
    uint64_t used;
};

/* The text rendered in one colour: a texture drawn as it is (tinting a white texture at draw
 * time would send every copy through SDL's slow colour-modulating blit). */
struct tint {
    SDL_Texture *tex;            /* NULL: unused */
    uint8_t r, g, b;
    uint64_t used;
};

struct cache_entry {
    uint64_t hash;               /* 0 = empty slot */
    char *s;
    int px;
    bool bold;
    struct tint tint[TINTS];
    int w, h;
    uint64_t used;
};

struct gui_text {
    SDL_Renderer *r;
    void *ttf[2];                /* regular, bold file contents */
    size_t ttf_len[2];
    struct font_slot fonts[FONT_SLOTS];
    struct cache_entry *cache;
    size_t count;
    uint64_t frame;
};

static void *read_file(const char *path, size_t *len)
{
    SDL_RWops *rw = SDL_RWFromFile(path, "rb");
    if (!rw)
        return NULL;
    Sint64 size = SDL_RWsize(rw);
    void *buf = size > 0 ? malloc((size_t)size) : NULL;
    if (buf && SDL_RWread(rw, buf, 1, (size_t)size) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    SDL_RWclose(rw);
    *len = buf ? (size_t)size : 0;
    return buf;
}

struct gui_text *gui_text_create(SDL_Renderer *r, const char *regular, const char *bold, char *err, size_t errsize)
{
    if (!TTF_WasInit() && TTF_Init() != 0) {
        snprintf(err, errsize, "SDL_ttf: %s", TTF_GetError());
        return NULL;
    }
    struct gui_text *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    t->r = r;
    const char *paths[2] = { regular, bold };
    for (int i = 0; i < 2; i++) {
        t->ttf[i] = read_file(paths[i], &t->ttf_len[i]);
        if (!t->ttf[i]) {
            snprintf(err, errsize, "%s: cannot read the font", paths[i]);
            gui_text_destroy(t);
            return NULL;
        }
    }
    t->cache = calloc(CACHE_SIZE, sizeof *t->cache);
    if (!t->cache) {
        snprintf(err, errsize, "out of memory");
        gui_text_destroy(t);
        return NULL;
    }
    return t;
}

static void free_entry(struct cache_entry *e)
{
    free(e->s);
    for (int i = 0; i < TINTS; i++)
        if (e->tint[i].tex)
            SDL_DestroyTexture(e->tint[i].tex);
    *e = (struct cache_entry){ 0 };
}

void gui_text_destroy(struct gui_text *t)
{
    if (!t)
        return;
    for (size_t i = 0; t->cache && i < CACHE_SIZE; i++)
        if (t->cache[i].hash)
            free_entry(&t->cache[i]);
    free(t->cache);
    for (int i = 0; i < FONT_SLOTS; i++)
        if (t->fonts[i].font)
            TTF_CloseFont(t->fonts[i].font);
    free(t->ttf[0]);
    free(t->ttf[1]);
    free(t);
}

static TTF_Font *font(struct gui_text *t, int px, bool bold)
{
    if (px < 4)
        px = 4;
    int oldest = 0;
    for (int i = 0; i < FONT_SLOTS; i++) {
        struct font_slot *f = &t->fonts[i];
        if (f->font && f->px == px && f->bold == bold) {
            f->used = t->frame;
            return f->font;
        }
        if (!f->font || (t->fonts[oldest].font && f->used < t->fonts[oldest].used))
            oldest = i;
    }
    struct font_slot *f = &t->fonts[oldest];
    if (f->font)
        TTF_CloseFont(f->font);
    int w = bold ? 1 : 0;
    SDL_RWops *rw = SDL_RWFromConstMem(t->ttf[w], (int)t->ttf_len[w]);
    *f = (struct font_slot){ .px = px, .bold = bold, .used = t->frame };
    f->font = rw ? TTF_OpenFontRW(rw, 1, px) : NULL;
    return f->font;
}

static uint64_t hash_of(const char *s, int px, bool bold)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ull;
    h = (h ^ (uint64_t)px) * 1099511628211ull;
    h = (h ^ (bold ? 1u : 2u)) * 1099511628211ull;
    return h ? h : 1;
}

/* Drops entries not used recently and re-inserts the rest (open addressing needs no tombstones). */
static void cache_trim(struct gui_text *t)
{
    struct cache_entry *old = t->cache;
    struct cache_entry *fresh = calloc(CACHE_SIZE, sizeof *fresh);
    if (!fresh)
        return;
    t->cache = fresh;
    t->count = 0;
    for (size_t i = 0; i < CACHE_SIZE; i++) {
        struct cache_entry *e = &old[i];
        if (!e->hash)
            continue;
        if (e->used + 2 < t->frame) {
            free_entry(e);
            continue;
        }
        size_t j = e->hash & (CACHE_SIZE - 1);
        for (size_t k = 0; k < CACHE_SIZE && fresh[j].hash; k++)
            j = (j + 1) & (CACHE_SIZE - 1);
        fresh[j] = *e;
        t->count++;
    }
    free(old);
}

void gui_text_frame(struct gui_text *t)
{
    t->frame++;
    if (t->count <= CACHE_HIGH && t->frame % GUI_TEXT_MAX_AGE != 0)
        return;
    /* Every GUI_TEXT_MAX_AGE frames, or when full, forget what the last frames did not draw. */
    cache_trim(t);
}

/* The texture of an entry in colour c (its alpha is applied when drawing): the one made before,
 * or a new one in place of the colour used least recently. */
static SDL_Texture *texture(struct gui_text *t, struct cache_entry *e, SDL_Color c)
{
    struct tint *slot = &e->tint[0];
    for (int i = 0; i < TINTS; i++) {
        struct tint *n = &e->tint[i];
        if (n->tex && n->r == c.r && n->g == c.g && n->b == c.b) {
            n->used = t->frame;
            return n->tex;
        }
        if (!n->tex || (slot->tex && n->used < slot->used))
            slot = n;
    }
    TTF_Font *f = font(t, e->px, e->bold);
    SDL_Surface *surf = f ? TTF_RenderUTF8_Blended(f, e->s, (SDL_Color){ c.r, c.g, c.b, 255 }) : NULL;
    if (!surf)
        return NULL;
    if (slot->tex)
        SDL_DestroyTexture(slot->tex);
    *slot = (struct tint){ .tex = SDL_CreateTextureFromSurface(t->r, surf), .r = c.r, .g = c.g, .b = c.b,
                           .used = t->frame };
    e->w = surf->w;
    e->h = surf->h;
    SDL_FreeSurface(surf);
    if (slot->tex)
        SDL_SetTextureBlendMode(slot->tex, SDL_BLENDMODE_BLEND);
    return slot->tex;
}

/* The cache entry of a string: its width is always known; a texture is made when drawing needs
 * one (measuring alone, e.g. while shortening a label, renders nothing). */
static struct cache_entry *lookup(struct gui_text *t, const char *s, int px, bool bold)
{
    uint64_t h = hash_of(s, px, bold);
    size_t j = h & (CACHE_SIZE - 1);
    struct cache_entry *e = NULL;
    for (size_t k = 0; k < CACHE_SIZE; k++, j = (j + 1) & (CACHE_SIZE - 1)) {
        struct cache_entry *c = &t->cache[j];
        if (!c->hash)
            break;
        if (c->hash == h && c->px == px && c->bold == bold && strcmp(c->s, s) == 0) {
            e = c;
            break;
        }
    }
    if (!e) {
        TTF_Font *f = font(t, px, bold);
        int w = 0, hgt = 0;
        if (t->count >= CACHE_SIZE - 1 || t->cache[j].hash || !f || TTF_SizeUTF8(f, s, &w, &hgt) != 0)
            return NULL;
        char *copy = malloc(strlen(s) + 1);
        if (!copy)
            return NULL;
        strcpy(copy, s);
        e = &t->cache[j];
        *e = (struct cache_entry){ .hash = h, .s = copy, .px = px, .bold = bold, .w = w, .h = hgt };
        t->count++;
    }
    e->used = t->frame;
    return e;
}

float gui_text_draw(struct gui_text *t, const char *s, int px, bool bold, SDL_Color c, float x, float y,
                    enum gui_align align)
{
    if (!s || !*s)
        return 0;
    struct cache_entry *e = lookup(t, s, px, bold);
    SDL_Texture *tex = e ? texture(t, e, c) : NULL;
    if (!tex)
        return 0;
    float w = (float)e->w;
    if (align == GUI_CENTER)
        x -= w / 2;
    else if (align == GUI_RIGHT)
        x -= w;
    SDL_SetTextureAlphaMod(tex, c.a);
    SDL_FRect dst = { (float)(int)(x + 0.5f), (float)(int)(y + 0.5f), w, (float)e->h };
    SDL_RenderCopyF(t->r, tex, NULL, &dst);
    return w;
}

float gui_text_width(struct gui_text *t, const char *s, int px, bool bold)
{
    if (!s || !*s)
        return 0;
    struct cache_entry *e = lookup(t, s, px, bold);
    return e ? (float)e->w : 0;
}

int gui_text_height(struct gui_text *t, int px, bool bold)
{
    TTF_Font *f = font(t, px, bold);
    return f ? TTF_FontLineSkip(f) : px;
}

/* Length of the UTF-8 sequence starting with byte b. */
static size_t utf8_len(unsigned char b)
{
    return b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 1;
}

float gui_text_draw_fit(struct gui_text *t, const char *s, int px, bool bold, SDL_Color c, float x, float y,
                        float max_w, enum gui_align align)
{
    if (!s || !*s)
        return 0;
    if (gui_text_width(t, s, px, bold) <= max_w)
        return gui_text_draw(t, s, px, bold, c, x, y, align);
    char buf[1024];
    size_t n = strlen(s), best = 0;
    if (n > sizeof buf - 8)
        n = sizeof buf - 8;
    /* The longest prefix (on a character boundary) that fits with the ellipsis. */
    size_t lo = 0, hi = n;
    for (int guard = 0; lo < hi && guard < 64; guard++) {
        size_t mid = (lo + hi + 1) / 2;
        while (mid > 0 && ((unsigned char)s[mid] & 0xC0) == 0x80)
            mid--;
        if (mid <= lo) {
            break;
        }
        memcpy(buf, s, mid);
        memcpy(buf + mid, "…", sizeof "…");
        if (gui_text_width(t, buf, px, bold) <= max_w) {
            lo = best = mid;
        } else {
            hi = mid - 1;
        }
    }
    memcpy(buf, s, best);
    memcpy(buf + best, "…", sizeof "…");
    return gui_text_draw(t, buf, px, bold, c, x, y, align);
}

/* The number of bytes of word (wl bytes) that fit in max_w, at least one character. */
static size_t fit_prefix(struct gui_text *t, const char *word, size_t wl, int px, bool bold, float max_w)
{
    char buf[512];
    size_t fit = 0;
    for (size_t k = 0; k < wl && k < sizeof buf - 1;) {
        size_t next = k + utf8_len((unsigned char)word[k]);
        if (next > wl || next > sizeof buf - 1)
            break;
        memcpy(buf, word, next);
        buf[next] = '\0';
        if (fit > 0 && gui_text_width(t, buf, px, bold) > max_w)
            break;
        fit = next;
        k = next;
    }
    return fit ? fit : wl;
}

size_t gui_text_wrap(struct gui_text *t, const char *s, int px, bool bold, float max_w, size_t *starts, size_t *lens,
                     size_t max_lines)
{
    size_t nlines = 0, n = strlen(s), i = 0;
    float space = gui_text_width(t, " ", px, bold);
    char word[512];
    for (size_t guard = 0; i < n && guard <= n; guard++) {
        while (i < n && s[i] == ' ')
            i++;
        if (i >= n)
            break;
        size_t line_start = i, line_end = i;
        float w = 0;
        for (size_t guard2 = 0; i < n && s[i] != '\n' && guard2 <= n; guard2++) {
            size_t j = i;
            while (j < n && s[j] != ' ' && s[j] != '\n')
                j++;
            size_t wl = j - i < sizeof word - 1 ? j - i : sizeof word - 1;
            memcpy(word, s + i, wl);
            word[wl] = '\0';
            float ww = gui_text_width(t, word, px, bold);
            if (line_end == line_start) {
                if (ww > max_w) {
                    /* A word wider than the line is cut where it stops fitting. */
                    line_end = i + fit_prefix(t, s + i, j - i, px, bold, max_w);
                    i = line_end;
                    break;
                }
                w = ww;
            } else if (w + space + ww > max_w) {
                break;
            } else {
                w += space + ww;
            }
            line_end = j;
            i = j;
            size_t k = i;
            while (k < n && s[k] == ' ')
                k++;
            i = k;
        }
        if (nlines < max_lines) {
            starts[nlines] = line_start;
            lens[nlines] = line_end - line_start;
        }
        nlines++;
        if (i < n && s[i] == '\n')
            i++;
    }
    return nlines;
}

bool gui_text_covers(struct gui_text *t, const char *s, uint32_t *missing)
{
    TTF_Font *f = font(t, 16, false);
    if (!f)
        return false;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = utf8_len(*p);
        uint32_t cp = n == 1 ? *p : n == 2 ? (*p & 0x1Fu) : n == 3 ? (*p & 0x0Fu) : (*p & 0x07u);
        for (size_t k = 1; k < n; k++) {
            if ((p[k] & 0xC0) != 0x80) {
                n = k;
                break;
            }
            cp = (cp << 6) | (p[k] & 0x3Fu);
        }
        if (cp != '\n' && cp != '\t' && !TTF_GlyphIsProvided32(f, cp)) {
            if (missing)
                *missing = cp;
            return false;
        }
        p += n;
    }
    return true;
}
