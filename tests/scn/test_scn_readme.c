/* test_scn_readme.c: every ```scn example in scenarios/README.md parses, so the documentation
 * cannot drift from the parser. Run by meson with the README's path as its argument. */
#include <stdlib.h>

#include "scn.h"
#include "testlib.h"

#define MIN_EXAMPLES 15

int main(int argc, char **argv)
{
    struct test_ctx ctx = {0};
    struct test_ctx *t = &ctx;
    if (argc != 2) {
        fprintf(stderr, "usage: %s README.md\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", argv[1]);
        return 2;
    }
    const size_t cap = (size_t)1 << 17;
    char *text = malloc(cap);
    if (!text) {
        fclose(f);
        return 2;
    }
    size_t len = fread(text, 1, cap - 1, f);
    fclose(f);
    text[len] = '\0';
    const char *open = "```scn\n", *p = text;
    int examples = 0;
    while ((p = strstr(p, open)) != NULL) { /* bounded: p moves forward every pass */
        const char *start = p + strlen(open);
        const char *end = strstr(start, "```");
        if (!end)
            break;
        unsigned line = 1;
        for (const char *q = text; q < start; q++)
            line += *q == '\n';
        char name[64];
        snprintf(name, sizeof name, "README.md:%u", line);
        ctx.name = name;
        ctx.failures = 0;
        struct scn *s = NULL;
        struct scn_error err;
        bool ok = scn_parse_string(name, start, (size_t)(end - start), &s, &err);
        CHECK(ok);
        if (!ok)
            fprintf(stderr, "  example at line %u: %s\n", line, err.text);
        scn_free(s);
        if (ctx.failures)
            ctx.failed++;
        else
            ctx.passed++;
        examples++;
        p = end + 3;
    }
    ctx.name = "enough_examples";
    ctx.failures = 0;
    CHECK(examples >= MIN_EXAMPLES);
    if (ctx.failures)
        ctx.failed++;
    else
        ctx.passed++;
    free(text);
    return test_finish(&ctx);
}
