/* main.c: the tcpsim command: picks the command (design.md "Command-line contract") and hands
 * over to its cli_*.c file. Thin by design: every command is a library call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

#ifdef TCPSIM_GUI_PROGRAM
/* Runs the sibling program that links the front end (TCPSIM_GUI_PROGRAM, installed beside this
 * one) with the same arguments. Returns only if it could not be started. */
static void exec_gui(char **argv)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash)
        return;
    char path[4200];
    snprintf(path, sizeof path, "%.*s/%s", (int)(slash - self), self, TCPSIM_GUI_PROGRAM);
    argv[0] = path;
    execv(path, argv);
}
#endif

/* Whether this command line needs the front end's code: the window, render, or a plot. */
#ifdef TCPSIM_GUI_PROGRAM
static bool wants_gui(int argc, char **argv, bool has_display)
{
    if (argc < 2)
        return has_display;
    if (strcmp(argv[1], "show") == 0 || strcmp(argv[1], "render") == 0)
        return true;
    if (strcmp(argv[1], "sweep") == 0)
        for (int i = 2; i < argc; i++)
            if (strcmp(argv[i], "--plot") == 0)
                return true;
    return false;
}
#endif

int main(int argc, char **argv)
{
    const char *display = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
    const char *driver = getenv("SDL_VIDEODRIVER");
    bool has_display = (display && *display) || (wayland && *wayland) || (driver && *driver);
    const char *no_gui = "built without the window (-Dgui=disabled)";
#if defined(TCPSIM_GUI_PROGRAM)
    if (wants_gui(argc, argv, has_display))
        exec_gui(argv);
    no_gui = "the window program " TCPSIM_GUI_PROGRAM " could not be started";
#elif defined(TCPSIM_HAVE_GUI)
    if (argc < 2 && has_display)
        return cli_gui(0, argv + 1, false);
    no_gui = "no display found";
#endif
    if (argc < 2)
        return cli_headless(&(struct cli_common){ 0 }, has_display ? no_gui : "no display found");
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
#ifdef TCPSIM_HAVE_GUI
    if (strcmp(cmd, "show") == 0)
        return cli_gui(n, rest, true);
    if (strcmp(cmd, "render") == 0)
        return cli_render(n, rest);
#else
    /* sweep --plot is refused by cli_sweep itself, which names what the chart needs. */
    if (strcmp(cmd, "show") == 0 || strcmp(cmd, "render") == 0) {
        fprintf(stderr, "tcpsim %s: error: %s\n", cmd, no_gui);
        return EXIT_USAGE;
    }
#endif
    if (strcmp(cmd, "sweep") == 0)
        return cli_sweep(n, rest);
    fprintf(stderr, "tcpsim: error: unknown command '%s'\n", cmd);
    usage(stderr);
    return EXIT_USAGE;
}
