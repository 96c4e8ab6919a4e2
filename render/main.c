/* main.c: the tcpsim command: picks the command (design.md "Command-line contract") and hands
 * over to its cli_*.c file. Thin by design: every command is a library call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef TCPSIM_VERSION
#define TCPSIM_VERSION "unknown"
#endif

static void usage(FILE *f)
{
    fputs("usage: tcpsim [COMMAND] [ARGS]\n"
          "An educational simulator of TCP connection management (RFC 9293).\n"
          "\n"
          "  tcpsim                      open the classroom demo (the full lifecycle); without a\n"
          "                              display, print its trace instead\n"
          "  tcpsim show FILE.scn        open the window on a scenario\n"
          "  tcpsim run FILE.scn         run headless and print the trace (text or JSONL, pcapng)\n"
          "  tcpsim check FILE.scn...    verify the scenarios' expectations\n"
          "  tcpsim sweep FILE.scn       run many seeds and parameter values, print CSV\n"
          "  tcpsim render FILE.scn      draw the window's picture at a time into a PNG file\n"
          "  tcpsim COMMAND --help       the options of one command\n"
          "  tcpsim --version\n"
          "\n"
          "Exit status: 0 success, 1 a check failed, 2 bad usage or bad input.\n"
          "Scenario format: scenarios/README.md.\n",
          f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        const char *display = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
        const char *driver = getenv("SDL_VIDEODRIVER");
        bool has_display = (display && *display) || (wayland && *wayland) || (driver && *driver);
#ifdef TCPSIM_HAVE_GUI
        if (has_display)
            return cli_gui(0, argv + 1, false);
        return cli_headless(&(struct cli_common){ 0 }, "no display found");
#else
        (void)has_display;
        return cli_headless(&(struct cli_common){ 0 }, "built without the window (-Dgui=disabled)");
#endif
    }
    const char *cmd = argv[1];
    int n = argc - 2;
    char **rest = argv + 2;
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("tcpsim %s\n", TCPSIM_VERSION);
        return EXIT_OK;
    }
    if (strcmp(cmd, "run") == 0)
        return cli_run(n, rest);
    if (strcmp(cmd, "check") == 0)
        return cli_check(n, rest);
    if (strcmp(cmd, "sweep") == 0)
        return cli_sweep(n, rest);
#ifdef TCPSIM_HAVE_GUI
    if (strcmp(cmd, "show") == 0)
        return cli_gui(n, rest, true);
    if (strcmp(cmd, "render") == 0)
        return cli_render(n, rest);
#else
    if (strcmp(cmd, "show") == 0 || strcmp(cmd, "render") == 0) {
        fprintf(stderr, "tcpsim %s: error: this tcpsim was built without the front end (-Dgui=disabled)\n", cmd);
        return EXIT_USAGE;
    }
#endif
    fprintf(stderr, "tcpsim: error: unknown command '%s'\n", cmd);
    usage(stderr);
    return EXIT_USAGE;
}
