/* scn_mem.c: the arena that owns a parsed scenario's strings, payloads and segment lines, freed
 * all at once by scn_free. Used by the scenario parser files only. */
#include "scn_int.h"

#include <stdlib.h>
#include <string.h>

struct scn_block {
    struct scn_block *next;
    size_t used, cap;
    max_align_t data[];
};

struct scn_mem {
    struct scn_block *head;
};

enum { SCN_BLOCK_BYTES = 16384 };

struct scn_mem *scn_mem_create(void)
{
    return calloc(1, sizeof(struct scn_mem));
}

void scn_mem_destroy(struct scn_mem *m)
{
    if (!m)
        return;
    struct scn_block *b = m->head;
    while (b) { /* bounded: each block is visited once */
        struct scn_block *next = b->next;
        free(b);
        b = next;
    }
    free(m);
}

void *scn_mem_alloc(struct scn_mem *m, size_t size)
{
    const size_t align = sizeof(max_align_t);
    if (size > SIZE_MAX / 2)
        return NULL;
    size = (size + align - 1) / align * align;
    if (size == 0)
        size = align;
    struct scn_block *b = m->head;
    if (!b || b->cap - b->used < size) {
        size_t cap = size > SCN_BLOCK_BYTES ? size : SCN_BLOCK_BYTES;
        b = calloc(1, sizeof(struct scn_block) + cap);
        if (!b)
            return NULL;
        b->cap = cap;
        b->next = m->head;
        m->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    return p;
}

char *scn_mem_strndup(struct scn_mem *m, const char *s, size_t len)
{
    char *d = scn_mem_alloc(m, len + 1);
    if (d && len)
        memcpy(d, s, len);
    return d;
}
