/* test_scn_bad.c: every malformed scenario in tests/scn/bad/ must fail to parse with exactly the
 * message its first line promises ("# expect: bad/NAME.scn:LINE:COL: error: ..."). Run by meson
 * with the folder as its argument. */
#include <dirent.h>
#include <stdlib.h>

#include "scn.h"
#include "testlib.h"

#define MAX_FILES 256
#define MIN_FILES 40

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = SCN_MAX_FILE_BYTES + 2;
    char *buf = malloc(cap);
    *len = buf ? fread(buf, 1, cap - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[*len] = '\0';
    return buf;
}

/* One file: it must fail with the promised message. */
static void check_file(struct test_ctx *t, const char *dir, const char *name)
{
    char path[1024], shown[300], want[700];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(shown, sizeof shown, "bad/%s", name);
    size_t len;
    char *text = read_all(path, &len);
    CHECK(text != NULL);
    if (!text)
        return;
    const char *prefix = "# expect: ";
    const char *nl = strchr(text, '\n');
    bool has = strncmp(text, prefix, strlen(prefix)) == 0 && nl;
    CHECK(has);
    if (!has) {
        fprintf(stderr, "%s: first line must be '# expect: MESSAGE'\n", shown);
        free(text);
        return;
    }
    size_t wl = (size_t)(nl - text) - strlen(prefix);
    if (wl && text[strlen(prefix) + wl - 1] == '\r')
        wl--;
    snprintf(want, sizeof want, "%.*s", (int)wl, text + strlen(prefix));
    struct scn *s = NULL;
    struct scn_error err;
    bool parsed = scn_parse_string(shown, text, len, &s, &err);
    CHECK(!parsed);
    CHECK(s == NULL);
    if (!parsed)
        CHECK_STR(err.text, want);
    scn_free(s);
    free(text);
}

int main(int argc, char **argv)
{
    struct test_ctx ctx = {0};
    struct test_ctx *t = &ctx;
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", argv[1]);
        return 2;
    }
    char *names[MAX_FILES];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && n < MAX_FILES) {
        size_t l = strlen(de->d_name);
        if (l > 4 && strcmp(de->d_name + l - 4, ".scn") == 0)
            names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    for (size_t i = 0; i < n; i++) {
        ctx.name = names[i];
        ctx.failures = 0;
        check_file(t, argv[1], names[i]);
        if (ctx.failures) {
            ctx.failed++;
            fprintf(stderr, "FAIL %s\n", names[i]);
        } else {
            ctx.passed++;
        }
        free(names[i]);
    }
    ctx.name = "enough_bad_files";
    ctx.failures = 0;
    CHECK(n >= MIN_FILES);
    if (ctx.failures)
        ctx.failed++;
    else
        ctx.passed++;
    return test_finish(&ctx);
}
