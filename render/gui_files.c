/* gui_files.c: scenario listing for the picker (readdir, sorted, each file's titles parsed once),
 * saving a scenario with the user's drops appended as `fault` lines (the line itself comes from
 * gui_model_fault_line), and screenshot names. Called by gui.c on O, Ctrl+S and S. */
#include "gui_files.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scn.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

size_t gui_files_list(const char *dir, char ***out)
{
    *out = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    char **list = calloc(GUI_FILES_MAX, sizeof *list);
    size_t n = 0;
    for (struct dirent *e = readdir(d); list && e && n < GUI_FILES_MAX; e = readdir(d)) {
        if (e->d_name[0] == '.' || !ends_with(e->d_name, ".scn"))
            continue;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(len);
        if (!p)
            break;
        snprintf(p, len, "%s/%s", dir, e->d_name);
        list[n++] = p;
    }
    closedir(d);
    if (n)
        qsort(list, n, sizeof *list, cmp_str);
    *out = list;
    return n;
}

void gui_files_free(char **list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        free(list[i]);
    free(list);
}

/* A copy of s, or NULL for NULL (or when out of memory: the picker then shows the file name). */
static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Whether path is a regular file the parser would read whole: a FIFO or device named *.scn must
 * not block opening the picker, and an oversized file is refused by the parser anyway. */
static bool parsable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= (off_t)SCN_MAX_FILE_BYTES;
}

/* Fills p's titles from its file; leaves them NULL if it cannot be read or parsed. */
static void read_titles(struct gui_pick *p)
{
    /* The whole file is parsed rather than grepped for its title lines, so the picker shows
     * exactly the title that opening the file shows, escapes included. */
    struct scn *s = NULL;
    struct scn_error e;
    if (!parsable(p->path) || !scn_parse_file(p->path, &s, &e))
        return;
    p->title = dup_or_null(s->title.en);
    p->title_ko = dup_or_null(s->title.ko);
    scn_free(s);
}

size_t gui_files_picks(const char *dir, struct gui_pick **out)
{
    char **paths;
    size_t n = gui_files_list(dir, &paths);
    *out = n ? calloc(n, sizeof **out) : NULL;
    if (!*out) {
        gui_files_free(paths, n);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        (*out)[i].path = paths[i];
        read_titles(&(*out)[i]);
    }
    free(paths); /* the strings now belong to the entries */
    return n;
}

void gui_files_picks_free(struct gui_pick *p, size_t n)
{
    for (size_t i = 0; p && i < n; i++) {
        free(p[i].path);
        free(p[i].title);
        free(p[i].title_ko);
    }
    free(p);
}

const char *gui_files_base(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    return slash ? slash + 1 : path;
}

const char *gui_files_title(const char *title, const char *title_ko, const char *path, bool korean)
{
    if (korean && title_ko)
        return title_ko;
    return title ? title : gui_files_base(path);
}

/* The file name without directory and extension. */
static void stem_of(const char *path, char *buf, size_t size)
{
    const char *base = path ? gui_files_base(path) : "default";
    size_t n = strlen(base);
    if (ends_with(base, ".scn"))
        n -= 4;
    snprintf(buf, size, "%.*s", (int)(n < 200 ? n : 200), base);
}

static bool exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

static bool copy_into(FILE *out, const char *path, char *err, size_t errsize)
{
    FILE *in = fopen(path, "rb");
    if (!in) {
        snprintf(err, errsize, "%s: cannot read the scenario", path);
        return false;
    }
    char buf[4096];
    size_t n;
    int last = '\n';
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        fwrite(buf, 1, n, out);
        last = (unsigned char)buf[n - 1];
    }
    fclose(in);
    if (last != '\n')
        fputc('\n', out);
    return true;
}

bool gui_files_save_drops(const struct gui_model *m, const char *out_dir, char *saved, size_t savedsize, char *err,
                          size_t errsize)
{
    if (m->ndrops == 0) {
        snprintf(err, errsize, "nothing to save: click a segment in flight to drop it first");
        return false;
    }
    if (!m->src.path && !m->src.text) {
        snprintf(err, errsize, "this scenario has no text to save");
        return false;
    }
    char stem[256];
    stem_of(m->src.path, stem, sizeof stem);
    const char *dir = out_dir ? out_dir : ".";
    for (int i = 1; i < 1000; i++) {
        if (i == 1)
            snprintf(saved, savedsize, "%s/%s-drops.scn", dir, stem);
        else
            snprintf(saved, savedsize, "%s/%s-drops-%d.scn", dir, stem, i);
        if (!exists(saved))
            break;
    }
    FILE *out = fopen(saved, "wb");
    if (!out) {
        snprintf(err, errsize, "%s: cannot write", saved);
        return false;
    }
    bool ok = true;
    if (m->src.path) {
        ok = copy_into(out, m->src.path, err, errsize);
    } else {
        fputs(m->src.text, out);
        size_t n = strlen(m->src.text);
        if (n && m->src.text[n - 1] != '\n')
            fputc('\n', out);
    }
    if (ok) {
        fputs("\n# Segments dropped by hand in tcpsim's window, as scripted faults:\n", out);
        for (size_t i = 0; i < m->ndrops && ok; i++) {
            char line[128];
            ok = gui_model_fault_line(m, i, line, sizeof line);
            if (ok)
                fprintf(out, "%s\n", line);
            else
                snprintf(err, errsize, "drop %zu no longer matches a segment", i + 1);
        }
    }
    if (fclose(out) != 0 && ok) {
        snprintf(err, errsize, "%s: write failed", saved);
        ok = false;
    }
    return ok;
}

bool gui_files_screenshot_name(const char *out_dir, const char *scenario_path, char *buf, size_t size)
{
    char stem[256];
    stem_of(scenario_path, stem, sizeof stem);
    for (int i = 1; i < 10000; i++) {
        snprintf(buf, size, "%s/tcpsim-%s-%03d.png", out_dir ? out_dir : ".", stem, i);
        if (!exists(buf))
            return true;
    }
    return false;
}
