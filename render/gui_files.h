/* gui_files.h: the files the window reads and writes besides its assets: the list of scenarios
 * for the picker with their titles, the scenario saved with the user's drops written in as
 * scripted faults, and free names for screenshots. Used by gui.c; the tests call it directly. */
#ifndef TCPSIM_GUI_FILES_H
#define TCPSIM_GUI_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "gui_model.h"

#define GUI_FILES_MAX 256

/* The *.scn files in dir, sorted by name (at most GUI_FILES_MAX). *out is an array of paths
 * ("dir/name.scn") that gui_files_free releases. */
size_t gui_files_list(const char *dir, char ***out);
void gui_files_free(char **list, size_t n);

/* One entry of the scenario picker: a file and the titles read from it when the picker opened. */
struct gui_pick {
    char *path;                  /* "dir/name.scn" */
    char *title, *title_ko;      /* its title lines; NULL if absent or if the file does not parse */
};

/* The picker's entries: the files of gui_files_list with their titles. Each file is parsed once,
 * here, so drawing the picker never reads the disk; a file that does not parse is listed with no
 * titles (the picker shows its file name, and opening it reports the error). Returns the count;
 * *out is released by gui_files_picks_free. */
size_t gui_files_picks(const char *dir, struct gui_pick **out);
void gui_files_picks_free(struct gui_pick *p, size_t n);

/* The name a scenario is shown by (title bar, stills, picker): its Korean title when korean and it
 * has one, else its title, else the file name of path without directories, else NULL. */
const char *gui_files_title(const char *title, const char *title_ko, const char *path, bool korean);

/* The file name of path without directories. */
const char *gui_files_base(const char *path);

/* Writes the scenario (the file src->path, else src->text) followed by one fault line per drop
 * of m into out_dir as "<name>-drops.scn" (or -drops-2 ... if taken). The saved path is put in
 * saved. Returns false with a message in err. */
bool gui_files_save_drops(const struct gui_model *m, const char *out_dir, char *saved, size_t savedsize, char *err,
                          size_t errsize);

/* A name "<out_dir>/tcpsim-<stem>-NNN.png" that does not exist yet. */
bool gui_files_screenshot_name(const char *out_dir, const char *scenario_path, char *buf, size_t size);

#endif
