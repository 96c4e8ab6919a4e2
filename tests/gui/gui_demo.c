/* gui_demo.c: opens the window on a scenario file, for the Xvfb test (test_window.sh) and for
 * trying the front end without the CLI: gui_demo FILE.scn [OUTPUT_DIR [LANG]]. */
#define SDL_MAIN_HANDLED
#include <stdio.h>

#include "gui_scn.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gui_demo FILE.scn [OUTPUT_DIR [LANG]]\n");
        return 2;
    }
    struct gui_source src;
    char err[512];
    if (!gui_scn_open(NULL, argv[1], &src, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    struct gui_options o;
    gui_options_defaults(&o);
    o.output_dir = argc > 2 ? argv[2] : NULL;
    o.lang = argc > 3 ? argv[3] : NULL;
    int rc = gui_show(&src, &o);
    src.release(src.ctx);
    return rc;
}
