/* fuzz_replay.c: main() for builds without libFuzzer: runs LLVMFuzzerTestOneInput on every file
 * named, and on every file in every directory named (in name order). A broken invariant aborts;
 * otherwise prints "N passed, 0 failed". An empty corpus is a failure, so that a lost corpus
 * directory cannot pass silently. Run by meson (suite 'fuzz') on tests/fuzz/corpus/TARGET. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define MAX_INPUT (4u << 20)
#define MAX_FILES 100000u

static bool replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return false;
    }
    uint8_t *buf = malloc(MAX_INPUT);
    size_t n = buf ? fread(buf, 1, MAX_INPUT, f) : 0;
    bool ok = buf && !ferror(f);
    fclose(f);
    if (ok)
        LLVMFuzzerTestOneInput(buf, n);
    else
        fprintf(stderr, "%s: cannot read\n", path);
    free(buf);
    return ok;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays every regular file in dir; returns how many, or -1 on an error. */
static long replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return -1;
    }
    char **names = malloc(MAX_FILES * sizeof *names);
    size_t n = 0;
    struct dirent *e;
    while (names && n < MAX_FILES && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            names[n++] = strdup(e->d_name);
    closedir(d);
    if (!names)
        return -1;
    qsort(names, n, sizeof *names, by_name);
    long count = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            if (!replay_file(path))
                count = -1;
            else if (count >= 0)
                count++;
        }
        free(names[i]);
    }
    free(names);
    return count;
}

int main(int argc, char **argv)
{
    long total = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            return 1;
        }
        long n = S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i]) ? 1 : -1;
        if (n < 0)
            return 1;
        total += n;
    }
    if (total == 0) {
        fputs("no inputs replayed\n", stderr);
        puts("0 passed, 1 failed");
        return 1;
    }
    printf("%ld passed, 0 failed\n", total);
    return 0;
}
