/* cli_gui.c: the commands that use the SDL front end: `tcpsim` (the classroom demo), `tcpsim
 * show FILE` and `tcpsim render FILE --at T --out PNG`. Called by main.c in gui builds only. */
#include "cli.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui.h"
#include "gui_scn.h"

#ifndef TCPSIM_SCENARIO_DIR
#define TCPSIM_SCENARIO_DIR "scenarios"
#endif

static void usage_show(FILE *f)
{
    fputs("usage: tcpsim show FILE.scn [--lang en|ko] [--presenter] [--fullscreen] [--absolute]\n"
          "                   [--size WxH] [--seed N] [--set KEY=VALUE]...\n"
          "Opens the classroom window on a scenario (plain `tcpsim` opens the built-in demo).\n"
          "Press ? in the window for the keys.\n",
          f);
}

static void usage_render(FILE *f)
{
    fputs("usage: tcpsim render FILE.scn --at T --out FILE.png [--size WxH] [--lang en|ko]\n"
          "                     [--presenter] [--absolute] [--seed N] [--set KEY=VALUE]...\n"
          "Draws the window's picture at simulated time T (e.g. 415ms) into a PNG file, without a\n"
          "display. The same inputs give the same bytes.\n",
          f);
}

struct gui_args {
    struct cli_common c;
    struct gui_options opt;
    const char *at, *out;
    bool help;
};

/* Reads the options of show and render; returns false after printing a usage error. */
static bool parse(int argc, char **argv, bool render, struct gui_args *g)
{
    const char *cmd = render ? "render" : "show";
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int common = cli_common_option(&g->c, argc, argv, &i);
        if (common < 0)
            return false;
        if (common > 0)
            continue;
        bool takes_value = strcmp(a, "--lang") == 0 || strcmp(a, "--size") == 0 ||
                           (render && (strcmp(a, "--at") == 0 || strcmp(a, "--out") == 0));
        if (takes_value && i + 1 >= argc) {
            fprintf(stderr, "tcpsim %s: error: %s needs a value\n", cmd, a);
            return false;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            g->help = true;
        } else if (strcmp(a, "--lang") == 0) {
            g->opt.lang = argv[++i];
            if (strcmp(g->opt.lang, "en") != 0 && strcmp(g->opt.lang, "ko") != 0) {
                fprintf(stderr, "tcpsim %s: error: unknown language '%s' (en or ko)\n", cmd, g->opt.lang);
                return false;
            }
        } else if (strcmp(a, "--size") == 0) {
            if (!cli_parse_size(argv[++i], &g->opt.width, &g->opt.height)) {
                fprintf(stderr, "tcpsim %s: error: bad size '%s' (WxH, from 320x240 to 7680x4320)\n", cmd,
                        argv[i]);
                return false;
            }
        } else if (strcmp(a, "--presenter") == 0) {
            g->opt.presenter = true;
        } else if (strcmp(a, "--fullscreen") == 0 && !render) {
            g->opt.fullscreen = true;
        } else if (strcmp(a, "--absolute") == 0) {
            g->opt.absolute = true;
        } else if (render && strcmp(a, "--at") == 0) {
            g->at = argv[++i];
        } else if (render && strcmp(a, "--out") == 0) {
            g->out = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "tcpsim %s: error: unknown option '%s'\n", cmd, a);
            return false;
        } else if (g->c.scenario) {
            fprintf(stderr, "tcpsim %s: error: one scenario at a time ('%s' and '%s')\n", cmd, g->c.scenario, a);
            return false;
        } else {
            g->c.scenario = a;
        }
    }
    return true;
}

/* SDL hands the window title to Xlib, whose Xutf8TextListToTextProperty converts it with the C
 * library's character type: in the "C" locale any title that is not ASCII ("tcpsim — ...", every
 * Korean title) fails to convert and the window manager shows only "tcpsim". So the window
 * program takes the user's LC_CTYPE, or C.UTF-8 when that is not UTF-8. Only LC_CTYPE: numbers
 * and messages keep the C rules, and only i18n.c uses <ctype.h>, on ASCII bytes. */
static void utf8_ctype(void)
{
    const char *set = setlocale(LC_CTYPE, "");
    if (!set || strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
        setlocale(LC_CTYPE, "C.UTF-8");
}

int cli_gui(int argc, char **argv, bool show)
{
    struct gui_args g = { 0 };
    gui_options_defaults(&g.opt);
    g.opt.scenario_dir = TCPSIM_SCENARIO_DIR;
    if (!parse(argc, argv, false, &g)) {
        usage_show(stderr);
        return EXIT_USAGE;
    }
    if (g.help) {
        usage_show(stdout);
        return EXIT_OK;
    }
    if (show && !g.c.scenario) {
        fputs("tcpsim show: error: no scenario file given (plain `tcpsim` opens the demo)\n", stderr);
        usage_show(stderr);
        return EXIT_USAGE;
    }
    struct scn *s = cli_load(&g.c);
    if (!s)
        return EXIT_USAGE;
    struct gui_source src;
    gui_scn_source(s, g.c.scenario, g.c.scenario ? NULL : cli_default_scenario, &src);
    utf8_ctype();
    int rc = gui_show(&src, &g.opt);
    scn_free(s);
    if (rc == GUI_ERR_NO_DISPLAY)
        return cli_headless(&g.c, "no display could be opened");
    return rc == GUI_OK ? EXIT_OK : EXIT_USAGE;
}

int cli_render(int argc, char **argv)
{
    struct gui_args g = { 0 };
    gui_options_defaults(&g.opt);
    g.opt.scenario_dir = TCPSIM_SCENARIO_DIR;
    if (!parse(argc, argv, true, &g)) {
        usage_render(stderr);
        return EXIT_USAGE;
    }
    if (g.help) {
        usage_render(stdout);
        return EXIT_OK;
    }
    if (!g.c.scenario || !g.at || !g.out) {
        fprintf(stderr, "tcpsim render: error: %s\n",
                !g.c.scenario ? "no scenario file given" : !g.at ? "--at T is required" : "--out FILE.png is required");
        usage_render(stderr);
        return EXIT_USAGE;
    }
    sim_time at;
    if (!scn_parse_time(g.at, &at)) {
        fprintf(stderr, "tcpsim render: error: bad time '%s' for --at (e.g. 415ms, 2s)\n", g.at);
        return EXIT_USAGE;
    }
    struct scn *s = cli_load(&g.c);
    if (!s)
        return EXIT_USAGE;
    struct gui_source src;
    gui_scn_source(s, g.c.scenario, NULL, &src);
    int rc = gui_render_png(&src, at, g.out, &g.opt);
    scn_free(s);
    return rc == GUI_OK ? EXIT_OK : EXIT_USAGE;
}
