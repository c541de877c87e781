/* Reading the localization table a post-processing command works on (merge-blinks, filter, frc). */
#ifndef CLI_TABLE_INPUT_H
#define CLI_TABLE_INPUT_H

#include <stdint.h>

#include "mumloc.h"

/* Reads path (ThunderSTORM CSV; progress lines "mumloc COMMAND (reading): ..." for long files unless
 * quiet; Ctrl-C stops it) and converts px / um columns to nm (pixel_nm: --pixel-size, 0 when not
 * given). Returns CLI_EXIT_OK, or an exit code after one error line "mumloc COMMAND: ...". */
int cli_read_table(const char *command, const char *path, double pixel_nm, int quiet,
                   mumloc_table **out);

/* Prints "mumloc COMMAND: <library message>" and returns the exit code for the status (2 for an
 * invalid argument, 130 for a cancellation, 1 otherwise). */
int cli_library_error(const char *command, mumloc_status status);

/* The options every post-processing command ends its table with (and the table's terminator):
 * --pixel-size, --threads, --quiet into the given variables (double, int, int). */
#define CLI_TABLE_COMMAND_OPTIONS(pixel_nm, threads, quiet)                                         \
    {"pixel-size", "NM", "camera pixel size, to convert columns given in px", CLI_DOUBLE, &(pixel_nm), \
     NULL, NULL, 0, "none"},                                                                       \
        {"threads", "T", "threads; 0 = all cores", CLI_INT, &(threads), NULL, NULL, 0, NULL},     \
        {"quiet", NULL, "no progress lines", CLI_FLAG, &(quiet), NULL, NULL, 0, NULL},            \
        {NULL, NULL, NULL, CLI_FLAG, NULL, NULL, NULL, 0, NULL}

/* One table in, one table out (merge-blinks, filter): options is the step's options struct. */
typedef mumloc_status (*cli_table_step)(const mumloc_table *in, const void *options, mumloc_table **out,
                                        mumloc_progress_fn progress, void *user);

/* Reads in_path (as cli_read_table), runs step with progress lines (unless quiet) and Ctrl-C
 * cancellation, writes the result to out_path; *rows_in, *rows_out and *seconds (step and write) are
 * set on success. Returns the exit code (an error line printed on failure). */
int cli_run_table_step(const char *command, const char *in_path, double pixel_nm, int quiet,
                       cli_table_step step, const void *options, const char *out_path,
                       int64_t *rows_in, int64_t *rows_out, double *seconds);

#endif
