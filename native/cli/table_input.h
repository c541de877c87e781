/* Reading the localization table a post-processing command works on (merge-blinks, filter, frc). */
#ifndef MUMLOC_CLI_TABLE_INPUT_H
#define MUMLOC_CLI_TABLE_INPUT_H

#include "mumloc.h"

/* Reads path (ThunderSTORM CSV) and converts px / um columns to nm (pixel_nm: --pixel-size, 0 when
 * not given). Returns CLI_EXIT_OK, or an exit code after one error line "mumloc COMMAND: ...". */
int cli_read_table(const char *command, const char *path, double pixel_nm, mumloc_table **out);

/* Prints "mumloc COMMAND: <library message>" and returns the exit code for the status (2 for an
 * invalid argument, 130 for a cancellation, 1 otherwise). */
int cli_library_error(const char *command, mumloc_status status);

#endif
